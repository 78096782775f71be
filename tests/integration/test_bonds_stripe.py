"""Fidelity bonds end to end against a real Stripe-compatible server: the real `stripe` SDK
talks to localstripe (tests/localstripe.py), and localstripe's own signed webhooks reach the app
over HTTP. This module has its own app on its own database (committed data: the webhook is
answered by a server thread, which cannot see a test's rolled-back transaction), and its own
localstripe, started on a free loopback port and stopped at the end.
"""

import datetime as dt
import hashlib
import hmac
import json
import threading
import time

import pytest
import requests
import sqlalchemy as sa
from werkzeug.serving import make_server

from marketplace import clock
from marketplace.bonds import services, stripe_api
from marketplace.extensions import db
from marketplace.models import Bond, LedgerEntry, StripeEvent
from marketplace.types import ApplicationStatus, BondStatus, LedgerKind, Role
from tests import factories, localstripe
from tests.pages import PageClient

WEBHOOK_SECRET = "whsec_bonds_tests"
WAIT_S = 20.0
GOOD_CARD = "4242424242424242"
REFUSED_CARD = "4000000000000341"  # localstripe refuses to charge it (card_declined)
BANK_CHECK_CARD = "4000002500003155"  # the bank must check the payment (3-D Secure)


@pytest.fixture(scope="module")
def stripe_base():
    with localstripe.run() as base:
        yield base


@pytest.fixture(scope="module")
def app(stripe_base):
    """This module's app and database, a live server for localstripe's webhooks, and the
    webhook registered with localstripe."""
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.reference import services as reference
    from tests.conftest import (
        SignedInClient,
        _isolate_requests,
        _test_config,
        drop_database,
        fresh_database_beside,
    )

    config = _test_config()
    url = config.SQLALCHEMY_DATABASE_URI
    config.SQLALCHEMY_DATABASE_URI = (fresh_database_beside(url, "bonds")
                                      if url.startswith("postgresql")
                                      else url.replace("test.db", "bonds.db"))
    config.SERVER_NAME = None
    config.STRIPE_SECRET_KEY = localstripe.SECRET_KEY
    config.STRIPE_PUBLISHABLE_KEY = localstripe.PUBLISHABLE_KEY
    config.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    config.STRIPE_API_BASE = stripe_base
    app = create_app(config)
    app.test_client_class = SignedInClient
    _isolate_requests(app)
    with app.app_context():
        upgrade()
        reference.load()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    localstripe.register_webhook(stripe_base, f"{app.config['LIVE_URL']}/stripe/webhook",
                                 WEBHOOK_SECRET)
    yield app
    server.shutdown()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(config.SQLALCHEMY_DATABASE_URI)




@pytest.fixture()
def ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture()
def hire(ctx):
    """A confirmed hire for a bond-backed role, and a product to buy: committed."""
    org = factories.organisation(name=f"Bonded Employer {time.monotonic_ns()}")
    employer = factories.user(Role.EMPLOYER, organisation=org)
    role = factories.opportunity(org, title="Cash office assistant", bond_backed=True)
    application = factories.application(role, status=ApplicationStatus.OFFER_CONFIRMED)
    product = services.add_product(provider="Test Bonds Trust", cover_pence=1_000_000,
                                   term_months=12, premium_pence=12_000,
                                   terms="Covers loss from dishonesty.", actor=None)
    db.session.commit()
    return {"employer": employer, "application": application, "product": product,
            "client": PageClient(app_client(employer))}


def app_client(user):
    from flask import current_app

    return current_app.test_client(user=user)


def _post(hire, url: str, data: dict, *, form_url: str, field: str = "csrf_token"):
    """Send a form as a browser would (its CSRF token from the page it is on), follow the
    redirect and return the page it lands on, checked."""
    pages = hire["client"]
    response = pages.client.post(url, data={**data, field: pages.token(form_url)},
                                 follow_redirects=True)
    assert response.status_code == 200, response.status_code
    from tests.pages import check_page

    return check_page(response.get_data(as_text=True))


def _choose(hire) -> Bond:
    url = f"/employer/applications/{hire['application'].id}/bond"
    _post(hire, url, {"product": str(hire["product"].id)}, form_url=url)
    db.session.rollback()
    found = db.session.scalar(sa.select(Bond).where(
        Bond.application_id == hire["application"].id).order_by(Bond.id.desc()))
    assert found.status is BondStatus.PENDING_PAYMENT
    return found


