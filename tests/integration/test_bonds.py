"""Fidelity bonds without a Stripe server: the webhook's signatures and exactly-once processing
(events signed here), invoices, claims, cancelling, expiry, the pages each role sees, and what
the person hired is told. End-to-end card payments against localstripe: test_bonds_stripe.py."""

import datetime as dt
import hashlib
import hmac
import json
import re
import time

import pytest
import sqlalchemy as sa

from marketplace import clock, notify
from marketplace.bonds import services
from marketplace.config import Config, ConfigError
from marketplace.extensions import db
from marketplace.models import AuditEvent, Bond, LedgerEntry, StripeEvent
from marketplace.types import ApplicationStatus, BondStatus, LedgerKind, PaymentMethod, Role
from tests import factories
from tests.pages import PageClient, check_page

SECRET = "whsec_test_signing"


@pytest.fixture()
def stripe_keys(app, monkeypatch):
    """Card payments "set up" with keys no server answers to: enough for the webhook, which
    only verifies and records (payment_intent events call no Stripe API)."""
    for name, value in (("STRIPE_SECRET_KEY", "sk_test_nobody"),
                        ("STRIPE_PUBLISHABLE_KEY", "pk_test_nobody"),
                        ("STRIPE_WEBHOOK_SECRET", SECRET),
                        ("STRIPE_API_BASE", "http://127.0.0.1:9")):
        monkeypatch.setitem(app.config, name, value)


@pytest.fixture()
def hire(db_session):
    org = factories.organisation(name="Northgate Cash and Carry")
    employer = factories.user(Role.EMPLOYER, organisation=org)
    role = factories.opportunity(org, title="Cash office assistant", bond_backed=True)
    application = factories.application(role, status=ApplicationStatus.OFFER_CONFIRMED)
    product = services.add_product(provider="Unlock Bonds", cover_pence=500_000, term_months=6,
                                   premium_pence=6_000, terms="Cover for dishonesty.",
                                   actor=None)
    return {"org": org, "employer": employer, "role": role, "application": application,
            "product": product}


def _bond(hire) -> Bond:
    return services.choose(hire["application"], hire["product"], actor=hire["employer"])


def _signed(payload: str, secret: str = SECRET, at: int | None = None) -> str:
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def _succeeded(bond: Bond, event_id: str = "evt_1", amount: int | None = None) -> str:
    return json.dumps({"id": event_id, "object": "event", "type": "payment_intent.succeeded",
                       "data": {"object": {
                           "id": f"pi_{bond.id}", "object": "payment_intent",
                           "amount": bond.premium_pence if amount is None else amount,
                           "currency": "gbp", "status": "succeeded", "latest_charge": "ch_1",
                           "metadata": {"bond_id": str(bond.id), "attempt": str(bond.attempt)}}}})


def _deliver(client, payload: str, signature: str | None):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return client.post("/stripe/webhook", data=payload, headers=headers)


# --- the webhook ----------------------------------------------------------------------------


def test_a_signed_payment_event_makes_the_bond_active(client, hire, stripe_keys):
    bond = _bond(hire)
    payload = _succeeded(bond)
    response = _deliver(client, payload, _signed(payload))
    assert response.status_code == 200, response.text
    db.session.refresh(bond)
    assert bond.status is BondStatus.ACTIVE
    assert (bond.starts_on, bond.ends_on) == (clock.uk_today(), services.add_months(
        clock.uk_today(), 6) - dt.timedelta(days=1))
    assert [(e.kind, e.method, e.amount_pence, e.stripe_id, e.stripe_charge_id)
            for e in db.session.scalars(sa.select(LedgerEntry))] == \
        [(LedgerKind.PAYMENT, PaymentMethod.CARD, 6_000, f"pi_{bond.id}", "ch_1")]


@pytest.mark.parametrize("signature", [
    pytest.param(lambda p: None, id="unsigned"),
    pytest.param(lambda p: _signed(p, secret="whsec_someone_else"), id="wrong secret"),
    pytest.param(lambda p: _signed(p, at=int(time.time()) - 301), id="stale"),
    pytest.param(lambda p: _signed(p.replace('"gbp"', '"usd"')), id="tampered body"),
    pytest.param(lambda p: "t=1,v1=" + "0" * 64, id="garbage"),
])
def test_an_event_that_is_not_validly_signed_is_refused_and_changes_nothing(
        client, hire, stripe_keys, signature):
    bond = _bond(hire)
    payload = _succeeded(bond)
    response = _deliver(client, payload, signature(payload))
    assert response.status_code == 400
    db.session.refresh(bond)
    assert bond.status is BondStatus.PENDING_PAYMENT
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StripeEvent)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == 0


