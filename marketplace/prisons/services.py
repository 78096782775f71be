"""The prison employment leads' data layer: always scoped to the PEL's own prison
(permissions.in_pels_prison and its clause, candidates_in_prison_of)."""

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import clock, pagination, permissions
from marketplace.extensions import db
from marketplace.models import (
    Application,
    Candidate,
    Interview,
    KioskRequest,
    Message,
    Offer,
    Opportunity,
    User,
    WorkReadiness,
)
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    InterviewStatus,
    MessageStatus,
    RotlStatus,
    WorkReadinessStatus,
)

RELEASE_WINDOW_WEEKS = 12
# The home page shows the first few of each list and how many there are; the rest are a page
# away. A prison of thousands must not put them all on its home page.
DASHBOARD_ITEMS = 5


def caseload_size(pel: User) -> int:
    """How many people in custody are at the PEL's prison."""
    return db.session.scalar(
        sa.select(sa.func.count(Candidate.id))
        .where(permissions.candidates_in_prison_of(pel),
               Candidate.status == CandidateStatus.IN_CUSTODY)) or 0


def _release_soon_not_ready(pel: User, today: dt.date | None = None) -> sa.Select:
    today = today or clock.uk_today()
    horizon = today + dt.timedelta(weeks=RELEASE_WINDOW_WEEKS)
    # "Not recorded ready" as NOT EXISTS rather than an outer join: PostgreSQL then looks up
    # the few people leaving soon by index instead of reading every readiness record.
    ready = sa.exists().where(WorkReadiness.candidate_id == Candidate.id,
                              WorkReadiness.status == WorkReadinessStatus.READY)
    return (sa.select(Candidate)
            .where(permissions.candidates_in_prison_of(pel),
                   Candidate.status == CandidateStatus.IN_CUSTODY,
                   Candidate.release_date <= horizon, ~ready)
            .options(selectinload(Candidate.readiness))
            .order_by(Candidate.release_date, Candidate.id))


def release_soon_not_ready(pel: User, today: dt.date | None = None) -> list[Candidate]:
    """People at the PEL's prison released within the window and not recorded ready to work,
    soonest first."""
    return list(db.session.scalars(_release_soon_not_ready(pel, today)))


def release_soon_not_ready_first(pel: User) -> pagination.Page[Candidate]:
    """The first few of release_soon_not_ready and how many there are: two queries however
    big the prison."""
    return pagination.of_query(_release_soon_not_ready(pel), 1, DASHBOARD_ITEMS)


def _rotl_pending(pel: User) -> sa.Select:
    # The prison's applications as a subquery rather than joins: PostgreSQL then checks each
    # waiting request against them by primary key, instead of hashing all applications
    # (20 ms -> 12 ms at 100,000 people).
    theirs = (sa.select(Application.id).join(Candidate)
              .where(permissions.candidates_in_prison_of(pel)))
    return (sa.select(Interview)
            .where(Interview.application_id.in_(theirs),
                   Interview.rotl_status == RotlStatus.PENDING,
                   Interview.status == InterviewStatus.BOOKED)
            .options(selectinload(Interview.application).selectinload(Application.opportunity),
                     selectinload(Interview.application).selectinload(Application.candidate))
            .order_by(Interview.rotl_requested_at, Interview.id))


def _with_days_waiting(interviews) -> list[tuple[Interview, int]]:
    now = clock.utc_now()
    return [(i, (now - i.rotl_requested_at).days) for i in interviews]


def rotl_pending(pel: User) -> list[tuple[Interview, int]]:
    """Day release requests waiting for the PEL's prison, with days waiting, oldest first."""
    return _with_days_waiting(db.session.scalars(_rotl_pending(pel)))


def rotl_pending_page(pel: User, page: int, size: int = pagination.PAGE_SIZE
                      ) -> pagination.Page[tuple[Interview, int]]:
    """One page of rotl_pending, with how many there are in all."""
    found = pagination.of_query(_rotl_pending(pel), page, size)
    return dataclasses.replace(found, items=_with_days_waiting(found.items))


def withdrawals_to_answer(pel: User) -> list[tuple[Application, dt.date]]:
    """Offers an employer plans to withdraw from someone in custody at the PEL's prison that
    the person can still answer (journey.withdrawal_answer_open), each with the last day to
    answer, soonest first: the PEL's dashboard leads with these, as someone inside may not see
    the website."""
    from marketplace import journey

    rows = db.session.scalars(
        sa.select(Application).join(Candidate)
        .join(Offer, Offer.application_id == Application.id)
        .where(permissions.candidates_in_prison_of(pel),
               Candidate.status == CandidateStatus.IN_CUSTODY,
               Application.status == ApplicationStatus.DISCLOSURE,
               Offer.provisional_until > clock.uk_today())
        .options(selectinload(Application.offer), selectinload(Application.candidate),
                 selectinload(Application.opportunity).selectinload(Opportunity.organisation))
        .order_by(Offer.provisional_until, Application.id))
    return [(a, journey.answer_by(a)) for a in rows if journey.withdrawal_answer_open(a)]


