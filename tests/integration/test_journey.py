import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace import clock, journey
from marketplace.journey import JourneyError
from marketplace.models import AuditEvent
from marketplace.prisons import services as prison_services
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    CheckInOutcome,
    InterviewStatus,
    OfferStatus,
    OpportunityStatus,
    Role,
    RotlStatus,
)
from tests import factories

S = ApplicationStatus


@pytest.fixture()
def employer(db_session):
    return factories.user(Role.EMPLOYER)


def _later(days=3):
    return clock.utc_now() + dt.timedelta(days=days)


def _after(interview):
    """The clock an hour after the interview began."""
    return clock.frozen(interview.scheduled_at + dt.timedelta(hours=1))


def test_apply_writes_history_and_audit(db_session, employer):
    candidate = factories.candidate()
    opportunity = factories.opportunity(employer.organisation)
    application = journey.apply(candidate, opportunity, actor=candidate.user)
    assert application.status is S.APPLIED
    assert [e.to_status for e in application.events] == [S.APPLIED]
    assert db_session.query(AuditEvent).filter_by(action="application.applied").count() == 1


def test_cannot_apply_twice(db_session, employer):
    candidate = factories.candidate()
    opportunity = factories.opportunity(employer.organisation)
    journey.apply(candidate, opportunity, actor=candidate.user)
    with pytest.raises(JourneyError, match="already applied"):
        journey.apply(candidate, opportunity, actor=candidate.user)


def test_cannot_apply_to_closed_opportunity(db_session, employer):
    candidate = factories.candidate()
    opportunity = factories.opportunity(employer.organisation, status=OpportunityStatus.CLOSED)
    with pytest.raises(JourneyError, match="not taking applications"):
        journey.apply(candidate, opportunity, actor=candidate.user)


def test_candidate_inside_licence_exclusion_zone_cannot_apply(db_session, employer):
    candidate = factories.candidate(CandidateStatus.ON_LICENCE, exclusion_districts=["LS10"])
    opportunity = factories.opportunity(employer.organisation, postcode_district="LS10")
    with pytest.raises(JourneyError, match="licence"):
        journey.apply(candidate, opportunity, actor=candidate.user)


def test_full_journey_to_26_week_check_in(db_session, employer):
    candidate = factories.candidate()
    opportunity = factories.opportunity(employer.organisation)
    application = journey.apply(candidate, opportunity, actor=candidate.user)
    journey.shortlist(application, actor=employer)
    interview = journey.book_interview(application, actor=employer, when=_later(),
                                       location="Unit 4, Leeds")
    with _after(interview):
        journey.record_interview(interview, actor=employer, attended=True)
    journey.make_conditional_offer(application, actor=employer)
    journey.confirm_offer(application, actor=employer)
    placement = journey.start(application, actor=employer,
                              started_on=clock.uk_today() - dt.timedelta(weeks=27))
    for check_in in placement.check_ins:
        journey.record_check_in(check_in, actor=employer, outcome=CheckInOutcome.IN_WORK)
    assert [e.to_status for e in application.events] == [
        S.APPLIED, S.SHORTLISTED, S.INTERVIEW, S.CONDITIONAL_OFFER, S.OFFER_CONFIRMED, S.STARTED]
    assert [c.week for c in placement.check_ins] == [13, 26]
    assert all(c.outcome is CheckInOutcome.IN_WORK for c in placement.check_ins)


def test_check_in_cannot_be_recorded_before_it_is_due(db_session, employer):
    application = factories.application(factories.opportunity(employer.organisation),
                                        status=S.OFFER_CONFIRMED)
    placement = journey.start(application, actor=employer, started_on=clock.uk_today())
    with pytest.raises(JourneyError, match="not due"):
        journey.record_check_in(placement.check_ins[0], actor=employer,
                                outcome=CheckInOutcome.IN_WORK)


def test_rejection_needs_a_reason(db_session, employer):
    application = factories.application(factories.opportunity(employer.organisation))
    with pytest.raises(JourneyError, match="reason"):
        journey.reject(application, actor=employer, reason="  ")
    journey.reject(application, actor=employer, reason="We chose someone with more experience")
    assert application.status is S.UNSUCCESSFUL
    assert application.outcome_reason == "We chose someone with more experience"


