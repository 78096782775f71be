"""An employer posts an opportunity in a real browser on a phone-sized screen with JavaScript
off: the error summary links to the field, the answers survive the round trip, and the saved
draft can be published."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from marketplace.types import Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def employer_email(live_app):
    with live_app.app_context():
        user = factories.user(Role.EMPLOYER, email="browser-poster@example.com")
        db.session.commit()
        return user.email


def test_employer_posts_and_publishes_without_javascript(browser, live_server, employer_email):
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(employer_email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Post an opportunity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post an opportunity")

    page.get_by_label("Job").check()
    page.get_by_label("Title").fill("Delivery driver's mate")
    page.get_by_label("What will the person do?").fill("Loading the van and delivering "
                                                      "parcels with the driver.")
    page.get_by_label("Sector").select_option(label="Logistics and warehousing")
    page.get_by_label("Skills you want").fill("manual handling, customer service")
    page.get_by_label("Where is the work?").fill("LS11")
    page.get_by_label("Full time").check()
    page.get_by_label("Yes", exact=True).first.check()  # paid
    page.get_by_label("Contract").select_option(label="Permanent")
    page.get_by_label("Number of places").fill("1")
    page.get_by_label("No check").check()
    page.get_by_label("No", exact=True).last.check()  # not regulated activity
    page.get_by_role("button", name="Save as draft").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter the pay, like 12.71")
    expect(page.get_by_label("Title")).to_have_value("Delivery driver's mate")

    page.get_by_label("Pay from, in pounds").fill("12.71")
    page.get_by_label("Pay is for each").select_option(label="Hour")
    closing = dt.date.today() + dt.timedelta(days=21)
    for part, value in (("day", closing.day), ("month", closing.month),
                        ("year", closing.year)):
        page.locator(f"#closing_date-{part}").fill(str(value))
    page.get_by_role("button", name="Save as draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery driver's mate")
    expect(page.get_by_text("This is a draft")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. People can now find it and apply.")).to_be_visible()
    context.close()
