"""Long lists page (issue 9, item 3): 20 to a page with GOV.UK pagination (`?page=N`), a
search box where a person looks for one item, a page number that is out of range or not a
number shown as the nearest page (never an error), and the same queries however long the list.
"""

import datetime as dt

import pytest
from flask import current_app

from marketplace.types import CandidateStatus, OrganisationStatus, Role
from tests import factories
from tests.pages import PageClient

TODAY = dt.date.today()
ODD_PAGES = ("0", "-1", "abc", "1.5", "2e3", "", "99999999999999999999999")


def _names(page, selector: str) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(selector)]


def _showing(page) -> str:
    return next(p.get_text(" ", strip=True) for p in page.select("p.govuk-body")
                if p.get_text().startswith("Showing"))


def _pages_through(pages: PageClient, url: str, selector: str, every: list[str]) -> None:
    """Page 1 holds the first 20 of `every`, in order; page 2 the rest; odd page numbers show
    page 1 or the last page; the pagination links lead from one to the other."""
    join = "&" if "?" in url else "?"
    first = pages.get(url)
    assert _names(first, selector) == every[:20]
    assert first.select_one(".govuk-pagination__next a")["href"].endswith("page=2")
    second = pages.get(f"{url}{join}page=2")
    assert _names(second, selector) == every[20:]
    assert second.select_one(".govuk-pagination__prev a") is not None
    assert second.select_one(".govuk-pagination__next") is None
    assert second.select_one("[aria-current=page]").get_text(strip=True) == "2"
    for odd in ODD_PAGES:
        shown = _names(pages.get(f"{url}{join}page={odd}"), selector)
        assert shown in (every[:20], every[20:]), odd
    assert _names(pages.get(f"{url}{join}page=3"), selector) == every[20:]


def _flat(app, count_queries, user, url: str, grow) -> None:
    """The page runs the same number of queries with 5 items and with 25."""
    counts = []
    for _ in range(2):
        client = app.test_client(user=user)
        client.get(url)  # warm: the signed-in user
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        counts.append(counted())
        grow()
    assert counts[0] == counts[1]


def test_caseload_pages_and_searches_by_name_or_prison_number(app, db_session, count_queries):
    pel = factories.user(Role.PEL)
    people = [factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                  first_name="Robin", last_name=f"Ash{n:02d}",
                                  prison_number=f"A{n:04d}QQ",
                                  release_date=TODAY + dt.timedelta(days=30 + n))
              for n in range(25)]
    elsewhere = factories.candidate(CandidateStatus.IN_CUSTODY, prison=factories.prison("HDI"),
                                    first_name="Robin", last_name="Elsewhere")
    pages = PageClient(app.test_client(user=pel))
    every = [p.full_name for p in people]
    _pages_through(pages, "/prison/caseload", "table a", every)
    assert "Showing 21 to 25 of 25 people" in _showing(pages.get("/prison/caseload?page=2"))

    assert _names(pages.get("/prison/caseload?q=a0007qq"), "table a") == ["Robin Ash07"]
    assert _names(pages.get("/prison/caseload?q=robin+ash1"), "table a") == every[10:20]
    found = pages.get("/prison/caseload?q=robin")
    assert elsewhere.full_name not in found.get_text()
    assert _names(found, "table a") == every[:20]
    assert pages.get("/prison/caseload?q=robin&page=2").select_one(
        ".govuk-pagination__prev a")["href"] == "/prison/caseload?q=robin"
    nobody = pages.get("/prison/caseload?q=%25").get_text()
    assert "Nobody in your caseload matches" in nobody
    refused = pages.get("/prison/caseload?q=" + "x" * 101)
    assert "Your search must be 100 characters or fewer" in refused.get_text()
    assert _names(refused, "table a") == every[:20]
    label = refused.select_one("label[for=q]").get_text(strip=True)
    assert label == "Search by name or prison number"

    more = iter(range(25, 45))
    _flat(app, count_queries, pel, "/prison/caseload", lambda: [factories.candidate(
        CandidateStatus.IN_CUSTODY, prison=pel.prison, prison_number=f"B{next(more):04d}QQ")
        for _ in range(5)])


def test_employer_opportunities_page_and_search_by_title(app, db_session, count_queries):
    employer = factories.user(Role.EMPLOYER)
    roles = [factories.opportunity(employer.organisation, title=f"Packer {n:02d}",
                                   closing_date=TODAY + dt.timedelta(days=10 + n))
             for n in range(24)]
    roles.append(factories.opportunity(employer.organisation, title="Forklift driver",
                                       closing_date=TODAY + dt.timedelta(days=60)))
    factories.opportunity(factories.organisation(), title="Forklift driver elsewhere")
    pages = PageClient(app.test_client(user=employer))
    _pages_through(pages, "/employer/opportunities", "table td:first-child > a:first-child",
                   [r.title for r in roles])
    found = pages.get("/employer/opportunities?q=FORKLIFT")
    assert _names(found, "table td:first-child > a:first-child") == ["Forklift driver"]
    assert "Showing 1 to 1 of 1 opportunities" in _showing(found)
    assert "has ‘nothing like this’ in its title" in pages.get(
        "/employer/opportunities?q=nothing+like+this").get_text()
    _flat(app, count_queries, employer, "/employer/opportunities",
          lambda: [factories.opportunity(employer.organisation) for _ in range(20)])


