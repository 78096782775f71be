"""Matching end to end with the real embedding model and the embedded index."""

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import current_app

from marketplace.matching import service
from marketplace.models import OpportunityExclusion
from marketplace.types import (
    CandidateStatus,
    CheckLevel,
    OffenceCategory,
    OpportunityStatus,
    RegulatedActivity,
    Role,
    Sector,
)
from tests import factories
from tests.pages import PageClient

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("search")]
TODAY = dt.date.today()


@pytest.fixture()
def world(app, db_session):
    employer = factories.user(Role.EMPLOYER)
    org = employer.organisation
    roles = {
        "forklift": factories.opportunity(org, title="Forklift driver",
                                          skills_text="forklift, stock control, loading bays",
                                          skills=["forklift", "stock_control"],
                                          postcode_district="LS10"),
        "chef": factories.opportunity(org, title="Commis chef", sector=Sector.HOSPITALITY,
                                      description="Cook fresh food in a busy kitchen.",
                                      skills_text="cooking, food hygiene",
                                      skills=["cooking", "food_hygiene"],
                                      postcode_district="M1"),
        "closed": factories.opportunity(org, title="Forklift night shift",
                                        skills_text="forklift", skills=["forklift"],
                                        status=OpportunityStatus.CLOSED),
        "zone": factories.opportunity(org, title="Forklift operator, zone",
                                      skills_text="forklift", skills=["forklift"],
                                      postcode_district="LS12"),
        "care": factories.opportunity(org, title="Care assistant", sector=Sector.CARE,
                                      skills_text="care worker", skills=["care_work"],
                                      regulated_activity=RegulatedActivity.ADULTS,
                                      check_level=CheckLevel.ENHANCED_BARRED),
    }
    person = factories.candidate(skills_text="forklift counterbalance licence, stock control",
                                 skills=["forklift", "stock_control"], home_district="LS11",
                                 exclusion_districts=["LS12"], barred_adults=True)
    cook = factories.candidate(skills_text="cooked for 300 on the wing, food hygiene level 2",
                               skills=["volume_catering", "food_hygiene"], home_district="M4",
                               first_name="Casey", last_name="Cook")
    current_app.extensions["search"].rebuild()
    return {"employer": employer, "roles": roles, "person": person, "cook": cook}


def test_recommendations_rank_the_right_role_first_and_explain_why(world):
    matches = service.opportunities_for(world["person"])
    titles = [m.opportunity.title for m in matches]
    assert titles[0] == "Forklift driver"
    first = matches[0]
    assert "Forklift driving" in first.reasons[0] and "Stock control" in first.reasons[0]
    assert any("from LS11" in r for r in first.reasons)
    assert first.score.parts["semantic"] > 0.3


def test_hard_constraints_are_never_traded_off(world):
    titles = {m.opportunity.title for m in service.opportunities_for(world["person"], k=50)}
    assert "Forklift night shift" not in titles  # closed
    assert "Forklift operator, zone" not in titles  # inside a licence exclusion zone
    assert "Care assistant" not in titles  # barred from work with vulnerable adults


def test_free_text_search_and_filters(world):
    matches = service.opportunities_for(world["person"], text="kitchen cooking")
    assert matches[0].opportunity.title == "Commis chef"
    near = service.opportunities_for(world["person"], filters=service.OpportunityFilters(
        within_miles=10))
    assert "Commis chef" not in {m.opportunity.title for m in near}
    only_care = service.opportunities_for(world["cook"], filters=service.OpportunityFilters(
        sector=Sector.CARE))
    assert [m.opportunity.title for m in only_care] == ["Care assistant"]


def test_very_long_search_is_refused_with_a_message(world):
    with pytest.raises(service.MatchingError, match="200 characters"):
        service.opportunities_for(world["person"], text="x" * 201)


def test_person_in_custody_only_sees_roles_they_can_take(world):
    pel = factories.user(Role.PEL)
    inside = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 release_date=TODAY + dt.timedelta(days=200),
                                 skills_text="forklift", skills=["forklift"])
    rotl = factories.opportunity(world["employer"].organisation, title="Forklift placement",
                                 skills_text="forklift", skills=["forklift"],
                                 accepts_rotl=True, accepts_in_custody=True)
    current_app.extensions["search"].rebuild()
    titles = {m.opportunity.title for m in service.opportunities_for(inside, k=50)}
    assert titles == {rotl.title}


def test_candidates_for_a_role_exclude_unspent_excluded_offences_only(world):
    role = world["roles"]["forklift"]
    role.exclusions = [OpportunityExclusion(category=OffenceCategory.VIOLENCE)]
    role.check_level = CheckLevel.BASIC
    violent_recent = factories.candidate(skills_text="forklift, stock control",
                                         skills=["forklift"], home_district="LS9")
    violent_spent = factories.candidate(skills_text="forklift and picking",
                                        skills=["forklift"], home_district="LS8")
    from marketplace.disclosure.calculator import DisposalKind

    factories.conviction(violent_recent, actor=violent_recent.user,
                         category=OffenceCategory.VIOLENCE, disposal=DisposalKind.COMMUNITY_ORDER,
                         length_months=24, date=TODAY - dt.timedelta(days=100))
    factories.conviction(violent_spent, actor=violent_spent.user,
                         category=OffenceCategory.VIOLENCE, disposal=DisposalKind.FINE,
                         date=TODAY - dt.timedelta(days=5 * 365))
    current_app.extensions["search"].rebuild()
    found = {m.candidate.id for m in service.candidates_for(role, k=50)}
    assert violent_spent.id in found
    assert violent_recent.id not in found
    assert world["person"].id in found