def test_the_same_event_twice_in_a_row_is_processed_once(client, hire, stripe_keys):
    bond = _bond(hire)
    payload = _succeeded(bond)
    first = _deliver(client, payload, _signed(payload))
    second = _deliver(client, payload, _signed(payload))
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.text == "evt_1 already processed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "bond.activated")) == 1


def test_a_payment_for_another_amount_does_not_activate_the_bond(client, hire, stripe_keys):
    bond = _bond(hire)
    payload = _succeeded(bond, amount=1)
    assert _deliver(client, payload, _signed(payload)).status_code == 200
    db.session.refresh(bond)
    assert bond.status is BondStatus.PENDING_PAYMENT


def test_unknown_events_are_acknowledged_and_ignored(client, hire, stripe_keys):
    payload = json.dumps({"id": "evt_other", "type": "customer.created",
                          "data": {"object": {"id": "cus_1"}}})
    response = _deliver(client, payload, _signed(payload))
    assert response.status_code == 200
    assert db.session.get(StripeEvent, "evt_other").outcome.startswith("ignored")


@pytest.mark.parametrize("payload", ["[]", "{}", '{"id": 1, "type": "x", "data": {}}', "not json"])
def test_a_signed_body_that_is_not_an_event_is_a_400(client, stripe_keys, payload):
    assert _deliver(client, payload, _signed(payload)).status_code == 400


def test_without_stripe_keys_the_webhook_accepts_nothing(client, hire):
    bond = _bond(hire)
    payload = _succeeded(bond)
    assert _deliver(client, payload, _signed(payload)).status_code == 400


def test_the_webhook_is_the_only_view_exempt_from_csrf(app):
    """(The token-called employer API, issue 14, exempts its own blueprint: its callers send a
    bearer token, not a cookie. No page a browser signs in to is exempt.)"""
    from marketplace.bonds import WEBHOOK_VIEW, bp
    from marketplace.extensions import csrf

    assert csrf._exempt_views == {WEBHOOK_VIEW}
    assert bp not in csrf._exempt_blueprints
    view = app.view_functions["bonds.stripe_webhook"]
    assert f"{view.__module__}.{view.__name__}" == WEBHOOK_VIEW


# --- money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "cancel", "months"), [
    (dt.date(2026, 3, 10), dt.date(2026, 3, 10), 12),
    (dt.date(2026, 3, 10), dt.date(2026, 3, 11), 11),
    (dt.date(2026, 3, 10), dt.date(2026, 6, 15), 8),
    (dt.date(2026, 1, 31), dt.date(2026, 2, 28), 11),
    (dt.date(2026, 3, 10), dt.date(2027, 2, 10), 1),
    (dt.date(2026, 3, 10), dt.date(2027, 2, 11), 0),
    (dt.date(2026, 3, 10), dt.date(2027, 3, 9), 0),
])
def test_the_refund_is_the_premium_for_the_unused_whole_months(start, cancel, months):
    starts, ends = services.cover_dates(start, 12)
    bond = Bond(term_months=12, premium_pence=12_345, starts_on=starts, ends_on=ends)
    assert services.unused_whole_months(bond, cancel) == months
    assert services.refund_due(bond, cancel) == 12_345 * months // 12


def test_a_months_cover_ends_the_day_before_the_same_date_next_month():
    assert services.cover_dates(dt.date(2026, 1, 31), 1) == (dt.date(2026, 1, 31),
                                                             dt.date(2026, 2, 27))
    assert services.cover_dates(dt.date(2026, 3, 10), 12)[1] == dt.date(2027, 3, 9)


# --- invoices, claims, cancelling and expiry -------------------------------------------------


def _active_by_invoice(hire) -> Bond:
    bond = _bond(hire)
    services.pay_by_invoice(bond.id, actor=hire["employer"])
    admin = factories.user(Role.ADMIN)
    return services.mark_invoice_paid(bond.id, actor=admin)


