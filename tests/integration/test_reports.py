"""Outcome reports: the funnel, its tables and charts, each role's slice, small numbers hidden from
employers and prison staff, CSV downloads, and figures that stay with the prison that did the
work after the person is released or moves."""

import csv
import datetime as dt
import io

from marketplace import clock, journey
from marketplace.reports import services
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    CheckInOutcome,
    Role,
)
from tests import factories
from tests.pages import PageClient


def _journey_to_26_weeks(employer, candidate, *, stays: bool, prison=None):
    opportunity = factories.opportunity(employer.organisation)
    application = factories.application(opportunity, candidate, status=ApplicationStatus.INTERVIEW,
                                        prison_at_application_id=prison.id if prison else None)
    journey.make_conditional_offer(application, actor=employer)
    journey.confirm_offer(application, actor=employer)
    placement = journey.start(application, actor=employer,
                              started_on=dt.date.today() - dt.timedelta(weeks=30))
    for check_in in placement.check_ins:
        journey.record_check_in(check_in, actor=employer, outcome=CheckInOutcome.IN_WORK
                                if stays else CheckInOutcome.LEFT)
    return application


def _funnel(scope):
    return {s.stage.key: (s.count, s.out_of) for s in services.funnel(
        services.application_rows(scope))}


def test_funnel_counts_each_step_and_retention_by_prison_at_application(db_session):
    employer = factories.user(Role.EMPLOYER)
    pel = factories.user(Role.PEL)
    inside = [factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                  rotl_eligible=True) for _ in range(2)]
    _journey_to_26_weeks(employer, inside[0], stays=True, prison=pel.prison)
    _journey_to_26_weeks(employer, inside[1], stays=False, prison=pel.prison)
    opportunity = factories.opportunity(employer.organisation, accepts_rotl=True,
                                        accepts_in_custody=True)
    nomination = journey.nominate(inside[0], opportunity, pel=pel)
    assert nomination.prison_at_application_id == pel.prison_id  # set where it is made
    funnel = _funnel(services.Scope(prison_id=pel.prison_id))
    assert funnel["put_forward"][0] == 3
    assert funnel["interviewed"][0] == 2
    assert funnel["offered"][0] == funnel["started"][0] == 2
    assert funnel["week_13"] == (1, 2)
    assert funnel["week_26"] == (1, 2)
    table = services.by_dimension_table(services.application_rows(services.Scope()),
                                        services.Scope(), "prison")
    row = next(r for r in table.rows if r[0] == pel.prison.name)
    assert row[1:] == ("3", "1", "2", "2", "2", "67%", "1", "50%")


def test_counts_stay_with_the_prison_after_release_and_transfer(db_session):
    employer = factories.user(Role.EMPLOYER)
    pel = factories.user(Role.PEL)
    opportunity = factories.opportunity(employer.organisation, accepts_in_custody=True,
                                        accepts_rotl=True)
    people = [factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                  user=factories.user(Role.CANDIDATE)) for _ in range(2)]
    for person in people:
        journey.apply(person, opportunity, actor=person.user)
    scope = services.Scope.for_user(pel)
    before = _funnel(scope)["put_forward"][0]
    assert before == 2
    released, moved = people
    released.status, released.prison, released.release_date = CandidateStatus.RELEASED, None, None
    moved.prison = factories.prison("HDI")
    db_session.flush()
    assert _funnel(scope)["put_forward"][0] == 2
    other_pel = factories.user(Role.PEL, prison=factories.prison("HDI"))
    assert _funnel(services.Scope.for_user(other_pel))["put_forward"][0] == 0


