"""The employer integration API (issue 14): tokens, opportunities, applications, errors."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from werkzeug.http import HTTP_STATUS_CODES

from marketplace.api import services
from marketplace.extensions import db
from marketplace.models import ApiToken, AuditEvent, Opportunity
from marketplace.permissions import API_SCOPES
from marketplace.types import ApplicationSource, ApplicationStatus, Role
from tests import factories
from tests.pages import check_page


def _error(response, status: int) -> dict:
    """Every error in the one shape: error, status, message, fields."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "status", "message", "fields"}
    assert body["error"] == HTTP_STATUS_CODES[status] and body["status"] == status
    assert body["message"] and "Traceback" not in body["message"]
    return body


class Api:
    """A client calling the API with one token."""

    def __init__(self, app, token: str):
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method):
        def call(path, headers=None, **kwargs):
            return getattr(self.client, method)(f"/api/v1{path}",
                                                headers={**self.headers, **(headers or {})},
                                                **kwargs)
        return call


@pytest.fixture()
def employer(db_session):
    return factories.user(Role.EMPLOYER)


def _token(user, scopes=API_SCOPES, name="Our ATS"):
    return services.create_token(user.organisation, actor=user, name=name, scopes=scopes)


@pytest.fixture()
def api(app, employer):
    row, token = _token(employer)
    client = Api(app, token)
    client.row = row
    return client


def _new(**overrides) -> dict:
    body = {"kind": "vacancy", "title": "Warehouse operative",
            "description": "Pick and pack orders.", "sector": "logistics_warehousing",
            "skills_text": "forklift, stock control", "postcode_district": "LS10",
            "hours": "full_time", "paid": True, "pay_min_pence": 1271, "pay_period": "hour",
            "pays_minimum_wage": True, "contract": "permanent", "places": 2,
            "closing_date": (dt.date.today() + dt.timedelta(days=20)).isoformat(),
            "check_level": "basic", "regulated_activity": "none"}
    body.update(overrides)
    return body


# --- tokens --------------------------------------------------------------------------------------


def test_token_is_shown_once_stored_hashed_and_revocable_from_the_page(app, employer):
    pages = app.test_client(user=employer)
    page = pages.get("/employer/api/tokens")
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    created = pages.post("/employer/api/tokens", data={
        "name": "Workday", "scopes": ["opportunities:read", "opportunities:write"],
        "csrf_token": _csrf(pages, "/employer/api/tokens")})
    assert created.status_code == 200
    soup = check_page(created.get_data(as_text=True))
    token = soup.select_one("#new-token").get_text(strip=True)
    assert token.startswith("fcm_")
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "Workday"))
    assert row.scopes == ["opportunities:read", "opportunities:write"]
    assert token not in (row.token_hash, row.prefix) and row.prefix in token
    # Shown once: the list page never shows it again.
    assert token not in pages.get("/employer/api/tokens").get_data(as_text=True)

    client = Api(app, token)
    assert client.get("/organisation").status_code == 200
    db.session.refresh(row)
    assert row.last_used_at is not None
    calls = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "api.call")).all()
    assert [c.detail["token"] for c in calls] == ["Workday"]

    revoked = pages.post(f"/employer/api/tokens/{row.id}/revoke",
                         data={"csrf_token": _csrf(pages, "/employer/api/tokens")})
    assert revoked.status_code == 302
    _error(client.get("/organisation"), 401)


def _csrf(client, path) -> str:
    soup = check_page(client.get(path).get_data(as_text=True))
    return soup.select_one("input[name=csrf_token]")["value"]


def test_token_page_refuses_a_token_with_no_scope(app, employer):
    pages = app.test_client(user=employer)
    response = pages.post("/employer/api/tokens", data={
        "name": "Nothing", "csrf_token": _csrf(pages, "/employer/api/tokens")})
    assert "Select at least one thing the token may do" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "Nothing")) is None


def test_another_organisations_token_cannot_be_revoked(app, employer):
    other = factories.user(Role.EMPLOYER)
    row, _ = _token(other)
    pages = app.test_client(user=employer)
    response = pages.post(f"/employer/api/tokens/{row.id}/revoke",
                          data={"csrf_token": _csrf(pages, "/employer/api/tokens")})
    assert response.status_code == 404
    assert row.revoked_at is None


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense", "Basic abc",
                                    "Bearer fcm_000000000000_" + "A" * 43])
def test_missing_or_wrong_token_is_401(app, db_session, header):
    headers = {"Authorization": header} if header else {}
    response = app.test_client().get("/api/v1/opportunities", headers=headers)
    _error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_of_a_member_who_left_stops_working(app, employer):
    _, token = _token(employer)
    employer.is_active_account = False
    _error(Api(app, token).get("/opportunities"), 401)


def test_out_of_scope_call_is_403_naming_the_scope(app, employer):
    _, token = _token(employer, scopes=["opportunities:read"])
    client = Api(app, token)
    assert client.get("/opportunities").status_code == 200
    body = _error(client.post("/opportunities", json=_new()), 403)
    assert "opportunities:write" in body["message"]
    _error(client.get("/applications"), 403)


