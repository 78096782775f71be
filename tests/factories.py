"""Factories for the main objects. Each flushes, so the object has an id; traits are keywords
(`candidate(status=CandidateStatus.IN_CUSTODY)`), and every other field can be overridden."""

import datetime as dt
import itertools

import sqlalchemy as sa

from marketplace.auth.services import hash_password
from marketplace.clock import utc_now
from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationEvent,
    Candidate,
    Opportunity,
    Organisation,
    Prison,
    User,
)
from marketplace.types import (
    ApplicationSource,
    ApplicationStatus,
    CandidateStatus,
    ContractType,
    HoursPattern,
    OpportunityKind,
    OpportunityStatus,
    OrganisationSize,
    OrganisationStatus,
    Role,
    Sector,
)

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)
_seq = itertools.count(1)


def _save(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def prison(code: str = "LEI") -> Prison:
    return db.session.scalar(sa.select(Prison).where(Prison.code == code))


def organisation(**overrides) -> Organisation:
    n = next(_seq)
    fields = dict(name=f"Employer {n}", sector=Sector.LOGISTICS, size=OrganisationSize.LARGE,
                  region="Yorkshire and The Humber", alliance_level=3,
                  status=OrganisationStatus.APPROVED, decided_at=utc_now())
    fields.update(overrides)
    if fields["status"] is OrganisationStatus.PENDING:
        fields["decided_at"] = None
    return _save(Organisation(**fields))


def user(role: Role = Role.CANDIDATE, **overrides) -> User:
    n = next(_seq)
    fields = dict(email=f"user{n}@example.com", full_name=f"Test User {n}",
                  password_hash=_PASSWORD_HASH, role=role, email_confirmed_at=utc_now())
    if role is Role.EMPLOYER and "organisation" not in overrides \
            and "organisation_id" not in overrides:
        fields["organisation"] = organisation()
    if role is Role.PEL and "prison" not in overrides and "prison_id" not in overrides:
        fields["prison"] = prison()
    fields.update(overrides)
    return _save(User(**fields))


def candidate(status: CandidateStatus = CandidateStatus.RELEASED, *, with_user: bool = True,
              **overrides) -> Candidate:
    n = next(_seq)
    fields = dict(first_name="Sam", last_name=f"Taylor{n}", status=status, home_district="LS11",
                  skills_text="Forklift driving, stock control, picking and packing",
                  skills=["forklift", "stock_control"], summary="Two years in a warehouse.")
    if status is CandidateStatus.IN_CUSTODY:
        fields.update(prison=prison(), release_date=dt.date.today() + dt.timedelta(days=90),
                      prison_number=f"A{n:04d}BC"[:7])
        with_user = with_user and "user" in overrides
    if with_user and "user" not in overrides:
        fields["user"] = user(Role.CANDIDATE)
    fields.update(overrides)
    return _save(Candidate(**fields))


def opportunity(org: Organisation | None = None, **overrides) -> Opportunity:
    today = dt.date.today()
    fields = dict(organisation=org or organisation(), kind=OpportunityKind.VACANCY,
                  title="Warehouse operative", description="Picking, packing and loading.",
                  sector=Sector.LOGISTICS, skills_text="forklift, stock control",
                  skills=["forklift", "stock_control"], postcode_district="LS10",
                  hours=HoursPattern.FULL_TIME, hours_per_week=37, contract=ContractType.PERMANENT,
                  pay_min_pence=1221, pay_period="hour", places=2,
                  start_date=today + dt.timedelta(days=30),
                  closing_date=today + dt.timedelta(days=14), status=OpportunityStatus.OPEN,
                  published_at=utc_now())
    fields.update(overrides)
    return _save(Opportunity(**fields))


def application(opp: Opportunity | None = None, cand: Candidate | None = None,
                status: ApplicationStatus = ApplicationStatus.APPLIED, **overrides) -> Application:
    fields = dict(opportunity=opp or opportunity(), candidate=cand or candidate(),
                  source=ApplicationSource.APPLIED, status=status)
    fields.update(overrides)
    app = _save(Application(**fields))
    _save(ApplicationEvent(application_id=app.id, to_status=status, at=utc_now()))
    return app


def conviction(cand: Candidate, *, actor: User, **overrides):
    """A conviction record (encrypted), by default a fine two years ago for theft."""
    from marketplace.disclosure import records
    from marketplace.disclosure.calculator import DisposalKind
    from marketplace.types import OffenceCategory

    fields = dict(offence="Theft from a shop", categories=(OffenceCategory.THEFT,),
                  date=dt.date.today() - dt.timedelta(days=730), under_18=False)
    # One sentence, from the sentence's own fields (a fine unless `disposal` is given); pass
    # `sentences` for a conviction with several.
    sentence = {name: overrides.pop(name) for name in records.Sentence.__dataclass_fields__
                if name in overrides}
    if "category" in overrides:
        overrides["categories"] = (overrides.pop("category"),)
    fields.update(overrides)
    fields.setdefault("sentences", (records.Sentence(
        **{"disposal": DisposalKind.FINE, **sentence}),))
    return records.add(cand, records.Conviction(**fields), actor=actor)