def _nominations_waiting(pel: User) -> sa.Select:
    return (sa.select(Application).join(Candidate)
            .where(permissions.candidates_in_prison_of(pel),
                   Application.status == ApplicationStatus.NOMINATED)
            .options(selectinload(Application.opportunity), selectinload(Application.candidate))
            .order_by(Application.created_at, Application.id))


def nominations_waiting(pel: User, page: int = 1, size: int = pagination.PAGE_SIZE
                        ) -> pagination.Page[Application]:
    """Nominations at the PEL's prison waiting for the person's answer, oldest first, a page at
    a time, with how many there are in all."""
    return pagination.of_query(_nominations_waiting(pel), page, size)


def messages_waiting_count(pel: User) -> int:
    """How many messages wait for the PEL's check: the count of custody.messages.queue (the
    same conditions), without loading them."""
    return db.session.scalar(
        sa.select(sa.func.count(Message.id)).join(Application).join(Candidate)
        .where(Message.status == MessageStatus.WAITING,
               permissions.candidates_in_prison_of(pel))) or 0


def jobpoint_requests_count(pel: User) -> int:
    """How many Jobpoint requests wait: the count of custody.kiosk.requests_for (the same
    conditions), without loading them."""
    return db.session.scalar(
        sa.select(sa.func.count(KioskRequest.id)).join(Candidate)
        .where(KioskRequest.handled_at.is_(None),
               permissions.candidates_in_prison_of(pel))) or 0


def person(pel: User, candidate_id: int) -> Candidate | None:
    """Someone in the PEL's prison; None for anyone else (the view 404s)."""
    found = db.session.get(Candidate, candidate_id)
    return found if found is not None and permissions.in_pels_prison(pel, found) else None


def person_applications(candidate: Candidate) -> list[Application]:
    return list(db.session.scalars(
        sa.select(Application).where(Application.candidate_id == candidate.id)
        .options(selectinload(Application.opportunity))
        .order_by(Application.updated_at.desc(), Application.id.desc())))


def application_of(pel: User, application_id: int) -> Application | None:
    """An application of someone in the PEL's prison; None for anyone else's."""
    found = db.session.get(Application, application_id)
    return (found if found is not None and permissions.in_pels_prison(pel, found.candidate)
            else None)


def interview(interview_id: int) -> Interview | None:
    return db.session.get(Interview, interview_id)


def readable_person(pel: User, candidate_id: int) -> Candidate | None:
    """Someone in the PEL's prison, or released from it in the last 12 months (to read only:
    permissions.can_read_as_pel); None for anyone else (the view 404s)."""
    found = db.session.get(Candidate, candidate_id)
    return found if found is not None and permissions.can_read_as_pel(pel, found) else None


def nominable(pel: User, search: str | None = None, limit: int = 200) -> list[Candidate]:
    """People in the PEL's prison to choose from when nominating several at once, by name."""
    query = (sa.select(Candidate)
             .where(permissions.candidates_in_prison_of(pel),
                    Candidate.status == CandidateStatus.IN_CUSTODY)
             .order_by(Candidate.last_name, Candidate.first_name, Candidate.id).limit(limit))
    if search:
        name = sa.func.lower(Candidate.first_name + " " + Candidate.last_name)
        query = query.where(sa.or_(name.contains(search.lower(), autoescape=True),
                                   sa.func.upper(Candidate.prison_number) == search.upper()))
    return list(db.session.scalars(query))


def bulk_nominate(pel: User, opportunity: Opportunity, candidate_ids: list[int], *,
                  note: str) -> tuple[list[Candidate], list[tuple[Candidate, str]]]:
    """Nominate several people in the PEL's prison for one opportunity, each through
    journey.nominate (every hard constraint, in plain words) in its own savepoint, so one
    refusal keeps nothing of that person and does not stop the others. Returns who was
    nominated and who was refused with the reason. Ids outside the prison are ignored."""
    from marketplace import journey
    from marketplace.custody import people

    chosen = [c for c in db.session.scalars(
        sa.select(Candidate).where(Candidate.id.in_(candidate_ids),
                                   permissions.candidates_in_prison_of(pel))
        .order_by(Candidate.last_name, Candidate.first_name, Candidate.id))]
    done, refused = [], []
    for candidate in chosen:
        reason = people.nomination_refusal(candidate)
        if reason:
            refused.append((candidate, reason))
            continue
        try:
            with db.session.begin_nested():
                journey.nominate(candidate, opportunity, pel=pel, note=note)
        except journey.JourneyError as error:
            refused.append((candidate, str(error)))
        else:
            done.append(candidate)
    return done, refused
