"""People in custody, as their PEL adds and keeps them: consent to be on the platform, work
readiness with its history, transfers between prisons, and release with the account hand-over.

Consent: a person added here is on the platform only with signed consent (date, who recorded
it, the form's version). Withdrawing it hides them from employers at once (`visible_to_employers`
off, which `constraints.visible` reads, so matched candidates and invitations drop them) and
stops new nominations (`nomination_refusal`). Applications already put to an employer stay, as
the person's to withdraw; they are theirs, not the platform listing's.
"""

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import audit, clock, notify, pagination, permissions
from marketplace.custody import CustodyError
from marketplace.extensions import db
from marketplace.models import (
    Application,
    Candidate,
    ClaimCode,
    CustodyDetails,
    Message,
    PlatformConsent,
    Prison,
    PrisonTransfer,
    ReadinessEntry,
    Release,
    User,
    WorkReadiness,
)
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    MessageStatus,
    ReadinessLevel,
    ReleaseDateCertainty,
    Role,
    SupportNeed,
    WorkReadinessStatus,
)

# The consent form's versions a PEL may record, newest first. A new paper form adds one here.
CONSENT_FORM_VERSIONS = ("FCM-1 2026",)
PEL_READ_MONTHS = 12
CLAIM_DAYS = 30
RELEASE_SOON_WEEKS = 12
# No 0/O, 1/I/L: read off a printed slip and typed on a phone. 12 characters of 31: about 2^59.
CLAIM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CLAIM_LENGTH = 12


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# --- adding a person, consent --------------------------------------------------------------------


def prison_number_taken(prison_number: str) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(
        sa.func.upper(Candidate.prison_number) == prison_number.upper()))) or False


def add_person(pel: User, *, first_name: str, last_name: str, prison_number: str,
               date_of_birth: dt.date, release_date: dt.date,
               release_certainty: ReleaseDateCertainty, home_district: str,
               right_to_work_seen: bool, right_to_work_seen_on: dt.date | None,
               right_to_work_seen_by: str | None, consent_signed_on: dt.date,
               form_version: str) -> Candidate:
    """Add someone in custody to the PEL's prison, with their signed consent. Raises
    CustodyError, storing nothing, if the prison number is already on the platform or the form
    version is not one we know."""
    if pel.role is not Role.PEL or pel.prison_id is None:
        raise CustodyError("Only a prison employment lead can add people.")
    if form_version not in CONSENT_FORM_VERSIONS:
        raise CustodyError("Select the version printed on the consent form")
    prison_number = prison_number.upper()
    if prison_number_taken(prison_number):
        raise CustodyError("Someone with this prison number is already on the service. If "
                           "they moved here from another prison, ask that prison to record "
                           "the transfer")
    candidate = Candidate(
        first_name=first_name, last_name=last_name, prison_number=prison_number,
        status=CandidateStatus.IN_CUSTODY, prison_id=pel.prison_id, release_date=release_date,
        home_district=home_district, right_to_work=right_to_work_seen,
        visible_to_employers=True, skills=[], preferred_sectors=[], exclusion_districts=[])
    db.session.add(candidate)
    db.session.flush()
    db.session.add(CustodyDetails(
        candidate_id=candidate.id, date_of_birth=date_of_birth,
        release_certainty=release_certainty, right_to_work_seen=right_to_work_seen,
        right_to_work_seen_on=right_to_work_seen_on if right_to_work_seen else None,
        right_to_work_seen_by=right_to_work_seen_by if right_to_work_seen else None,
        added_by_id=pel.id))
    db.session.add(PlatformConsent(candidate_id=candidate.id, signed_on=consent_signed_on,
                                   form_version=form_version, recorded_by_id=pel.id))
    db.session.flush()
    audit.record("custody.person_added", actor=pel, candidate=candidate, subject=candidate)
    audit.record("custody.platform_consent_given", actor=pel, candidate=candidate,
                 subject=candidate, form_version=form_version)
    return candidate


def details(candidate: Candidate) -> CustodyDetails | None:
    return db.session.scalar(sa.select(CustodyDetails)
                             .where(CustodyDetails.candidate_id == candidate.id))