def test_employer_and_pel_see_small_numbers_as_fewer_than_5(app, db_session):
    employer = factories.user(Role.EMPLOYER)
    pel = factories.user(Role.PEL)
    admin = factories.user(Role.ADMIN)
    opportunity = factories.opportunity(employer.organisation)
    for _ in range(3):
        factories.application(opportunity, factories.candidate(CandidateStatus.IN_CUSTODY,
                                                               prison=pel.prison),
                              prison_at_application_id=pel.prison_id)
    for user in (employer, pel):
        page = PageClient(app.test_client(user=user)).get("/reports/")
        funnel = page.select_one("#table-funnel")
        assert "fewer than 5" in funnel.get_text()
        assert " 3" not in funnel.select_one("tbody tr").get_text()
        assert "fewer than 5" in page.select_one("svg").get_text()
        response = app.test_client(user=user).get("/reports/download/funnel.csv")
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[1] == ["Applied or nominated", "fewer than 5", ""]
    page = PageClient(app.test_client(user=admin)).get("/reports/")
    first = page.select_one("#table-funnel tbody tr").get_text(" ", strip=True)
    assert first.startswith("Applied or nominated Applications 3 ")


def test_each_role_sees_only_its_own_slice(db_session):
    ours = factories.user(Role.EMPLOYER)
    theirs = factories.user(Role.EMPLOYER)
    for _ in range(5):
        factories.application(factories.opportunity(ours.organisation))
    for _ in range(7):
        factories.application(factories.opportunity(theirs.organisation))
    # A nomination the person has not agreed to is not the employer's to see.
    pel = factories.user(Role.PEL)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    journey.nominate(person, factories.opportunity(ours.organisation, accepts_in_custody=True,
                                                   accepts_rotl=True), pel=pel)
    assert _funnel(services.Scope.for_user(ours))["put_forward"][0] == 5
    assert _funnel(services.Scope.for_user(theirs))["put_forward"][0] == 7
    assert _funnel(services.Scope.for_user(pel))["put_forward"][0] == 1
    assert _funnel(services.Scope())["put_forward"][0] >= 13


def test_date_range_filters_by_the_day_of_application(db_session):
    employer = factories.user(Role.EMPLOYER)
    scope = services.Scope(organisation_id=employer.organisation_id)
    with clock.frozen(dt.date(2026, 3, 10)):
        journey.apply(person := factories.candidate(), factories.opportunity(
            employer.organisation, closing_date=dt.date(2026, 4, 1),
            start_date=dt.date(2026, 4, 20)), actor=person.user)
    factories.application(factories.opportunity(employer.organisation))
    rows = services.application_rows(scope, dt.date(2026, 3, 10), dt.date(2026, 3, 10))
    assert len(rows) == 1
    assert services.application_rows(scope, dt.date(2026, 3, 11), dt.date(2026, 3, 31)) == []
    by_month = services.by_dimension_table(services.application_rows(scope), services.Scope(),
                                           "month")
    assert by_month.rows[0][0] == "March 2026"


def test_guaranteed_interviews_owed_and_honoured(db_session):
    employer = factories.user(Role.EMPLOYER)
    role = factories.opportunity(employer.organisation, guaranteed_interview=True,
                                 required_skills=["forklift"])
    met = [factories.application(role, factories.candidate()) for _ in range(2)]
    factories.application(role, factories.candidate(skills=[]))  # does not meet them: not owed
    with clock.frozen(clock.utc_now() - dt.timedelta(days=3)):
        interview = journey.book_interview(met[0], actor=employer,
                                           when=clock.utc_now() + dt.timedelta(days=1),
                                           location="The depot")
    journey.record_interview(interview, actor=employer, attended=True)
    scope = services.Scope()
    table = services.guaranteed_table(services.application_rows(
        services.Scope(organisation_id=employer.organisation_id)), scope)
    assert table.rows[0] == ("All employers", "2", "1", "50%", "1", "0")


def test_no_outcome_after_30_days_by_employer(db_session):
    employer = factories.user(Role.EMPLOYER)
    role = factories.opportunity(employer.organisation)
    with clock.frozen(clock.utc_now() - dt.timedelta(days=40)):
        old = [factories.application(role, factories.candidate()) for _ in range(3)]
    journey.reject(old[0], actor=employer, reason="We chose someone else")
    factories.application(role, factories.candidate())  # recent: not yet owed
    rows = services.application_rows(services.Scope(organisation_id=employer.organisation_id))
    table = services.ghosting_table(rows, services.Scope())
    assert table.rows == ((employer.organisation.name, "3", "2", "67%"),)
    times = services.time_to_outcome_table(rows, services.Scope())
    assert times.rows[0][:3] == ("All employers", "1", "40 days")