def test_guaranteed_interview_cannot_be_skipped(db_session, employer):
    opportunity = factories.opportunity(employer.organisation, guaranteed_interview=True,
                                        required_skills=["forklift"])
    application = factories.application(opportunity, factories.candidate(skills=["forklift"]))
    assert "reject" not in journey.allowed_actions(application)
    with pytest.raises(JourneyError, match="guarantees an interview"):
        journey.reject(application, actor=employer, reason="No")
    interview = journey.book_interview(application, actor=employer, when=_later(),
                                       location="Leeds")
    assert interview.guaranteed
    with _after(interview):
        journey.record_interview(interview, actor=employer, attended=True)
    journey.reject(application, actor=employer, reason="Not enough experience yet")
    assert application.status is S.UNSUCCESSFUL


def test_guarantee_does_not_cover_candidates_who_miss_the_minimum(db_session, employer):
    opportunity = factories.opportunity(employer.organisation, guaranteed_interview=True,
                                        required_skills=["forklift", "cscs_card"])
    application = factories.application(opportunity, factories.candidate(skills=["forklift"]))
    journey.reject(application, actor=employer, reason="You need a CSCS card for this role")
    assert application.status is S.UNSUCCESSFUL


def test_interview_for_person_in_custody_needs_rotl_from_their_own_prison(db_session, employer):
    pel = factories.user(Role.PEL)
    other_pel = factories.user(Role.PEL, prison=factories.prison("WDI"))
    candidate = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                    rotl_eligible=True)
    opportunity = factories.opportunity(employer.organisation, accepts_rotl=True)
    application = factories.application(opportunity, candidate)
    interview = journey.book_interview(application, actor=employer, when=_later(),
                                       location="Leeds")
    assert interview.rotl_status is RotlStatus.PENDING
    with pytest.raises(JourneyError, match="own prison"):
        journey.decide_rotl(interview, pel=other_pel, approve=True)
    journey.decide_rotl(interview, pel=pel, approve=True)
    assert interview.rotl_status is RotlStatus.APPROVED


def test_offer_withdrawn_after_disclosure_is_provisional_for_five_working_days(db_session,
                                                                                 employer):
    application = factories.application(factories.opportunity(employer.organisation),
                                        status=S.INTERVIEW)
    offer = journey.make_conditional_offer(application, actor=employer)
    journey._move(application, S.DISCLOSURE, actor=employer)
    journey.withdraw_offer(application, actor=employer, reason="Conviction relevant to role")
    assert offer.status is OfferStatus.CONDITIONAL
    assert offer.provisional_until == clock.add_working_days(clock.uk_today(), 5)
    with pytest.raises(JourneyError, match="to respond"):
        journey.withdraw_offer(application, actor=employer, reason="Final")
    assert application.status is S.DISCLOSURE


@pytest.mark.parametrize(("proposed", "final"), [
    # Christmas Day is a Friday and Boxing Day a Saturday, so Monday 28th is a bank holiday.
    (dt.date(2026, 12, 18), dt.date(2026, 12, 29)),
    # Good Friday 3 April, Easter Monday 6 April.
    (dt.date(2026, 4, 2), dt.date(2026, 4, 13)),
    (dt.date(2026, 11, 20), dt.date(2026, 11, 27)),
])
def test_withdrawal_after_disclosure_waits_five_working_days_skipping_bank_holidays(
        db_session, employer, proposed, final):
    application = factories.application(factories.opportunity(employer.organisation),
                                        status=S.INTERVIEW)
    offer = journey.make_conditional_offer(application, actor=employer)
    journey.move_to_disclosure(application, actor=employer)
    with clock.frozen(proposed):
        journey.withdraw_offer(application, actor=employer, reason="Conviction relevant to role")
    assert offer.provisional_until == final
    with clock.frozen(final - dt.timedelta(days=1)), pytest.raises(JourneyError,
                                                                    match="to respond"):
        journey.withdraw_offer(application, actor=employer, reason="Final")
    with clock.frozen(final):
        journey.withdraw_offer(application, actor=employer, reason="Final")
    assert offer.status is OfferStatus.WITHDRAWN
    assert application.status is S.UNSUCCESSFUL


