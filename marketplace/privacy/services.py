"""Data rights (UK GDPR Articles 15 and 17, and Article 10 for criminal offence data): what the
product holds about a person, erasing it, and deleting conviction data nobody needs any more.

Which tables hold a person's data is found from the schema, not from a list kept by hand: every
table with a foreign key to the person's candidate row, then every table with a foreign key to
one of those rows (an application's events, interviews, offers, placements, check-ins, messages,
and so on), and every row that names their user account. A table added later is included
without a change here. A few tables have their own rule (below): conviction records and the
disclosure statement are read and deleted only through disclosure/, and the rows the outcome
reports count are kept with their personal text removed.
"""

import datetime as dt
import enum
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from marketplace import audit, clock, jobs, journey, permissions
from marketplace.crypto import EncryptedText
from marketplace.disclosure import consent, records
from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationEvent,
    AuditEvent,
    Base,
    Candidate,
    Organisation,
    PostcodeDistrict,
    User,
)
from marketplace.types import ApplicationStatus, CandidateStatus, Role

S = ApplicationStatus

# Read through disclosure/, the only code that may read conviction data.
THROUGH_DISCLOSURE = {"conviction_records", "disclosure_statements"}
# Kept after erasure, so the outcome reports' counts stay right: statuses, dates and the prison
# at application stay; the free text in them (supporting statements, notes, reasons) goes.
KEPT_FOR_REPORTS = {"applications", "application_events", "interviews", "offers", "placements",
                    "check_ins"}
# Kept as they are: the append-only audit log (it keeps that things happened, and points at the
# anonymised row), and an employer's fidelity bond, its insurance claims and its payments,
# which the employer and insurer must keep (they name an application, never the person).
KEPT_AS_THEY_ARE = {"audit_events", "bonds", "bond_claims", "bond_ledger"}
# Never in a download: one-way hashes of passwords and codes are of no use to anyone reading it.
SECRET_COLUMNS = {"password_hash", "token_hash", "code_hash", "secret_hash", "key_hash"}
# Text written about the person for someone else, in a table with no foreign key to them (a
# PEL's notice "Sam Taylor needs day release..."): rows with any text column naming them are
# deleted.
MENTIONS = {"notifications"}
ERASED_TEXT = "Removed at the person's request"
CLOSED_BECAUSE_ERASED = "The person asked us to delete their account and data."
IN_PROGRESS = (S.NOMINATED, S.APPLIED, S.SHORTLISTED, S.INTERVIEW, S.CONDITIONAL_OFFER,
               S.DISCLOSURE, S.OFFER_CONFIRMED)
RETENTION_YEARS = 2


class PrivacyError(RuntimeError):
    """The schema holds personal data this module does not know how to read safely."""


# --- the schema -----------------------------------------------------------------------------------


def _tables() -> dict[str, sa.Table]:
    return dict(Base.metadata.tables)


def references_to(table_name: str) -> list[tuple[sa.Table, sa.Column]]:
    """Every (table, column) whose foreign key points at `table_name`, in a stable order."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            if fk.column.table.name == table_name:
                found.append((table, fk.parent))
    return found


def belongs_to_user(column: sa.Column) -> bool:
    """A foreign key to users that deletes with the account: the row is the account's own (a
    notice for them), not a record that someone did something."""
    return any(fk.column.table.name == "users" and (fk.ondelete or "").upper() == "CASCADE"
               for fk in column.foreign_keys)


def _single_id(table: sa.Table) -> sa.Column | None:
    columns = list(table.primary_key.columns)
    return columns[0] if len(columns) == 1 else None


def _key(table: sa.Table, row) -> tuple:
    return tuple(row._mapping[c.name] for c in table.primary_key.columns)


def _check_readable(table: sa.Table) -> None:
    if table.name not in THROUGH_DISCLOSURE and any(
            isinstance(c.type, EncryptedText) for c in table.columns):
        raise PrivacyError(f"{table.name} holds encrypted data: give it its own rule in "
                           "marketplace/privacy/services.py")


@dataclass
class Holdings:
    """Rows that hold a person's data, by table. `owned` rows are theirs (reached from their
    candidate row); `named` rows only name their user account (things they did)."""

    owned: dict[str, dict[tuple, object]] = field(default_factory=lambda: defaultdict(dict))
    named: dict[str, dict[tuple, object]] = field(default_factory=lambda: defaultdict(dict))

    def ids(self, table_name: str) -> list[int]:
        return sorted(k[0] for k in self.owned.get(table_name, {}))


def holdings_of(candidate: Candidate | None, user: User | None) -> Holdings:
    """Every row that holds the person's data. A query per table that can reach them."""
    held = Holdings()
    tables = _tables()
    if candidate is not None:
        held.owned["candidates"][(candidate.id,)] = db.session.execute(
            sa.select(tables["candidates"]).where(tables["candidates"].c.id == candidate.id)).one()
        frontier = {"candidates": {candidate.id}}
        while frontier:
            reached: dict[str, set[int]] = defaultdict(set)
            for parent, ids in frontier.items():
                for table, column in references_to(parent):
                    if table.name in THROUGH_DISCLOSURE:
                        continue
                    _check_readable(table)
                    for row in db.session.execute(sa.select(table).where(column.in_(ids))):
                        key = _key(table, row)
                        if key in held.owned[table.name]:
                            continue
                        held.owned[table.name][key] = row
                        if (pk := _single_id(table)) is not None:
                            reached[table.name].add(row._mapping[pk.name])
            frontier = {name: ids for name, ids in reached.items() if ids}
    if user is not None:
        held.named["users"][(user.id,)] = db.session.execute(
            sa.select(tables["users"]).where(tables["users"].c.id == user.id)).one()
        for table, column in references_to("users"):
            if table.name in THROUGH_DISCLOSURE:
                continue
            _check_readable(table)
            for row in db.session.execute(sa.select(table).where(column == user.id)
                                          .order_by(*table.primary_key.columns)):
                key = _key(table, row)
                if key in held.owned.get(table.name, {}):
                    continue
                if belongs_to_user(column):
                    held.owned[table.name][key] = row
                else:
                    held.named[table.name][key] = row
    return held


