"""What a viewer may see of a candidate: decided here and nowhere else (DOMAIN.md, Disclosure).

Every page, API response, export or email that shows a candidate to someone other than the
candidate, their PEL or an administrator renders the view object `candidate_view()` returns,
never the model. The view holds only the fields the viewer may see, so a template cannot show
more by mistake. tests/integration/test_disclosure_policy.py inspects the templates to enforce it.

Stages for an employer:
1. ANONYMISED — searching and browsing: skills, qualifications, experience summary,
   availability, home area at district level. No name, no conviction data.
2. PROFILE — after the candidate applies or consents to a nomination: name and profile.
3. DISCLOSURE — at conditional offer, with the candidate's consent: also the disclosure
   statement and the convictions the role's check level makes disclosable.
Never at any stage: risk notes, licence conditions, exclusion zones, barred-list status,
resettlement needs, work-readiness barriers, prison number.
"""

import datetime as dt
import enum
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import current_app

from marketplace import clock, permissions
from marketplace.models import Application, Candidate, User
from marketplace.types import ApplicationStatus, CandidateStatus, Role

# Application statuses at which the employer has the candidate's name (stage 2).
_NAMED = {
    ApplicationStatus.APPLIED, ApplicationStatus.SHORTLISTED, ApplicationStatus.INTERVIEW,
    ApplicationStatus.CONDITIONAL_OFFER, ApplicationStatus.DISCLOSURE,
    ApplicationStatus.OFFER_CONFIRMED, ApplicationStatus.STARTED, ApplicationStatus.UNSUCCESSFUL,
}
# Statuses at which disclosure may happen (stage 3), if the candidate consents.
DISCLOSURE_STATUSES = {
    ApplicationStatus.CONDITIONAL_OFFER, ApplicationStatus.DISCLOSURE,
    ApplicationStatus.OFFER_CONFIRMED, ApplicationStatus.STARTED,
}


class Stage(enum.IntEnum):
    NONE = 0
    ANONYMISED = 1
    PROFILE = 2
    DISCLOSURE = 3


@dataclass(frozen=True)
class WorkItem:
    role: str
    years: str
    in_custody: bool
    description: str


@dataclass(frozen=True)
class QualificationItem:
    name: str
    year: int | None


@dataclass(frozen=True)
class DisclosedConviction:
    offence: str
    date: dt.date
    disposal: str
    spent_status: str  # plain English: "Not spent", "Spent, but shown on a standard check"


@dataclass(frozen=True)
class CandidateView:
    """The only shape in which an employer ever receives a candidate."""

    stage: Stage
    ref: str  # opaque reference: never the database id
    headline: str
    skills: tuple[str, ...]
    qualifications: tuple[QualificationItem, ...]
    experience: tuple[WorkItem, ...]
    availability: str
    home_area: str
    # Stage 2 and over.
    name: str | None = None
    summary: str | None = None
    supporting_statement: str | None = None
    # Stage 3 only.
    disclosure_statement: str | None = None
    convictions: tuple[DisclosedConviction, ...] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def candidate_ref(candidate_id: int, *, organisation_id: int) -> str:
    """The reference one organisation knows a candidate by: the same on every page that
    organisation sees, different for every other organisation, so employers cannot pool what
    they have seen to link cards to one person, nor guess or count candidates from it. A keyed
    hash (HMAC-SHA256) under a key derived from SECRET_KEY for this purpose alone."""
    return _ref(_ref_key(), organisation_id, candidate_id)


def candidate_with_ref(ref: str, *, organisation_id: int, among: Iterable[int]) -> int | None:
    """The id, of those in `among`, that this organisation knows by `ref` (a reference sent
    back by a page, such as "Invite to apply"); None if none. The reference cannot be turned
    back into an id, so each candidate's is worked out in turn."""
    key = _ref_key()
    return next((i for i in among if hmac.compare_digest(_ref(key, organisation_id, i), ref)),
                None)


def _ref_key() -> bytes:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"candidate reference",
                    hashlib.sha256).digest()


def _ref(key: bytes, organisation_id: int, candidate_id: int) -> str:
    message = f"organisation:{organisation_id}:candidate:{candidate_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:12].upper()