def test_employer_report_does_not_depend_on_conviction_records(app, db_session):
    """Two people differing only in their records: the employer's report and its CSV files
    read the same either way."""
    employer = factories.user(Role.EMPLOYER)
    role = factories.opportunity(employer.organisation)
    people = [factories.candidate() for _ in range(6)]
    for person in people:
        factories.application(role, person)
    client = app.test_client(user=employer)

    def snapshot():
        page = PageClient(client).get("/reports/?by=employer")
        tables = [t.get_text(" ", strip=True) for t in page.select("table")]
        charts = [str(svg) for svg in page.select("svg")]
        files = [client.get(f"/reports/download/{name}.csv").get_data(as_text=True)
                 for name in services.table_names()]
        return tables, charts, files

    before = snapshot()
    factories.conviction(people[0], actor=people[0].user)
    factories.conviction(people[1], actor=people[1].user, offence="Assault",
                         date=dt.date.today() - dt.timedelta(days=40))
    assert snapshot() == before


def test_report_pages_and_downloads_for_every_role(app, db_session, count_queries):
    admin = factories.user(Role.ADMIN)
    employer = factories.user(Role.EMPLOYER)
    pel = factories.user(Role.PEL)
    _journey_to_26_weeks(employer, factories.candidate(), stays=True)
    for user in (admin, employer, pel):
        pages = PageClient(app.test_client(user=user))
        for dimension in services.DIMENSIONS:
            page = pages.get(f"/reports/?by={dimension}")
            assert page.select_one(f"#table-by_{dimension}") or "Nothing to show" in page.text
        for name in services.table_names():
            response = app.test_client(user=user).get(f"/reports/download/{name}.csv")
            assert response.status_code == 200
            assert response.mimetype == "text/csv"
        pages.get("/reports/download/nonsense.csv", expected_status=404)
    pages = PageClient(app.test_client(user=admin))
    pages.get("/reports/?by=employer")  # the first request signs in: not the page's own
    with count_queries() as small:
        pages.get("/reports/?by=employer")
    for _ in range(5):
        factories.application(factories.opportunity(factories.organisation()))
    with count_queries() as large:
        pages.get("/reports/?by=employer")
    assert large() == small()


def test_charts_are_accessible_images_with_a_table_and_words(app, db_session):
    employer = factories.user(Role.EMPLOYER)
    admin = factories.user(Role.ADMIN)
    _journey_to_26_weeks(employer, factories.candidate(), stays=True)
    page = PageClient(app.test_client(user=admin)).get("/reports/")
    charts = page.select("svg[role=img]")
    assert len(charts) == 2
    for chart in charts:
        title_id, desc_id = chart["aria-labelledby"].split()
        assert page.find(id=title_id).get_text() and page.find(id=desc_id).get_text()
        assert not chart.find(attrs={"style": True}) and not chart.find("script")
    assert "Of 1 applications and nominations, 1 led to an interview" in page.text


def test_bad_filters_name_the_field_and_still_show_the_report(app, db_session):
    admin = factories.user(Role.ADMIN)
    pages = PageClient(app.test_client(user=admin))
    page = pages.get("/reports/?from=31-01-2026&to=1999-01-01&by=shoe+size")
    errors = page.select_one(".govuk-error-summary").get_text()
    assert "Start date must be a real date" in errors
    assert "End date must be between 2000 and 2100" in errors
    assert "Select what to group the applications by" in errors
    assert page.select_one("#table-funnel") or "Nothing to show" in page.text
    page = pages.get("/reports/?from=2026-03-01&to=2026-02-01")
    assert "End date must be the same as or after the start date" in page.text


def test_the_old_admin_address_leads_to_the_reports(app, db_session):
    admin = factories.user(Role.ADMIN)
    response = app.test_client(user=admin).get("/admin/reports?by=employer")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reports/?by=employer")