def test_without_javascript_the_payment_page_offers_an_invoice_and_an_admin_marks_it_paid(
        app, hire, stripe_keys):
    bond = _bond(hire)
    employer = PageClient(app.test_client(user=hire["employer"]))
    page = employer.get(f"/employer/bonds/{bond.id}/pay")
    text = page.get_text(" ")
    assert "Card payment needs JavaScript" in text
    assert page.select_one("#card-form").has_attr("hidden")
    response = employer.post(f"/employer/bonds/{bond.id}/invoice", {
        "invoice-csrf_token": employer.token(f"/employer/bonds/{bond.id}/pay")})
    assert response.status_code == 302
    db.session.refresh(bond)
    assert (bond.status, bond.method) == (BondStatus.AWAITING_INVOICE, PaymentMethod.INVOICE)

    admin = PageClient(app.test_client(user=factories.user(Role.ADMIN)))
    assert bond.reference in admin.get("/admin/bonds/invoices").get_text()
    response = admin.client.post(f"/admin/bonds/{bond.id}/paid",
                                 data={"paid-csrf_token": admin.token("/admin/bonds/invoices")})
    assert response.status_code == 302
    db.session.refresh(bond)
    assert bond.status is BondStatus.ACTIVE and bond.starts_on == clock.uk_today()
    ledger = admin.get("/admin/bonds/ledger").get_text(" ")
    assert "Northgate Cash and Carry" in ledger and "£60" in ledger
    assert "See the certificate" in employer.get(f"/employer/bonds/{bond.id}").get_text()
    employer.get(f"/employer/bonds/{bond.id}/certificate")


def test_with_no_stripe_keys_the_payment_page_says_card_payment_is_not_set_up(app, hire):
    bond = _bond(hire)
    employer = PageClient(app.test_client(user=hire["employer"]))
    response = employer.client.get(f"/employer/bonds/{bond.id}/pay")
    page = check_page(response.get_data(as_text=True))
    assert "Card payments are not set up" in page.get_text()
    assert page.find("script", src=re.compile("stripe")) is None
    assert "stripe" not in response.headers["Content-Security-Policy"]
    # And nothing a browser sends can pretend a card payment happened.
    assert employer.client.post(f"/employer/bonds/{bond.id}/card", data={
        "payment_method": "card_x", "csrf_token": employer.token("/employer/bonds")
    }).status_code == 404
    db.session.refresh(bond)
    assert bond.status is BondStatus.PENDING_PAYMENT


def test_only_the_payment_page_lets_stripe_js_in(app, hire, stripe_keys):
    bond = _bond(hire)
    client = app.test_client(user=hire["employer"])
    pay = client.get(f"/employer/bonds/{bond.id}/pay")
    csp = pay.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "http://127.0.0.1:9;" in csp
    assert re.search(r"connect-src 'self' http://127\.0\.0\.1:9;", csp)
    page = check_page(pay.get_data(as_text=True))
    assert page.find("script", src="http://127.0.0.1:9/js.stripe.com/v3/") is not None
    for url in (f"/employer/bonds/{bond.id}", "/employer/bonds", "/employer/"):
        assert "127.0.0.1:9" not in client.get(url).headers["Content-Security-Policy"]


def test_cancelling_cover_paid_by_invoice_credits_the_unused_months_at_once(app, hire):
    with clock.frozen(dt.date(2026, 1, 5)):
        bond = _active_by_invoice(hire)
    with clock.frozen(dt.date(2026, 2, 20)):
        employer = PageClient(app.test_client(user=hire["employer"]))
        assert "£40" in employer.get(f"/employer/bonds/{bond.id}/cancel").get_text()  # 4 of 6
        response = employer.post(f"/employer/bonds/{bond.id}/cancel", {})
    assert response.status_code == 302
    db.session.refresh(bond)
    assert (bond.status, bond.refund_pence) == (BondStatus.CANCELLED, 4_000)
    refunds = db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.kind == "refund"))
    assert [(r.amount_pence, r.method) for r in refunds] == [(4_000, PaymentMethod.INVOICE)]


