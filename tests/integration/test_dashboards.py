"""Each role's home page: what needs doing, and empty states that say what to do next."""

import datetime as dt

from marketplace import clock, journey
from marketplace.types import ApplicationStatus, CandidateStatus, OrganisationStatus, Role
from tests import factories
from tests.pages import PageClient


def _pages(app, user):
    return PageClient(app.test_client(user=user))


def test_new_candidate_is_told_to_add_skills(app, db_session):
    candidate = factories.candidate(skills_text="", skills=[])
    page = _pages(app, candidate.user).get("/me/")
    assert "Add your skills" in page.get_text()
    assert "You have not applied for any jobs yet" in page.get_text()


def test_candidate_sees_applications_and_outcome_reasons(app, db_session):
    candidate = factories.candidate()
    factories.application(factories.opportunity(title="Forklift driver"), candidate)
    factories.application(factories.opportunity(title="Chef"), candidate,
                          status=ApplicationStatus.UNSUCCESSFUL,
                          outcome_reason="We needed a food hygiene certificate")
    text = _pages(app, candidate.user).get("/me/").get_text()
    assert "Forklift driver" in text and "Applied" in text
    assert "We needed a food hygiene certificate" in text


def test_pending_employer_is_told_what_happens_next(app, db_session):
    org = factories.organisation(status=OrganisationStatus.PENDING)
    employer = factories.user(Role.EMPLOYER, organisation=org)
    assert "We are checking your organisation" in _pages(app, employer).get("/employer/").get_text()


def test_employer_sees_who_is_waiting_for_an_answer(app, db_session):
    employer = factories.user(Role.EMPLOYER)
    factories.application(factories.opportunity(employer.organisation, title="Picker"))
    page = _pages(app, employer).get("/employer/")
    assert "People waiting for an answer from you" in page.get_text()
    assert page.select_one("tbody td").get_text(strip=True) == "Picker"


def test_employer_opportunity_list_query_count_does_not_grow(app, db_session, count_queries):
    employer = factories.user(Role.EMPLOYER)
    for _ in range(3):
        factories.application(factories.opportunity(employer.organisation))
    pages = _pages(app, employer)
    with count_queries() as few:
        pages.get("/employer/opportunities")
    for _ in range(12):
        factories.application(factories.opportunity(employer.organisation))
    with count_queries() as many:
        page = pages.get("/employer/opportunities")
    assert len(page.select("tbody tr")) == 15
    assert many() == few()


def test_pel_dashboard_shows_rotl_waiting_and_people_not_ready(app, db_session):
    pel = factories.user(Role.PEL)
    employer = factories.user(Role.EMPLOYER)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 release_date=dt.date.today() + dt.timedelta(weeks=4))
    application = factories.application(factories.opportunity(employer.organisation), person)
    journey.book_interview(application, actor=employer,
                           when=clock.utc_now() + dt.timedelta(days=5), location="Leeds")
    text = _pages(app, pel).get("/prison/").get_text()
    assert "Waiting 0 days" in text
    assert person.full_name in text and "work readiness not recorded" in text


def test_pel_caseload_is_only_their_prison_with_fixed_queries(app, db_session, count_queries):
    pel = factories.user(Role.PEL)
    elsewhere = factories.candidate(CandidateStatus.IN_CUSTODY, prison=factories.prison("WDI"))
    for _ in range(3):
        factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    pages = _pages(app, pel)
    with count_queries() as few:
        pages.get("/prison/caseload")
    for _ in range(12):
        factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    with count_queries() as many:
        page = pages.get("/prison/caseload")
    names = [td.get_text() for td in page.select("tbody tr td:first-child")]
    assert elsewhere.full_name not in names, (elsewhere.full_name, names)
    assert len(names) == 15
    assert many() == few()


def test_admin_dashboard_counts_pending_organisations(app, db_session):
    factories.organisation(status=OrganisationStatus.PENDING)
    text = _pages(app, factories.user(Role.ADMIN)).get("/admin/").get_text()
    assert "waiting for a decision" in text


def test_candidate_edits_profile_and_skills_are_normalised(app, db_session):
    candidate = factories.candidate(skills_text="", skills=[])
    pages = _pages(app, candidate.user)
    pages.get("/me/profile/edit")
    response = pages.post("/me/profile/edit", {
        "skills_text": "cooked for 300 on the wing, forklift licence", "headline": "Keen",
        "preferred_sectors": ["hospitality_catering"], "preferred_hours": "full_time",
        "max_travel_miles": "10", "home_district": "m4", "visible_to_employers": "y"},
        expected_status=302)
    assert response.headers["Location"] == "/me/profile"
    assert candidate.skills == ["volume_catering", "forklift"]
    assert (candidate.home_district, candidate.max_travel_miles) == ("M4", 10)


def test_profile_needs_skills_and_a_real_postcode_area(app, db_session):
    candidate = factories.candidate()
    pages = _pages(app, candidate.user)
    from tests.pages import check_page

    response = pages.post("/me/profile/edit", {"skills_text": " ", "home_district": "ZZ9",
                                               "max_travel_miles": "10"}, expected_status=200)
    page = check_page(response.get_data(as_text=True))
    errors = page.select_one(".govuk-error-summary").get_text()
    assert "Tell us what you can do" in errors and "We cannot find the postcode area" in errors
    assert candidate.home_district == "LS11"
