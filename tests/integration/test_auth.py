import re

import pytest
import sqlalchemy as sa

from marketplace.auth import services
from marketplace.config import Config, ConfigError
from marketplace.models import Candidate, Invite, Organisation, User
from marketplace.types import OrganisationStatus, Role
from tests import factories
from tests.pages import PageClient, check_page


@pytest.fixture()
def pages(client):
    return PageClient(client)


def _errors(page) -> list[str]:
    summary = page.select_one(".govuk-error-summary")
    return [a.get_text(strip=True) for a in summary.select("a")] if summary else []


def test_start_page_explains_the_service_to_each_user(pages):
    page = pages.get("/")
    text = page.get_text()
    for audience in ("looking for work", "employer", "prison employment hub"):
        assert audience in text


def test_unknown_url_is_a_govuk_404(pages):
    page = pages.get("/no-such-page", expected_status=404)
    assert page.h1.get_text(strip=True) == "Page not found"


def test_sign_in_with_wrong_password_names_the_problem(pages, db_session):
    user = factories.user(Role.ADMIN)
    response = pages.post("/sign-in", {"email": user.email, "password": "wrong"},
                          expected_status=200)
    page = check_page(response.get_data(as_text=True))
    assert "Enter a correct email address and password" in _errors(page)


def test_sign_in_and_out(pages, db_session):
    user = factories.user(Role.ADMIN)
    response = pages.post("/sign-in", {"email": user.email.upper(),
                                       "password": factories.PASSWORD}, expected_status=302)
    assert response.headers["Location"] == "/dashboard"
    assert pages.client.get("/dashboard").headers["Location"] == "/admin/"
    pages.post("/sign-out", form_url="/admin/", expected_status=302)
    assert "/sign-in" in pages.client.get("/admin/").headers["Location"]


def test_sign_in_does_not_redirect_off_site(pages, db_session):
    user = factories.user(Role.ADMIN)
    response = pages.post("/sign-in?next=//evil.example/x",
                          {"email": user.email, "password": factories.PASSWORD},
                          form_url="/sign-in")
    assert response.headers["Location"] == "/dashboard"


def test_sign_out_needs_post(pages, db_session):
    assert pages.client.get("/sign-out").status_code == 405


def test_candidate_registration(pages, db_session):
    response = pages.post("/register/candidate", {
        "full_name": "Jo Bloggs", "email": "Jo@Example.com ", "status": "on_licence",
        "home_district": "ls11 5ab", "password": "a long enough password",
        "confirm": "a long enough password"}, expected_status=302)
    assert response.headers["Location"] == "/dashboard"
    user = services.find_user("jo@example.com")
    candidate = db_session.scalar(sa.select(Candidate).where(Candidate.user_id == user.id))
    assert (user.role, candidate.home_district, candidate.first_name) == \
        (Role.CANDIDATE, "LS11", "Jo")
    assert user.password_hash.startswith("$argon2")


@pytest.mark.parametrize("field, value, message", [
    ("email", "not-an-email", "Enter an email address in the correct format"),
    ("home_district", "ZZ99", "We cannot find the postcode area ZZ99"),
    ("home_district", "hello", "Enter the first part of a postcode"),
    ("password", "short", "Your password must be at least 10 characters"),
    ("confirm", "something else entirely", "The passwords do not match"),
    ("status", "", "Select where you are now"),
    ("full_name", "", "Enter your full name"),
])
def test_candidate_registration_rejects_bad_input_and_stores_nothing(pages, db_session, field,
                                                                      value, message):
    data = {"full_name": "Jo Bloggs", "email": "jo2@example.com", "status": "released",
            "home_district": "LS11", "password": "a long enough password",
            "confirm": "a long enough password", field: value}
    response = pages.post("/register/candidate", data, expected_status=200)
    page = check_page(response.get_data(as_text=True))
    assert any(message in e for e in _errors(page)), _errors(page)
    assert page.title.get_text().startswith("Error:")
    assert services.find_user("jo2@example.com") is None


def test_employer_registration_waits_for_approval(pages, db_session):
    response = pages.post("/register/employer", {
        "full_name": "Pat Lee", "email": "pat@builder.example",
        "password": "a long enough password",
        "confirm": "a long enough password", "organisation_name": "Lee Builders",
        "sector": "construction", "size": "small", "region": "North West",
        "alliance_level": "3", "pledges": ["ban_the_box"]}, expected_status=302)
    assert response.headers["Location"] == "/dashboard"
    org = db_session.scalar(sa.select(Organisation).where(Organisation.name == "Lee Builders"))
    assert org.status is OrganisationStatus.PENDING
    assert [p.pledge.value for p in org.pledges] == ["ban_the_box"]


def test_admin_approves_organisation(db_session, app):
    admin = factories.user(Role.ADMIN)
    org = factories.organisation(status=OrganisationStatus.PENDING)
    pages = PageClient(app.test_client(user=admin))
    pages.get(f"/admin/organisations/{org.id}")
    pages.post(f"/admin/organisations/{org.id}", {"decision": "reject"}, expected_status=200)
    assert org.status is OrganisationStatus.PENDING
    pages.post(f"/admin/organisations/{org.id}", {"decision": "approve"}, expected_status=302)
    db_session.refresh(org)
    assert org.status is OrganisationStatus.APPROVED


