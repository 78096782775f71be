import re
import socket

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

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


CANDIDATE_FORM = {"full_name": "Jo Bloggs", "email": "Jo@Example.com ", "status": "on_licence",
                  "home_district": "ls11 5ab", "password": "a long enough password",
                  "confirm": "a long enough password"}
EMPLOYER_FORM = {"full_name": "Pat Lee", "email": "pat@builder.example",
                 "password": "a long enough password", "confirm": "a long enough password",
                 "organisation_name": "Lee Builders", "sector": "construction", "size": "small",
                 "region": "North West", "alliance_level": "3", "pledges": ["ban_the_box"]}


def _link(message, path: str) -> str:
    found = re.search(rf"http://localhost({path}/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def test_candidate_registration_confirms_the_email_before_the_first_sign_in(pages, db_session,
                                                                             outbox):
    response = pages.post("/register/candidate", CANDIDATE_FORM, expected_status=200)
    page = check_page(response.get_data(as_text=True))
    assert page.h1.get_text(strip=True) == "Check your email"
    assert "jo@example.com" in page.get_text()
    user = services.find_user("jo@example.com")
    candidate = db_session.scalar(sa.select(Candidate).where(Candidate.user_id == user.id))
    assert (user.role, candidate.home_district, candidate.first_name) == \
        (Role.CANDIDATE, "LS11", "Jo")
    assert user.password_hash.startswith("$argon2")
    assert user.email_confirmed_at is None

    response = pages.post("/sign-in", {"email": "jo@example.com",
                                       "password": "a long enough password"}, expected_status=200)
    assert any("Confirm your email address before you sign in" in e
               for e in _errors(check_page(response.get_data(as_text=True))))

    [message] = outbox
    assert message.to == "jo@example.com"
    path = _link(message, "/register/confirm")
    page = pages.get(path)
    assert page.h1.get_text(strip=True) == "Confirm your email address"
    assert user.email_confirmed_at is None  # opening the link (a mail scanner may) is not enough
    response = pages.post(path, expected_status=302)
    assert response.headers["Location"] == "/dashboard"
    assert user.email_confirmed_at is not None
    assert pages.client.get("/dashboard").headers["Location"] == "/me/"
    pages.post("/sign-out", form_url="/me/", expected_status=302)
    pages.post("/sign-in", {"email": "jo@example.com", "password": "a long enough password"},
               expected_status=302)
    assert pages.client.get(path).headers["Location"] == "/sign-in"  # confirmed already


def test_a_bad_confirmation_link_is_a_404_that_says_what_to_do(pages, db_session):
    page = pages.get("/register/confirm/not-a-token", expected_status=404)
    assert "Register again" in page.get_text()


@pytest.mark.parametrize("form, url", [(CANDIDATE_FORM, "/register/candidate"),
                                       (EMPLOYER_FORM, "/register/employer")],
                         ids=["candidate", "employer"])
def test_registration_does_not_reveal_whether_an_email_has_an_account(pages, db_session, outbox,
                                                                      form, url):
    owner = factories.user(Role.CANDIDATE, email="owner@example.com")
    organisations = db_session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    pages_seen = []
    for email in ("owner@example.com", "newcomer@example.com"):
        data = {**form, "email": email, "organisation_name": f"Org for {email}"}
        response = pages.post(url, data, expected_status=200)
        text = check_page(response.get_data(as_text=True)).select_one("main").get_text(" ")
        pages_seen.append(" ".join(text.replace(email, "EMAIL").split()))
    assert pages_seen[0] == pages_seen[1]
    assert "Check your email" in pages_seen[0]

    to_owner, to_newcomer = outbox
    assert (to_owner.to, to_newcomer.to) == ("owner@example.com", "newcomer@example.com")
    assert "You already have an account" in to_owner.subject
    assert "/sign-in" in to_owner.body and "/reset-password" in to_owner.body
    assert "/register/confirm/" not in to_owner.body
    assert "/register/confirm/" in to_newcomer.body
    assert services.authenticate("owner@example.com", factories.PASSWORD) is owner  # unchanged
    created = db_session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    assert created == organisations + (1 if url.endswith("employer") else 0)  # newcomer's only


def test_registering_again_before_confirming_sends_a_new_link(pages, db_session, outbox):
    pages.post("/register/candidate", CANDIDATE_FORM, expected_status=200)
    pages.post("/register/candidate", {**CANDIDATE_FORM, "password": "another long password",
                                       "confirm": "another long password"}, expected_status=200)
    first, second = outbox
    pages.post(_link(second, "/register/confirm"), expected_status=302)
    assert services.find_user("jo@example.com").email_confirmed_at is not None


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


WEAK_PASSWORD = ("Choose a password that is harder to guess. Avoid common words and number "
                 "sequences like 1234567890")


@pytest.mark.parametrize("password", ["password12", "1234567890", "qwertyuiop", "jobloggs2026",
                                      "letmein2024!"])