def _pay(hire, found: Bond, card: str, form_url: str | None = None):
    token = localstripe.card_token(current_base(), card)
    return _post(hire, f"/employer/bonds/{found.id}/card", {"payment_method": token},
                 form_url=form_url or f"/employer/bonds/{found.id}/pay")


def current_base() -> str:
    from flask import current_app

    return current_app.config["STRIPE_API_BASE"]


def _wait_for(predicate, what: str):
    """Poll the database (each read its own short transaction: on SQLite every transaction
    takes the write lock, which the webhook's request needs) until `predicate()` holds."""
    deadline = time.monotonic() + WAIT_S
    while True:
        db.session.rollback()
        value = predicate()
        db.session.rollback()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {WAIT_S} s for {what}")
        time.sleep(0.2)


def _status(bond_id: int) -> BondStatus:
    return db.session.scalar(sa.select(Bond.status).where(Bond.id == bond_id))


def _activate_by_card(hire) -> Bond:
    found = _choose(hire)
    _pay(hire, found, GOOD_CARD)
    _wait_for(lambda: _status(found.id) is BondStatus.ACTIVE, "the bond to become active")
    return db.session.get(Bond, found.id)


def test_card_payment_makes_the_bond_active_only_when_stripes_signed_webhook_arrives(hire):
    found = _choose(hire)
    page = _pay(hire, found, GOOD_CARD)
    # What the browser is shown after paying: the payment is being confirmed, nothing more.
    assert "being confirmed" in page.get_text()
    db.session.rollback()
    paid = db.session.get(Bond, found.id)
    assert paid.status is BondStatus.PENDING_PAYMENT
    assert paid.payment_intent_id.startswith("pi_")
    intent = stripe_api.client().v1.payment_intents.retrieve(paid.payment_intent_id)
    assert (intent.amount, intent.currency, intent.status) == (12_000, "gbp", "succeeded")
    assert intent.metadata["bond_id"] == str(found.id)
    assert intent.metadata["application_id"] == str(hire["application"].id)
    assert intent.metadata["organisation_id"] == str(hire["employer"].organisation_id)

    _wait_for(lambda: _status(found.id) is BondStatus.ACTIVE, "the webhook to activate it")
    active = db.session.get(Bond, found.id)
    today = clock.uk_today()
    assert active.starts_on == today
    assert active.ends_on == services.add_months(today, 12) - dt.timedelta(days=1)
    entries = db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.bond_id == found.id))
    assert [(e.kind, e.amount_pence, e.stripe_id) for e in entries] == \
        [(LedgerKind.PAYMENT, 12_000, paid.payment_intent_id)]
    certificate = hire["client"].get(f"/employer/bonds/{found.id}/certificate")
    text = certificate.get_text(" ")
    assert found.reference in text and "Test Bonds Trust" in text and "£10,000" in text


def test_a_refused_card_is_payment_failed_with_the_reason_shown(hire):
    found = _choose(hire)
    page = _pay(hire, found, REFUSED_CARD)
    assert "Your card was declined." in page.get_text()
    db.session.rollback()
    assert _status(found.id) is BondStatus.PAYMENT_FAILED
    # localstripe's payment_intent.payment_failed follows, and changes nothing more.
    event = _wait_for(lambda: db.session.scalar(
        sa.select(StripeEvent.outcome).where(StripeEvent.type == "payment_intent.payment_failed",
                                             StripeEvent.outcome.contains(f"bond {found.id} "))),
        "the payment_failed webhook")
    assert event == f"no change: bond {found.id} is payment_failed"
    assert _status(found.id) is BondStatus.PAYMENT_FAILED
    assert "Your card was declined." in hire["client"].get(
        f"/employer/bonds/{found.id}/pay").get_text()
    # Another card: a new attempt, a new PaymentIntent, and the cover starts.
    _post(hire, f"/employer/bonds/{found.id}/retry", {},
          form_url=f"/employer/bonds/{found.id}/pay", field="retry-csrf_token")
    db.session.rollback()
    assert _status(found.id) is BondStatus.PENDING_PAYMENT
    _pay(hire, db.session.get(Bond, found.id), GOOD_CARD)
    _wait_for(lambda: _status(found.id) is BondStatus.ACTIVE, "the second attempt to be paid")


