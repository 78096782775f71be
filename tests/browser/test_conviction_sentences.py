"""A person records one conviction with two sentences, in a real browser on a phone-sized
screen with JavaScript off: prison, which alone would be spent by now, and a restraining order
"until further order", which keeps the whole conviction unspent (ROA s.5(2), s.6(2))."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from marketplace.types import CandidateStatus, Role
from tests import factories
from tests.browser.session import sign_in as _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def people(live_app):
    with live_app.app_context():
        person = factories.candidate(
            user=factories.user(Role.CANDIDATE, email="browser-sentences@example.com"))
        pel = factories.user(Role.PEL, email="browser-sentences-pel@example.com")
        in_custody = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
        db.session.commit()
        return {"person": person.user.email, "pel": pel.email, "in_custody": in_custody.id}


def _enter_conviction_with_two_sentences(page) -> None:
    three_years_ago = dt.date.today() - dt.timedelta(days=3 * 365)
    page.get_by_label("What was the offence?").fill("Harassment and assault")
    page.get_by_label("Violence").check()
    for part, value in (("day", three_years_ago.day), ("month", three_years_ago.month),
                        ("year", three_years_ago.year)):
        page.locator(f"#date-{part}").fill(str(value))
    page.get_by_label("18 or over").check()
    page.get_by_label("What did you get?").select_option(label="Prison sentence")
    page.get_by_label("How long was it, in months?").fill("8")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the conviction")
    expect(page.get_by_text("Prison sentence, 8 months")).to_be_visible()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add another sentence")
    page.get_by_label("What did you get?").select_option(label="Restraining or similar order")
    page.get_by_label("No, it lasts until a court ends it").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Restraining or similar order, until a court ends it")).to_be_visible()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()


def test_a_person_adds_a_conviction_with_two_sentences_and_sees_it_is_not_spent(
        browser, live_server, people):
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, live_server, people["person"])
    page.goto(live_server + "/me/disclosure")
    page.get_by_role("link", name="Add a conviction or caution").click()
    _enter_conviction_with_two_sentences(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("What you need to tell employers")
    card = page.locator(".fcm-card", has_text="Harassment and assault")
    expect(card.get_by_role("listitem")).to_have_count(2)
    expect(card).to_contain_text("This is not spent yet. The order lasts until a court ends it.")
    context.close()


def test_a_pel_records_the_same_for_someone_in_their_prison(browser, live_server, people):
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, live_server, people["pel"])
    page.goto(f"{live_server}/prison/people/{people['in_custody']}/convictions")
    page.get_by_role("link", name="Add a conviction or caution").click()
    _enter_conviction_with_two_sentences(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Convictions and what to disclose")
    expect(page.locator(".fcm-card", has_text="Harassment and assault")).to_contain_text(
        "This is not spent yet.")
    context.close()
