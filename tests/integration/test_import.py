"""Bulk import of opportunities (issue 14): CSV on the organisation's page, JSON through the
API; everything checked first with the form's rules, nothing saved unless all is right,
re-importing updates by the employer's reference."""

import csv
import datetime as dt
import io
import time

import pytest
import sqlalchemy as sa

from marketplace.api import imports, services
from marketplace.extensions import db
from marketplace.models import Opportunity, OpportunityReference
from marketplace.permissions import API_SCOPES
from marketplace.types import OpportunityStatus, Role
from tests import factories
from tests.pages import check_page

CLOSES = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def _row(n: int, **overrides) -> dict:
    row = {"reference": f"ATS-{n:04d}", "kind": "vacancy", "title": f"Picker {n}",
           "description": "Pick and pack orders.", "sector": "logistics_warehousing",
           "skills_text": "picking, packing", "postcode_district": "LS10",
           "hours": "full_time", "paid": True, "pay_min_pence": 1271 + n,
           "pay_period": "hour", "pays_minimum_wage": True, "contract": "permanent",
           "places": 1, "closing_date": CLOSES, "check_level": "basic",
           "regulated_activity": "none"}
    row.update(overrides)
    return row


@pytest.fixture()
def employer(db_session):
    return factories.user(Role.EMPLOYER)


@pytest.fixture()
def api(app, employer):
    _, token = services.create_token(employer.organisation, actor=employer, name="ATS",
                                     scopes=API_SCOPES)
    client = app.test_client()

    def post(rows):
        return client.post("/api/v1/opportunities/import", json={"rows": rows},
                           headers={"Authorization": f"Bearer {token}"})
    return post


def _count(org) -> int:
    return db.session.scalar(sa.select(sa.func.count(Opportunity.id))
                             .where(Opportunity.organisation_id == org.id))


def test_a_thousand_rows_with_one_bad_import_nothing_then_all_once_fixed(api, employer):
    rows = [_row(n) for n in range(1, 1001)]
    rows[536] = _row(537, postcode_district="NOWHERE1")
    started = time.perf_counter()
    refused = api(rows)
    assert refused.status_code == 422
    body = refused.get_json()
    assert set(body["fields"]) == {"rows.537.postcode_district"}
    assert "537" not in body["message"] or "1 rows" in body["message"]
    assert _count(employer.organisation) == 0

    rows[536] = _row(537)
    imported = api(rows)
    elapsed = time.perf_counter() - started
    assert imported.status_code == 200, imported.get_json()
    assert imported.get_json()["created"] == 1000 and imported.get_json()["updated"] == 0
    assert _count(employer.organisation) == 1000
    print(f"\n1,000 rows checked twice and imported once in {elapsed:.1f} s")

    # The same rows again: updated by reference, not duplicated.
    rows[0] = _row(1, title="Senior picker")
    again = api(rows).get_json()
    assert again["created"] == 0 and again["updated"] == 1000
    assert _count(employer.organisation) == 1000
    first = db.session.scalar(sa.select(Opportunity).join(
        OpportunityReference, OpportunityReference.opportunity_id == Opportunity.id)
        .where(OpportunityReference.reference == "ATS-0001"))
    assert first.title == "Senior picker" and first.status is OpportunityStatus.DRAFT


def test_each_problem_is_reported_by_row_and_field(api, employer):
    rows = [_row(1, title=""), _row(2, places="two"), _row(3, reference=None), _row(1),
            _row(5, colour="red"), "not an object", _row(7, regulated_activity="children")]
    body = api(rows).get_json()
    assert body["fields"] == {
        "rows.1.title": "Enter a title",
        "rows.2.places": "Not a valid integer.",
        "rows.3.reference": "Enter your reference for this opportunity",
        "rows.4.reference": "Row 1 has the same reference",
        "rows.5.colour": "Unknown field.",
        "rows.6.row": "Each row must be an object",
        "rows.7.check_level": "Regulated activity needs an enhanced DBS check with barred "
                              "list",
    }
    assert _count(employer.organisation) == 0


