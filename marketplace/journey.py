"""The application journey: every status change happens here (DOMAIN.md, The journey).

nomination or application -> shortlisted -> interview -> conditional offer -> disclosure ->
offer confirmed -> started -> still in work at 13 and 26 weeks. Each change writes an
ApplicationEvent (who, what, when) and an audit event, in the caller's transaction.

Rules enforced here, for every caller (pages, API, CLI):
- every application ends in an outcome with a recorded reason (no ghosting);
- a guaranteed interview cannot be skipped: a candidate who meets the minimum requirements
  cannot be turned down before an interview has happened;
- a decision after disclosure is provisional for 5 working days while the candidate may respond;
- people in custody need ROTL approved by their PEL to attend an interview; an interview's
  outcome is recorded only after its time, and a no-show only when they were free to come.

Two people may act on one application at once (an employer confirming while a colleague
withdraws). Every step that checks the state and then writes first calls `lock`, and checks
after it, so the second one sees what the first did.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace import audit, clock, invitations, notify, permissions
from marketplace.extensions import db
from marketplace.matching import constraints
from marketplace.models import (
    Application,
    ApplicationEvent,
    Candidate,
    CheckIn,
    Interview,
    Offer,
    Opportunity,
    Organisation,
    Placement,
    User,
)
from marketplace.types import (
    ApplicationSource,
    ApplicationStatus,
    CandidateStatus,
    CheckInOutcome,
    InterviewStatus,
    OfferStatus,
    PlacementStatus,
    RotlStatus,
)

S = ApplicationStatus
TRANSITIONS: dict[ApplicationStatus, set[ApplicationStatus]] = {
    S.NOMINATED: {S.APPLIED, S.WITHDRAWN},
    S.APPLIED: {S.SHORTLISTED, S.INTERVIEW, S.UNSUCCESSFUL, S.WITHDRAWN},
    S.SHORTLISTED: {S.INTERVIEW, S.UNSUCCESSFUL, S.WITHDRAWN},
    S.INTERVIEW: {S.CONDITIONAL_OFFER, S.UNSUCCESSFUL, S.WITHDRAWN},
    S.CONDITIONAL_OFFER: {S.DISCLOSURE, S.OFFER_CONFIRMED, S.UNSUCCESSFUL, S.WITHDRAWN},
    S.DISCLOSURE: {S.OFFER_CONFIRMED, S.UNSUCCESSFUL, S.WITHDRAWN},
    S.OFFER_CONFIRMED: {S.STARTED, S.WITHDRAWN},
    S.STARTED: set(),
    S.UNSUCCESSFUL: set(),
    S.WITHDRAWN: set(),
}
PROVISIONAL_WORKING_DAYS = 5
CHECK_IN_WEEKS = (13, 26)


class JourneyError(ValueError):
    """A step that is not allowed now. The message is written for the person who tried it."""


class AlreadyApplied(JourneyError):
    """The person already has an application for this opportunity: `application`."""

    def __init__(self, message: str, application: Application):
        super().__init__(message)
        self.application = application


def lock(application: Application) -> None:
    """Lock the application's row until the transaction ends and re-read it, its offer and its
    interviews, so the caller's checks see every change committed before it. Every step here
    calls it, and so does any other that checks an application's state and then writes
    (disclosure/consent.py).

    On PostgreSQL this is SELECT ... FOR UPDATE: a second step on the same application waits
    here until the first commits. SQLite has no row locks; there every transaction takes the
    database's write lock when it begins (BEGIN IMMEDIATE, marketplace/__init__.py), so a
    second request waits before it reads anything at all."""
    db.session.flush()  # re-reading must not lose what this transaction has changed
    db.session.scalars(
        sa.select(Application).where(Application.id == application.id).with_for_update()
        .options(selectinload(Application.offer), selectinload(Application.interviews))
        .execution_options(populate_existing=True)).one()


def _move(application: Application, to: ApplicationStatus, *, actor: User | None,
          note: str | None = None) -> None:
    if to not in TRANSITIONS[application.status]:
        raise JourneyError(
            f"You cannot do this now. The application has moved on ({application.status.label}).")
    db.session.add(ApplicationEvent(application_id=application.id,
                                    from_status=application.status, to_status=to,
                                    actor_id=actor.id if actor else None, note=note))
    application.status = to
    audit.record(f"application.{to.value}", actor=actor, candidate=application.candidate,
                 subject=application, reason=note)


def eligibility(candidate: Candidate, opportunity: Opportunity) -> constraints.Eligibility:
    """Whether the person may apply or be nominated now, using only the convictions the law
    lets this employer consider."""
    from marketplace.disclosure import records

    return constraints.check(
        candidate, opportunity, today=clock.uk_today(),
        considerable=records.considerable_offences(candidate, opportunity.check_level))


def _eligible(candidate: Candidate, opportunity: Opportunity) -> None:
    result = eligibility(candidate, opportunity)
    if not result.eligible:
        raise JourneyError(" ".join(result.wording()))


def _existing(candidate: Candidate, opportunity: Opportunity) -> Application | None:
    return db.session.scalar(sa.select(Application).where(
        Application.candidate_id == candidate.id, Application.opportunity_id == opportunity.id))


def _insert(application: Application, already: str) -> None:
    """Save a new application. Two requests at once can both find none and both insert: the
    unique constraint on (opportunity, candidate) stops the second, which then gets the same
    answer as if it had come a moment later."""
    application.prison_at_application_id = application.candidate.prison_id  # for reports
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError:
        existing = _existing(application.candidate, application.opportunity)
        if existing is None:
            raise
        raise AlreadyApplied(already, existing) from None


def apply(candidate: Candidate, opportunity: Opportunity, *, actor: User,
          statement: str = "") -> Application:
    """The candidate (or their PEL for them) applies. Stage 2: the employer sees their name.
    Raises AlreadyApplied if they have, even a moment ago in another request."""
    already = "You have already applied for this."
    if existing := _existing(candidate, opportunity):
        raise AlreadyApplied(already, existing)
    if not opportunity.organisation.approved:
        raise JourneyError("This opportunity is not taking applications.")
    _eligible(candidate, opportunity)
    application = Application(opportunity=opportunity, candidate=candidate,
                              source=ApplicationSource.APPLIED, status=S.APPLIED,
                              supporting_statement=statement)
    _insert(application, already)
    db.session.add(ApplicationEvent(application_id=application.id, to_status=S.APPLIED,
                                    actor_id=actor.id))
    audit.record("application.applied", actor=actor, candidate=candidate, subject=application)
    invitations.applied(application, actor=actor)  # if they were invited: answered
    notify.application_received(application)
    return application


def nominate(candidate: Candidate, opportunity: Opportunity, *, pel: User,
             note: str = "") -> Application:
    """A PEL puts someone forward. The employer sees nothing until the person agrees."""
    if not permissions.in_pels_prison(pel, candidate):
        raise JourneyError("You can only nominate people in your own prison.")
    already = "This person has already applied or been nominated for this."
    if existing := _existing(candidate, opportunity):
        raise AlreadyApplied(already, existing)
    _eligible(candidate, opportunity)
    application = Application(opportunity=opportunity, candidate=candidate,
                              source=ApplicationSource.NOMINATED, nominated_by_id=pel.id,
                              status=S.NOMINATED, supporting_statement=note)
    _insert(application, already)
    db.session.add(ApplicationEvent(application_id=application.id, to_status=S.NOMINATED,
                                    actor_id=pel.id, note=note or None))
    audit.record("application.nominated", actor=pel, candidate=candidate, subject=application)
    notify.nominated(application)
    return application


def respond_to_nomination(application: Application, *, actor: User, accept: bool) -> None:
    """The person agrees (or not) to be put forward; a PEL may record a signed answer."""
    lock(application)
    if application.status is not S.NOMINATED:
        raise JourneyError("This nomination has already been answered.")
    if accept:
        _move(application, S.APPLIED, actor=actor, note="Agreed to the nomination")
        notify.application_received(application)
    else:
        application.outcome_reason = "Declined the nomination"
        _move(application, S.WITHDRAWN, actor=actor, note="Declined the nomination")


def withdraw(application: Application, *, actor: User, reason: str) -> None:
    if not reason.strip():
        raise JourneyError("Enter why you are withdrawing")
    lock(application)
    application.outcome_reason = reason
    _move(application, S.WITHDRAWN, actor=actor, note=reason)


def shortlist(application: Application, *, actor: User) -> None:
    lock(application)
    _move(application, S.SHORTLISTED, actor=actor)


def interview_guaranteed(application: Application) -> bool:
    opportunity = application.opportunity
    return opportunity.guaranteed_interview and constraints.minimum_requirements(
        application.candidate, opportunity).all_met


def booked_interview(application: Application) -> Interview | None:
    """The interview booked and not yet recorded, if any (booking again replaces it)."""
    booked = [i for i in application.interviews if i.status is InterviewStatus.BOOKED]
    return booked[-1] if booked else None


def interview_to_record(application: Application) -> Interview | None:
    """The booked interview whose time has come: only then can anyone say how it went."""
    booked = booked_interview(application)
    return booked if booked is not None and booked.scheduled_at <= clock.utc_now() else None


def _free_to_attend(interview: Interview) -> bool:
    """Someone in custody can come only on day release their prison approved."""
    return interview.rotl_status in (RotlStatus.NOT_NEEDED, RotlStatus.APPROVED)


def book_interview(application: Application, *, actor: User, when: dt.datetime,
                   location: str) -> Interview:
    """Book an interview at `when` (aware), or book it again: an interview already booked is
    cancelled, and someone in custody needs day release approved afresh."""
    if when <= clock.utc_now():
        raise JourneyError("The interview must be in the future")
    if not location.strip():
        raise JourneyError("Enter where the interview will be")
    lock(application)
    if application.status is not S.INTERVIEW:
        _move(application, S.INTERVIEW, actor=actor,
              note=f"Interview on {clock.uk_date(when):%d %B %Y}")
    if (earlier := booked_interview(application)) is not None:
        earlier.status = InterviewStatus.CANCELLED
        audit.record("interview.cancelled", actor=actor, candidate=application.candidate,
                     subject=earlier, reason="Booked again")
    in_custody = application.candidate.status is CandidateStatus.IN_CUSTODY
    interview = Interview(application=application, scheduled_at=when, location=location,
                          guaranteed=interview_guaranteed(application),
                          rotl_status=RotlStatus.PENDING if in_custody else RotlStatus.NOT_NEEDED,
                          rotl_requested_at=clock.utc_now() if in_custody else None)
    db.session.add(interview)
    db.session.flush()
    audit.record("interview.booked", actor=actor, candidate=application.candidate,
                 subject=interview)
    notify.interview_booked(interview)
    return interview


def decide_rotl(interview: Interview, *, pel: User, approve: bool) -> None:
    candidate = interview.application.candidate
    if not permissions.in_pels_prison(pel, candidate):
        raise JourneyError("Only the person's own prison can decide day release.")
    lock(interview.application)
    if interview.status is not InterviewStatus.BOOKED:
        raise JourneyError("This interview is no longer booked.")
    if interview.rotl_status is not RotlStatus.PENDING:
        raise JourneyError("This day release request has already been decided.")
    interview.rotl_status = RotlStatus.APPROVED if approve else RotlStatus.REFUSED
    interview.rotl_decided_at = clock.utc_now()
    interview.rotl_decided_by_id = pel.id
    audit.record("interview.rotl_" + interview.rotl_status.value, actor=pel,
                 candidate=candidate, subject=interview)


def record_interview(interview: Interview, *, actor: User, attended: bool) -> None:
    """Whether the person came, once the interview's time has passed. "Did not come" is refused
    while their day release is refused or not yet approved: they could not come, so the
    interview is booked again and the guarantee of an interview still stands."""
    lock(interview.application)
    if interview.status is not InterviewStatus.BOOKED:
        raise JourneyError("This interview has already been recorded.")
    if clock.utc_now() < interview.scheduled_at:
        when = interview.scheduled_at.astimezone(clock.UK)
        raise JourneyError(f"You can record the interview once it has happened. It is booked "
                           f"for {when.day} {when:%B %Y} at {when:%H:%M}.")
    if not attended and interview.rotl_status is RotlStatus.REFUSED:
        raise JourneyError("Their prison refused day release for this interview, so they could "
                           "not come. Book the interview again instead.")
    if not attended and not _free_to_attend(interview):
        raise JourneyError("Their day release for this interview was not approved, so they "
                           "could not come. Book the interview again instead.")
    interview.status = InterviewStatus.COMPLETED if attended else InterviewStatus.NO_SHOW
    audit.record("interview." + interview.status.value, actor=actor,
                 candidate=interview.application.candidate, subject=interview)


def _interviewed(application: Application) -> bool:
    """They were interviewed, or were free to come to an interview and did not."""
    return any(i.status is InterviewStatus.COMPLETED
               or (i.status is InterviewStatus.NO_SHOW and _free_to_attend(i))
               for i in application.interviews)


def reject(application: Application, *, actor: User, reason: str) -> None:
    """Turn an application down, with a reason the candidate will see."""
    if not reason.strip():
        raise JourneyError("Enter the reason. The candidate will see it")
    lock(application)
    if interview_guaranteed(application) and not _interviewed(application):
        raise JourneyError("This role guarantees an interview to everyone who meets the minimum "
                           "requirements, and this candidate does. Interview them before you "
                           "decide.")
    if application.status in (S.CONDITIONAL_OFFER, S.DISCLOSURE):
        return withdraw_offer(application, actor=actor, reason=reason)
    application.outcome_reason = reason
    _move(application, S.UNSUCCESSFUL, actor=actor, note=reason)


def make_conditional_offer(application: Application, *, actor: User) -> Offer:
    lock(application)
    _move(application, S.CONDITIONAL_OFFER, actor=actor)
    offer = Offer(application=application, status=OfferStatus.CONDITIONAL)
    db.session.add(offer)
    db.session.flush()
    notify.offer_made(application)
    return offer


def withdraw_offer(application: Application, *, actor: User, reason: str) -> None:
    """Withdrawing after disclosure is provisional for 5 working days, so the candidate can
    explain; before disclosure it takes effect at once. Working days skip weekends and bank
    holidays in England and Wales."""
    lock(application)
    offer = application.offer
    if offer is None or offer.status is not OfferStatus.CONDITIONAL:
        raise JourneyError("There is no conditional offer to withdraw.")
    if not reason.strip():
        raise JourneyError("Enter the reason. The candidate will see it")
    if (wait_until := withdrawal_would_wait_until(application)) is not None:
        offer.provisional_until = wait_until
        offer.withdrawal_reason = reason
        audit.record("offer.withdrawal_proposed", actor=actor, candidate=application.candidate,
                     subject=offer, reason=reason)
        notify.withdrawal_planned(application, wait_until)
        return
    if offer.provisional_until and clock.uk_today() < offer.provisional_until:
        raise JourneyError(
            f"The candidate has until {offer.provisional_until:%d %B %Y} to respond before you "
            "can make this final.")
    offer.status = OfferStatus.WITHDRAWN
    offer.withdrawn_at = clock.utc_now()
    offer.withdrawal_reason = reason
    application.outcome_reason = reason
    _move(application, S.UNSUCCESSFUL, actor=actor, note=f"Offer withdrawn: {reason}")


def withdrawal_would_wait_until(application: Application) -> dt.date | None:
    """The day a withdrawal of the offer made today could become final: 5 working days on, the
    first time the employer withdraws after disclosure; None where it takes effect at once (what
    the employer's check page tells them before they decide)."""
    offer = application.offer
    if application.status is S.DISCLOSURE and offer is not None \
            and offer.status is OfferStatus.CONDITIONAL and offer.provisional_until is None:
        return clock.add_working_days(clock.uk_today(), PROVISIONAL_WORKING_DAYS)
    return None


def answer_by(application: Application) -> dt.date:
    """The last day the candidate can answer a pending withdrawal: the day before the employer
    may make it final (`withdrawal_pending` must be true)."""
    return application.offer.provisional_until - dt.timedelta(days=1)


def withdrawal_pending(application: Application) -> bool:
    """The employer has proposed withdrawing after disclosure and it is not yet final."""
    offer = application.offer
    return (application.status is S.DISCLOSURE and offer is not None
            and offer.status is OfferStatus.CONDITIONAL and offer.provisional_until is not None)


def withdrawal_answer_open(application: Application) -> bool:
    """A withdrawal is pending and the candidate can still answer it (until `answer_by`): what
    their home page, and their PEL's, lead with."""
    return withdrawal_pending(application) \
        and clock.uk_today() < application.offer.provisional_until


def respond_to_withdrawal(application: Application, *, actor: User, response: str) -> None:
    """The candidate's side, while a withdrawal after disclosure is still provisional. The
    employer sees it before they can make the decision final."""
    lock(application)
    if not withdrawal_pending(application):
        raise JourneyError("There is nothing to respond to.")
    offer = application.offer
    if clock.uk_today() >= offer.provisional_until:
        raise JourneyError(f"The time to respond ended on {answer_by(application):%d %B %Y}.")
    if not response.strip():
        raise JourneyError("Enter what you want the employer to know")
    offer.candidate_response = response
    audit.record("offer.candidate_responded", actor=actor, candidate=application.candidate,
                 subject=offer)


def move_to_disclosure(application: Application, *, actor: User) -> None:
    """Consent given at conditional offer: the disclosure stage begins (disclosure/consent.py)."""
    lock(application)
    _move(application, S.DISCLOSURE, actor=actor, note="Agreed to share disclosure")


def confirm_offer(application: Application, *, actor: User) -> None:
    lock(application)
    offer = application.offer
    if offer is None or offer.status is not OfferStatus.CONDITIONAL:
        raise JourneyError("There is no conditional offer to confirm.")
    offer.status = OfferStatus.CONFIRMED
    offer.confirmed_at = clock.utc_now()
    offer.provisional_until = None
    _move(application, S.OFFER_CONFIRMED, actor=actor)


def start(application: Application, *, actor: User, started_on: dt.date) -> Placement:
    lock(application)
    _move(application, S.STARTED, actor=actor, note=f"Started on {started_on:%d %B %Y}")
    placement = Placement(application=application, started_on=started_on,
                          status=PlacementStatus.IN_WORK,
                          check_ins=[CheckIn(week=w, due_on=started_on + dt.timedelta(weeks=w))
                                     for w in CHECK_IN_WEEKS])
    db.session.add(placement)
    db.session.flush()
    return placement


def record_check_in(check_in: CheckIn, *, actor: User, outcome: CheckInOutcome,
                    note: str | None = None) -> None:
    lock(check_in.placement.application)
    db.session.refresh(check_in)
    if check_in.recorded_at is not None:
        raise JourneyError("This check-in has already been recorded.")
    if check_in.due_on > clock.uk_today():
        raise JourneyError(f"This check-in is not due until {check_in.due_on:%d %B %Y}.")
    check_in.outcome = outcome
    check_in.recorded_at = clock.utc_now()
    check_in.recorded_by_id = actor.id
    check_in.note = note
    placement = check_in.placement
    if outcome is CheckInOutcome.LEFT and placement.status is PlacementStatus.IN_WORK:
        placement.status = PlacementStatus.LEFT
        placement.left_on = check_in.due_on
    audit.record("placement.check_in", actor=actor,
                 candidate=placement.application.candidate, subject=check_in,
                 week=check_in.week, outcome=outcome.value)


AWAITING_EMPLOYER = (S.APPLIED, S.SHORTLISTED, S.INTERVIEW)


def owed(organisation: Organisation, *, today: dt.date | None = None, limit: int | None = None
         ) -> list[tuple[Application, int]]:
    """Applications waiting on this employer, with days since anything last happened, oldest
    first (at most `limit`): what the employer owes people (DOMAIN.md: nobody is ghosted).
    Each application's last step is looked up by its own index entry, so the cost follows
    this employer's waiting applications, not every application's history."""
    today = today or clock.uk_today()
    last_at = (sa.select(sa.func.max(ApplicationEvent.at))
               .where(ApplicationEvent.application_id == Application.id)
               .correlate(Application).scalar_subquery())
    query = (sa.select(Application, last_at.label("last_at"))
             .join(Opportunity, Application.opportunity_id == Opportunity.id)
             .where(permissions.applications_visible_to(organisation.id),
                    Application.status.in_(AWAITING_EMPLOYER), last_at.is_not(None))
             .order_by(last_at, Application.id)
             .options(selectinload(Application.opportunity)))
    if limit is not None:
        query = query.limit(limit)
    return [(application, (today - clock.uk_date(at)).days)
            for application, at in db.session.execute(query)]


def allowed_actions(application: Application) -> set[str]:
    """The actions an employer may take now, for the page to offer."""
    status = application.status
    actions = set()
    if S.SHORTLISTED in TRANSITIONS[status]:
        actions.add("shortlist")
    if status in (S.APPLIED, S.SHORTLISTED, S.INTERVIEW):
        actions.add("book_interview")
    if status is S.INTERVIEW:
        actions.add("make_conditional_offer")
        if interview_to_record(application) is not None:
            actions.add("record_interview")
    if S.UNSUCCESSFUL in TRANSITIONS[status] and not (
            interview_guaranteed(application) and not _interviewed(application)):
        actions.add("reject")
    if status in (S.CONDITIONAL_OFFER, S.DISCLOSURE):
        actions |= {"confirm_offer", "withdraw_offer"}
    if status is S.OFFER_CONFIRMED:
        actions.add("start")
    return actions