def test_browser_session_is_not_a_token(app, employer):
    _error(app.test_client(user=employer).get("/api/v1/opportunities"), 401)


def test_rate_limit_per_token_is_429_with_retry_after(app, employer, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    _, token = _token(employer)
    _, other = _token(employer, name="Other")
    client = Api(app, token)
    for _ in range(3):
        assert client.get("/organisation").status_code == 200
    response = client.get("/organisation")
    _error(response, 429)
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert Api(app, other).get("/organisation").status_code == 200  # per token


# --- opportunities -------------------------------------------------------------------------------


def test_create_read_update_publish_and_close(api, employer):
    created = api.post("/opportunities", json=_new(reference="ATS-1"))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "draft" and body["reference"] == "ATS-1"
    assert body["pay_min_pence"] == 1271 and body["exclusions"] == []
    etag = created.headers["ETag"]
    opportunity = db.session.get(Opportunity, body["id"])
    assert opportunity.organisation_id == employer.organisation_id

    read = api.get(f"/opportunities/{body['id']}")
    assert read.status_code == 200 and read.headers["ETag"] == etag

    changed = api.patch(f"/opportunities/{body['id']}", json={"title": "Forklift driver"},
                        headers={"If-Match": etag})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["title"] == "Forklift driver"
    assert changed.get_json()["pay_min_pence"] == 1271  # the rest unchanged
    assert changed.headers["ETag"] != etag

    published = api.post(f"/opportunities/{body['id']}/publish")
    assert published.status_code == 200 and published.get_json()["status"] == "open"
    closed = api.post(f"/opportunities/{body['id']}/close")
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.subject_type == "opportunities", AuditEvent.subject_id == body["id"])))
    assert {"opportunity.saved", "opportunity.published", "opportunity.closed"} <= actions


def test_update_needs_the_current_etag(api):
    body = api.post("/opportunities", json=_new()).get_json()
    path = f"/opportunities/{body['id']}"
    etag = api.get(path).headers["ETag"]
    _error(api.patch(path, json={"title": "A"}), 428)
    _error(api.patch(path, json={"title": "A"}, headers={"If-Match": '"stale"'}), 412)
    assert api.patch(path, json={"title": "First"}, headers={"If-Match": etag}).status_code == 200
    # A second system still holding the old ETag cannot overwrite the first's change.
    _error(api.patch(path, json={"title": "Second"}, headers={"If-Match": etag}), 412)
    assert api.get(path).get_json()["title"] == "First"


def test_missing_fields_are_named_in_the_forms_words(api):
    body = _error(api.post("/opportunities", json={}), 422)
    assert body["fields"]["title"] == "Enter a title"
    assert body["fields"]["closing_date"].startswith("Enter the closing date")
    assert db.session.scalar(sa.select(sa.func.count(Opportunity.id))) == 0


@pytest.mark.parametrize("change, field", [
    ({"title": 5}, "title"), ({"places": "two"}, "places"), ({"remote": "maybe"}, "remote"),
    ({"closing_date": "tomorrow"}, "closing_date"), ({"sector": "space"}, "sector"),
    ({"salary": 100}, "salary"), ({"places": 0}, "places"), ({"title": "x" * 161}, "title"),
    ({"postcode_district": "ZZ99"}, "postcode_district"),
    ({"closing_date": "2001-01-01"}, "closing_date"),
    ({"pay_max_pence": 100}, "pay_max_pence"), ({"title": "A\x00B"}, "title"),
    ({"regulated_activity": "children"}, "check_level"),
])
def test_wrong_values_are_422_naming_the_field(api, change, field):
    body = _error(api.post("/opportunities", json=_new(**change)), 422)
    assert field in body["fields"], body


def test_same_rule_as_the_form_for_alliance_level(app, db_session):
    member = factories.user(Role.EMPLOYER, organisation=factories.organisation(alliance_level=1))
    _, token = _token(member)
    body = _error(Api(app, token).post("/opportunities", json=_new()), 422)
    assert "kind" in body["fields"]


