"""An employer invites a matched person to apply and the person says no thanks (issue 9, item
8), in a real browser on a phone-sized screen: the card says "Invited" before and after, and
never who the person is."""

import pytest
from flask import current_app
from playwright.sync_api import expect

from marketplace.disclosure import policy
from marketplace.extensions import db
from marketplace.types import Role
from tests import factories
from tests.browser.session import sign_in as _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def matched(live_app):
    """Northgate Logistics' role and Robin, who matches it. Returns the emails, the role's id
    and the reference Northgate knows Robin by."""
    with live_app.app_context():
        employer = factories.user(
            Role.EMPLOYER, email="browser-inviter@example.com",
            organisation=factories.organisation(name="Northgate Logistics"))
        role = factories.opportunity(employer.organisation, title="Forklift operative")
        person = factories.candidate(
            first_name="Robin",
            user=factories.user(Role.CANDIDATE, email="browser-invited@example.com"))
        db.session.commit()
        current_app.extensions["search"].rebuild()
        return (employer.email, person.user.email, role.id,
                policy.candidate_view(employer, person).ref)


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_employer_invites_and_the_person_says_no_thanks(browser, live_server, matched):
    employer_email, person_email, role_id, ref = matched
    employer = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(employer, live_server, employer_email)
    employer.goto(f"{live_server}/employer/opportunities/{role_id}/matches")
    card = employer.locator(".fcm-card").filter(has_text=f"Candidate {ref}")
    card.get_by_role("button", name="Invite to apply").click()
    expect(employer.get_by_text(f"Candidate {ref} is invited to apply")).to_be_visible()
    expect(card.get_by_text("Invited", exact=True)).to_be_visible()
    expect(card.get_by_role("button")).to_have_count(0)
    assert _no_sideways_scroll(employer)
    before = card.inner_text()
    assert "Robin" not in before

    person = browser.new_context(viewport={"width": 390, "height": 844},
                                 java_script_enabled=False).new_page()
    _sign_in(person, live_server, person_email)
    person.get_by_role("link", name="Northgate Logistics invited you to apply for Forklift "
                                    "operative").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Forklift operative")
    person.get_by_role("button", name="No thanks, I will not apply").click()
    expect(person.get_by_text("They will not be told")).to_be_visible()
    expect(person.get_by_text("invited you to apply")).to_have_count(0)
    assert _no_sideways_scroll(person)

    employer.reload()
    assert card.inner_text() == before
    for page in (employer, person):
        page.wait_for_load_state("networkidle", timeout=5000)
        page.context.close()
