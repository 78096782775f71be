"""Skills-gap analytics: the skills open roles near a prison's releases ask for, weighted by
places, against the skills its people hold (profile, qualifications, work history)."""

import datetime as dt

import pytest

from marketplace import demo
from marketplace.auth import services as accounts
from marketplace.models import Qualification
from marketplace.reports import services, skills_gap
from marketplace.types import CandidateStatus, OpportunityKind, Role
from tests import factories
from tests.pages import PageClient


def _inside(pel, **fields):
    return factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                               release_date=dt.date.today() + dt.timedelta(days=60), **fields)


def test_gaps_rank_places_asking_for_skills_the_people_lack(db_session):
    pel = factories.user(Role.PEL)
    employer = factories.user(Role.EMPLOYER)
    # Five people due out, home in Leeds; one has forklift in their profile, one from a course.
    people = [_inside(pel, skills=[], skills_text="") for _ in range(4)]
    people.append(_inside(pel, skills=["forklift"]))
    people[0].qualifications = [Qualification(name="Counterbalance forklift licence")]
    factories.opportunity(employer.organisation, skills=["forklift", "stock_control"],
                          places=10, postcode_district="LS10")
    factories.opportunity(employer.organisation, skills=["food_hygiene"], places=3,
                          postcode_district="LS1")
    far = factories.organisation(name="Far Away Ltd")
    factories.opportunity(far, skills=["plumbing"], places=50, postcode_district="TR1")
    factories.opportunity(employer.organisation, kind=OpportunityKind.TRAINING,
                          title="Food hygiene level 2", skills=["food_hygiene"],
                          postcode_district="LS2")
    report = skills_gap.build(services.Scope.for_user(pel), pel.prison)
    by_code = {g.code: g for g in report.gaps}
    assert "plumbing" not in by_code  # 200 miles from anyone's home
    assert report.caseload == 5 and report.due_soon
    assert (by_code["forklift"].places, by_code["forklift"].have) == (10, 2)
    assert (by_code["stock_control"].places, by_code["stock_control"].have) == (10, 0)
    assert by_code["food_hygiene"].training == [
        f"Food hygiene level 2, {employer.organisation.name}"]
    assert by_code["forklift"].employers == [(employer.organisation.name, 1)]
    assert by_code["forklift"].examples == [
        f"Warehouse operative, {employer.organisation.name}"]
    assert [g.code for g in report.gaps][:2] == ["stock_control", "forklift"]
    assert report.sentence(by_code["forklift"]) == (
        "10 places in 1 open role near your releases ask for forklift driving; "
        "fewer than 5 of your 5 people due out in the next 6 months have it.")


def test_pel_sees_their_own_prison_and_admin_any_or_all(app, db_session):
    pel = factories.user(Role.PEL)
    admin = factories.user(Role.ADMIN)
    employer = factories.user(Role.EMPLOYER)
    for _ in range(6):
        _inside(pel, skills=[])
    factories.opportunity(employer.organisation, skills=["forklift"], postcode_district="LS10")
    page = PageClient(app.test_client(user=pel)).get("/reports/skills-gap")
    assert "Forklift" in page.select_one("#table-skills_gap").get_text()
    assert page.select_one("svg[role=img]") is not None
    csv = app.test_client(user=pel).get("/reports/skills-gap.csv").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("Skill,Open roles,Places")
    admin_pages = PageClient(app.test_client(user=admin))
    admin_pages.get("/reports/skills-gap")
    page = admin_pages.get(f"/reports/skills-gap?prison={pel.prison.code}")
    assert pel.prison.display_name in page.select_one("h1").get_text()
    admin_pages.get("/reports/skills-gap?prison=ZZZ", expected_status=404)
    # A PEL cannot look at another prison by asking for it.
    page = PageClient(app.test_client(user=pel)).get("/reports/skills-gap?prison=HDI")
    assert pel.prison.display_name in page.select_one("h1").get_text()


@pytest.mark.xdist_group("demo")
def test_hmp_leeds_in_the_demo_lists_real_gaps_with_the_roles_behind_them(app, db_session):
    demo.run(seed=2026, echo=lambda line: None)
    pel = accounts.find_user("pel@" + demo.DOMAIN)
    report = skills_gap.build(services.Scope.for_user(pel), pel.prison)
    assert report.caseload > 5 and len(report.gaps) >= 5
    for gap in report.gaps[:5]:
        assert gap.places > 0 and gap.have < report.caseload and gap.employers and gap.examples
    page = PageClient(app.test_client(user=pel)).get("/reports/skills-gap")
    assert "Leeds" in page.select_one("h1").get_text()
    items = page.select("ol li")
    assert len(items) == 5
    assert all("Roles asking:" in item.text for item in items)
    # The demo reports, too, for each role.
    for email in ("pel@", "employer@", "admin@"):
        user = accounts.find_user(email + demo.DOMAIN)
        page = PageClient(app.test_client(user=user)).get("/reports/")
        assert page.select_one("#table-funnel tbody tr")
