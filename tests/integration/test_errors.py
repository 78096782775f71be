"""Error pages: GOV.UK style, no stack traces, nothing half-saved."""

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import TooManyRequests
from werkzeug.http import HTTP_STATUS_CODES

from marketplace.models import Organisation
from marketplace.types import Role
from tests import factories
from tests.pages import check_page


def test_server_error_is_a_plain_500_page_and_saves_nothing(app, db_session, monkeypatch):
    """A crash half-way through a request: simulated by making the admin summary fail after
    it has written something (this file is the one place this suite fakes a fault in our own
    code)."""
    from marketplace.admin import services
    from marketplace.extensions import db
    from marketplace.types import OrganisationSize, Sector

    def crash():
        db.session.add(Organisation(name="Half saved", sector=Sector.RETAIL,
                                    size=OrganisationSize.SMALL, region="London",
                                    alliance_level=1))
        db.session.flush()
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "summary", crash)
    client = app.test_client(user=factories.user(Role.ADMIN))
    response = client.get("/admin/")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in check_page(body).h1.get_text()
    assert "secret internals" not in body and "Traceback" not in body
    assert db_session.scalar(sa.select(Organisation).where(
        Organisation.name == "Half saved")) is None


def test_malformed_id_is_404(app, db_session):
    client = app.test_client(user=factories.user(Role.ADMIN))
    assert client.get("/admin/organisations/abc").status_code == 404
    assert client.get("/admin/organisations/999999999").status_code == 404


# --- the API answers every error as JSON, in one shape --------------------------------------


def _api_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == HTTP_STATUS_CODES[status] and body["status"] == status
    assert body["message"] and "Traceback" not in body["message"]
    return body


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v1/nothing-here", "/api/v2/me/matches",
                                  "/api/v1/opportunities/9223372036854775808/matches"])
def test_api_unknown_address_is_json_404(app, db_session, path):
    _api_error(app.test_client(user=factories.user(Role.EMPLOYER)).get(path), 404)


def test_api_wrong_method_is_json_405_with_the_allowed_methods(app, db_session):
    client = app.test_client(user=factories.candidate().user)
    response = client.post("/api/v1/me/matches", json={"q": "forklift"})
    body = _api_error(response, 405)
    assert "GET" in response.headers["Allow"] and "Use GET" in body["message"]
    _api_error(client.delete("/api/v1/me/matches"), 405)


def test_api_permission_errors_are_json(app, db_session):
    _api_error(app.test_client().get("/api/v1/me/matches"), 401)
    employer = factories.user(Role.EMPLOYER)
    theirs = factories.opportunity(factories.user(Role.EMPLOYER).organisation)
    _api_error(app.test_client(user=employer).get("/api/v1/me/matches"), 403)
    _api_error(app.test_client(user=employer).get(f"/api/v1/opportunities/{theirs.id}/matches"),
               404)


def test_api_bad_parameters_are_json_400_naming_the_field(app, db_session):
    client = app.test_client(user=factories.candidate().user)
    body = _api_error(client.get("/api/v1/me/matches?miles=abc"), 400)
    assert set(body["fields"]) == {"miles"}


def test_api_rate_limit_is_json_429(app, db_session):
    """No API call is rate-limited yet; the handler that will answer one is the app's."""
    with app.test_request_context("/api/v1/me/matches"):
        response = app.make_response(app.handle_user_exception(TooManyRequests()))
    _api_error(response, 429)


def test_api_crash_is_json_500_and_says_nothing_of_it(app, db_session, monkeypatch):
    from marketplace.matching import service

    def crash(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "opportunities_for", crash)
    response = app.test_client(user=factories.candidate().user).get("/api/v1/me/matches")
    assert "secret internals" not in _api_error(response, 500)["message"]


def test_pages_outside_the_api_keep_html_errors(app, db_session):
    response = app.test_client().get("/apiary")
    assert response.status_code == 404 and response.mimetype == "text/html"
