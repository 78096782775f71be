"""An employer buys fidelity bond cover in a real browser, on a phone-sized screen: the card is
typed into localstripe's stand-in for Stripe.js (localstripe-v3.js, served by a localstripe the
test starts), the payment is confirmed by localstripe's signed webhook, and the employer sees the
active bond and its certificate. Without JavaScript the page offers payment by invoice."""

import re
import time

import pytest

from marketplace.bonds import services
from marketplace.extensions import db
from marketplace.types import ApplicationStatus, Role
from tests import factories, localstripe
from tests.browser.session import sign_in as _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WEBHOOK_SECRET = "whsec_browser_bonds"


@pytest.fixture(scope="module")
def stripe_base(live_app, live_server):
    """localstripe on a free loopback port, the live app pointed at it for this module, and
    localstripe's webhook pointed at the live server."""
    with localstripe.run() as base:
        settings = {"STRIPE_SECRET_KEY": localstripe.SECRET_KEY,
                    "STRIPE_PUBLISHABLE_KEY": localstripe.PUBLISHABLE_KEY,
                    "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "STRIPE_API_BASE": base}
        before = {name: live_app.config[name] for name in settings}
        live_app.config.update(settings)
        localstripe.register_webhook(base, f"{live_server}/stripe/webhook", WEBHOOK_SECRET)
        try:
            yield base
        finally:
            live_app.config.update(before)


def _hire(live_app, name: str) -> dict:
    with live_app.app_context():
        org = factories.organisation(name=f"{name} Cash and Carry")
        employer = factories.user(Role.EMPLOYER, organisation=org,
                                  email=f"bonds-{name.lower()}@example.com")
        role = factories.opportunity(org, title="Cash office assistant", bond_backed=True)
        application = factories.application(role, status=ApplicationStatus.OFFER_CONFIRMED)
        services.add_product(provider=f"{name} Bonds Trust", cover_pence=1_000_000,
                             term_months=12, premium_pence=12_000, terms="Covers dishonesty.",
                             actor=None)
        db.session.commit()
        return {"email": employer.email, "application_id": application.id,
                "org": org.name, "provider": f"{name} Bonds Trust"}


def _fits_the_screen(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def _choose_cover(page, live_server, hire) -> None:
    page.goto(f"{live_server}/employer/applications/{hire['application_id']}")
    page.get_by_role("link", name="Buy fidelity bond cover").click()
    page.get_by_label(re.compile(hire["provider"])).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/employer/bonds/\d+/pay$"))


def test_an_employer_pays_by_card_and_sees_the_active_bond_and_its_certificate(
        page, live_app, live_server, stripe_base):
    hire = _hire(live_app, "Aireside")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, hire["email"])
    _choose_cover(page, live_server, hire)
    assert page.get_by_text("Card payment needs JavaScript").is_hidden()
    _fits_the_screen(page)
    # localstripe-v3.js draws its own card fields, named only by their placeholders.
    page.get_by_placeholder("number").fill("4242424242424242")
    page.get_by_placeholder("exp_month").fill("12")
    page.get_by_placeholder("exp_year").fill("34")
    page.get_by_placeholder("cvc").fill("123")
    page.get_by_placeholder("postal_code").fill("LS11")
    page.get_by_role("button", name="Pay £120").click()
    page.wait_for_url(re.compile(r"/employer/bonds/\d+$"))
    assert page.get_by_text("being confirmed").first.is_visible()
    # Active only once localstripe's signed webhook has arrived (about a second later).
    deadline = time.monotonic() + 20
    while not page.get_by_text("Active", exact=True).is_visible():
        assert time.monotonic() < deadline, "the bond never became active"
        time.sleep(0.5)
        page.reload()
    _fits_the_screen(page)
    page.get_by_role("link", name="See the certificate").click()
    certificate = page.locator("main").inner_text()
    assert hire["org"] in certificate and hire["provider"] in certificate
    assert "£10,000" in certificate and re.search(r"FB-[A-Z0-9]{8}", certificate)
    _fits_the_screen(page)
    assert errors == []


def test_when_the_bank_checks_the_payment_stripe_js_confirms_it_in_the_browser(
        page, live_app, live_server, stripe_base):
    hire = _hire(live_app, "Wharfedale")
    _sign_in(page, live_server, hire["email"])
    _choose_cover(page, live_server, hire)
    page.get_by_placeholder("number").fill("4000002500003155")  # 3-D Secure required
    page.get_by_placeholder("exp_month").fill("12")
    page.get_by_placeholder("exp_year").fill("34")
    page.get_by_placeholder("cvc").fill("123")
    page.get_by_placeholder("postal_code").fill("LS11")
    page.get_by_role("button", name="Pay £120").click()
    page.wait_for_url(re.compile(r"/employer/bonds/\d+/authenticate$"))
    _fits_the_screen(page)
    page.get_by_role("button", name="Confirm with my bank").click()
    # localstripe-v3.js's stand-in for the bank's page.
    page.get_by_role("button", name="Complete authentication").click()
    page.wait_for_url(re.compile(r"/employer/bonds/\d+$"))
    deadline = time.monotonic() + 20
    while not page.get_by_text("Active", exact=True).is_visible():
        assert time.monotonic() < deadline, "the bond never became active"
        time.sleep(0.5)
        page.reload()


def test_without_javascript_the_employer_pays_by_invoice(browser, live_app, live_server,
                                                         stripe_base):
    hire = _hire(live_app, "Calder")
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, live_server, hire["email"])
        _choose_cover(page, live_server, hire)
        assert page.get_by_text("Card payment needs JavaScript").is_visible()
        assert page.get_by_role("button", name="Pay £120").is_hidden()
        _fits_the_screen(page)
        page.get_by_role("button", name="Pay by invoice instead").click()
        assert page.get_by_text("We will send you an invoice").is_visible()
    finally:
        context.close()
