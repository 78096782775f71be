"""Conviction records: the only way the product reads or writes them.

A record is stored as one encrypted JSON payload (models/disclosure.py). Here it is validated,
decoded, assessed by the calculator, and turned into what the rest of the product may use:
which offence categories an employer may lawfully consider at a check level (for offence
exclusions), and which convictions are disclosable at stage 3.
"""

import datetime as dt
import json
from dataclasses import asdict, dataclass

import sqlalchemy as sa

from marketplace import audit, clock
from marketplace.disclosure import calculator
from marketplace.extensions import db
from marketplace.models import Candidate, User
from marketplace.models.disclosure import ConvictionRecord
from marketplace.types import CheckLevel, OffenceCategory

CAUTIONS = {
    calculator.DisposalKind.SIMPLE_CAUTION, calculator.DisposalKind.CONDITIONAL_CAUTION,
    calculator.DisposalKind.YOUTH_CAUTION, calculator.DisposalKind.YOUTH_CONDITIONAL_CAUTION,
}


@dataclass(frozen=True)
class Conviction:
    """One conviction or caution, decoded."""

    offence: str
    category: OffenceCategory
    date: dt.date
    under_18: bool
    disposal: calculator.DisposalKind
    length_months: int | None = None
    end_date: dt.date | None = None
    specified_offence: bool = False
    schedule_18: bool = False
    summary_only: bool = False
    # "Does the order have an end date?" (calculator.OrderEnd); None in records stored before
    # it was asked, which read as before.
    order_end: calculator.OrderEnd | None = None

    @property
    def is_caution(self) -> bool:
        return self.disposal in CAUTIONS

    def to_json(self) -> str:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["end_date"] = self.end_date.isoformat() if self.end_date else None
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, payload: str) -> "Conviction":
        data = json.loads(payload)
        data["date"] = dt.date.fromisoformat(data["date"])
        data["end_date"] = dt.date.fromisoformat(data["end_date"]) if data["end_date"] else None
        data["category"] = OffenceCategory(data["category"])
        data["disposal"] = calculator.DisposalKind(data["disposal"])
        if data.get("order_end"):
            data["order_end"] = calculator.OrderEnd(data["order_end"])
        return cls(**data)

    def for_calculator(self, key: str) -> calculator.Conviction:
        return calculator.Conviction(
            id=key, date=self.date, under_18=self.under_18, disposal=self.disposal,
            length_months=self.length_months, end_date=self.end_date,
            schedule_18=self.schedule_18, specified_offence=self.specified_offence,
            summary_only=self.summary_only, order_end=self.order_end)


@dataclass(frozen=True)
class Assessed:
    record_id: int
    conviction: Conviction
    outcome: calculator.Outcome


def validate(conviction: Conviction, today: dt.date | None = None) -> None:
    """Raises ValueError with a message naming the problem; nothing is stored on error."""
    today = today or clock.uk_today()
    if not conviction.offence.strip():
        raise ValueError("Enter the offence")
    if conviction.date > today:
        raise ValueError("The date of the conviction or caution must be in the past")
    # A new or changed record over a statutory maximum is refused (stored ones are still
    # assessed: calculator.check_maximum_length).
    calculator.check_maximum_length(conviction.disposal, conviction.length_months)
    calculator.assess([conviction.for_calculator("new")], today)


def for_candidate(candidate: Candidate) -> list[tuple[ConvictionRecord, Conviction]]:
    rows = db.session.scalars(sa.select(ConvictionRecord)
                              .where(ConvictionRecord.candidate_id == candidate.id)
                              .order_by(ConvictionRecord.id))
    return [(row, Conviction.from_json(row.payload)) for row in rows]


def add(candidate: Candidate, conviction: Conviction, *, actor: User) -> ConvictionRecord:
    validate(conviction)
    record = ConvictionRecord(candidate_id=candidate.id, payload=conviction.to_json(),
                              recorded_by_id=actor.id)
    db.session.add(record)
    db.session.flush()
    # The audit row says that a record changed, never what it says.
    audit.record("conviction.added", actor=actor, candidate=candidate, subject=record)
    return record


def update(record: ConvictionRecord, conviction: Conviction, *, actor: User) -> None:
    validate(conviction)
    record.payload = conviction.to_json()
    audit.record("conviction.changed", actor=actor, candidate=db.session.get(
        Candidate, record.candidate_id), subject=record)


def delete(record: ConvictionRecord, *, actor: User) -> None:
    candidate = db.session.get(Candidate, record.candidate_id)
    audit.record("conviction.deleted", actor=actor, candidate=candidate, subject=record)
    db.session.delete(record)
    db.session.flush()


def assess(candidate: Candidate, today: dt.date | None = None) -> list[Assessed]:
    today = today or clock.uk_today()
    rows = for_candidate(candidate)
    outcomes = calculator.assess([c.for_calculator(str(r.id)) for r, c in rows], today)
    return [Assessed(r.id, c, o) for (r, c), o in zip(rows, outcomes, strict=True)]


def _level(check_level: CheckLevel) -> calculator.CheckLevel:
    return calculator.CheckLevel(check_level.value)


def disclosable(candidate: Candidate, check_level: CheckLevel,
                today: dt.date | None = None) -> list[Assessed]:
    """The convictions and cautions that a role at `check_level` makes disclosable today:
    unspent for no or basic check; unspent and unprotected spent for standard and enhanced."""
    level = _level(check_level)
    return [a for a in assess(candidate, today) if calculator.disclosable(a.outcome, level)]


def considerable_offences(candidate: Candidate, check_level: CheckLevel,
                          today: dt.date | None = None) -> set[OffenceCategory]:
    """Offence categories an employer may lawfully consider for a role at `check_level`: the
    input to offence exclusions (matching/constraints.py)."""
    return {a.conviction.category for a in disclosable(candidate, check_level, today)}


@dataclass(frozen=True)
class OverviewRow:
    record_id: int
    conviction: Conviction
    outcome: calculator.Outcome
    advice: dict[CheckLevel, str]


def overview(candidate: Candidate, today: dt.date | None = None) -> list[OverviewRow]:
    """Each conviction with, for every check level, what the person needs to tell an employer:
    a disclosure calculator run on the record already held."""
    from marketplace.disclosure import explain

    return [OverviewRow(a.record_id, a.conviction, a.outcome,
                        {level: explain.summary(a.outcome, level) for level in CheckLevel})
            for a in assess(candidate, today)]


def get(candidate: Candidate, record_id: int) -> ConvictionRecord | None:
    """The candidate's own record with this id (None for anyone else's: the caller 404s)."""
    record = db.session.get(ConvictionRecord, record_id)
    return record if record is not None and record.candidate_id == candidate.id else None


def considerable_by_level(candidate: Candidate, today: dt.date | None = None
                          ) -> dict[CheckLevel, set[OffenceCategory]]:
    """considerable_offences at every check level, from one query and one decryption of the
    person's records: for matching one person against many roles at different levels."""
    assessed = assess(candidate, today)
    return {level: {a.conviction.category for a in assessed
                    if calculator.disclosable(a.outcome, _level(level))}
            for level in CheckLevel}