def test_body_not_an_object_or_not_json(api):
    _error(api.post("/opportunities", json=[1, 2]), 422)
    response = api.post("/opportunities", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    _error(response, response.status_code)


def test_oversized_body_is_413(api):
    body = _error(api.post("/opportunities", json=_new(description="x" * 70_000)), 413)
    assert "larger than this call accepts" in body["message"]


def test_another_organisations_opportunity_is_404(api):
    theirs = factories.opportunity()
    for response in (api.get(f"/opportunities/{theirs.id}"),
                     api.patch(f"/opportunities/{theirs.id}", json={"title": "Mine"},
                               headers={"If-Match": "*"}),
                     api.post(f"/opportunities/{theirs.id}/close"),
                     api.get(f"/opportunities/{theirs.id}/matched-candidates"),
                     api.get("/opportunities/999999")):
        _error(response, 404)
    assert theirs.title == "Warehouse operative" and theirs.status.value == "open"


def test_cursor_pages_and_filters(api, employer):
    ids = [factories.opportunity(employer.organisation).id for _ in range(3)]
    factories.opportunity()  # another organisation's: never listed
    first = api.get("/opportunities?limit=2").get_json()
    assert [o["id"] for o in first["items"]] == ids[:2] and first["next_cursor"]
    second = api.get(f"/opportunities?limit=2&cursor={first['next_cursor']}").get_json()
    assert [o["id"] for o in second["items"]] == ids[2:] and second["next_cursor"] is None
    assert api.get("/opportunities?status=draft").get_json()["items"] == []
    _error(api.get("/opportunities?cursor=abc!"), 422)
    _error(api.get("/opportunities?limit=0"), 422)
    _error(api.get("/opportunities?colour=red"), 422)


def test_reference_is_unique_in_the_organisation(api):
    assert api.post("/opportunities", json=_new(reference="R1")).status_code == 201
    body = _error(api.post("/opportunities", json=_new(reference="R1")), 409)
    assert "reference" in body["fields"]
    listed = api.get("/opportunities?reference=R1").get_json()["items"]
    assert len(listed) == 1


def test_organisation_read(api, employer):
    body = api.get("/organisation").get_json()
    assert body["name"] == employer.organisation.name
    assert body["kinds_allowed"] == ["employability_activity", "training_programme",
                                     "work_placement", "vacancy"]


# --- applications --------------------------------------------------------------------------------


def test_applications_list_hides_unagreed_nominations_and_others(api, employer):
    mine = factories.opportunity(employer.organisation)
    applied = factories.application(mine)
    factories.application(mine, status=ApplicationStatus.NOMINATED,
                          source=ApplicationSource.NOMINATED,
                          nominated_by=factories.user(Role.PEL))
    factories.application(factories.opportunity())
    items = api.get("/applications").get_json()["items"]
    assert [a["id"] for a in items] == [applied.id]
    # The reference is opaque: 12 hex digits, not the id (a short id can appear inside one by
    # chance, so "not a substring" would fail now and then).
    assert re.fullmatch(r"[0-9A-F]{12}", items[0]["candidate_ref"])
    assert "candidate_id" not in items[0]
    assert "shortlist" in items[0]["allowed_actions"]


def test_stage_change_goes_through_the_journey(api, employer):
    application = factories.application(factories.opportunity(employer.organisation))
    response = api.post(f"/applications/{application.id}/shortlist", json={})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "shortlisted"
    assert application.status is ApplicationStatus.SHORTLISTED
    body = _error(api.post(f"/applications/{application.id}/reject", json={}), 422)
    assert "reason" in body["fields"]
    rejected = api.post(f"/applications/{application.id}/reject",
                        json={"reason": "We filled the role."})
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "unsuccessful"
    _error(api.post(f"/applications/{application.id}/shortlist", json={}), 409)


def test_guaranteed_interview_cannot_be_skipped_through_the_api(api, employer):
    opportunity = factories.opportunity(employer.organisation, guaranteed_interview=True,
                                        minimum_requirements="forklift",
                                        required_skills=["forklift"])
    application = factories.application(opportunity)  # the factory's candidate has forklift
    body = _error(api.post(f"/applications/{application.id}/reject",
                           json={"reason": "No."}), 409)
    assert "book-interview" in body["message"]
    assert application.status is ApplicationStatus.APPLIED
    detail = api.get(f"/applications/{application.id}").get_json()
    assert detail["guaranteed_interview"] and "reject" not in detail["allowed_actions"]


def test_another_organisations_application_is_404(api):
    theirs = factories.application()
    _error(api.get(f"/applications/{theirs.id}"), 404)
    _error(api.post(f"/applications/{theirs.id}/shortlist", json={}), 404)
    assert theirs.status is ApplicationStatus.APPLIED


def test_application_detail_shows_the_policy_view_and_audits_a_named_reveal(api, employer):
    application = factories.application(factories.opportunity(employer.organisation),
                                        status=ApplicationStatus.SHORTLISTED)
    factories.conviction(application.candidate, actor=application.candidate.user)
    body = api.get(f"/applications/{application.id}").get_json()
    assert body["candidate"]["stage"] == 2 and body["candidate"]["name"]
    assert not {"convictions", "disclosure_statement"} & set(body["candidate"])
    reveal = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "candidate.reveal.stage2"))
    assert "Our ATS" in reveal.reason


def test_the_session_calls_keep_working(app, employer):
    response = app.test_client(user=employer).get(
        f"/api/v1/opportunities/{factories.opportunity(employer.organisation).id}/matches")
    assert response.status_code in (200, 503)  # 503: no index built in this test


def test_docs_page_and_openapi_document(app, db_session):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/opportunities/{opportunity_id}" in spec["paths"]
    page = app.test_client().get("/api/v1/docs")
    assert page.status_code == 200
    soup = check_page(page.get_data(as_text=True))
    assert soup.find(id="schema-OpportunityWrite") is not None
    assert not soup.select("script[src^=http]") and "unpkg" not in page.get_data(as_text=True)
