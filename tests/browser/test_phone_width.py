"""Every page fits a phone (issue 9, item 2): signed in as each role, and signed out, a real
Chromium 390 px wide opens every GET page that role may use and finds nothing wider than the
screen (no sideways scrolling).

The pages come from the app's URL map and each view's declared access rule, with ids filled
from the world below through the permission table's URL_ARGS (tests/integration/access), so a
new page is opened here too, or this test fails naming it. Lists hold more than a page each,
with long names, so the longest rows and the pagination are on screen. One browser context a
role keeps the run short. Set PHONE_SCREENSHOTS to a folder to keep a screenshot of each page.
"""

import datetime as dt
import os
import re
import time

import pytest
from bs4 import BeautifulSoup
from flask import current_app, url_for
from werkzeug.routing import BuildError

from marketplace import journey
from marketplace.extensions import db
from marketplace.models import WorkReadiness
from marketplace.pagination import PAGE_SIZE
from marketplace.permissions import PUBLIC
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    OrganisationStatus,
    Role,
    WorkReadinessStatus,
)
from tests import factories
from tests.browser.session import sign_in as _sign_in
from tests.integration.access import URL_ARGS
from tests.pages import PageProblem, check_questions

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
# GET routes that are not pages: they answer JSON to programs.
NOT_PAGES = {"static", "api.my_matches", "api.opportunity_matches",
             "api.openapi_json",  # the OpenAPI document (its page is api.docs)
             "api_pages.import_template",  # a CSV file to download
             # Files to download, not pages: reports as CSV, a person's data as JSON (its
             # readable copy, download.html, is the same export drawn as a page).
             "reports.download", "reports.skills_gap_download", "privacy.download",
             "privacy.person_download"}
# Second pages and other views of a list, beside each page's plain URL.
ALSO = {
    "prisons.caseload": ["?page=2", "?q=Taylor"],
    "employers.opportunities": ["?page=2", "?q=warehouse"],
    "employers.opportunity": ["?page=2"],
    "employers.matches": ["?page=2"],
    "admin.organisations": ["?page=2", "?q=Northgate"],
    "reports.outcomes": ["?by=employer", "?by=sector", "?by=month"],
    "candidates.jobs": ["?page=2"],
}
LONG = "Northgate Logistics and Distribution Services (Yorkshire and the Humber) Limited"
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def world(live_app):
    """One of everything a URL can name (the keys URL_ARGS reads), each belonging to the user
    who may see it, and more than a page of each list."""
    with live_app.app_context():
        organisation = factories.organisation(name=LONG)
        employer = factories.user(Role.EMPLOYER, organisation=organisation,
                                  email="phone-employer@example.com")
        pel = factories.user(Role.PEL, email="phone-pel@example.com")
        candidate = factories.candidate(user=factories.user(
            Role.CANDIDATE, email="phone-candidate@example.com"), first_name="Alexandra")
        admin = factories.user(Role.ADMIN, email="phone-admin@example.com")
        for n in range(PAGE_SIZE + 1):
            factories.organisation(name=f"{LONG} {n}", status=OrganisationStatus.PENDING
                                   if n % 3 == 0 else OrganisationStatus.APPROVED)
        roles = [factories.opportunity(
            organisation, title=f"Warehouse operative and forklift driver, night shift {n}",
            closing_date=TODAY + dt.timedelta(days=10 + n)) for n in range(PAGE_SIZE + 2)]
        opportunity = roles[0]
        people = []
        for n in range(PAGE_SIZE + 2):
            person = factories.candidate(
                CandidateStatus.IN_CUSTODY, prison=pel.prison, first_name="Christopher",
                last_name=f"Taylor-Montgomery{n}", prison_number=f"A{n:04d}ZZ",
                release_date=TODAY + dt.timedelta(days=30 + n), rotl_eligible=True)
            person.readiness = WorkReadiness(status=WorkReadinessStatus.SUPPORT_NEEDED)
            people.append(person)
        applicants = [factories.candidate() for _ in range(PAGE_SIZE)]
        for person in applicants:
            factories.application(opportunity, person)
        application = factories.application(opportunity, candidate,
                                            status=ApplicationStatus.INTERVIEW)
        journey.make_conditional_offer(application, actor=employer)
        for role in roles[1:4]:
            factories.application(role, candidate)
        custody_application = factories.application(opportunity, people[0])
        world = {
            "users": {Role.ADMIN: admin, Role.EMPLOYER: employer, Role.PEL: pel,
                      Role.CANDIDATE: candidate.user},
            "organisation": organisation, "opportunity": opportunity, "candidate": candidate,
            "in_custody": people[0], "application": application,
            "custody_application": custody_application,
            "conviction": factories.conviction(candidate, actor=candidate.user),
            "custody_conviction": factories.conviction(people[0], actor=pel),
        }
        db.session.commit()
        current_app.extensions["search"].rebuild()
        with live_app.test_request_context():
            urls = {role: _urls(live_app, role, world) for role in (None, *world["users"])}
        return {"emails": {role: user.email for role, user in world["users"].items()},
                "urls": urls}


def _urls(app, role, world) -> list[str]:
    """Every GET page `role` may use (None: signed out, the public ones)."""
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        allowed = app.view_functions[rule.endpoint].access_rule
        if (allowed != PUBLIC) if role is None else (allowed == PUBLIC or role not in allowed):
            continue
        try:
            url = url_for(rule.endpoint, **URL_ARGS.get(rule.endpoint, lambda w: {})(world))
        except BuildError:
            pytest.fail(f"{rule.endpoint} needs URL arguments: add them to URL_ARGS in "
                        "tests/integration/access")
        urls += [url] + [url + extra for extra in ALSO.get(rule.endpoint, [])]
    return urls


@pytest.mark.parametrize("role", [None, Role.ADMIN, Role.EMPLOYER, Role.PEL, Role.CANDIDATE],
                         ids=["signed-out", "admin", "employer", "pel", "candidate"])
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, world, role):
    started = time.monotonic()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    if role is not None:
        _sign_in(page, live_server, world["emails"][role])
    shots = os.environ.get("PHONE_SCREENSHOTS")
    too_wide, broken, unasked = [], [], []
    for url in world["urls"][role]:
        response = page.goto(live_server + url)
        if response.status >= 500:
            broken.append(f"{url}: {response.status}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.evaluate("window.innerWidth"):
            too_wide.append(f"{url}: {width} px")
        try:  # every question visibly asked, as on every page the integration tests fetch
            check_questions(BeautifulSoup(page.content(), "html.parser"))
        except PageProblem as problem:
            unasked.append(f"{url}: {problem}")
        if shots:
            name = re.sub(r"[^a-z0-9]+", "-", f"{role or 'public'}{url}".lower()).strip("-")
            page.screenshot(path=os.path.join(shots, f"{name}.png"), full_page=True)
    page.wait_for_load_state("networkidle", timeout=5000)
    context.close()
    assert not broken, "pages that failed:\n" + "\n".join(broken)
    assert not too_wide, f"pages wider than a {PHONE['width']} px phone:\n" + "\n".join(too_wide)
    assert not unasked, "questions not visibly asked:\n" + "\n".join(unasked)
    print(f"{len(world['urls'][role])} pages in {time.monotonic() - started:.1f} s")
