import datetime as dt

import pytest

from marketplace import journey
from marketplace.journey import JourneyError
from marketplace.models import AuditEvent
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    CheckInOutcome,
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
    return dt.datetime.now() + dt.timedelta(days=days)


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
    journey.record_interview(interview, actor=employer, attended=True)
    journey.make_conditional_offer(application, actor=employer)
    journey.confirm_offer(application, actor=employer)
    placement = journey.start(application, actor=employer,
                              started_on=dt.date.today() - dt.timedelta(weeks=27))
    for check_in in placement.check_ins:
        journey.record_check_in(check_in, actor=employer, outcome=CheckInOutcome.IN_WORK)
    assert [e.to_status for e in application.events] == [
        S.APPLIED, S.SHORTLISTED, S.INTERVIEW, S.CONDITIONAL_OFFER, S.OFFER_CONFIRMED, S.STARTED]
    assert [c.week for c in placement.check_ins] == [13, 26]
    assert all(c.outcome is CheckInOutcome.IN_WORK for c in placement.check_ins)


def test_check_in_cannot_be_recorded_before_it_is_due(db_session, employer):
    application = factories.application(factories.opportunity(employer.organisation),
                                        status=S.OFFER_CONFIRMED)
    placement = journey.start(application, actor=employer, started_on=dt.date.today())
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
    assert offer.provisional_until == journey.add_working_days(dt.date.today(), 5)
    with pytest.raises(JourneyError, match="to respond"):
        journey.withdraw_offer(application, actor=employer, reason="Final")
    assert application.status is S.DISCLOSURE


def test_working_days_skip_weekends():
    friday = dt.date(2026, 11, 20)
    assert journey.add_working_days(friday, 5) == dt.date(2026, 11, 27)


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