def consents(candidate: Candidate) -> list[PlatformConsent]:
    """Every consent recorded for the person, newest first: the history the PEL sees."""
    return list(db.session.scalars(
        sa.select(PlatformConsent).where(PlatformConsent.candidate_id == candidate.id)
        .options(selectinload(PlatformConsent.recorded_by))
        .order_by(PlatformConsent.created_at.desc(), PlatformConsent.id.desc())))


def current_consent(candidate: Candidate) -> PlatformConsent | None:
    return next((c for c in consents(candidate) if c.withdrawn_at is None), None)


def withdraw_consent(candidate: Candidate, *, actor: User) -> None:
    """The person withdrew consent to be on the platform: hidden from employers at once."""
    consent = current_consent(candidate)
    if consent is None:
        raise CustodyError("There is no consent to withdraw.")
    consent.withdrawn_at = clock.utc_now()
    consent.withdrawn_by_id = actor.id
    candidate.visible_to_employers = False
    db.session.flush()
    audit.record("custody.platform_consent_withdrawn", actor=actor, candidate=candidate,
                 subject=candidate)


def give_consent(candidate: Candidate, *, actor: User, signed_on: dt.date,
                 form_version: str) -> None:
    """New signed consent after a withdrawal: the person is listed again."""
    if form_version not in CONSENT_FORM_VERSIONS:
        raise CustodyError("Select the version printed on the consent form")
    if current_consent(candidate) is not None:
        raise CustodyError("Consent is already recorded.")
    db.session.add(PlatformConsent(candidate_id=candidate.id, signed_on=signed_on,
                                   form_version=form_version, recorded_by_id=actor.id))
    candidate.visible_to_employers = True
    db.session.flush()
    audit.record("custody.platform_consent_given", actor=actor, candidate=candidate,
                 subject=candidate, form_version=form_version)


def nomination_refusal(candidate: Candidate) -> str | None:
    """Why the person may not be nominated now for reasons of the custody channel, or None.
    Someone who withdrew consent to be on the platform is not put forward until they sign it
    again. (People added before consent was recorded here have no consent rows at all; their
    listing is governed by `visible_to_employers` alone.)"""
    rows = consents(candidate)
    if rows and all(c.withdrawn_at is not None for c in rows):
        return (f"{candidate.first_name} withdrew consent to be on the service. Record new "
                "signed consent before nominating them.")
    return None


# --- work readiness ----------------------------------------------------------------------------

_SUMMARY_STATUS = {
    ReadinessLevel.READY: WorkReadinessStatus.READY,
    ReadinessLevel.READY_WITH_SUPPORT: WorkReadinessStatus.SUPPORT_NEEDED,
    ReadinessLevel.NOT_YET: WorkReadinessStatus.SUPPORT_NEEDED,
}


def record_readiness(candidate: Candidate, *, actor: User, level: ReadinessLevel,
                     support: list[SupportNeed], note: str) -> ReadinessEntry:
    """A new dated readiness entry (the history keeps every one), and the summary record the
    dashboard reads (WorkReadiness) brought up to date with it."""
    entry = ReadinessEntry(candidate_id=candidate.id, level=level,
                           support=[s.value for s in support], note=note,
                           recorded_on=clock.uk_today(), recorded_by_id=actor.id)
    db.session.add(entry)
    summary = candidate.readiness or WorkReadiness(candidate_id=candidate.id,
                                                   status=_SUMMARY_STATUS[level])
    summary.status = _SUMMARY_STATUS[level]
    summary.id_held = SupportNeed.ID not in support
    summary.bank_account = SupportNeed.BANK_ACCOUNT not in support
    summary.housing_on_release = SupportNeed.HOUSING not in support
    summary.updated_by_id = actor.id
    candidate.readiness = summary
    db.session.flush()
    audit.record("custody.readiness_recorded", actor=actor, candidate=candidate,
                 subject=candidate, level=level.value)
    return entry


def readiness_history(candidate: Candidate) -> list[ReadinessEntry]:
    """Newest first."""
    return list(db.session.scalars(
        sa.select(ReadinessEntry).where(ReadinessEntry.candidate_id == candidate.id)
        .options(selectinload(ReadinessEntry.recorded_by))
        .order_by(ReadinessEntry.recorded_at.desc(), ReadinessEntry.id.desc())))