def test_nomination_only_by_own_prison_and_needs_agreement(db_session, employer):
    pel = factories.user(Role.PEL)
    candidate = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                    rotl_eligible=True)
    opportunity = factories.opportunity(employer.organisation, accepts_rotl=True)
    other_pel = factories.user(Role.PEL, prison=factories.prison("WDI"))
    with pytest.raises(JourneyError, match="own prison"):
        journey.nominate(candidate, opportunity, pel=other_pel)
    application = journey.nominate(candidate, opportunity, pel=pel)
    assert application.status is S.NOMINATED
    journey.respond_to_nomination(application, actor=pel, accept=True)
    assert application.status is S.APPLIED


def test_owed_lists_waiting_applications_oldest_first(db_session, employer):
    opportunity = factories.opportunity(employer.organisation)
    first = factories.application(opportunity)
    second = factories.application(opportunity)
    factories.application(opportunity, status=S.UNSUCCESSFUL, outcome_reason="Filled")
    owed = journey.owed(employer.organisation)
    assert [a.id for a, _days in owed] == [first.id, second.id]
    assert [a.id for a, _days in journey.owed(employer.organisation, limit=1)] == [first.id]


def test_owed_counts_days_from_the_last_step_and_sees_only_its_own(db_session, employer):
    opportunity = factories.opportunity(employer.organisation)
    with clock.frozen(dt.date(2026, 3, 2)):
        old = factories.application(opportunity)
        recent = factories.application(opportunity)
    with clock.frozen(dt.date(2026, 3, 20)):
        journey.shortlist(recent, actor=employer)  # a step: waiting again from here
    factories.application(factories.opportunity())  # another employer's
    with clock.frozen(dt.date(2026, 3, 30)):
        owed = journey.owed(employer.organisation)
    assert [(a.id, days) for a, days in owed] == [(old.id, 28), (recent.id, 10)]


# --- interviews: recorded only after they happen; a no-show only when the person could come ---


def _guaranteed_application(employer, **candidate):
    opportunity = factories.opportunity(employer.organisation, guaranteed_interview=True,
                                        required_skills=["forklift"], accepts_rotl=True)
    return factories.application(opportunity, factories.candidate(skills=["forklift"],
                                                                  **candidate))


def _in_custody(pel):
    return dict(status=CandidateStatus.IN_CUSTODY, prison=pel.prison, rotl_eligible=True)


def test_interview_cannot_be_recorded_before_it_happens(db_session, employer):
    application = _guaranteed_application(employer)
    interview = journey.book_interview(application, actor=employer, when=_later(),
                                       location="Leeds")
    assert "record_interview" not in journey.allowed_actions(application)
    for attended in (True, False):
        with pytest.raises(JourneyError, match="once it has happened"):
            journey.record_interview(interview, actor=employer, attended=attended)
    assert interview.status is InterviewStatus.BOOKED
    with pytest.raises(JourneyError, match="guarantees an interview"):
        journey.reject(application, actor=employer, reason="No")
    with _after(interview):
        assert "record_interview" in journey.allowed_actions(application)
        assert journey.interview_to_record(application) is interview
        journey.record_interview(interview, actor=employer, attended=False)
        assert "reject" in journey.allowed_actions(application)
        journey.reject(application, actor=employer, reason="You did not come to the interview")
    assert interview.status is InterviewStatus.NO_SHOW


@pytest.mark.parametrize("approve", [None, False], ids=["pending", "refused"])
def test_no_show_is_refused_while_day_release_is_not_approved(db_session, employer, approve):
    pel = factories.user(Role.PEL)
    application = _guaranteed_application(employer, **_in_custody(pel))
    interview = journey.book_interview(application, actor=employer, when=_later(),
                                       location="Leeds")
    if approve is not None:
        journey.decide_rotl(interview, pel=pel, approve=approve)
    with _after(interview):
        with pytest.raises(JourneyError, match="Book the interview again"):
            journey.record_interview(interview, actor=employer, attended=False)
        assert interview.status is InterviewStatus.BOOKED
        assert "reject" not in journey.allowed_actions(application)
        with pytest.raises(JourneyError, match="guarantees an interview"):
            journey.reject(application, actor=employer, reason="Did not come")
        assert "book_interview" in journey.allowed_actions(application)


