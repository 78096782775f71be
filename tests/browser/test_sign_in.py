"""Signing in with a real browser, for each role, on a phone-sized screen, without JavaScript
needed for anything on the way; registering and confirming the address from the email; and the
Content-Security-Policy letting GOV.UK Frontend run while refusing nothing else on the way."""

import re

import pytest
from playwright.sync_api import expect

from marketplace import mail
from marketplace.extensions import db
from marketplace.types import Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EXPECTED_HEADING = {
    Role.ADMIN: "Administration",
    Role.PEL: "Leeds",
    Role.EMPLOYER: "Employer",
    Role.CANDIDATE: "Hello, Sam",
}


@pytest.fixture(scope="module")
def accounts(live_app):
    with live_app.app_context():
        users = {role: factories.user(role, email=f"browser-{role.value}@example.com")
                 for role in (Role.ADMIN, Role.PEL, Role.EMPLOYER)}
        users[Role.CANDIDATE] = factories.candidate(
            user=factories.user(Role.CANDIDATE, email="browser-candidate@example.com")).user
        db.session.commit()
        return {role: user.email for role, user in users.items()}


def _csp_violations(page) -> list[str]:
    """Console messages from Chromium refusing something under the Content-Security-Policy."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    return refused


@pytest.mark.parametrize("role", list(EXPECTED_HEADING), ids=lambda r: r.value)
def test_each_role_signs_in_and_sees_their_dashboard(page, live_server, accounts, role):
    refused = _csp_violations(page)
    page.goto(live_server + "/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill(accounts[role])
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(EXPECTED_HEADING[role])
    page.wait_for_load_state("load")  # GOV.UK Frontend's scripts have run
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():  # on a phone the navigation folds behind a menu button
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find work after prison")
    # The GOV.UK template's inline script ran under its nonce, and nothing was refused.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    assert refused == []


def test_wrong_password_shows_error_summary(page, live_server, accounts):
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(accounts[Role.ADMIN])
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password")


def test_sign_in_works_without_javascript(browser, live_server, accounts):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(accounts[Role.ADMIN])
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    context.close()


def test_a_framed_page_is_refused(page, live_server):
    with page.expect_console_message(lambda message: "frame-ancestors 'none'" in message.text):
        page.set_content(f'<iframe src="{live_server}/sign-in"></iframe>')
    expect(page.frame_locator("iframe").get_by_role("heading", name="Sign in")).to_have_count(0)


def test_a_new_candidate_registers_confirms_by_email_and_signs_in(page, live_server):
    refused = _csp_violations(page)
    mail.outbox.clear()
    page.goto(live_server + "/register/candidate")
    page.get_by_label("Full name").fill("Robin Hart")
    page.get_by_label("Email address").fill("browser-new@example.com")
    page.get_by_label("I have left prison and I am on licence").check()
    page.get_by_label("Where do you live?").fill("LS11")
    page.get_by_label("Create a password").fill("password12")
    page.get_by_label("Type the password again").fill("password12")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a password that is harder to guess")

    page.get_by_label("Create a password").fill("kettle orbit violin")
    page.get_by_label("Type the password again").fill("kettle orbit violin")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    [message] = mail.outbox
    link = re.search(r"http://\S+(/register/confirm/\S+)", message.body).group(1)
    page.goto(live_server + link)
    page.get_by_role("button", name="Confirm and finish").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Robin")
    assert refused == []