def _latest_level():
    return (sa.select(ReadinessEntry.level)
            .where(ReadinessEntry.candidate_id == Candidate.id)
            .order_by(ReadinessEntry.recorded_at.desc(), ReadinessEntry.id.desc())
            .limit(1).correlate(Candidate).scalar_subquery())


# --- the caseload -----------------------------------------------------------------------------

RELEASE_WINDOWS = {"12": 12, "26": 26, "52": 52}  # weeks
NOT_RECORDED = "not_recorded"


_READINESS_ORDER = {ReadinessLevel.READY: 0, ReadinessLevel.READY_WITH_SUPPORT: 1,
                    ReadinessLevel.NOT_YET: 2}


def caseload_page(pel: User, *, search: str | None = None, release_within: int | None = None,
                  readiness: str | None = None, has_applications: bool = False,
                  by_readiness: bool = False, page: int = 1
                  ) -> tuple[pagination.Page[Candidate], dict[int, ReadinessLevel]]:
    """One page of the caseload, searched (name or prison number) and filtered (release within
    N weeks, latest readiness, has applications), soonest release first or most ready first.
    Returns the page and each person's latest readiness level. Five queries however many."""
    latest = _latest_level()
    query = (sa.select(Candidate)
             .where(permissions.candidates_in_prison_of(pel),
                    Candidate.status == CandidateStatus.IN_CUSTODY)
             .options(selectinload(Candidate.readiness)))
    if by_readiness:
        rank = sa.case(*((latest == level, n) for level, n in _READINESS_ORDER.items()),
                       else_=len(_READINESS_ORDER))
        query = query.order_by(rank, Candidate.release_date, Candidate.id)
    else:
        query = query.order_by(Candidate.release_date, Candidate.id)
    if search:
        name = sa.func.lower(Candidate.first_name + " " + Candidate.last_name)
        query = query.where(sa.or_(name.contains(search.lower(), autoescape=True),
                                   sa.func.upper(Candidate.prison_number) == search.upper()))
    if release_within:
        horizon = clock.uk_today() + dt.timedelta(weeks=release_within)
        query = query.where(Candidate.release_date <= horizon)
    if readiness == NOT_RECORDED:
        query = query.where(latest.is_(None))
    elif readiness:
        query = query.where(latest == ReadinessLevel(readiness))
    if has_applications:
        query = query.where(sa.exists().where(Application.candidate_id == Candidate.id))
    found = pagination.of_query(query, page)
    levels = dict(db.session.execute(
        sa.select(ReadinessEntry.candidate_id, ReadinessEntry.level)
        .where(ReadinessEntry.candidate_id.in_([c.id for c in found.items]))
        .order_by(ReadinessEntry.recorded_at, ReadinessEntry.id)).all()) if found.items else {}
    return found, levels


def released_people(pel: User) -> list[Candidate]:
    """People released from the PEL's prison whom they may still read, newest release first."""
    return list(db.session.scalars(
        sa.select(Candidate).where(permissions.released_from_prison_of(pel))
        .order_by(Candidate.release_date.desc(), Candidate.id)))


# --- transfers ------------------------------------------------------------------------------------


def other_prisons(pel: User) -> list[Prison]:
    return list(db.session.scalars(sa.select(Prison).where(Prison.id != pel.prison_id)
                                   .order_by(Prison.name, Prison.id)))


def transfer(candidate: Candidate, *, pel: User, to_prison: Prison, moved_on: dt.date) -> None:
    """The person moved prison: the receiving prison's PEL takes the case, with everything
    (applications, consents, messages, readiness, requests all hang off the person), and the
    sending PEL no longer sees them."""
    if not permissions.in_pels_prison(pel, candidate):
        raise CustodyError("You can only move people in your own prison.")
    if to_prison.id == candidate.prison_id:
        raise CustodyError("Select the prison they moved to")
    db.session.add(PrisonTransfer(candidate_id=candidate.id, from_prison_id=candidate.prison_id,
                                  to_prison_id=to_prison.id, moved_on=moved_on,
                                  recorded_by_id=pel.id))
    candidate.prison_id = to_prison.id
    db.session.flush()
    audit.record("custody.transferred", actor=pel, candidate=candidate, subject=candidate,
                 to_prison=to_prison.code)