# --- subject access -------------------------------------------------------------------------------


def _value(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _row(table_name: str, row) -> dict:
    return {name: "[not included: a one-way code that cannot be read]"
            if name in SECRET_COLUMNS else _value(value)
            for name, value in row._mapping.items()}


def _named_row(table: sa.Table, row, user_id: int) -> dict:
    """A row that only names the person (something they did, in a record that is not theirs:
    an invitation an employer sent, a decision a PEL recorded): which row, that it names them,
    and when it was made. The rest is someone else's data (an invitation's answer, say, which
    the employer must never learn)."""
    data = row._mapping
    kept = {c.name for c in table.primary_key.columns}
    kept |= {fk.parent.name for fk in table.foreign_keys
             if fk.column.table.name == "users" and data[fk.parent.name] == user_id}
    kept |= {name for name in ("created_at", "at", "action") if name in data}
    return {name: _value(data[name]) for name in sorted(kept)}


def export(*, candidate: Candidate | None = None, user: User | None = None) -> dict:
    """Everything held about the person, as plain JSON-ready data: a key for every table that
    can refer to them (empty where nothing is held), conviction records decrypted and in the
    person's words, and the log of who saw what."""
    if candidate is not None and user is None:
        user = candidate.user
    held = holdings_of(candidate, user)
    names = sorted({t.name for t in Base.metadata.sorted_tables for fk in t.foreign_keys
                    if fk.column.table.name in ("candidates", "users")}
                   | set(held.owned) | set(held.named) | {"candidates", "users"})
    tables: dict[str, list[dict]] = {}
    for name in names:
        if name in THROUGH_DISCLOSURE:
            continue
        rows = {key: _named_row(Base.metadata.tables[name], row, user.id)
                for key, row in held.named.get(name, {}).items()}
        rows |= {key: _row(name, row) for key, row in held.owned.get(name, {}).items()}
        if name == "users" and user is not None:
            rows[(user.id,)] = _row(name, held.named["users"][(user.id,)])
        tables[name] = [rows[key] for key in sorted(rows)]
    if user is not None and user.organisation_id is not None:
        organisation = db.session.get(Organisation, user.organisation_id)
        tables["organisations"] = [{"id": organisation.id, "name": organisation.name}]
    tables["conviction_records"] = []
    tables["disclosure_statements"] = []
    if candidate is not None:
        tables["conviction_records"] = [
            {"id": row.id, "created_at": _value(row.created_at),
             "recorded_by_id": row.recorded_by_id, "offence": conviction.offence,
             "categories": [c.value for c in conviction.categories],
             "date": conviction.date.isoformat(), "under_18": conviction.under_18,
             "sentences": [{"disposal": s.disposal.value, "length_months": s.length_months,
                            "length_days": s.length_days,
                            "end_date": _value(s.end_date),
                            "sentence_date": _value(s.sentence_date)}
                           for s in conviction.sentences]}
            for row, conviction in records.for_candidate(candidate)]
        if (statement := consent.statement_for(candidate)) is not None:
            tables["disclosure_statements"] = [
                {"id": statement.id, "text": statement.text,
                 "updated_at": _value(statement.updated_at)}]
    seen = []
    if candidate is not None:
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.candidate_id == candidate.id)
            .order_by(AuditEvent.at, AuditEvent.id))
        seen = [{"at": _value(event.at), "what": text}
                for event, text in audit.describe_all(list(events))]
    return {"generated_at": _value(clock.utc_now()),
            "about": ("Everything the Fair Chance Marketplace holds about you, table by table. "
                      "Numbers ending in _id point at other rows."),
            "who_saw_what": seen, "tables": tables}


