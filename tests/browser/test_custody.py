"""The custody channel end to end in a real browser at phone size (issue 13): a PEL adds a
person with consent, builds their profile and nominates them; a message to the employer waits
for the PEL's approval, and so does the reply; a Jobpoint shows jobs near a home area without
contact details and its request reaches the PEL; a transferred person moves caseload; a
released person claims their account with the code on their slip and sees their
applications."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from marketplace import mail
from marketplace.extensions import db
from marketplace.types import CandidateStatus, Role
from tests import factories
from tests.browser.session import sign_in as _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def world(live_app):
    with live_app.app_context():
        leeds = factories.prison("LEI")
        wakefield = factories.prison("WDI")
        pel = factories.user(Role.PEL, prison=leeds, email="custody-pel@example.com",
                             full_name="Pat Lead")
        other_pel = factories.user(Role.PEL, prison=wakefield,
                                   email="custody-pel-wakefield@example.com")
        employer = factories.user(Role.EMPLOYER, email="custody-employer@example.com",
                                  organisation=factories.organisation(name="Aire Kitchens"))
        job = factories.opportunity(
            employer.organisation, title="Kitchen porter", postcode_district="LS10",
            guaranteed_interview=True, accepts_rotl=True, accepts_in_custody=True,
            description="Washing up and prep. Call 07700 900123 or email chef@example.com.")
        messaging = factories.candidate(CandidateStatus.IN_CUSTODY, prison=leeds,
                                        first_name="Morgan", prison_number="C1001AA")
        thread = factories.application(job, messaging)
        mover = factories.candidate(CandidateStatus.IN_CUSTODY, prison=leeds,
                                    first_name="Rowan", last_name="Mover",
                                    prison_number="C1002AA")
        leaver = factories.candidate(CandidateStatus.IN_CUSTODY, prison=leeds,
                                     first_name="Casey", last_name="Leaver",
                                     prison_number="C1003AA")
        factories.application(factories.opportunity(employer.organisation,
                                                    title="Dish washer"), leaver)
        asker = factories.candidate(CandidateStatus.IN_CUSTODY, prison=leeds,
                                    first_name="Ash", last_name="Asker",
                                    prison_number="C1004AA")
        db.session.commit()
        return {"pel": pel.email, "other_pel": other_pel.email, "employer": employer.email,
                "job": job.id, "thread": thread.id, "mover": mover.id, "leaver": leaver.id,
                "wakefield": wakefield.name, "asker": asker.prison_number}


def _page(browser, **options):
    return browser.new_context(viewport=PHONE, **options).new_page()


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def _date(page, question: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=question)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _close(*pages) -> None:
    for page in pages:
        page.wait_for_load_state("networkidle", timeout=5000)
        page.context.close()


def test_a_pel_adds_a_person_builds_their_profile_and_nominates_them(browser, live_server,
                                                                    world):
    pel = _page(browser)
    _sign_in(pel, live_server, world["pel"])
    pel.goto(live_server + "/prison/caseload")
    pel.get_by_role("link", name="Add a person").click()
    pel.get_by_label("First name").fill("Jordan")
    pel.get_by_label("Last name").fill("Newcomer")
    pel.get_by_label("Prison number").fill("C2001BB")
    _date(pel, "Date of birth", dt.date(1992, 5, 17))
    _date(pel, "Expected release date", TODAY + dt.timedelta(weeks=6))
    pel.get_by_role("group", name="Could the release date change?").get_by_label(
        "May change: parole").check()
    pel.get_by_label("Home area on release").fill("LS11")
    pel.get_by_role("group", name="Have you seen evidence of their right to work in the UK?"
                    ).get_by_label("Yes").check()
    _date(pel, "Date the evidence was seen", TODAY)
    pel.get_by_label("Who saw the evidence").fill("Pat Lead")
    _date(pel, "Date they signed the consent form to be on the service", TODAY)
    pel.get_by_label("FCM-1 2026").check()
    _fits(pel)
    pel.get_by_role("button", name="Add person").click()
    expect(pel.get_by_role("heading", level=1)).to_have_text("Jordan Newcomer")
    expect(pel.get_by_text("Signed on")).to_be_visible()
    person_url = pel.url

    pel.get_by_role("link", name=re.compile("Build Jordan’s profile")).click()
    pel.get_by_label("What can you do?").fill("Cooked for 300 on the wing, kitchen cleaning")
    pel.get_by_label("Add a skill from the list (optional)").fill("Food hygiene")
    pel.get_by_role("button", name="Save profile").click()
    card = pel.locator("#preview ~ .fcm-card")
    expect(card).to_contain_text("Food hygiene")
    expect(card).not_to_contain_text("Newcomer")
    _fits(pel)

    person_id = person_url.rstrip("/").rsplit("/", 1)[1]
    pel.goto(f"{live_server}/prison/people/{person_id}/nominate/{world['job']}")
    pel.get_by_role("button", name="Nominate").click()
    expect(pel.get_by_text("Nominated for Kitchen porter")).to_be_visible()
    expect(pel.get_by_role("button", name=re.compile("They agree"))).to_be_visible()
    _fits(pel)
    _close(pel)


def test_messages_wait_for_the_pels_check_both_ways(browser, live_server, world):
    thread = f"{live_server}/messages/applications/{world['thread']}"
    pel = _page(browser)
    employer = _page(browser)
    _sign_in(pel, live_server, world["pel"])
    _sign_in(employer, live_server, world["employer"])

    pel.goto(thread)
    pel.get_by_label(re.compile("Message from Morgan")).fill("What time does the shift start?")
    pel.get_by_role("button", name="Send message").click()
    expect(pel.get_by_text("It will be sent once it has been checked")).to_be_visible()
    employer.goto(thread)
    expect(employer.get_by_text("What time does the shift start?")).to_have_count(0)

    pel.goto(live_server + "/prison/messages")
    pel.get_by_role("button", name=re.compile("^Approve")).first.click()
    pel.get_by_role("button", name="Approve and send").click()
    employer.reload()
    expect(employer.get_by_text("What time does the shift start?")).to_be_visible()
    _fits(employer)

    employer.get_by_label("Message to Morgan").fill("Seven in the morning. See you then.")
    employer.get_by_role("button", name="Send message").click()
    expect(employer.get_by_text("Waiting to be checked")).to_be_visible()
    pel.goto(live_server + "/prison/messages")
    expect(pel.get_by_text("Seven in the morning")).to_be_visible()
    pel.get_by_role("button", name=re.compile("^Approve")).first.click()
    pel.get_by_role("button", name="Approve and send").click()
    pel.goto(thread)
    expect(pel.get_by_text("Seven in the morning")).to_be_visible()
    employer.reload()
    expect(employer.get_by_text("Checked and sent").last).to_be_visible()
    _fits(pel)
    _close(pel, employer)


def test_a_jobpoint_shows_jobs_nearby_without_contact_details_and_asks_the_pel(
        browser, live_server, world):
    terminal = _page(browser, java_script_enabled=False)
    _sign_in(terminal, live_server, world["pel"])
    terminal.goto(live_server + "/prison/jobpoints")
    terminal.get_by_label("Name for this terminal").fill("B wing library")
    terminal.get_by_role("button", name="Make this computer a Jobpoint").click()
    expect(terminal.get_by_role("heading", level=1)).to_have_text(
        "Find jobs near your home area")
    terminal.get_by_label("Your home area").fill("LS11")
    terminal.get_by_label("How far can you travel?").select_option("10")
    terminal.get_by_role("button", name="Show jobs").click()
    _fits(terminal)
    terminal.get_by_role("link", name="Kitchen porter").click()
    text = terminal.locator("main").inner_text()
    assert "07700" not in text and "chef@example.com" not in text
    assert "Yes, it takes people on day release" in text
    hrefs = terminal.locator("main a").evaluate_all("links => links.map(a => a.href)")
    assert all("/jobpoint" in href for href in hrefs), hrefs
    terminal.get_by_label("Your prison number").fill(world["asker"])
    terminal.get_by_role("button", name="Ask my employment lead").click()
    expect(terminal.get_by_text("If your prison number is right")).to_be_visible()
    _fits(terminal)
    terminal.goto(live_server + "/prison/")
    assert "/sign-in" in terminal.url  # the terminal holds no session

    pel = _page(browser)
    _sign_in(pel, live_server, world["pel"])
    pel.goto(live_server + "/prison/jobpoint-requests")
    expect(pel.get_by_role("link", name="Ash Asker", exact=True)).to_be_visible()
    expect(pel.get_by_text("Asked about Kitchen porter")).to_be_visible()
    _close(terminal, pel)


def test_a_transferred_person_is_in_the_new_prisons_caseload_only(browser, live_server,
                                                                  world):
    sending = _page(browser)
    _sign_in(sending, live_server, world["pel"])
    sending.goto(f"{live_server}/prison/people/{world['mover']}")
    sending.get_by_role("link", name="Record a move to another prison").click()
    sending.get_by_label("Prison they moved to").select_option(label=world["wakefield"])
    _date(sending, "Date they moved", TODAY)
    sending.get_by_role("button", name="Continue").click()
    sending.get_by_role("button", name="Record the move").click()
    expect(sending.get_by_role("link", name="Rowan Mover")).to_have_count(0)
    _fits(sending)

    receiving = _page(browser)
    _sign_in(receiving, live_server, world["other_pel"])
    receiving.goto(live_server + "/prison/caseload?q=Rowan")
    expect(receiving.get_by_role("link", name="Rowan Mover")).to_be_visible()
    _fits(receiving)
    _close(sending, receiving)


def test_a_released_person_claims_their_account_and_sees_their_applications(
        browser, live_server, world):
    pel = _page(browser)
    _sign_in(pel, live_server, world["pel"])
    pel.goto(f"{live_server}/prison/people/{world['leaver']}")
    pel.get_by_role("link", name="Record release and print the release slip").click()
    _date(pel, "Date of release", TODAY)
    pel.get_by_label("On licence", exact=True).check()
    pel.get_by_role("button", name="Continue").click()
    pel.get_by_role("button", name="Record release").click()
    code = pel.locator(".fcm-claim-code").inner_text()
    _fits(pel)

    person = _page(browser, java_script_enabled=False)
    mail.outbox.clear()
    person.goto(live_server + "/claim")
    person.get_by_label("Code from your release slip").fill(code)
    person.get_by_label("Your email address").fill("casey.leaver@example.com")
    person.get_by_label("Create a password").fill("orange kettle harbour lights")
    person.get_by_label("Type the password again").fill("orange kettle harbour lights")
    person.get_by_role("button", name="Take over my account").click()
    expect(person.get_by_role("heading", level=1)).to_contain_text("Check your email")
    (sent,) = [m for m in mail.outbox if m.to == "casey.leaver@example.com"]
    link = re.search(r"https?://\S+/register/confirm/\S+", sent.body).group(0)
    person.goto(live_server + "/register/" + link.split("/register/", 1)[1])
    person.get_by_role("button").filter(has_text=re.compile("Confirm")).click()
    expect(person.get_by_text("Dish washer")).to_be_visible()
    _fits(person)

    again = _page(browser)
    again.goto(live_server + "/claim")
    again.get_by_label("Code from your release slip").fill(code)
    again.get_by_label("Your email address").fill("someone.else@example.com")
    again.get_by_label("Create a password").fill("orange kettle harbour lights")
    again.get_by_label("Type the password again").fill("orange kettle harbour lights")
    again.get_by_role("button", name="Take over my account").click()
    expect(again.get_by_text("This code does not work").first).to_be_visible()
    _close(pel, person, again)