def test_employer_sees_anonymised_matched_cards(app, world):
    pages = PageClient(app.test_client(user=world["employer"]))
    page = pages.get(f"/employer/opportunities/{world['roles']['chef'].id}/matches")
    text = page.get_text()
    assert "Casey" not in text and "Cook" not in text.replace("Cooking", "")
    assert "Candidate " in text and "Why they match" in text
    assert "skills you asked for" in text


def test_candidate_jobs_page_with_search_and_bad_filter(app, world):
    pages = PageClient(app.test_client(user=world["person"].user))
    page = pages.get("/me/jobs")
    assert page.select("h2")[0].get_text(strip=True) == "Forklift driver"
    assert "Why this job" in page.get_text()
    page = pages.get("/me/jobs?q=kitchen&miles=50")
    assert "Search results" in page.h1.get_text()
    page = pages.get("/me/jobs?kind=spaceship")
    assert page.select_one(".govuk-error-summary")


def test_search_pages_say_when_the_index_is_missing(app, db_session, tmp_path):
    employer = factories.user(Role.EMPLOYER)
    opportunity = factories.opportunity(employer.organisation)
    saved, app.config["INSTANCE_DIR"] = app.config["INSTANCE_DIR"], str(tmp_path)
    try:
        response = app.test_client(user=employer).get(
            f"/employer/opportunities/{opportunity.id}/matches")
    finally:
        app.config["INSTANCE_DIR"] = saved
    assert response.status_code == 503
    assert "Matching is not working right now" in response.get_data(as_text=True)


def test_saving_in_a_request_updates_the_index(app, db_session, world):
    app.config["SEARCH_SYNC"] = True
    try:
        PageClient(app.test_client()).post("/register/candidate", {
            "full_name": "Indy Index", "email": "indy@example.com", "status": "released",
            "home_district": "LS11", "password": "a long enough password",
            "confirm": "a long enough password"}, expected_status=302)
    finally:
        app.config["SEARCH_SYNC"] = False
    from marketplace.models import Candidate

    new_id = db_session.scalar(sa.select(Candidate.id).where(Candidate.first_name == "Indy"))
    assert str(new_id) in app.extensions["search"].index("candidates").hashes()


def test_index_status_counts_stale_documents(app, world):
    search = app.extensions["search"]
    assert search.status()["opportunities"]["stale"] == 0
    world["roles"]["chef"].title = "Head chef"
    assert search.status()["opportunities"]["stale"] == 1


def test_api_gives_the_same_matches_as_the_pages(app, world):
    client = app.test_client(user=world["person"].user)
    data = client.get("/api/v1/me/matches").get_json()
    assert data["matches"][0]["opportunity"]["title"] == "Forklift driver"
    assert set(data["matches"][0]["parts"]) == {"semantic", "skills", "distance", "preferences"}
    assert client.get("/api/v1/me/matches?miles=7").status_code == 400
    assert client.get("/api/v1/me/matches?q=" + "x" * 300).get_json()["fields"]["q"]


def test_api_matched_candidates_are_anonymised_views(app, world):
    employer = app.test_client(user=world["employer"])
    role = world["roles"]["chef"]
    data = employer.get(f"/api/v1/opportunities/{role.id}/matches").get_json()
    cards = [m["candidate"] for m in data["matches"]]
    assert cards and all(c["name"] is None and c["stage"] == 1 for c in cards)
    assert "Casey" not in repr(data) and "exclusion" not in repr(data)
    other = app.test_client(user=factories.user(Role.EMPLOYER))
    assert other.get(f"/api/v1/opportunities/{role.id}/matches").status_code == 404


def test_pel_sees_jobs_for_a_person_and_nominates_them(app, world):
    pel = factories.user(Role.PEL)
    inside = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 release_date=TODAY + dt.timedelta(days=200),
                                 skills_text="forklift", skills=["forklift"], rotl_eligible=True)
    placement = factories.opportunity(world["employer"].organisation, title="Forklift placement",
                                      skills_text="forklift", skills=["forklift"],
                                      accepts_rotl=True, accepts_in_custody=True)
    current_app.extensions["search"].rebuild()
    pages = PageClient(app.test_client(user=pel))
    page = pages.get(f"/prison/people/{inside.id}/jobs")
    assert [h.get_text(strip=True) for h in page.select(".fcm-card__title")] == [placement.title]
    nominate_url = page.select_one(".fcm-card a.govuk-button")["href"]
    pages.post(nominate_url, {"note": "Drove forklifts in the prison workshop"},
               expected_status=302)
    again = pages.get(f"/prison/people/{inside.id}/jobs")
    assert "Already applied or nominated" in again.get_text()


def test_publishing_an_opportunity_indexes_it_in_the_same_request(app, db_session, world):
    employer = world["employer"]
    draft = factories.opportunity(employer.organisation, title="Reach truck driver",
                                  skills_text="reach truck, forklift", skills=["forklift"],
                                  status=OpportunityStatus.DRAFT, published_at=None)
    current_app.extensions["search"].rebuild()
    assert str(draft.id) in app.extensions["search"].index("opportunities").hashes()
    assert "Reach truck driver" not in {m.opportunity.title
                                        for m in service.opportunities_for(world["person"], k=50)}
    app.config["SEARCH_SYNC"] = True
    try:
        PageClient(app.test_client(user=employer)).post(
            f"/employer/opportunities/{draft.id}/publish",
            form_url=f"/employer/opportunities/{draft.id}", expected_status=302)
    finally:
        app.config["SEARCH_SYNC"] = False
    assert "Reach truck driver" in {m.opportunity.title
                                    for m in service.opportunities_for(world["person"], k=50)}