def record_access(*, actor: User, candidate: Candidate | None) -> None:
    """A download of someone's data is itself recorded, so they can see who took a copy (a
    PEL downloading for someone in custody, say)."""
    audit.record("privacy.subject_access", actor=actor, candidate=candidate,
                 on_behalf=candidate is not None and candidate.user_id != actor.id)


# --- erasure --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing someone will do, for the confirmation page."""

    closing: list[Application]
    convictions: int
    has_statement: bool


def erasure_plan(candidate: Candidate) -> ErasurePlan:
    closing = list(db.session.scalars(
        sa.select(Application).where(Application.candidate_id == candidate.id,
                                     Application.status.in_(IN_PROGRESS))
        .order_by(Application.id)))
    return ErasurePlan(closing, len(records.for_candidate(candidate)),
                       consent.statement_for(candidate) is not None)


def erase(candidate: Candidate, *, actor: User) -> None:
    """Delete or irreversibly anonymise everything held about the person, in the caller's
    transaction. Applications still in progress are closed first, with a reason the employer
    sees. What the outcome reports count stays (statuses, dates, the prison at application),
    without the person's words; everything else that is theirs is deleted. The audit log gets
    one event saying an erasure happened, naming nobody."""
    user = candidate.user
    for application in erasure_plan(candidate).closing:
        journey.withdraw(application, actor=actor, reason=CLOSED_BECAUSE_ERASED)
    for record, _ in records.for_candidate(candidate):
        records.delete(record, actor=actor)
    if (statement := consent.statement_for(candidate)) is not None:
        db.session.delete(statement)
    db.session.flush()

    _delete_mentions(candidate)
    held = holdings_of(candidate, user)
    # Children before parents, so no foreign key is left pointing at a deleted row.
    for table in reversed(Base.metadata.sorted_tables):
        keys = list(held.owned.get(table.name, {}))
        if not keys or table.name in KEPT_AS_THEY_ARE or table.name == "candidates":
            continue
        if table.name in KEPT_FOR_REPORTS:
            _remove_text(table, keys)
            continue
        columns = list(table.primary_key.columns)
        db.session.execute(sa.delete(table).where(
            sa.tuple_(*columns).in_(keys) if len(columns) > 1 else columns[0].in_(
                [k[0] for k in keys])))
    db.session.expire_all()  # the rows deleted above are gone from the ORM's view too
    _anonymise_candidate(candidate)
    if user is not None:
        _anonymise_user(user)
    db.session.flush()
    audit.record("privacy.erased", actor=None)


def _delete_mentions(candidate: Candidate) -> None:
    tables = _tables()
    for name in sorted(MENTIONS & set(tables)):
        texts = [c for c in tables[name].columns if isinstance(c.type, sa.String | sa.Text)
                 and not isinstance(c.type, sa.Enum)]
        db.session.execute(sa.delete(tables[name]).where(sa.or_(
            *(c.contains(candidate.full_name, autoescape=True) for c in texts))))


def _remove_text(table: sa.Table, keys: list[tuple]) -> None:
    """Blank every free-text column of these rows: the words are the person's, or about them."""
    pk = _single_id(table)
    for column in table.columns:
        if not isinstance(column.type, sa.Text) or column.foreign_keys:
            continue
        where = pk.in_([k[0] for k in keys])
        if column.nullable:
            # A reason some rows must have (an outcome's, a withdrawal's) stays present.
            db.session.execute(sa.update(table).where(where, column.is_not(None))
                               .values({column.name: ERASED_TEXT}))
        else:
            db.session.execute(sa.update(table).where(where).values({column.name: ""}))


def _anonymise_candidate(candidate: Candidate) -> None:
    """The row stays, because reports count applications through it; nothing in it says who it
    was. The skill codes stay (vocabulary codes, no words of theirs): guaranteed interviews are
    counted as owed from them. Changed through the ORM, so the search index drops the profile
    after the commit (matching/engine.py)."""
    placeholder = db.session.scalar(sa.select(sa.func.min(PostcodeDistrict.district)))
    for name, value in dict(
            user_id=None, first_name="Deleted", last_name="person", prison_number=None,
            status=CandidateStatus.RELEASED, prison_id=None, release_date=None,
            home_district=placeholder, rotl_eligible=False, headline="", summary="",
            skills_text="", preferred_sectors=[], preferred_hours=None,
            visible_to_employers=False, licence_end_date=None, exclusion_districts=[],
            barred_children=False, barred_adults=False, risk_notes=None).items():
        setattr(candidate, name, value)