def transfers(candidate: Candidate) -> list[tuple[PrisonTransfer, str, str, str | None]]:
    """The person's moves, newest first, each with the prisons' names and who recorded it."""
    from sqlalchemy.orm import aliased

    source, target = aliased(Prison), aliased(Prison)
    rows = db.session.execute(
        sa.select(PrisonTransfer, source.name, target.name, User.full_name)
        .join(source, source.id == PrisonTransfer.from_prison_id)
        .join(target, target.id == PrisonTransfer.to_prison_id)
        .outerjoin(User, User.id == PrisonTransfer.recorded_by_id)
        .where(PrisonTransfer.candidate_id == candidate.id)
        .order_by(PrisonTransfer.moved_on.desc(), PrisonTransfer.id.desc()))
    return [tuple(r) for r in rows]


# --- release and the hand-over ----------------------------------------------------------------


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    """As typed: spaces, dashes and case do not matter."""
    return "".join(c for c in code.upper() if c.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def new_claim_code(candidate: Candidate, *, actor: User) -> str:
    """A fresh one-time code for the release slip (shown once; only its hash is kept). Any
    earlier unused code stops working."""
    now = clock.utc_now()
    for old in db.session.scalars(sa.select(ClaimCode).where(
            ClaimCode.candidate_id == candidate.id, ClaimCode.used_at.is_(None),
            ClaimCode.expires_at > now)):
        old.expires_at = now
    code = "".join(secrets.choice(CLAIM_ALPHABET) for _ in range(CLAIM_LENGTH))
    db.session.add(ClaimCode(candidate_id=candidate.id, code_hash=_hash(code),
                             created_by_id=actor.id,
                             expires_at=now + dt.timedelta(days=CLAIM_DAYS)))
    db.session.flush()
    audit.record("custody.claim_code_issued", actor=actor, candidate=candidate,
                 subject=candidate)
    return format_code(code)


def release(candidate: Candidate, *, pel: User, released_on: dt.date,
            status: CandidateStatus) -> str | None:
    """Record release. The releasing PEL keeps read access for 12 months. Messages still
    waiting for a check go through, since nobody checks messages after release. Returns the
    claim code for the release slip, or None if the person already has an account."""
    if not permissions.in_pels_prison(pel, candidate):
        raise CustodyError("You can only release people in your own prison.")
    if status is CandidateStatus.IN_CUSTODY:
        raise CustodyError("Select whether they are on licence or released")
    db.session.add(Release(candidate_id=candidate.id, prison_id=candidate.prison_id,
                           released_on=released_on,
                           pel_access_until=_one_year_after(released_on),
                           recorded_by_id=pel.id))
    candidate.status = status
    candidate.prison_id = None
    candidate.release_date = released_on
    now = clock.utc_now()
    for message in db.session.scalars(
            sa.select(Message).join(Application)
            .where(Application.candidate_id == candidate.id,
                   Message.status == MessageStatus.WAITING)):
        message.status = MessageStatus.DELIVERED
        message.decision_reason = "Sent on release: messages are not checked after release"
        message.decided_at = now
        message.decided_by_id = pel.id
    db.session.flush()
    audit.record("custody.released", actor=pel, candidate=candidate, subject=candidate)
    if candidate.user_id:
        _tell_of_waiting_nominations(candidate)
        return None
    return new_claim_code(candidate, actor=pel)


def _tell_of_waiting_nominations(candidate: Candidate) -> None:
    """Out of custody the person answers their own nominations: those their PEL had not
    answered with them are now theirs to answer, so they are told of each."""
    for application in db.session.scalars(sa.select(Application).where(
            Application.candidate_id == candidate.id,
            Application.status == ApplicationStatus.NOMINATED).order_by(Application.id)):
        notify.nominated(application)


def releases(candidate: Candidate) -> list[Release]:
    return list(db.session.scalars(
        sa.select(Release).where(Release.candidate_id == candidate.id)
        .options(selectinload(Release.prison))
        .order_by(Release.released_on.desc(), Release.id.desc())))


class InvalidCode(CustodyError):
    """Unknown, used or expired: one answer for all three, so a guess learns nothing."""


def open_claim(code: str) -> ClaimCode | None:
    """The unused, unexpired claim code typed, for a person without an account; else None."""
    if not code or len(normalise_code(code)) != CLAIM_LENGTH:
        return None
    found = db.session.scalar(sa.select(ClaimCode).where(ClaimCode.code_hash == _hash(code))
                              .with_for_update())
    if (found is None or found.used_at is not None or found.expires_at <= clock.utc_now()
            or found.candidate.user_id is not None):
        return None
    return found


def hand_over(found: ClaimCode, user: User) -> None:
    """Link the released person's new account (made by auth/claim.py) to the profile,
    applications, consents and history the PEL kept. The code never works again."""
    candidate = found.candidate
    if found.used_at is not None or candidate.user_id is not None:
        raise InvalidCode("This code has been used.")
    candidate.user_id = user.id
    found.used_at = clock.utc_now()
    db.session.flush()
    audit.record("custody.account_claimed", actor=user, candidate=candidate, subject=candidate)
    _tell_of_waiting_nominations(candidate)


# --- building the profile with the person --------------------------------------------------------

# Courses and qualifications people gain in custody, offered as the PEL types (the seeds: PICTA
# IT certifications, industry academies and workshops, and the usual tickets).
CUSTODY_COURSES = (
    "PICTA IT certification", "Timpson Academy", "Travis Perkins Academy",
    "Industry workshop: construction", "Industry workshop: catering", "Industry workshop: "
    "recycling", "CSCS card", "NVQ Level 1 Cleaning and Support Services",
    "NVQ Level 2 Food Production and Cooking", "Level 2 Food Hygiene", "Forklift (counterbalance)",
    "Forklift (reach truck)", "Barbering NVQ Level 2", "Bike repair", "Painting and decorating",
    "Multi-skills construction", "Customer service", "English Level 1", "Maths Level 1",
)


def add_qualification(candidate: Candidate, *, actor: User, name: str,
                      awarding_body: str | None, achieved_on: dt.date | None,
                      in_custody: bool) -> None:
    from marketplace.models import Qualification

    candidate.qualifications.append(Qualification(
        name=name, awarding_body=awarding_body or None, achieved_on=achieved_on,
        gained_in_custody=in_custody))
    db.session.flush()
    audit.record("candidate.profile_saved", actor=actor, candidate=candidate,
                 subject=candidate, added="qualification")


def add_work(candidate: Candidate, *, actor: User, role: str, employer: str | None,
             start_year: int, end_year: int | None, in_custody: bool, description: str) -> None:
    from marketplace.models import WorkHistory

    candidate.work_history.append(WorkHistory(
        role=role, employer=employer or None, start_year=start_year, end_year=end_year,
        in_custody=in_custody, description=description))
    db.session.flush()
    audit.record("candidate.profile_saved", actor=actor, candidate=candidate,
                 subject=candidate, added="work")


def remove_profile_item(candidate: Candidate, *, actor: User, kind: str, item_id: int) -> bool:
    """Remove one of the person's qualifications or jobs; False if it is not theirs."""
    items = candidate.qualifications if kind == "qualification" else candidate.work_history
    found = next((i for i in items if i.id == item_id), None)
    if found is None:
        return False
    items.remove(found)
    db.session.flush()
    audit.record("candidate.profile_saved", actor=actor, candidate=candidate,
                 subject=candidate, removed=kind)
    return True


def card_preview(candidate: Candidate):
    """The anonymised card exactly as an employer browsing matched candidates sees it, built by
    the disclosure policy for an employer who has no application from the person (stage 1). No
    reveal happens, so nothing is audited; the reference on it differs for each employer."""
    from marketplace.disclosure import policy

    browsing_employer = User(role=Role.EMPLOYER, organisation_id=0)
    return policy.candidate_view(browsing_employer, candidate)
