"""The employer's application page offers only what journey.allowed_actions allows now: how an
interview went only after it has happened, and booking again when day release was refused."""

import datetime as dt

from marketplace import clock, journey
from marketplace.types import CandidateStatus, InterviewStatus, Role
from tests import factories
from tests.pages import PageClient

RECORD_FORM = "form[action$='/record_interview']"


def _act(pages, application, action, data):
    url = f"/employer/applications/{application.id}"
    return pages.post(f"{url}/{action}", {f"{action}-{k}": v for k, v in data.items()},
                      form_url=url)


def _booked(employer, candidate):
    opportunity = factories.opportunity(employer.organisation, guaranteed_interview=True,
                                        required_skills=["forklift"], accepts_rotl=True)
    application = factories.application(opportunity, candidate)
    interview = journey.book_interview(application, actor=employer,
                                       when=clock.utc_now() + dt.timedelta(minutes=5),
                                       location="Unit 4, Leeds")
    return application, interview


def _after(interview):
    # Soon after, so the employer's session is not idle for too long (auth/sessions.py).
    return clock.frozen(interview.scheduled_at + dt.timedelta(minutes=10))


def test_outcome_is_offered_only_once_the_interview_has_happened(app, db_session):
    employer = factories.user(Role.EMPLOYER)
    application, interview = _booked(employer, factories.candidate(skills=["forklift"]))
    pages = PageClient(app.test_client(user=employer))
    url = f"/employer/applications/{application.id}"

    page = pages.get(url)
    assert not page.select(RECORD_FORM)
    assert "after it has happened" in page.get_text()
    assert "Book the interview again" in page.get_text()
    refused = _act(pages, application, "record_interview", {"attended": "no"})
    assert refused.status_code == 200
    assert "You cannot do this now" in refused.get_data(as_text=True)
    assert interview.status is InterviewStatus.BOOKED

    with _after(interview):
        assert pages.get(url).select(RECORD_FORM)
        assert _act(pages, application, "record_interview", {"attended": "yes"}
                    ).status_code == 302
    assert interview.status is InterviewStatus.COMPLETED


def test_refused_day_release_asks_the_employer_to_book_again(app, db_session):
    employer = factories.user(Role.EMPLOYER)
    pel = factories.user(Role.PEL)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 rotl_eligible=True, skills=["forklift"])
    application, interview = _booked(employer, person)
    journey.decide_rotl(interview, pel=pel, approve=False)
    pages = PageClient(app.test_client(user=employer))
    url = f"/employer/applications/{application.id}"

    with _after(interview):
        page = pages.get(url)
        assert "refused day release" in page.select_one("form[action$='/book_interview']"
                                                        ).get_text()
        response = _act(pages, application, "record_interview", {"attended": "no"})
        assert response.status_code == 200
        assert "Book the interview again instead" in response.get_data(as_text=True)
        assert interview.status is InterviewStatus.BOOKED
        assert not page.select("a[href$='/reject'], form[action$='/reject']")

        day = clock.uk_today() + dt.timedelta(days=7)
        assert _act(pages, application, "book_interview",
                    {"time": "10:30", "location": "Unit 4, Leeds",
                     "day": [str(day.day), str(day.month), str(day.year)]}).status_code == 302
    assert interview.status is InterviewStatus.CANCELLED
    again = journey.booked_interview(application)
    assert again.scheduled_at == dt.datetime(day.year, day.month, day.day, 10, 30,
                                             tzinfo=clock.UK)
