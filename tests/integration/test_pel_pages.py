"""Prison employment leads nominate people, record their answer, and decide day release
(ROTL) for interviews, only for people in their own prison."""

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace import journey
from marketplace.clock import utc_now
from marketplace.models import Application
from marketplace.types import ApplicationStatus, CandidateStatus, Role, RotlStatus
from tests import factories
from tests.pages import PageClient

RELEASE_SOON = dt.date.today() + dt.timedelta(days=20)


@pytest.fixture()
def pel(db_session):
    return factories.user(Role.PEL)


@pytest.fixture()
def person(pel):
    return factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                               release_date=RELEASE_SOON)


def _nominations(db_session) -> list[Application]:
    return list(db_session.scalars(sa.select(Application)))


def test_pel_nominates_and_records_that_the_person_agrees(app, db_session, pel, person):
    opportunity = factories.opportunity()
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/people/{person.id}/nominate/{opportunity.id}"
    assert "The employer sees nothing until" in pages.get(url).get_text()
    pages.post(url, {"note": "Reliable, two years in the kitchens"}, expected_status=302)
    (nomination,) = _nominations(db_session)
    assert nomination.status is ApplicationStatus.NOMINATED
    assert nomination.nominated_by_id == pel.id
    employer = factories.user(Role.EMPLOYER, organisation=opportunity.organisation)
    assert app.test_client(user=employer).get(
        f"/employer/applications/{nomination.id}").status_code == 404  # not agreed yet

    page = pages.get(f"/prison/people/{person.id}")
    check = f"/prison/applications/{nomination.id}/answer?choice=yes"
    assert page.select(f"a[href='{check}']")
    assert "will see Sam’s name and profile" in pages.get(check).get_text()
    pages.post(f"/prison/applications/{nomination.id}/answer", {"choice": "yes", "confirm": "yes"},
               form_url=f"/prison/people/{person.id}", expected_status=302)
    assert nomination.status is ApplicationStatus.APPLIED
    assert app.test_client(user=employer).get(
        f"/employer/applications/{nomination.id}").status_code == 200


def test_person_can_decline_a_nomination(app, db_session, pel, person):
    nomination = journey.nominate(person, factories.opportunity(), pel=pel)
    pages = PageClient(app.test_client(user=pel))
    pages.post(f"/prison/applications/{nomination.id}/answer", {"choice": "no"},
               form_url=f"/prison/people/{person.id}", expected_status=200)
    assert nomination.status is ApplicationStatus.NOMINATED  # the check page first
    pages.post(f"/prison/applications/{nomination.id}/answer", {"choice": "no", "confirm": "yes"},
               form_url=f"/prison/people/{person.id}", expected_status=302)
    assert nomination.status is ApplicationStatus.WITHDRAWN
    assert nomination.outcome_reason == "Declined the nomination"


def test_nomination_note_too_long_is_refused(app, db_session, pel, person):
    opportunity = factories.opportunity()
    pages = PageClient(app.test_client(user=pel))
    response = pages.post(f"/prison/people/{person.id}/nominate/{opportunity.id}",
                          {"note": "x" * 1001}, expected_status=200)
    assert "The note must be 1,000 characters or fewer" in response.get_data(as_text=True)
    assert _nominations(db_session) == []


def test_nominating_someone_who_cannot_take_the_role_says_why(app, db_session, pel):
    late = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                               release_date=dt.date.today() + dt.timedelta(days=400))
    opportunity = factories.opportunity()  # starts before release, no day release
    pages = PageClient(app.test_client(user=pel))
    response = pages.post(f"/prison/people/{late.id}/nominate/{opportunity.id}", {},
                          expected_status=200)
    assert "It starts before your release date" in response.get_data(as_text=True)
    assert _nominations(db_session) == []


def test_tampered_answer_is_refused(app, db_session, pel, person):
    nomination = journey.nominate(person, factories.opportunity(), pel=pel)
    pages = PageClient(app.test_client(user=pel))
    pages.post(f"/prison/applications/{nomination.id}/answer", {"choice": "maybe"},
               form_url=f"/prison/people/{person.id}", expected_status=400)
    assert nomination.status is ApplicationStatus.NOMINATED


def _interview(person):
    opportunity = factories.opportunity(accepts_rotl=True)
    application = factories.application(opportunity, person)
    employer = factories.user(Role.EMPLOYER, organisation=opportunity.organisation)
    return journey.book_interview(application, actor=employer,
                                  when=utc_now() + dt.timedelta(days=5), location="Leeds")


def test_pel_approves_day_release_from_the_dashboard(app, db_session, pel, person):
    interview = _interview(person)
    assert interview.rotl_status is RotlStatus.PENDING
    pages = PageClient(app.test_client(user=pel))
    page = pages.get("/prison/")
    assert person.full_name in page.get_text()
    approve = f"/prison/interviews/{interview.id}/day-release/approve"
    assert page.select_one(f"a[href='{approve}']") is not None
    pages.post(approve, {"confirm": "yes"}, expected_status=302)
    assert interview.rotl_status is RotlStatus.APPROVED
    assert interview.rotl_decided_by_id == pel.id
    refuse = f"/prison/interviews/{interview.id}/day-release/refuse"
    assert "already been approved" in pages.get(refuse).get_text()
    again = pages.post(refuse, {"confirm": "yes"}, form_url=approve, follow_redirects=True)
    assert "already been decided" in again.get_data(as_text=True)
    assert interview.rotl_status is RotlStatus.APPROVED


def test_another_prison_cannot_nominate_answer_or_decide(app, db_session, person):
    other = factories.user(Role.PEL, prison=factories.prison("WDI"))
    interview = _interview(person)
    nomination = factories.application(factories.opportunity(), person,
                                       status=ApplicationStatus.NOMINATED)
    opportunity = factories.opportunity()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client = app.test_client(user=other)
        assert client.get(f"/prison/people/{person.id}/jobs").status_code == 404
        assert client.post(f"/prison/people/{person.id}/nominate/{opportunity.id}"
                           ).status_code == 404
        assert client.post(f"/prison/applications/{nomination.id}/answer",
                           data={"choice": "yes"}).status_code == 404
        assert client.get(f"/prison/interviews/{interview.id}/day-release/approve"
                          ).status_code == 404
        assert client.post(f"/prison/interviews/{interview.id}/day-release/approve",
                           data={"confirm": "yes"}).status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert nomination.status is ApplicationStatus.NOMINATED
    assert interview.rotl_status is RotlStatus.PENDING