def test_rows_may_publish(api, employer):
    body = api([_row(1, publish=True), _row(2)]).get_json()
    statuses = {o.id: o.status for o in db.session.scalars(
        sa.select(Opportunity).where(Opportunity.id.in_(body["ids"])))}
    assert sorted(s.value for s in statuses.values()) == ["draft", "open"]


def test_empty_or_too_many_rows_are_refused(api):
    assert api([]).status_code == 422
    assert "rows" in api([{}] * 2001).get_json()["fields"]


# --- the CSV page --------------------------------------------------------------------------------


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("yes" if v is True else "no" if v is False else v)
                         for k, v in row.items()})
    return out.getvalue().encode()


def _upload(client, data: bytes, name: str = "roles.csv"):
    page = check_page(client.get("/employer/api/import").get_data(as_text=True))
    token = page.select_one("input[name=csrf_token]")["value"]
    return client.post("/employer/api/import", data={
        "csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def test_csv_page_reports_each_problem_and_imports_nothing(app, employer):
    client = app.test_client(user=employer)
    response = _upload(client, _csv([_row(1), _row(2, closing_date="2001-01-01"),
                                     _row(3, places="lots")]))
    assert response.status_code == 200
    soup = check_page(response.get_data(as_text=True))
    problems = [[cell.get_text(" ", strip=True) for cell in tr.select("td")]
                for tr in soup.select("#problems tbody tr")]
    assert [p[0] for p in problems] == ["2", "3"]
    assert "closing_date" in problems[0][1] and "places" in problems[1][1]
    assert "Enter places as a whole number" in problems[1][2]
    assert "Nothing was imported" in soup.get_text()
    assert _count(employer.organisation) == 0


def test_csv_page_imports_a_fixed_file_and_updates_it_again(app, employer):
    client = app.test_client(user=employer)
    data = _csv([_row(n) for n in range(1, 4)])
    soup = check_page(_upload(client, data).get_data(as_text=True))
    assert "3 new, 0 updated" in soup.get_text(" ", strip=True)
    soup = check_page(_upload(client, data).get_data(as_text=True))
    assert "0 new, 3 updated" in soup.get_text(" ", strip=True)
    assert _count(employer.organisation) == 3


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty"), (b"title,colour\nA,red\n", "colour is not a column we know"),
    ("reference,title\nA,Caf\u00e9\n".encode("utf-16"), "CSV UTF-8"),
    (imports.template_csv().splitlines()[0].encode() + b"\n", "no rows"),
])
def test_csv_page_explains_a_file_it_cannot_read(app, employer, data, message):
    soup = check_page(_upload(app.test_client(user=employer), data).get_data(as_text=True))
    assert message in soup.get_text(" ", strip=True)


def test_csv_page_refuses_a_file_that_is_not_csv(app, employer):
    soup = check_page(_upload(app.test_client(user=employer), b"x", name="roles.xlsx")
                      .get_data(as_text=True))
    assert "The selected file must be a CSV" in soup.get_text()


def test_template_downloads_and_its_example_row_imports(app, employer):
    client = app.test_client(user=employer)
    response = client.get("/employer/api/import/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = csv.reader(io.StringIO(response.get_data(as_text=True)))
    assert tuple(next(reader)) == imports.COLUMNS
    soup = check_page(_upload(client, response.get_data()).get_data(as_text=True))
    assert "1 new, 0 updated" in soup.get_text(" ", strip=True)


def test_an_organisation_waiting_for_approval_cannot_import(app, db_session):
    from marketplace.types import OrganisationStatus

    waiting = factories.user(Role.EMPLOYER, organisation=factories.organisation(
        status=OrganisationStatus.PENDING))
    assert app.test_client(user=waiting).get("/employer/api/import").status_code == 403