def _anonymise_user(user: User) -> None:
    """The account row stays (the audit log points at it) but cannot sign in and says nothing
    about who it was."""
    user.email = f"erased-{secrets.token_hex(8)}@erased.invalid"
    user.full_name = "Deleted person"
    user.password_hash = "!"  # no password matches
    user.is_active_account = False
    user.email_confirmed_at = None
    user.last_signed_in_at = None
    user.session_version += 1  # every session ends


# --- retention ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expired:
    candidate: Candidate
    last_active: dt.date
    convictions: int
    has_statement: bool


def retention_due(*, years: int = RETENTION_YEARS, today: dt.date | None = None
                  ) -> list[Expired]:
    """People whose conviction records and disclosure statement are due for deletion: nothing
    in progress, and no activity for `years` (their last application's last step, or their
    profile's last change if they never applied). Oldest activity first."""
    today = today or clock.uk_today()
    cutoff = _uk_midnight(today.replace(year=today.year - years)
                          if not (today.month == 2 and today.day == 29)
                          else today.replace(year=today.year - years, day=28))
    last_step = (sa.select(Application.candidate_id, sa.func.max(ApplicationEvent.at)
                           .label("last_at"))
                 .join(ApplicationEvent, ApplicationEvent.application_id == Application.id)
                 .group_by(Application.candidate_id).subquery())
    busy = sa.exists().where(Application.candidate_id == Candidate.id,
                             Application.status.in_(IN_PROGRESS))
    last_active = sa.func.coalesce(last_step.c.last_at, Candidate.updated_at)
    rows = db.session.execute(
        sa.select(Candidate, last_active.label("last_active"))
        .outerjoin(last_step, last_step.c.candidate_id == Candidate.id)
        .where(~busy, sa.or_(last_step.c.last_at < cutoff,
                             sa.and_(last_step.c.last_at.is_(None),
                                     Candidate.updated_at < cutoff)))
        .order_by(last_active, Candidate.id))
    due = []
    for candidate, last in rows:
        convictions = len(records.for_candidate(candidate))
        statement = consent.statement_for(candidate) is not None
        if convictions or statement:
            last = last.replace(tzinfo=dt.UTC) if last.tzinfo is None else last
            due.append(Expired(candidate, clock.uk_date(last), convictions, statement))
    return due


def apply_retention(due: list[Expired]) -> None:
    """Delete the conviction records and disclosure statements of the people in `due`."""
    for expired in due:
        for record, _ in records.for_candidate(expired.candidate):
            records.delete(record, actor=None)
        if (statement := consent.statement_for(expired.candidate)) is not None:
            db.session.delete(statement)
        audit.record("privacy.retention", actor=None, candidate=expired.candidate,
                     convictions=expired.convictions, statement=expired.has_statement)
    db.session.flush()


@jobs.daily
def retention_daily() -> int:
    """The daily job (`flask jobs daily`): keeps the privacy page's promise, deleting records
    once they are RETENTION_YEARS past the person's last activity (`flask privacy retention`
    shows what is due, or applies another period by hand). Its own unit of work, so it
    commits; returns how many people's records it deleted."""
    due = retention_due()
    apply_retention(due)
    db.session.commit()
    return len(due)


def _uk_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=clock.UK).astimezone(dt.UTC)


def can_download_for(user: User, candidate: Candidate) -> bool:
    """Whose data a member of staff may download on the person's behalf: their PEL (who acts
    for someone in custody, with no internet), and administrators handling a request."""
    return user.role is Role.ADMIN or (user.role is Role.PEL
                                       and permissions.can_read_as_pel(user, candidate))


def candidate_of(user: User) -> Candidate | None:
    """The candidate record of a candidate's account (None for staff, or a record erased)."""
    if user.role is not Role.CANDIDATE:
        return None
    return db.session.scalar(sa.select(Candidate).where(Candidate.user_id == user.id))


def get_candidate(candidate_id: int) -> Candidate | None:
    return db.session.get(Candidate, candidate_id)


def find_for(user: User, prison_number: str) -> Candidate | None:
    """The person with this prison number, if `user` may download their data for them."""
    candidate = db.session.scalar(sa.select(Candidate).where(
        Candidate.prison_number == prison_number.strip().upper()))
    return candidate if candidate is not None and can_download_for(user, candidate) else None
