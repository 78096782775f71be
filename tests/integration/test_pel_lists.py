"""A prison employment lead's home page and lists cost the same however big the prison: the home
page counts, and shows the first few of each list; the lists are a page at a time."""

import datetime as dt

from marketplace import clock, journey
from marketplace.prisons import services
from marketplace.types import ApplicationSource, ApplicationStatus, CandidateStatus, Role
from tests import factories
from tests.pages import PageClient


def _pages(app, user):
    return PageClient(app.test_client(user=user))


def _nominate(pel, opportunity, n):
    people = []
    for _ in range(n):
        person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                     with_user=False)
        factories.application(opportunity, person, status=ApplicationStatus.NOMINATED,
                              source=ApplicationSource.NOMINATED, nominated_by_id=pel.id)
        people.append(person)
    return people


def test_home_page_shows_the_first_nominations_and_links_to_all_of_them(app, db_session):
    pel = factories.user(Role.PEL)
    elsewhere = factories.candidate(CandidateStatus.IN_CUSTODY, prison=factories.prison("WDI"),
                                    with_user=False)
    opportunity = factories.opportunity()
    factories.application(opportunity, elsewhere, status=ApplicationStatus.NOMINATED)
    people = _nominate(pel, opportunity, 23)
    page = _pages(app, pel).get("/prison/")
    text = page.get_text()
    assert "23 nominations are waiting" in text
    shown = [p for p in people if p.full_name in text]
    assert len(page.select("a[href^='/prison/people/']")) >= services.DASHBOARD_ITEMS
    assert len(shown) <= services.DASHBOARD_ITEMS + 1  # names repeat in a small world
    assert page.select_one("a[href='/prison/nominations']").get_text().strip() \
        == "See all 23 nominations waiting"

    pages = _pages(app, pel)
    first = pages.get("/prison/nominations")
    assert "Showing 1 to 20 of 23 nominations" in first.get_text()
    assert len(first.select("tbody tr")) == 20
    second = pages.get("/prison/nominations?page=2")
    assert len(second.select("tbody tr")) == 3
    listed = {a["href"] for p in (first, second) for a in p.select("tbody a")}
    assert listed == {f"/prison/people/{p.id}" for p in people}  # not the other prison's
    assert pages.get("/prison/nominations?page=99").select("tbody tr")  # the last page


def test_day_release_requests_are_a_page_at_a_time(app, db_session):
    pel = factories.user(Role.PEL)
    employer = factories.user(Role.EMPLOYER)
    opportunity = factories.opportunity(employer.organisation)
    for n in range(22):
        person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                     with_user=False)
        application = factories.application(opportunity, person)
        with clock.frozen(clock.utc_now() - dt.timedelta(days=30 - n)):
            journey.book_interview(application, actor=employer,
                                   when=clock.utc_now() + dt.timedelta(days=40),
                                   location="Leeds")
    home = _pages(app, pel).get("/prison/")
    assert "22 requests are waiting" in home.get_text()
    assert len(home.select(".fcm-card")) == services.DASHBOARD_ITEMS
    assert "Waiting 30 days" in home.get_text()  # the longest waiting first

    pages = _pages(app, pel)
    first = pages.get("/prison/day-release")
    assert len(first.select(".fcm-card")) == 20
    assert "Waiting 30 days" in first.get_text()
    last = pages.get("/prison/day-release?page=2")
    assert len(last.select(".fcm-card")) == 2
    assert "Waiting 9 days" in last.get_text()
    nav = first.select_one("nav.govuk-pagination")
    assert nav is not None and nav.select_one("a[href='/prison/day-release?page=2']")


def test_home_page_runs_the_same_queries_for_a_bigger_prison(app, db_session, count_queries):
    pel = factories.user(Role.PEL)
    opportunity = factories.opportunity()
    soon = clock.uk_today() + dt.timedelta(weeks=2)
    for _ in range(2):
        factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison, release_date=soon,
                            with_user=False)
    _nominate(pel, opportunity, 2)
    pages = _pages(app, pel)
    pages.get("/prison/")
    with count_queries() as few:
        pages.get("/prison/")
    for _ in range(15):
        factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison, release_date=soon,
                            with_user=False)
    _nominate(pel, opportunity, 15)
    with count_queries() as many:
        text = pages.get("/prison/").get_text()
    not_ready = len(services.release_soon_not_ready(pel))
    assert not_ready >= 17 and f"{not_ready} people. The 5 leaving soonest" in text
    assert many() <= few()  # not one query more for more people


def test_leaving_soon_lists_everyone_not_recorded_ready(app, db_session):
    from marketplace.models import WorkReadiness
    from marketplace.types import WorkReadinessStatus

    pel = factories.user(Role.PEL)
    soon = clock.uk_today() + dt.timedelta(weeks=3)
    people = [factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                  release_date=soon, with_user=False) for _ in range(3)]
    ready, needs_support, unrecorded = people
    for person, status in ((ready, WorkReadinessStatus.READY),
                           (needs_support, WorkReadinessStatus.SUPPORT_NEEDED)):
        db_session.add(WorkReadiness(candidate_id=person.id, status=status))
    db_session.flush()
    assert services.release_soon_not_ready(pel) == sorted(
        [needs_support, unrecorded], key=lambda c: c.id)
    assert services.release_soon_not_ready_first(pel).total == 2