def test_no_show_after_day_release_was_approved_counts_as_interviewed(db_session, employer):
    pel = factories.user(Role.PEL)
    application = _guaranteed_application(employer, **_in_custody(pel))
    interview = journey.book_interview(application, actor=employer, when=_later(),
                                       location="Leeds")
    journey.decide_rotl(interview, pel=pel, approve=True)
    with _after(interview):
        journey.record_interview(interview, actor=employer, attended=False)
        journey.reject(application, actor=employer, reason="You did not come to the interview")
    assert application.status is S.UNSUCCESSFUL


def test_a_no_show_recorded_when_day_release_was_refused_is_no_interview(db_session, employer):
    """Such rows were written before the rule: they do not unlock turning the person down."""
    pel = factories.user(Role.PEL)
    application = _guaranteed_application(employer, **_in_custody(pel))
    interview = journey.book_interview(application, actor=employer, when=_later(),
                                       location="Leeds")
    journey.decide_rotl(interview, pel=pel, approve=False)
    interview.status = InterviewStatus.NO_SHOW
    assert "reject" not in journey.allowed_actions(application)
    with pytest.raises(JourneyError, match="guarantees an interview"):
        journey.reject(application, actor=employer, reason="Did not come")


def test_booking_again_replaces_the_interview_and_asks_for_day_release_again(db_session,
                                                                             employer):
    pel = factories.user(Role.PEL)
    application = _guaranteed_application(employer, **_in_custody(pel))
    first = journey.book_interview(application, actor=employer, when=_later(),
                                   location="Leeds")
    journey.decide_rotl(first, pel=pel, approve=False)
    second = journey.book_interview(application, actor=employer, when=_later(days=10),
                                    location="Leeds")
    assert first.status is InterviewStatus.CANCELLED
    assert journey.booked_interview(application) is second
    assert second.rotl_status is RotlStatus.PENDING
    assert [i for i, _days in prison_services.rotl_pending(pel)] == [second]
    with pytest.raises(JourneyError, match="no longer booked"):
        journey.decide_rotl(first, pel=pel, approve=True)
    journey.decide_rotl(second, pel=pel, approve=True)
    with _after(second):
        journey.record_interview(second, actor=employer, attended=True)
        journey.reject(application, actor=employer, reason="Not enough experience yet")
    assert application.status is S.UNSUCCESSFUL


def test_interview_time_is_stored_in_utc_and_read_back_aware(db_session, employer):
    application = factories.application(factories.opportunity(employer.organisation))
    in_summer = dt.datetime(2027, 7, 1, 10, 30, tzinfo=clock.UK)  # BST: 09:30 UTC
    with clock.frozen(dt.date(2027, 6, 1)):
        interview = journey.book_interview(application, actor=employer, when=in_summer,
                                           location="Leeds")
    db_session.flush()
    db_session.expire(interview)
    assert interview.scheduled_at == in_summer
    assert interview.scheduled_at.tzinfo is dt.UTC
    assert interview.scheduled_at.hour == 9
    assert interview.created_at.tzinfo is dt.UTC


def test_a_naive_datetime_is_refused_when_saved(db_session, employer):
    application = factories.application(factories.opportunity(employer.organisation))
    application.created_at = dt.datetime(2027, 7, 1, 10, 30)
    with pytest.raises(sa.exc.StatementError, match="Naive datetime"):
        db_session.flush()


def test_deadlines_follow_the_uk_day_not_the_servers(db_session, employer):
    application = factories.application(factories.opportunity(employer.organisation),
                                        status=S.OFFER_CONFIRMED)
    due = dt.date(2027, 7, 2)
    placement = journey.start(application, actor=employer, started_on=due - dt.timedelta(weeks=13))
    # 23:30 UTC on 1 July is 00:30 on 2 July in the UK (BST): the check-in is due.
    with clock.frozen(dt.datetime(2027, 7, 1, 23, 30, tzinfo=dt.UTC)):
        assert clock.uk_today() == due
        journey.record_check_in(placement.check_ins[0], actor=employer,
                                outcome=CheckInOutcome.IN_WORK)
    assert placement.check_ins[0].recorded_at == dt.datetime(2027, 7, 1, 23, 30, tzinfo=dt.UTC)
