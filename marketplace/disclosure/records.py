"""Conviction records: the only way the product reads or writes them.

A record is stored as one encrypted JSON payload (models/disclosure.py). Here it is validated,
decoded, assessed by the calculator, and turned into what the rest of the product may use:
which offence categories an employer may lawfully consider at a check level (for offence
exclusions), and which convictions are disclosable at stage 3.
"""

import datetime as dt
import json
from dataclasses import asdict, dataclass, replace

import sqlalchemy as sa

from marketplace import audit, clock
from marketplace.disclosure import calculator
from marketplace.extensions import db
from marketplace.models import Candidate, User
from marketplace.models.disclosure import ConvictionRecord
from marketplace.types import CheckLevel, OffenceCategory

Sentence = calculator.Sentence
# The shape of the stored JSON. Format 1 (before migration 0007) held one sentence per record.
FORMAT = 2


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _sentence_json(sentence: Sentence) -> dict:
    data = asdict(sentence)
    for name in ("end_date", "sentence_date"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def _sentence_from(data: dict) -> Sentence:
    return Sentence(disposal=calculator.DisposalKind(data["disposal"]),
                    length_months=data.get("length_months"), length_days=data.get("length_days"),
                    end_date=_date(data.get("end_date")),
                    order_end=calculator.OrderEnd(data["order_end"])
                    if data.get("order_end") else None,
                    sentence_date=_date(data.get("sentence_date")))


@dataclass(frozen=True)
class Conviction:
    """One conviction (one date, one age, one or more offences) and its sentences, or one
    caution, decoded: a record reads the way a court record does."""

    offence: str  # in the person's words; several offences are written together
    categories: tuple[OffenceCategory, ...]
    date: dt.date
    under_18: bool
    sentences: tuple[Sentence, ...]
    specified_offence: bool = False
    schedule_18: bool = False
    summary_only: bool = False

    @property
    def disposals(self) -> set[calculator.DisposalKind]:
        return {s.disposal for s in self.sentences}

    @property
    def is_caution(self) -> bool:
        return bool(self.disposals & calculator.CAUTIONS)

    def with_sentence(self, sentence: Sentence, index: int | None = None) -> "Conviction":
        """This conviction with `sentence` added (index None) or in place of sentence `index`."""
        sentences = list(self.sentences)
        if index is None:
            sentences.append(sentence)
        else:
            sentences[index] = sentence
        return replace(self, sentences=tuple(sentences))

    def without_sentence(self, index: int) -> "Conviction":
        return replace(self, sentences=self.sentences[:index] + self.sentences[index + 1:])

    def to_json(self) -> str:
        data = asdict(self)
        data["format"] = FORMAT
        data["date"] = self.date.isoformat()
        data["categories"] = [c.value for c in self.categories]
        data["sentences"] = [_sentence_json(s) for s in self.sentences]
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, payload: str) -> "Conviction":
        data = json.loads(payload)
        if data.pop("format", None) != FORMAT:
            raise ValueError("A conviction record in an old format: run `flask db upgrade`.")
        return cls(offence=data["offence"],
                   categories=tuple(OffenceCategory(c) for c in data["categories"]),
                   date=dt.date.fromisoformat(data["date"]), under_18=data["under_18"],
                   sentences=tuple(_sentence_from(s) for s in data["sentences"]),
                   specified_offence=data["specified_offence"],
                   schedule_18=data["schedule_18"], summary_only=data["summary_only"])

    def for_calculator(self, key: str) -> calculator.Conviction:
        return calculator.Conviction(
            id=key, date=self.date, under_18=self.under_18, sentences=self.sentences,
            schedule_18=self.schedule_18, specified_offence=self.specified_offence,
            summary_only=self.summary_only)


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
    if not conviction.categories:
        raise ValueError("categories: select the group the offence is in")
    if conviction.date > today:
        raise ValueError("The date of the conviction or caution must be in the past")
    # A new or changed record over a statutory maximum is refused (stored ones are still
    # assessed: calculator.check_maximum_length).
    for sentence in conviction.sentences:
        calculator.check_maximum_length(sentence.disposal, sentence.length_months,
                                        sentence.length_days)
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
    return {category for a in disclosable(candidate, check_level, today)
            for category in a.conviction.categories}


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
    return {level: {category for a in assessed
                    if calculator.disclosable(a.outcome, _level(level))
                    for category in a.conviction.categories}
            for level in CheckLevel}