def test_organisations_page_pending_first_and_search_by_name(app, db_session, count_queries):
    admin = factories.user(Role.ADMIN)
    made = [factories.organisation(name=f"Acme Widgets {n:02d}",
                                   status=OrganisationStatus.PENDING if n % 5 == 0
                                   else OrganisationStatus.APPROVED) for n in range(30)]
    pages = PageClient(app.test_client(user=admin))
    found = pages.get("/admin/organisations?q=acme+widgets")
    names = _names(found, "table a")
    pending = [o.name for o in reversed(made) if o.status is OrganisationStatus.PENDING]
    assert names[:len(pending)] == pending  # waiting for a decision first, newest first
    every = names + _names(pages.get("/admin/organisations?q=acme+widgets&page=2"), "table a")
    assert sorted(every) == sorted(o.name for o in made)
    _pages_through(pages, "/admin/organisations?q=acme+widgets", "table a", every)
    assert _names(pages.get("/admin/organisations?q=widgets+07"), "table a") == [
        "Acme Widgets 07"]
    _flat(app, count_queries, admin, "/admin/organisations",
          lambda: [factories.organisation() for _ in range(20)])


def test_applicants_page_in_the_order_they_applied(app, db_session, count_queries):
    employer = factories.user(Role.EMPLOYER)
    role = factories.opportunity(employer.organisation)
    applied = [factories.application(role, factories.candidate()) for _ in range(25)]
    pages = PageClient(app.test_client(user=employer))
    url = f"/employer/opportunities/{role.id}"
    every = [f"/employer/applications/{a.id}" for a in applied]

    def links(page) -> list[str]:
        return [a["href"] for a in page.select("table a")]

    assert links(pages.get(url)) == every[:20]
    assert links(pages.get(f"{url}?page=2")) == every[20:]
    assert links(pages.get(f"{url}?page=nine")) == every[:20]
    _flat(app, count_queries, employer, url,
          lambda: [factories.application(role, factories.candidate()) for _ in range(5)])


def test_a_persons_applications_page_newest_first(app, db_session, count_queries):
    person = factories.candidate()
    applied = [factories.application(factories.opportunity(), person) for _ in range(25)]
    pages = PageClient(app.test_client(user=person.user))
    every = [f"/me/applications/{a.id}" for a in reversed(applied)]

    def links(page) -> list[str]:
        return [a["href"] for a in page.select("table a")]

    assert links(pages.get("/me/")) == every[:20]
    assert links(pages.get("/me/?page=2")) == every[20:]
    assert links(pages.get("/me/?page=40")) == every[20:]
    _flat(app, count_queries, person.user, "/me/",
          lambda: [factories.application(factories.opportunity(), person) for _ in range(5)])


@pytest.mark.slow
@pytest.mark.xdist_group("search")
def test_jobs_for_you_page_past_twenty(app, db_session):
    """Not capped at 20 (the old page showed the best 20 and said nothing of the rest)."""
    person = factories.candidate(skills_text="forklift driving, stock control",
                                 skills=["forklift", "stock_control"], home_district="LS11")
    for n in range(25):
        factories.opportunity(title=f"Forklift driver {n:02d}", skills_text="forklift",
                              skills=["forklift"])
    current_app.extensions["search"].rebuild()
    pages = PageClient(app.test_client(user=person.user))
    first, second = (_names(pages.get(f"/me/jobs?page={n}"), ".fcm-card__title a")
                     for n in (1, 2))
    assert (len(first), len(second)) == (20, 5)
    assert sorted(first + second) == [f"Forklift driver {n:02d}" for n in range(25)]
    assert "Showing 21 to 25 of 25 jobs" in _showing(pages.get("/me/jobs?page=2"))
    assert _names(pages.get("/me/jobs?page=7"), ".fcm-card__title a") == second
    assert _names(pages.get("/me/jobs?page=x"), ".fcm-card__title a") == first
    searched = pages.get("/me/jobs?q=forklift&page=2")
    assert searched.select_one(".govuk-pagination__prev a")["href"] == "/me/jobs?q=forklift"


@pytest.mark.slow
@pytest.mark.xdist_group("search")
def test_jobs_that_suit_someone_in_custody_page_past_twenty(app, db_session):
    pel = factories.user(Role.PEL)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 rotl_eligible=True, release_date=TODAY + dt.timedelta(days=200),
                                 skills_text="forklift driving", skills=["forklift"])
    for n in range(23):
        factories.opportunity(title=f"Forklift driver {n:02d}", skills_text="forklift",
                              skills=["forklift"], accepts_rotl=True, accepts_in_custody=True)
    current_app.extensions["search"].rebuild()
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/people/{person.id}/jobs"
    first, second = (_names(pages.get(f"{url}?page={n}"), ".fcm-card__title")
                     for n in (1, 2))
    assert (len(first), len(second)) == (20, 3)
    assert sorted(first + second) == [f"Forklift driver {n:02d}" for n in range(23)]


@pytest.mark.slow
@pytest.mark.xdist_group("search")
def test_matched_candidates_page_without_a_total(app, db_session):
    employer = factories.user(Role.EMPLOYER)
    role = factories.opportunity(employer.organisation, skills_text="forklift",
                                 skills=["forklift"])
    for _ in range(25):
        factories.candidate(skills_text="forklift driving", skills=["forklift"])
    current_app.extensions["search"].rebuild()
    pages = PageClient(app.test_client(user=employer))
    url = f"/employer/opportunities/{role.id}/matches"
    first, second = (_names(pages.get(f"{url}?page={n}"), ".fcm-card__title")
                     for n in (1, 2))
    assert (len(first), len(second)) == (20, 5)
    assert not set(first) & set(second)
    # No total: what an employer is told of a list of people stays what it needs.
    assert _showing(pages.get(f"{url}?page=2")) == \
        "Showing 21 to 25 matched people, best match first."
    assert _names(pages.get(f"{url}?page=-4"), ".fcm-card__title") == first