def test_a_claim_is_recorded_for_the_admin_and_the_person_hired_learns_only_that_one_was_made(
        app, hire):
    bond = _active_by_invoice(hire)
    employer = PageClient(app.test_client(user=hire["employer"]))
    url = f"/employer/bonds/{bond.id}/claim"
    employer.get(url)
    bad = employer.post(url, {"loss_on": ["31", "2", "2026"], "amount": "lots",
                              "description": ""})
    assert bad.status_code == 200
    errors = check_page(bad.get_data(as_text=True)).select_one(".govuk-error-summary").get_text()
    assert "Date of the loss must be a real date" in errors
    assert "Enter the amount lost in pounds" in errors and "Enter what happened" in errors
    today = clock.uk_today()
    response = employer.post(url, {"loss_on": [str(today.day), str(today.month),
                                               str(today.year)],
                                   "amount": "£1,250.50",
                                   "description": "Cash missing from the safe"})
    assert response.status_code == 302
    db.session.refresh(bond)
    assert bond.status is BondStatus.CLAIMED
    assert bond.claims[0].amount_pence == 125_050

    admin = PageClient(app.test_client(user=factories.user(Role.ADMIN)))
    claims = admin.get("/admin/bonds/claims").get_text(" ")
    assert "Cash missing from the safe" in claims and "£1,250.50" in claims

    person = PageClient(app.test_client(user=hire["application"].candidate.user))
    text = person.get(f"/me/applications/{hire['application'].id}").get_text(" ")
    assert "a claim was made" in text.lower()
    assert "1,250" not in text and "safe" not in text


def test_the_person_hired_is_told_their_job_is_covered_once_the_bond_is_active(app, hire):
    person = PageClient(app.test_client(user=hire["application"].candidate.user))
    url = f"/me/applications/{hire['application'].id}"
    assert "covered by a fidelity bond" not in person.get(url).get_text()
    bond = _bond(hire)
    assert "covered by a fidelity bond" not in person.get(url).get_text()
    services.pay_by_invoice(bond.id, actor=hire["employer"])
    services.mark_invoice_paid(bond.id, actor=factories.user(Role.ADMIN))
    text = person.get(url).get_text(" ")
    assert "covered by a fidelity bond" in text
    assert "£" not in text.split("fidelity bond", 1)[1][:200]


def test_the_job_page_says_what_a_fidelity_bond_means(app, hire):
    person = PageClient(app.test_client(user=factories.candidate().user))
    text = person.get(f"/me/jobs/{hire['role'].id}").get_text(" ")
    assert "fidelity bond is insurance" in text


def test_flask_bonds_expire_ends_cover_after_its_last_day(app, hire):
    with clock.frozen(dt.date(2026, 1, 5)):
        bond = _active_by_invoice(hire)
    assert bond.ends_on == dt.date(2026, 7, 4)
    runner = app.test_cli_runner()
    with clock.frozen(dt.date(2026, 7, 4)):
        assert "Expired 0 bonds." in runner.invoke(args=["bonds", "expire"]).output
    db.session.refresh(bond)
    assert bond.status is BondStatus.ACTIVE
    with clock.frozen(dt.date(2026, 7, 5)):
        result = runner.invoke(args=["bonds", "expire"])
    assert f"Expired 1 bond: {bond.reference}" in result.output
    db.session.refresh(bond)
    assert bond.status is BondStatus.EXPIRED


def test_the_daily_jobs_expire_bonds(app, hire):
    with clock.frozen(dt.date(2026, 1, 5)):
        bond = _active_by_invoice(hire)
    with clock.frozen(dt.date(2026, 7, 5)):
        result = app.test_cli_runner().invoke(args=["jobs", "daily"])
    assert "marketplace.bonds.services:expire_daily" in result.output
    db.session.refresh(bond)
    assert bond.status is BondStatus.EXPIRED


def test_flask_bonds_reconcile_without_keys_says_payments_are_not_set_up(app, db_session):
    result = app.test_cli_runner().invoke(args=["bonds", "reconcile"])
    assert result.exit_code != 0 and "not set up" in result.output


# --- buying cover ----------------------------------------------------------------------------


