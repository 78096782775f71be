"""Signing in with a real browser, for each role, on a phone-sized screen, without JavaScript
needed for anything on the way."""

import pytest
from playwright.sync_api import expect

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


@pytest.mark.parametrize("role", list(EXPECTED_HEADING), ids=lambda r: r.value)
def test_each_role_signs_in_and_sees_their_dashboard(page, live_server, accounts, role):
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