def test_weak_passwords_are_refused_in_plain_words(pages, db_session, outbox, password):
    data = {**CANDIDATE_FORM, "password": password, "confirm": password}
    response = pages.post("/register/candidate", data, expected_status=200)
    assert WEAK_PASSWORD in _errors(check_page(response.get_data(as_text=True)))
    assert services.find_user("jo@example.com") is None and outbox == []


def test_a_passphrase_is_accepted(pages, db_session):
    data = {**CANDIDATE_FORM, "password": "kettle orbit violin", "confirm": "kettle orbit violin"}
    response = pages.post("/register/candidate", data, expected_status=200)
    assert "Check your email" in response.get_data(as_text=True)


def test_a_reset_refuses_a_weak_password_too(db_session, app, outbox):
    user = factories.user(Role.EMPLOYER)
    pages = PageClient(app.test_client())
    pages.post("/reset-password", {"email": user.email}, expected_status=200)
    path = _link(outbox[-1], "/reset-password")
    response = pages.post(path, {"password": "password12", "confirm": "password12"},
                          expected_status=200)
    assert WEAK_PASSWORD in _errors(check_page(response.get_data(as_text=True)))
    assert services.authenticate(user.email, factories.PASSWORD) is user


def test_when_email_cannot_be_sent_the_page_says_so_and_nothing_is_saved(app, pages,
                                                                         db_session):
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_URL=f"smtp://127.0.0.1:{port}")
    try:
        response = pages.post("/register/candidate", CANDIDATE_FORM, expected_status=503)
    finally:
        app.config.update(MAIL_BACKEND="memory", MAIL_SMTP_URL=None)
    page = check_page(response.get_data(as_text=True))
    assert page.h1.get_text(strip=True) == "Sorry, we could not send the email"
    assert services.find_user("jo@example.com") is None


def test_employer_registration_waits_for_confirmation_and_approval(pages, db_session, outbox):
    pages.post("/register/employer", EMPLOYER_FORM, expected_status=200)
    org = db_session.scalar(sa.select(Organisation).where(Organisation.name == "Lee Builders"))
    assert org.status is OrganisationStatus.PENDING
    assert [p.pledge.value for p in org.pledges] == ["ban_the_box"]
    response = pages.post(_link(outbox[-1], "/register/confirm"), expected_status=302)
    assert response.headers["Location"] == "/dashboard"
    assert services.find_user("pat@builder.example").organisation_id == org.id


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
    path = _link(outbox[-1], "/reset-password")
    pages.get(path)
    pages.post(path, {"password": "a brand new password", "confirm": "a brand new password"},
               expected_status=302)
    assert services.authenticate(user.email, "a brand new password") is user
    pages.get(path, expected_status=404)


def test_a_reset_confirms_an_unconfirmed_address(db_session, app, outbox):
    user = factories.user(Role.CANDIDATE, email_confirmed_at=None)
    pages = PageClient(app.test_client())
    pages.post("/reset-password", {"email": user.email}, expected_status=200)
    pages.post(_link(outbox[-1], "/reset-password"),
               {"password": "a brand new password", "confirm": "a brand new password"},
               expected_status=302)
    assert services.authenticate(user.email, "a brand new password") is user


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


@pytest.fixture()
def limits(app):
    """Sets rate limits for one test (each limit string has its own counters), without CSRF."""
    usual = dict(app.config)

    def set_limits(**limits):
        app.config.update(WTF_CSRF_ENABLED=False, **limits)

    yield set_limits
    app.config.update({name: usual[name] for name in
                       ("WTF_CSRF_ENABLED", "SIGN_IN_ACCOUNT_RATE_LIMIT",
                        "SIGN_IN_ADDRESS_RATE_LIMIT", "FORM_ADDRESS_RATE_LIMIT",
                        "EMAIL_RATE_LIMIT")})


def _client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _sign_in(client, email: str, password: str) -> int:
    return client.post("/sign-in", data={"email": email, "password": password}).status_code


def test_failed_sign_ins_are_limited_per_account_from_any_address(app, db_session, limits):
    limits(SIGN_IN_ACCOUNT_RATE_LIMIT="3 per minute", SIGN_IN_ADDRESS_RATE_LIMIT="50 per minute")
    user = factories.user(Role.EMPLOYER)
    codes = [_sign_in(_client_at(app, f"198.51.100.{n}"), f" {user.email.upper()}", "wrong")
             for n in range(3)]
    # Locked for this account, whatever the address and even with the right password.
    codes.append(_sign_in(_client_at(app, "198.51.100.9"), user.email, factories.PASSWORD))
    assert codes == [200, 200, 200, 429]


def test_one_locked_account_does_not_lock_out_others_at_the_same_address(app, db_session,
                                                                         limits):
    limits(SIGN_IN_ACCOUNT_RATE_LIMIT="3 per minute", SIGN_IN_ADDRESS_RATE_LIMIT="6 per minute")
    locked, colleague, third = (factories.user(Role.PEL) for _ in range(3))
    office = _client_at(app, "203.0.113.7")
    assert [_sign_in(office, locked.email, "wrong") for _ in range(4)] == [200, 200, 200, 429]
    assert [_sign_in(office, colleague.email, "wrong") for _ in range(2)] == [200, 200]
    assert _sign_in(_client_at(app, "203.0.113.7"), colleague.email, factories.PASSWORD) == 302
    # Only failures count; the address limit, far above one person's, still ends guessing.
    assert _sign_in(office, third.email, "wrong") == 200
    assert _sign_in(office, third.email, "wrong") == 429