def test_cover_is_offered_only_for_a_confirmed_or_started_hire_on_a_bond_backed_role(app, hire):
    employer = PageClient(app.test_client(user=hire["employer"]))
    application = hire["application"]
    page = employer.get(f"/employer/applications/{application.id}")
    link = page.find("a", string=re.compile("Buy fidelity bond cover"))
    assert link is not None and link["href"] == f"/employer/applications/{application.id}/bond"
    choose = employer.get(link["href"])
    assert "Unlock Bonds" in choose.get_text()
    assert employer.post(link["href"], {}).status_code == 200  # nothing chosen: asked again
    response = employer.post(link["href"], {"product": str(hire["product"].id)})
    assert response.status_code == 302
    bond = services.live_bond(application)
    assert response.headers["Location"] == f"/employer/bonds/{bond.id}/pay"
    # One bond under way per hire: the link now leads to it.
    page = employer.get(f"/employer/applications/{application.id}")
    assert page.find("a", string=re.compile("Buy fidelity bond cover")) is None
    assert employer.client.get(link["href"]).headers["Location"] == f"/employer/bonds/{bond.id}"

    not_backed = factories.application(factories.opportunity(hire["org"], bond_backed=False),
                                       status=ApplicationStatus.OFFER_CONFIRMED)
    interviewing = factories.application(hire["role"], status=ApplicationStatus.INTERVIEW)
    for other in (not_backed, interviewing):
        assert employer.client.get(f"/employer/applications/{other.id}/bond").status_code == 404


def test_a_retired_product_is_not_offered_and_bonds_keep_theirs(app, hire):
    bond = _bond(hire)
    admin = PageClient(app.test_client(user=factories.user(Role.ADMIN)))
    response = admin.client.post(f"/admin/bonds/products/{hire['product'].id}/retire",
                                 data={"retire-csrf_token": admin.token("/admin/bonds")})
    assert response.status_code == 302
    assert services.products() == []
    assert bond.product.provider == "Unlock Bonds"
    with pytest.raises(services.BondError):
        services.choose(factories.application(hire["role"],
                                              status=ApplicationStatus.STARTED),
                        hire["product"], actor=hire["employer"])


def test_an_admin_adds_a_product_and_bad_answers_name_their_field(app, db_session):
    admin = PageClient(app.test_client(user=factories.user(Role.ADMIN)))
    url = "/admin/bonds/products/new"
    admin.get(url)
    bad = admin.post(url, {"provider": "", "cover": "five grand", "term_months": "999",
                           "premium": "-3", "terms": "x\x00y"})
    assert bad.status_code == 200
    errors = check_page(bad.get_data(as_text=True)).select_one(".govuk-error-summary").get_text()
    for message in ("Enter the provider's name", "Enter the cover in pounds",
                    "The term must be a whole number of months from 1 to 60",
                    "Enter the premium in pounds", "Remove the unusual characters"):
        assert message in errors
    assert services.products() == []
    response = admin.post(url, {"provider": "Unlock Bonds", "cover": "10,000",
                                "term_months": "12", "premium": "150", "terms": "Terms"})
    assert response.status_code == 302
    [made] = services.products()
    assert (made.cover_pence, made.term_months, made.premium_pence) == (1_000_000, 12, 15_000)


def test_another_organisations_bond_is_not_found(app, hire):
    bond = _active_by_invoice(hire)
    other = app.test_client(user=factories.user(Role.EMPLOYER))
    for path in ("", "/pay", "/cancel", "/claim", "/certificate"):
        assert other.get(f"/employer/bonds/{bond.id}{path}").status_code == 404
    assert bond.reference not in other.get("/employer/bonds").get_data(as_text=True)


# --- nothing an employer sees depends on conviction data -------------------------------------