def _signed(payload: str, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    at = int(time.time()) if at is None else at
    signature = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256)
    return f"t={at},v1={signature.hexdigest()}"


def test_cancelling_refunds_the_unused_whole_months_and_the_refund_confirms_it(hire):
    start = dt.date(2026, 3, 10)
    with clock.frozen(start):
        found = _activate_by_card(hire)
    assert (found.starts_on, found.ends_on) == (start, dt.date(2027, 3, 9))
    # 3 months and 5 days later: 8 whole months are left of 12 (to 10 March 2027).
    with clock.frozen(dt.date(2026, 6, 15)):
        page = hire["client"].get(f"/employer/bonds/{found.id}/cancel")
        assert "£80" in page.get_text()  # £120 x 8 / 12
        _post(hire, f"/employer/bonds/{found.id}/cancel", {},
              form_url=f"/employer/bonds/{found.id}/cancel")
    db.session.rollback()
    cancelling = db.session.get(Bond, found.id)
    assert cancelling.status is BondStatus.CANCELLING
    assert (cancelling.refund_pence, cancelling.cancelled_on) == (8_000, dt.date(2026, 6, 15))
    refund = stripe_api.client().v1.refunds.retrieve(cancelling.refund_id)
    assert (refund.amount, refund.status) == (8_000, "succeeded")

    # localstripe sends no charge.refunded: build it from the charge localstripe holds, signed
    # as Stripe signs, and deliver it to the live server as Stripe would.
    intent = stripe_api.client().v1.payment_intents.retrieve(cancelling.payment_intent_id)
    charge_id = intent.latest_charge if isinstance(intent.latest_charge, str) \
        else intent.latest_charge.id
    charge = requests.get(f"{current_base()}/v1/charges/{charge_id}", timeout=5,
                          auth=(localstripe.SECRET_KEY, "")).json()
    assert charge["amount_refunded"] == 8_000
    payload = json.dumps({"id": f"evt_refund_{found.id}", "object": "event",
                          "type": "charge.refunded", "data": {"object": charge}})
    from flask import current_app

    db.session.rollback()  # on SQLite an open transaction holds the lock the webhook needs
    response = requests.post(f"{current_app.config['LIVE_URL']}/stripe/webhook", data=payload,
                             headers={"Stripe-Signature": _signed(payload),
                                      "Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 200, response.text
    db.session.rollback()
    assert _status(found.id) is BondStatus.CANCELLED
    refunds = list(db.session.scalars(sa.select(LedgerEntry).where(
        LedgerEntry.bond_id == found.id, LedgerEntry.kind == LedgerKind.REFUND)))
    assert [(r.amount_pence, r.stripe_id) for r in refunds] == [(8_000, refund.id)]
    assert "Cancelled" in hire["client"].get(f"/employer/bonds/{found.id}").get_text()
    # The ledger and localstripe agree, payments and refunds alike.
    assert services.reconcile() == []


def test_a_double_submit_charges_once(hire):
    found = _choose(hire)
    _pay(hire, found, GOOD_CARD)
    second = _pay(hire, found, GOOD_CARD, form_url="/employer/bonds")
    assert "already been sent" in second.get_text() or "nothing to pay" in second.get_text()
    _wait_for(lambda: _status(found.id) is BondStatus.ACTIVE, "the bond to become active")
    intents = stripe_api.client().v1.payment_intents.list(params={"limit": 100})
    mine = [i for i in intents.auto_paging_iter()
            if i.metadata.to_dict().get("bond_id") == str(found.id)]
    assert len(mine) == 1


def test_reconcile_names_a_payment_stripe_has_and_the_ledger_does_not(app, ctx, stripe_base):
    with localstripe.run() as other:
        app.config["STRIPE_API_BASE"] = other
        try:
            stray = stripe_api.client().v1.payment_intents.create(params={
                "amount": 5_000, "currency": "gbp", "payment_method": "pm_card_visa",
                "confirm": True, "metadata": {"bond_id": "999999", "attempt": "0"}})
            differences = services.reconcile()
        finally:
            app.config["STRIPE_API_BASE"] = stripe_base
    assert [line for line in differences if stray.id in line] == [
        f"{stray.id}: Stripe has a payment for bond 999999 of £50.00, the ledger has nothing"]


def test_the_same_event_delivered_twice_at_once_is_processed_once(hire):
    """Two deliveries of one event race from two threads, each its own connection: the event
    id's key lets one change the bond and the other change nothing."""
    from flask import current_app

    found = _choose(hire)
    # A real payment in localstripe for this bond. (localstripe's own event for it follows a
    # second later, with another id: the bond is active by then and it changes nothing.)
    intent = stripe_api.client().v1.payment_intents.create(params={
        "amount": 12_000, "currency": "gbp", "payment_method": "pm_card_visa", "confirm": True,
        "metadata": {"bond_id": str(found.id), "attempt": "0"}})
    obj = requests.get(f"{current_base()}/v1/payment_intents/{intent.id}", timeout=5,
                       auth=(localstripe.SECRET_KEY, "")).json()
    payload = json.dumps({"id": f"evt_race_{found.id}", "object": "event",
                          "type": "payment_intent.succeeded", "data": {"object": obj}})
    db.session.rollback()  # on SQLite an open transaction holds the lock the webhooks need
    barrier = threading.Barrier(2)
    answers: list[str] = []
    url = f"{current_app.config['LIVE_URL']}/stripe/webhook"

    def deliver():
        barrier.wait(timeout=5)
        answers.append(requests.post(
            url, data=payload, timeout=30,
            headers={"Stripe-Signature": _signed(payload)}).text)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=40)
    assert sorted(answers) == sorted([f"bond {found.id} active",
                                      f"evt_race_{found.id} already processed"])
    db.session.rollback()
    assert _status(found.id) is BondStatus.ACTIVE
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)
                             .where(LedgerEntry.bond_id == found.id)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StripeEvent)
                             .where(StripeEvent.id == f"evt_race_{found.id}")) == 1