def test_invite_is_one_time_and_makes_a_pel(db_session, app, outbox):
    admin = factories.user(Role.ADMIN)
    prison = factories.prison("LEI")
    pages = PageClient(app.test_client(user=admin))
    pages.post("/admin/invites", {"full_name": "Kim Rowe", "email": "kim@prison.example",
                                  "role": "pel", "prison_id": str(prison.id)},
               expected_status=302)
    link = re.search(r"http://\S+/invite/(\S+)", outbox[-1].body)
    assert link, outbox[-1].body
    path = f"/invite/{link.group(1)}"
    anonymous = PageClient(app.test_client())
    anonymous.get(path)
    anonymous.post(path, {"password": "kims long password", "confirm": "kims long password"},
                   expected_status=302)
    user = services.find_user("kim@prison.example")
    assert (user.role, user.prison_id) == (Role.PEL, prison.id)
    assert PageClient(app.test_client()).get(path, expected_status=404)
    assert db_session.scalar(sa.select(Invite.used_at).where(Invite.email == user.email))


def test_pel_invite_needs_a_prison(db_session, app):
    admin = factories.user(Role.ADMIN)
    pages = PageClient(app.test_client(user=admin))
    response = pages.post("/admin/invites", {"full_name": "Kim", "email": "k2@prison.example",
                                             "role": "pel", "prison_id": ""},
                          expected_status=200)
    assert "Select the prison they work in" in response.get_data(as_text=True)


def test_password_reset_link_works_once(db_session, app, outbox):
    user = factories.user(Role.EMPLOYER)
    pages = PageClient(app.test_client())
    pages.post("/reset-password", {"email": user.email}, expected_status=200)
    path = re.search(r"http://\S+(/reset-password/\S+)", outbox[-1].body).group(1)
    pages.get(path)
    pages.post(path, {"password": "a brand new password", "confirm": "a brand new password"},
               expected_status=302)
    assert services.authenticate(user.email, "a brand new password") is user
    pages.get(path, expected_status=404)


def test_reset_for_unknown_email_sends_nothing_and_says_the_same(db_session, app, outbox):
    pages = PageClient(app.test_client())
    response = pages.post("/reset-password", {"email": "nobody@example.com"},
                          expected_status=200)
    assert "If nobody@example.com has an account" in response.get_data(as_text=True)
    assert outbox == []


def test_forbidden_page_is_403_not_a_redirect(db_session, app):
    client = app.test_client(user=factories.candidate().user)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "You cannot see this page" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(db_session, app):
    user = factories.user(Role.ADMIN)
    response = app.test_client().post("/sign-in", data={"email": user.email,
                                                        "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "Your form has expired" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(db_session, app):
    user = factories.user(Role.ADMIN)
    pages = PageClient(app.test_client())
    response = pages.post("/sign-in", {"email": user.email, "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_is_rate_limited(app, db_session):
    usual = app.config["SIGN_IN_RATE_LIMIT"]
    app.config.update(SIGN_IN_RATE_LIMIT="3 per minute", WTF_CSRF_ENABLED=False)
    try:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
        codes = [client.post("/sign-in", data={"email": "x@example.com", "password": "y"})
                 .status_code for _ in range(4)]
    finally:
        app.config.update(SIGN_IN_RATE_LIMIT=usual, WTF_CSRF_ENABLED=True)
    assert codes == [200, 200, 200, 429]


def test_production_refuses_to_start_without_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        Config.from_env({"MARKETPLACE_ENV": "production", "DATABASE_URL": "postgresql://x/y"})


def test_production_sets_secure_cookies():
    key = "ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhIT1="
    config = Config.from_env({"MARKETPLACE_ENV": "production", "DATABASE_URL": "postgresql://x/y",
                              "SECRET_KEY": "s" * 40, "FIELD_ENCRYPTION_KEY": key})
    assert config.SESSION_COOKIE_SECURE and config.SQLALCHEMY_DATABASE_URI.startswith(
        "postgresql+psycopg://")


def test_audit_events_cannot_be_changed(db_session):
    from marketplace import audit
    from marketplace.models.audit import AuditLogIsAppendOnly

    event = audit.record("test.event", actor=None)
    event.action = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()


def test_database_refuses_to_change_audit_events(db_session):
    from marketplace import audit

    event = audit.record("test.event", actor=None)
    nested = db_session.begin_nested()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db_session.execute(sa.text("UPDATE audit_events SET action = 'x' WHERE id = :id"),
                           {"id": event.id})
    nested.rollback()


def test_user_roles_are_constrained_in_the_database(db_session):
    nested = db_session.begin_nested()
    db_session.add(User(email="e@x.example", full_name="E", password_hash="x",
                        role=Role.EMPLOYER))
    with pytest.raises(sa.exc.IntegrityError):
        db_session.flush()
    nested.rollback()
