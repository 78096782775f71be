"""A finished outcome report is kept and shown again until the app changes something, but is
worked out again at most once a minute, and at least once an hour (reports/services.py)."""

import datetime as dt

import pytest

from marketplace import audit, clock
from marketplace.reports import services
from marketplace.types import Role
from tests import factories
from tests.pages import PageClient


@pytest.fixture()
def counted(monkeypatch):
    """How many times a report was worked out from the applications."""
    calls = []
    real = services.build

    def build(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "build", build)
    return calls


def _applied(report) -> str:
    return dict((row[0], row[1]) for row in report.tables["funnel"].rows)["Applied or nominated"]


def test_a_report_is_kept_until_the_app_changes_something(app, db_session, counted):
    admin = factories.user(Role.ADMIN)
    scope = services.Scope()
    start = clock.utc_now()
    with clock.frozen(start):
        factories.application()
        first = services.finished(scope, dimension="employer")
        assert _applied(first) == "1" and len(counted) == 1
    with clock.frozen(start + dt.timedelta(minutes=30)):
        # Nothing the app did since: the kept report, without counting again.
        again = services.finished(scope, dimension="employer")
        assert again.tables == first.tables and len(counted) == 1
        # Another dimension or date range is another report.
        services.finished(scope, dimension="sector")
        assert len(counted) == 2

        factories.application()
        audit.record("application.created", actor=admin)  # as every change the app makes
        services.finished(scope, dimension="employer")
        assert len(counted) == 3
    with clock.frozen(start + dt.timedelta(minutes=30, seconds=30)):
        # Within a minute of working it out, even a change waits: a busy service does not
        # count every application on every view.
        factories.application()
        audit.record("application.created", actor=admin)
        assert _applied(services.finished(scope, dimension="employer")) == "2"
        assert len(counted) == 3
    with clock.frozen(start + dt.timedelta(minutes=32)):
        assert _applied(services.finished(scope, dimension="employer")) == "3"
        assert len(counted) == 4


def test_a_report_is_worked_out_again_after_an_hour_whatever_changed(app, db_session, counted):
    scope = services.Scope()
    start = clock.utc_now()
    with clock.frozen(start):
        application = factories.application()
        services.finished(scope, dimension="employer")
    with clock.frozen(start + dt.timedelta(minutes=59)):
        # Changed outside the app: no audit or application event.
        application.opportunity.organisation.name = "Renamed Limited"
        db_session.flush()
        table = services.finished(scope, dimension="employer").tables["by_employer"]
        assert "Renamed Limited" not in [row[0] for row in table.rows]
        assert len(counted) == 1
    with clock.frozen(start + dt.timedelta(minutes=61)):
        table = services.finished(scope, dimension="employer").tables["by_employer"]
        assert "Renamed Limited" in [row[0] for row in table.rows]
        assert len(counted) == 2


def test_each_slice_has_its_own_report_and_small_numbers_stay_hidden(app, db_session, counted):
    employer = factories.user(Role.EMPLOYER)
    other = factories.user(Role.EMPLOYER)
    factories.application(factories.opportunity(employer.organisation))
    for user in (employer, other, employer, other):
        PageClient(app.test_client(user=user)).get("/reports/")
    assert len(counted) == 2  # one each, then kept
    mine = services.finished(services.Scope.for_user(employer), dimension="month")
    theirs = services.finished(services.Scope.for_user(other), dimension="month")
    assert _applied(mine) == services.FEWER_THAN_5 and _applied(theirs) == "0"


def test_a_download_is_the_table_on_the_page(app, db_session, counted):
    admin = factories.user(Role.ADMIN)
    factories.application()
    client = app.test_client(user=admin)
    page = PageClient(client).get("/reports/?by=employer")
    csv = client.get("/reports/download/by_employer.csv").get_data(as_text=True)
    assert len(counted) == 1
    assert page.select_one("#table-by_employer") is not None
    assert csv.splitlines()[0].startswith("Employer,")


def test_a_table_of_hundreds_of_employers_shows_the_first_30_and_downloads_all(app, db_session):
    admin = factories.user(Role.ADMIN)
    for _ in range(31):
        factories.application(factories.opportunity(factories.organisation()))
    client = app.test_client(user=admin)
    page = PageClient(client).get("/reports/?by=employer")
    assert len(page.select("#table-by_employer tbody tr")) == 30
    assert "The first 30 of 31 rows are shown. Download the table to see them all." \
        in page.get_text()
    csv = client.get("/reports/download/by_employer.csv").get_data(as_text=True)
    assert len(csv.splitlines()) == 1 + 31
    assert len(page.select("#table-funnel tbody tr")) == len(services.STAGES)  # short: whole


def test_the_admin_home_page_counts_are_exact_after_a_decision(app, db_session):
    from marketplace.models import Organisation
    from marketplace.types import OrganisationStatus

    admin = factories.user(Role.ADMIN)
    waiting = [factories.organisation(status=OrganisationStatus.PENDING) for _ in range(2)]
    pages = PageClient(app.test_client(user=admin))
    assert "2 organisations waiting for a decision" in pages.get("/admin/").get_text()
    assert "2 organisations waiting" in pages.get("/admin/").get_text()  # kept, unchanged
    pages.post(f"/admin/organisations/{waiting[0].id}", {"decision": "approve"},
               expected_status=302)
    assert db_session.get(Organisation, waiting[0].id).status is OrganisationStatus.APPROVED
    assert "1 organisation waiting for a decision" in pages.get("/admin/").get_text()