def test_a_payment_the_bank_must_check_is_confirmed_in_the_browser_and_its_failure_recorded(
        hire):
    found = _choose(hire)
    token = localstripe.card_token(current_base(), BANK_CHECK_CARD)
    pages = hire["client"]
    response = pages.client.post(f"/employer/bonds/{found.id}/card", data={
        "payment_method": token, "csrf_token": pages.token(f"/employer/bonds/{found.id}/pay")})
    assert response.headers["Location"] == f"/employer/bonds/{found.id}/authenticate"
    page = pages.get(response.headers["Location"])
    secret = page.select_one("#bank-check")["data-client-secret"]
    db.session.rollback()
    intent_id = db.session.get(Bond, found.id).payment_intent_id
    assert secret.startswith(f"{intent_id}_secret_")
    db.session.rollback()
    # What Stripe.js's confirmCardPayment does when the person fails the bank's check.
    requests.post(f"{current_base()}/v1/payment_intents/{intent_id}/_authenticate?success=false",
                  json={"key": localstripe.PUBLISHABLE_KEY, "client_secret": secret},
                  timeout=5).raise_for_status()
    landed = _post(hire, f"/employer/bonds/{found.id}/check", {},
                   form_url="/employer/bonds", field="check-csrf_token")
    assert "failed authentication" in landed.get_text()
    db.session.rollback()
    assert _status(found.id) is BondStatus.PAYMENT_FAILED


def test_two_submits_of_one_card_at_the_same_moment_charge_once(app, hire):
    """Two requests to pay for one bond race from two threads, each its own connection: the
    bond's row lock (PostgreSQL; SQLite's writers take turns) lets one reach Stripe and the
    other find the payment already sent."""
    from marketplace.models import User

    bond_id, employer_id = _choose(hire).id, hire["employer"].id
    token = localstripe.card_token(current_base(), GOOD_CARD)
    db.session.rollback()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        with app.app_context():
            try:
                barrier.wait(timeout=5)
                result = services.pay_by_card(bond_id, token,
                                              actor=db.session.get(User, employer_id))
                db.session.commit()
                outcomes.append(result.outcome)
            except services.BondError as error:
                db.session.rollback()
                outcomes.append(str(error))
            except Exception as error:  # shown in the assertion below, not lost in a thread
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["This payment has already been sent. Wait for it to be "
                                "confirmed.", "processing"]
    intents = stripe_api.client().v1.payment_intents.list(params={"limit": 100})
    assert [i.id for i in intents.auto_paging_iter()
            if i.metadata.to_dict().get("bond_id") == str(bond_id)] == \
        [db.session.get(Bond, bond_id).payment_intent_id]
    db.session.rollback()
    _wait_for(lambda: _status(bond_id) is BondStatus.ACTIVE, "the bond to become active")
