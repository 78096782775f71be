"""The candidate's own voice in the journey: agreeing (or not) to a nomination, and answering
an employer who plans to withdraw an offer after disclosure."""

import datetime as dt

import pytest

from marketplace import journey
from marketplace.types import ApplicationStatus, CandidateStatus, Role
from tests import factories
from tests.pages import PageClient

S = ApplicationStatus


@pytest.fixture()
def employer(db_session):
    return factories.user(Role.EMPLOYER)


def _provisional(employer, person):
    application = factories.application(factories.opportunity(employer.organisation), person,
                                        status=S.INTERVIEW)
    journey.make_conditional_offer(application, actor=employer)
    journey.move_to_disclosure(application, actor=employer)
    journey.withdraw_offer(application, actor=employer, reason="The role handles cash")
    return application


def test_candidate_answers_a_planned_withdrawal_and_the_employer_reads_it(app, db_session,
                                                                         employer):
    person = factories.candidate()
    application = _provisional(employer, person)
    pages = PageClient(app.test_client(user=person.user))
    url = f"/me/applications/{application.id}"
    page = pages.get(url).get_text()
    assert "The employer plans to withdraw the offer: The role handles cash" in page
    pages.post(f"{url}/respond", {"answer-response": "I have managed the tuck shop till for a "
                                  "year", "answer-csrf_token": pages.token(url)},
               form_url=url, expected_status=302)
    assert application.offer.candidate_response.startswith("I have managed")
    employer_page = PageClient(app.test_client(user=employer)).get(
        f"/employer/applications/{application.id}").get_text()
    assert "Their answer: I have managed the tuck shop till for a year" in employer_page


def test_empty_answer_is_refused_with_a_message(app, db_session, employer):
    person = factories.candidate()
    application = _provisional(employer, person)
    pages = PageClient(app.test_client(user=person.user))
    url = f"/me/applications/{application.id}"
    response = pages.post(f"{url}/respond", {"answer-response": "  ",
                                             "answer-csrf_token": pages.token(url)},
                          form_url=url, expected_status=200)
    assert "Enter what you want the employer to know" in response.get_data(as_text=True)
    assert application.offer.candidate_response is None


def test_no_answer_once_the_time_is_up(db_session, employer):
    person = factories.candidate()
    application = _provisional(employer, person)
    application.offer.provisional_until = dt.date.today()
    with pytest.raises(journey.JourneyError, match="The time to respond ended"):
        journey.respond_to_withdrawal(application, actor=person.user, response="Too late")


def test_nothing_to_answer_without_a_planned_withdrawal(app, db_session, employer):
    person = factories.candidate()
    application = factories.application(factories.opportunity(employer.organisation), person)
    pages = PageClient(app.test_client(user=person.user))
    url = f"/me/applications/{application.id}"
    response = pages.post(f"{url}/respond", {"answer-response": "Hello",
                                             "answer-csrf_token": pages.token(url)},
                          form_url=url, expected_status=200)
    assert "There is nothing to respond to." in response.get_data(as_text=True)


@pytest.mark.parametrize(("choice", "status"), [("yes", S.APPLIED), ("no", S.WITHDRAWN)])
def test_person_answers_their_own_nomination(app, db_session, choice, status):
    pel = factories.user(Role.PEL)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 user=factories.user(Role.CANDIDATE))
    nomination = journey.nominate(person, factories.opportunity(accepts_in_custody=True), pel=pel)
    pages = PageClient(app.test_client(user=person.user))
    url = f"/me/applications/{nomination.id}"
    assert "wants to put you forward" in pages.get(url).get_text()
    pages.post(f"{url}/answer", {"choice": choice}, form_url=url, expected_status=200)
    assert nomination.status is S.NOMINATED  # the check page first
    pages.post(f"{url}/answer", {"choice": choice, "confirm": "yes"}, form_url=url,
               expected_status=302)
    assert nomination.status is status
    again = pages.post(f"{url}/answer", {"choice": "yes", "confirm": "yes"}, form_url=url,
                       follow_redirects=True)
    assert "already been answered" in again.get_data(as_text=True)


def test_someone_else_cannot_answer_for_a_person(app, db_session, employer):
    application = _provisional(employer, factories.candidate())
    stranger = factories.candidate()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client = app.test_client(user=stranger.user)
        for action, data in (("respond", {"answer-response": "Not me"}),
                             ("answer", {"choice": "yes"})):
            assert client.post(f"/me/applications/{application.id}/{action}",
                               data=data).status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert application.offer.candidate_response is None
