"""Sessions end when they should: sign-out and a password change end every copy of them, and
idle or old sessions expire (marketplace/auth/sessions.py). Time moves with clock.frozen."""

import datetime as dt
import re

import pytest
from flask_login.utils import encode_cookie

from marketplace import clock
from marketplace.auth import services
from marketplace.types import Role
from tests import factories
from tests.pages import PageClient

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DASHBOARD = {Role.ADMIN: "/admin/", Role.EMPLOYER: "/employer/", Role.PEL: "/prison/",
             Role.CANDIDATE: "/me/"}


def _signed_in(app, user):
    """A client signed in through the sign-in form."""
    pages = PageClient(app.test_client())
    pages.post("/sign-in", {"email": user.email, "password": factories.PASSWORD},
               expected_status=302)
    return pages.client


def _copy_of(app, client):
    """Another browser holding a copy of `client`'s session cookie (stolen, say)."""
    copy = app.test_client()
    cookie = client.get_cookie("session")
    copy.set_cookie("session", cookie.value, domain=cookie.domain)
    return copy


def _home(client, user) -> int:
    return client.get(DASHBOARD[user.role]).status_code


def test_a_copied_session_cookie_stops_working_after_sign_out(app, db_session):
    user = factories.user(Role.EMPLOYER)
    browser = _signed_in(app, user)
    copy = _copy_of(app, browser)
    assert _home(copy, user) == 200
    PageClient(browser).post("/sign-out", form_url="/employer/", expected_status=302)
    response = copy.get("/employer/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_signing_out_ends_the_users_sessions_in_other_browsers(app, db_session):
    user = factories.user(Role.PEL)
    laptop, phone = _signed_in(app, user), _signed_in(app, user)
    PageClient(phone).post("/sign-out", form_url="/prison/", expected_status=302)
    assert _home(laptop, user) == 302


def test_a_password_reset_ends_every_session(app, db_session, outbox):
    user = factories.user(Role.ADMIN)
    browser = _signed_in(app, user)
    copy = _copy_of(app, browser)
    pages = PageClient(app.test_client())
    pages.post("/reset-password", {"email": user.email}, expected_status=200)
    path = re.search(r"http://localhost(/reset-password/\S+)", outbox[-1].body).group(1)
    pages.post(path, {"password": "a brand new password", "confirm": "a brand new password"},
               expected_status=302)
    assert (_home(browser, user), _home(copy, user)) == (302, 302)
    assert _home(_signed_in_with(app, user, "a brand new password"), user) == 200


def _signed_in_with(app, user, password):
    client = app.test_client()
    PageClient(client).post("/sign-in", {"email": user.email, "password": password},
                            expected_status=302)
    return client


def test_a_password_change_ends_remember_cookies_too(app, db_session):
    user = factories.user(Role.CANDIDATE)
    factories.candidate(user=user)
    with app.test_request_context():
        remember = encode_cookie(user.get_id())
    before = app.test_client()
    before.set_cookie("remember_token", remember, domain="localhost")
    assert _home(before, user) == 200
    services.set_password(user, "a brand new password")
    after = app.test_client()
    after.set_cookie("remember_token", remember, domain="localhost")
    assert _home(after, user) == 302


def test_a_session_from_before_session_versions_is_refused(app, db_session):
    user = factories.user(Role.ADMIN)
    client = app.test_client(user=user)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # how sessions named their user before
    assert _home(client, user) == 302


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.PEL, Role.ADMIN], ids=lambda r: r.value)
def test_staff_sessions_end_after_30_idle_minutes(app, db_session, role):
    user = factories.user(role)
    with clock.frozen(T0):
        browser = _signed_in(app, user)
    with clock.frozen(T0 + dt.timedelta(minutes=29)):
        assert _home(browser, user) == 200
    with clock.frozen(T0 + dt.timedelta(minutes=29 + 31)):
        response = browser.get(DASHBOARD[role], follow_redirects=True)
    assert response.request.path == "/sign-in"
    assert ("You have been signed out because you had not used the service for 30 minutes"
            in response.get_data(as_text=True))


def test_candidate_sessions_last_2_idle_hours(app, db_session):
    candidate = factories.candidate()
    with clock.frozen(T0):
        browser = _signed_in(app, candidate.user)
    with clock.frozen(T0 + dt.timedelta(minutes=119)):
        assert _home(browser, candidate.user) == 200
    with clock.frozen(T0 + dt.timedelta(minutes=119 + 121)):
        assert _home(browser, candidate.user) == 302


def test_sessions_end_12_hours_after_signing_in_however_active(app, db_session):
    user = factories.user(Role.EMPLOYER)
    with clock.frozen(T0):
        browser = _signed_in(app, user)
    for minutes in range(25, 12 * 60, 25):
        with clock.frozen(T0 + dt.timedelta(minutes=minutes)):
            assert _home(browser, user) == 200, minutes
    with clock.frozen(T0 + dt.timedelta(hours=12, minutes=1)):
        response = browser.get("/employer/", follow_redirects=True)
    assert "because you signed in more than 12 hours ago" in response.get_data(as_text=True)


def test_idle_limits_come_from_configuration(app, db_session):
    app.config["SESSION_IDLE_MINUTES_STAFF"] = 5
    try:
        user = factories.user(Role.ADMIN)
        with clock.frozen(T0):
            browser = _signed_in(app, user)
    finally:
        app.config["SESSION_IDLE_MINUTES_STAFF"] = 30
    with clock.frozen(T0 + dt.timedelta(minutes=6)):
        assert _home(browser, user) == 302