def _normalise(html: str) -> str:
    """The page without what differs from request to request (tokens, nonces) and between two
    bonds (their ids and random references)."""
    html = re.sub(r'value="[\w-]+\.[\w-]+\.[\w-]+"', 'value="CSRF"', html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    html = re.sub(r"/(applications|bonds)/\d+", r"/\1/N", html)
    return re.sub(r"FB-[A-Z0-9]{8}", "FB-X", html)


def test_bond_pages_read_the_same_for_two_people_differing_only_in_their_records(app, hire):
    org, role, employer = hire["org"], hire["role"], hire["employer"]
    people = [factories.candidate(first_name="Robin", last_name="Smith") for _ in range(2)]
    factories.conviction(people[1], actor=people[1].user)
    pages = []
    for person in people:
        notify.mark_all_read(employer)  # each from the same start: the first bond's notice
        application = factories.application(role, person,
                                            status=ApplicationStatus.OFFER_CONFIRMED)
        client = app.test_client(user=employer)
        seen = [client.get(f"/employer/applications/{application.id}/bond")]
        bond = _bond({**hire, "application": application})
        seen.append(client.get(f"/employer/bonds/{bond.id}/pay"))
        services.pay_by_invoice(bond.id, actor=employer)
        services.mark_invoice_paid(bond.id, actor=factories.user(Role.ADMIN))
        for path in ("", "/certificate", "/cancel", "/claim"):
            seen.append(client.get(f"/employer/bonds/{bond.id}{path}"))
        assert all(r.status_code == 200 for r in seen)
        pages.append([_normalise(r.get_data(as_text=True)) for r in seen])
    assert pages[0] == pages[1]
    assert org.name in pages[0][3]


# --- configuration ---------------------------------------------------------------------------


def _production(**stripe) -> dict:
    return {"MARKETPLACE_ENV": "production", "SECRET_KEY": "x" * 40,
            "FIELD_ENCRYPTION_KEY": "eA4kKkNqMiRhJvFd8Zs0nXo0m2VkJ8c2z5hTq6pWc1o=",
            "DATABASE_URL": "postgresql://db/fcm", "TRUSTED_HOSTS": "fairchance.example",
            "MAIL_BACKEND": "smtp", "MAIL_SMTP_URL": "smtp://mail.example:25",
            "STRIPE_PUBLISHABLE_KEY": "pk_x", "STRIPE_WEBHOOK_SECRET": "whsec_x", **stripe}


def test_production_refuses_a_test_key_with_stripes_live_api():
    with pytest.raises(ConfigError, match="test key"):
        Config.from_env(_production(STRIPE_SECRET_KEY="sk_test_abc"))


def test_production_refuses_a_live_key_with_any_other_server():
    with pytest.raises(ConfigError, match="live key"):
        Config.from_env(_production(STRIPE_SECRET_KEY="sk_live_abc",
                                    STRIPE_API_BASE="http://127.0.0.1:8420"))


def test_production_accepts_a_live_key_with_stripe_and_a_test_key_with_a_local_server():
    assert Config.from_env(_production(STRIPE_SECRET_KEY="sk_live_abc")).STRIPE_SECRET_KEY
    assert Config.from_env(_production(STRIPE_SECRET_KEY="sk_test_abc",
                                       STRIPE_API_BASE="http://127.0.0.1:8420"))


def test_production_refuses_half_a_stripe_configuration():
    settings = _production(STRIPE_SECRET_KEY="sk_live_abc")
    del settings["STRIPE_WEBHOOK_SECRET"]
    with pytest.raises(ConfigError, match="STRIPE_WEBHOOK_SECRET"):
        Config.from_env(settings)



def test_the_admin_lists_take_the_same_number_of_queries_however_long(app, hire, count_queries):
    admin = app.test_client(user=factories.user(Role.ADMIN))
    pages = ("/admin/bonds/ledger", "/admin/bonds/claims", "/admin/bonds/invoices",
             "/employer/bonds")
    employer = app.test_client(user=hire["employer"])

    def counts() -> list[int]:
        found = []
        for url in pages:
            client = employer if url.startswith("/employer") else admin
            client.get(url)  # the test client's own first load of the signed-in user
            with count_queries() as n:
                assert client.get(url).status_code == 200
            found.append(n())
        return found

    def more(times: int) -> None:
        for n in range(times):
            # Each its own product and employer, so that nothing is loaded once for all.
            product = services.add_product(provider=f"Provider {n}", cover_pence=100_000,
                                           term_months=12, premium_pence=1_000 + n, terms="",
                                           actor=None)
            application = factories.application(hire["role"],
                                                status=ApplicationStatus.STARTED)
            bond = services.choose(application, product, actor=hire["employer"])
            services.pay_by_invoice(bond.id, actor=hire["employer"])
            services.mark_invoice_paid(bond.id, actor=factories.user(Role.ADMIN))
            services.claim(bond.id, loss_on=clock.uk_today(), amount_pence=100,
                           description="Till short", actor=hire["employer"])
            waiting = factories.application(hire["role"], status=ApplicationStatus.STARTED)
            services.pay_by_invoice(services.choose(waiting, product,
                                                    actor=hire["employer"]).id,
                                    actor=hire["employer"])

    more(1)
    few = counts()
    more(4)
    assert counts() == few