def test_successful_sign_ins_are_not_counted(app, db_session, limits):
    limits(SIGN_IN_ACCOUNT_RATE_LIMIT="2 per minute", SIGN_IN_ADDRESS_RATE_LIMIT="2 per minute")
    user = factories.user(Role.ADMIN)
    assert [_sign_in(_client_at(app, "192.0.2.44"), user.email, factories.PASSWORD)
            for _ in range(4)] == [302] * 4


def test_registration_is_rate_limited_per_address(app, db_session, limits, outbox):
    limits(FORM_ADDRESS_RATE_LIMIT="2 per minute")
    client = _client_at(app, "192.0.2.80")
    codes = [client.post("/register/candidate",
                         data={**CANDIDATE_FORM, "email": f"r{n}@example.com"}).status_code
             for n in range(3)]
    assert codes == [200, 200, 429]
    assert len(outbox) == 2


def test_emails_to_one_address_are_limited_whether_or_not_it_has_an_account(app, db_session,
                                                                            limits, outbox):
    limits(EMAIL_RATE_LIMIT="2 per hour")
    owner = factories.user(Role.EMPLOYER, email="busy@example.com")
    codes = {}
    for email in (owner.email, "nobody-here@example.com"):
        forms = [("/register/candidate", {**CANDIDATE_FORM, "email": email}),
                 ("/reset-password", {"email": email}),
                 ("/register/candidate", {**CANDIDATE_FORM, "email": email.upper()})]
        codes[email] = [_client_at(app, f"192.0.2.{n}").post(url, data=data).status_code
                        for n, (url, data) in enumerate(forms)]
    assert codes == {owner.email: [200, 200, 429], "nobody-here@example.com": [200, 200, 429]}


def test_production_refuses_to_start_without_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        Config.from_env({"MARKETPLACE_ENV": "production", "DATABASE_URL": "postgresql://x/y"})


PRODUCTION = {"MARKETPLACE_ENV": "production", "DATABASE_URL": "postgresql://x/y",
              "SECRET_KEY": "s" * 40, "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
              "TRUSTED_HOSTS": "fairchance.example", "MAIL_BACKEND": "smtp",
              "MAIL_SMTP_URL": "smtp+starttls://apikey:secret@smtp.example:587"}


def test_production_sets_secure_cookies():
    config = Config.from_env(PRODUCTION)
    assert config.SESSION_COOKIE_SECURE and config.SQLALCHEMY_DATABASE_URI.startswith(
        "postgresql+psycopg://")
    assert config.TRUSTED_HOSTS == ["fairchance.example"]


@pytest.mark.parametrize("change, message", [
    ({"MAIL_BACKEND": "log"}, "MAIL_BACKEND is 'log', which sends no email"),
    ({"MAIL_BACKEND": ""}, "MAIL_BACKEND is 'log', which sends no email"),
    ({"MAIL_BACKEND": "memory"}, "MAIL_BACKEND is 'memory', which sends no email"),
    ({"MAIL_SMTP_URL": ""}, "MAIL_SMTP_URL is not set"),
    ({"MAIL_SMTP_URL": "smtp://user:pw@relay.example"}, "would send a password unencrypted"),
    ({"MAIL_SMTP_URL": "https://smtp.example"}, "MAIL_SMTP_URL must look like"),
    ({"TRUSTED_HOSTS": ""}, "TRUSTED_HOSTS is not set"),
    ({"SIGN_IN_ACCOUNT_RATE_LIMIT": "five a minute"}, "Write it like '5 per minute;20 per hour'"),
    ({"SESSION_IDLE_MINUTES_STAFF": "half an hour"}, "Set it to a whole number"),
])
def test_production_refuses_settings_that_would_lose_email_or_cannot_work(change, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        Config.from_env({**PRODUCTION, **change})


def test_forged_host_cannot_redirect_reset_links_in_production(app, db_session, outbox):
    user = factories.user(Role.CANDIDATE)
    app.config["TRUSTED_HOSTS"] = ["localhost"]
    try:
        response = PageClient(app.test_client()).post(
            "/reset-password", {"email": user.email}, form_url="/reset-password")
        forged = app.test_client().post("/reset-password", data={"email": user.email},
                                        headers={"Host": "evil.example"})
    finally:
        app.config["TRUSTED_HOSTS"] = None
    assert response.status_code == 200 and forged.status_code == 400
    assert len(outbox) == 1 and "http://localhost/reset-password/" in outbox[0].body


def test_demo_refuses_to_run_in_production(app, db_session):
    app.config["ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo"])
    finally:
        app.config["ENV"] = "testing"
    assert result.exit_code == 1
    assert "The demo data is not for production" in result.output
    assert services.find_user("admin@demo.fairchance.example") is None


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