def availability(candidate: Candidate, today: dt.date | None = None) -> str:
    today = today or clock.uk_today()
    if candidate.status is CandidateStatus.IN_CUSTODY and candidate.release_date:
        when = candidate.release_date
        text = f"Available from {when.day} {when:%B %Y}"
        return text + (" (can attend on day release before then)" if candidate.rotl_eligible
                       else "")
    return "Available now"


def stage_for(viewer: User, application: Application | None) -> Stage:
    """The stage an employer member has reached with this candidate, by the application.
    NONE for an application the employer may not see (permissions.can_view_application):
    another organisation's, or a nomination the person has not agreed to."""
    if viewer.role is not Role.EMPLOYER:
        return Stage.NONE
    if application is None:
        return Stage.ANONYMISED
    if not permissions.can_view_application(viewer, application):
        return Stage.NONE
    if application.status not in _NAMED:
        return Stage.ANONYMISED
    if application.status in DISCLOSURE_STATUSES and _consented(application):
        return Stage.DISCLOSURE
    return Stage.PROFILE


def _consented(application: Application) -> bool:
    """Whether the candidate's disclosure consent for this application is in force.
    Until consent records exist no consent is in force, so stage 3 is never reached."""
    from marketplace.disclosure import consent

    return consent.disclosure_consent_in_force(application)


def candidate_view(viewer: User, candidate: Candidate, application: Application | None = None,
                   *, today: dt.date | None = None) -> CandidateView | None:
    """What `viewer` may see of `candidate` in the context of `application` (None: browsing).

    Returns None when the viewer may see nothing (another organisation's applicant).
    Reveals at stage 2 and 3 are written to the audit log by `record_reveal`, which callers
    that render the view to an employer must call (in the same request).
    """
    stage = stage_for(viewer, application)
    if stage is Stage.NONE:
        return None
    base = dict(
        stage=stage,
        ref=candidate_ref(candidate.id, organisation_id=viewer.organisation_id),
        headline=candidate.headline,
        skills=tuple(_skill_labels(candidate.skills)),
        qualifications=tuple(QualificationItem(q.name, q.achieved_on.year if q.achieved_on
                                               else None) for q in candidate.qualifications),
        experience=tuple(WorkItem(w.role, _years(w.start_year, w.end_year), w.in_custody,
                                  w.description) for w in candidate.work_history),
        availability=availability(candidate, today),
        home_area=candidate.home_district,
    )
    if stage >= Stage.PROFILE:
        base.update(name=candidate.full_name, summary=candidate.summary,
                    supporting_statement=application.supporting_statement)
    if stage is Stage.DISCLOSURE:
        from marketplace.disclosure import consent

        statement, convictions = consent.disclosable_for(application, today=today)
        base.update(disclosure_statement=statement, convictions=tuple(convictions))
    return CandidateView(**base)


@dataclass(frozen=True)
class HistoryItem:
    """One step of an application's history as the employer sees it."""

    at: dt.datetime
    status: ApplicationStatus
    note: str | None


def history(viewer: User, application: Application) -> tuple[HistoryItem, ...]:
    """The application's history for an employer who may see it: from the moment it was put to
    them. The nomination step is the PEL's and the person's, not the employer's: its note and
    its time stay out, as does everything of an application the employer may not see."""
    if stage_for(viewer, application) is Stage.NONE:
        return ()
    return tuple(HistoryItem(e.at, e.to_status, e.note) for e in application.events
                 if e.to_status is not ApplicationStatus.NOMINATED)


def record_reveal(viewer: User, candidate: Candidate, view: CandidateView,
                  application: Application | None, *, why: str) -> None:
    """Audit every stage 2 or 3 reveal (who saw what, when, why). Stage 1 is anonymous."""
    if view.stage < Stage.PROFILE:
        return
    from marketplace import audit

    what = ["name", "profile"]
    if view.stage is Stage.DISCLOSURE:
        what += ["disclosure_statement", f"convictions:{len(view.convictions or ())}"]
    audit.record(f"candidate.reveal.stage{int(view.stage)}", actor=viewer, candidate=candidate,
                 subject=application, reason=why, what=what)


def _years(start: int, end: int | None) -> str:
    return f"{start} to {end}" if end and end != start else (str(start) if end else
                                                            f"{start} to now")


def _skill_labels(codes: list[str]) -> list[str]:
    from marketplace.matching import skills

    return skills.labels(codes)
