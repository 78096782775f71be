"""The right to answer before an offer is withdrawn (issue 9, item 5), walked in a real browser on
a phone-sized screen: the candidate's home page leads with the deadline, the banner leads to the
answer, and the answer is recorded where the person can see it."""

import os

import pytest
from playwright.sync_api import expect

from marketplace import journey
from marketplace.disclosure import consent
from marketplace.extensions import db
from marketplace.types import ApplicationStatus, Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
ANSWER = "I have managed the tuck shop till for a year without a problem."


@pytest.fixture(scope="module")
def planned_withdrawal(live_app):
    """Sam has shared their disclosure with Calder Valley Foods, who plan to withdraw the offer.
    Returns Sam's email and the last day to answer, as the page should write it."""
    with live_app.app_context():
        employer = factories.user(
            Role.EMPLOYER, organisation=factories.organisation(name="Calder Valley Foods"))
        person = factories.candidate(
            user=factories.user(Role.CANDIDATE, email="browser-deadline@example.com"))
        application = factories.application(
            factories.opportunity(employer.organisation, title="Warehouse operative"), person,
            status=ApplicationStatus.INTERVIEW)
        journey.make_conditional_offer(application, actor=employer)
        consent.give(application, actor=person.user)
        journey.withdraw_offer(application, actor=employer, reason="The role handles cash")
        last_day = journey.answer_by(application)
        db.session.commit()
        return person.user.email, f"{last_day.day} {last_day:%B %Y}"


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _screenshot(page, name: str) -> None:
    """For a person to look at what the test saw: set SCREENSHOTS to a folder."""
    if folder := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_candidate_answers_before_the_deadline_from_their_home_page(page, live_server,
                                                                   planned_withdrawal):
    email, last_day = planned_withdrawal
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Sam")

    # The first thing on the page, before the greeting and everything else.
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text(
        f"Calder Valley Foods plan to withdraw your offer for Warehouse operative. You have "
        f"until {last_day} to answer.")
    assert page.evaluate("document.querySelector('main').firstElementChild"
                         ".classList.contains('govuk-notification-banner')")
    assert _no_sideways_scroll(page)
    _screenshot(page, "deadline-home")

    banner.get_by_role("link", name="Answer Calder Valley Foods").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warehouse operative")
    expect(page.get_by_text(f"You have until {last_day} to answer.")).to_be_visible()
    page.get_by_label("Your answer").fill(ANSWER)
    assert _no_sideways_scroll(page)
    page.get_by_role("button", name="Send your answer").click()

    expect(page.get_by_text("Your answer is sent.")).to_be_visible()
    expect(page.get_by_text(f"You answered: {ANSWER}")).to_be_visible()
    _screenshot(page, "deadline-answered")

    page.goto(live_server + "/me/")
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text("You have answered.")
    expect(banner.get_by_role("link", name="Change your answer to Calder Valley Foods")
           ).to_be_visible()
