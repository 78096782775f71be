import datetime as dt

from marketplace import journey
from marketplace.admin import reports
from marketplace.types import ApplicationStatus, CandidateStatus, CheckInOutcome, Role
from tests import factories
from tests.pages import PageClient


def _journey_to_26_weeks(employer, candidate, *, stays: bool):
    opportunity = factories.opportunity(employer.organisation)
    application = factories.application(opportunity, candidate, status=ApplicationStatus.INTERVIEW)
    journey.make_conditional_offer(application, actor=employer)
    journey.confirm_offer(application, actor=employer)
    placement = journey.start(application, actor=employer,
                              started_on=dt.date.today() - dt.timedelta(weeks=30))
    for check_in in placement.check_ins:
        journey.record_check_in(check_in, actor=employer, outcome=CheckInOutcome.IN_WORK
                                if stays else CheckInOutcome.LEFT)


def test_outcomes_by_prison_count_each_step_and_retention(db_session):
    employer = factories.user(Role.EMPLOYER)
    pel = factories.user(Role.PEL)
    inside = [factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                  rotl_eligible=True) for _ in range(2)]
    _journey_to_26_weeks(employer, inside[0], stays=True)
    _journey_to_26_weeks(employer, inside[1], stays=False)
    opportunity = factories.opportunity(employer.organisation, accepts_rotl=True)
    journey.nominate(inside[0], opportunity, pel=pel)
    rows = {r.group: r for r in reports.outcomes(reports.GroupBy.PRISON)}
    row = rows[pel.prison.name]
    assert (row.nominations, row.applications, row.interviews, row.offers, row.starts) == \
        (1, 3, 2, 2, 2)
    assert (row.in_work_26_weeks, row.checked_26_weeks, row.retention) == (1, 2, "50%")


def test_report_page_groups_by_each_dimension_with_fixed_query_count(app, db_session,
                                                                      count_queries):
    admin = factories.user(Role.ADMIN)
    employer = factories.user(Role.EMPLOYER)
    factories.application(factories.opportunity(employer.organisation))
    pages = PageClient(app.test_client(user=admin))
    for group in reports.GroupBy:
        page = pages.get(f"/admin/reports?by={group.value}")
        assert page.select("tbody tr"), group
    with count_queries() as small:
        pages.get("/admin/reports?by=employer")
    for _ in range(5):
        factories.application(factories.opportunity(factories.organisation()))
    with count_queries() as large:
        pages.get("/admin/reports?by=employer")
    assert large() == small()
    pages.get("/admin/reports?by=nonsense", expected_status=404)
