"""Matching end to end with the real embedding model and the embedded index."""

import datetime as dt

import numpy as np
import pytest
from flask import current_app

from marketplace.disclosure import policy
from marketplace.extensions import db
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
from tests.pages import PageClient, check_page

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


def test_a_long_search_is_shortened_by_words_with_a_note(app, world):
    """Issue 11: a list of six skills is often over 200 characters; it is searched, not
    refused, and the person is told when only its first words were used."""
    six = "cooking in a busy kitchen, food hygiene level 2, veg prep, washing up, " \
          "serving food on the wing servery, cleaning the kitchen after every meal"
    assert len(six) > 140 and service.query_note(six) is None
    long = "kitchen cooking " + " ".join(["and"] * 80)
    assert service.opportunities_for(world["person"], text=long)[0].opportunity.title == \
        "Commis chef"
    assert "first 60 words" in service.query_note(long)
    page = PageClient(app.test_client(user=world["person"].user)).get(
        "/me/jobs?q=" + long.replace(" ", "+"))
    assert "first 60 words" in page.get_text()
    data = app.test_client(user=world["person"].user).get(
        "/api/v1/me/matches?q=" + long.replace(" ", "+")).get_json()
    assert "first 60 words" in data["note"] and data["matches"]


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


def test_offence_exclusions_apply_on_the_candidates_side_only(world):
    """Issue 8, item 10: a role excluding an offence is not recommended to a person whose
    record the employer could lawfully consider, but the employer's matched candidates never
    depend on anyone's record."""
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

    def recommended(person):
        return {m.opportunity.id for m in service.opportunities_for(person, k=50)}

    assert role.id not in recommended(violent_recent)
    assert role.id in recommended(violent_spent)  # spent: the employer may not consider it
    found = {m.candidate.id for m in service.candidates_for(role, k=50)}
    assert {violent_recent.id, violent_spent.id, world["person"].id} <= found


def _refs_on_matches_page_and_api(app, employer, role) -> tuple[set[str], set[str]]:
    page = PageClient(app.test_client(user=employer)).get(
        f"/employer/opportunities/{role.id}/matches")
    on_page = {h.get_text(strip=True).removeprefix("Candidate ")
               for h in page.select(".fcm-card__title")}
    data = app.test_client(user=employer).get(
        f"/api/v1/opportunities/{role.id}/matches").get_json()
    return on_page, {m["candidate"]["ref"] for m in data["matches"]}


def test_a_hidden_profile_is_never_matched_even_while_the_index_says_visible(app, world):
    """Issue 8, item 3: visible_to_employers is a hard constraint checked in the database."""
    from search_index import Flag

    employer, role, cook = world["employer"], world["roles"]["chef"], world["cook"]
    ref = policy.candidate_view(employer, cook).ref
    assert all(ref in refs for refs in _refs_on_matches_page_and_api(app, employer, role))

    cook.visible_to_employers = False  # saved without re-indexing: the index is now stale
    db.session.flush()
    index = app.extensions["search"].index("candidates")
    still_visible = index.search(vector=np.ones(384, dtype=np.float32), text=None, k=50,
                                 filters=[Flag("visible", True)])
    assert str(cook.id) in {h.id for h in still_visible}

    assert cook.id not in {m.candidate.id for m in service.candidates_for(role, k=50)}
    on_page, in_api = _refs_on_matches_page_and_api(app, employer, role)
    assert ref not in on_page and ref not in in_api
    assert on_page == in_api and on_page  # the others are still there


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
    newcomer = factories.candidate(first_name="Indy", skills_text="")  # not indexed yet
    search = app.extensions["search"]
    assert str(newcomer.id) not in search.index("candidates").hashes()
    app.config["SEARCH_SYNC"] = True
    try:
        _save_skills(app, newcomer, "warehouse picking, forklift")
    finally:
        app.config["SEARCH_SYNC"] = False
    assert _indexed(search, newcomer)


def test_a_person_sees_the_skills_they_are_matched_on_in_the_taxonomy_words(app, world):
    """What they wrote stays as they wrote it; beside it, the preferred label of each skill
    the taxonomy read: ours ("forklift licence") and ESCO's ("stock level monitoring")."""
    person = factories.candidate(first_name="Ola", skills_text="")
    _save_skills(app, person, "forklift licence, stock level monitoring, juggling")
    page = PageClient(app.test_client(user=person.user)).get("/me/profile")
    rows = {row.dt.get_text(strip=True): row.dd.get_text(strip=True)
            for row in page.select(".govuk-summary-list__row")}
    assert rows["Your skills"] == "forklift licence, stock level monitoring, juggling"
    assert rows["Skills we match you on"] == "Forklift driving, Monitor stock level"


def test_index_status_counts_stale_documents(app, world):
    search = app.extensions["search"]
    assert search.status()["opportunities"]["stale"] == 0
    world["roles"]["chef"].title = "Head chef"
    assert search.status()["opportunities"]["stale"] == 1


def test_api_gives_the_same_matches_as_the_pages(app, world):
    client = app.test_client(user=world["person"].user)
    data = client.get("/api/v1/me/matches").get_json()
    assert data["matches"][0]["opportunity"]["title"] == "Forklift driver"
    assert set(data["matches"][0]["parts"]) == {"semantic", "skills", "distance", "preferences",
                                                "keyword"}  # the profile's words count too
    assert client.get("/api/v1/me/matches?miles=7").status_code == 400
    assert client.get("/api/v1/me/matches?q=" + "x" * 1001).get_json()["fields"]["q"]


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


@pytest.fixture()
def syncing(app, db_session, world):
    """Index on save, as in production; the retry list starts and ends empty."""
    failures = app.extensions["search"].failures
    failures.path.unlink(missing_ok=True)
    db_session.info.pop("search_pending", None)  # the set-up, indexed by the world's rebuild
    app.config["SEARCH_SYNC"] = True
    yield app.extensions["search"]
    app.config["SEARCH_SYNC"] = False
    failures.path.unlink(missing_ok=True)


def _refuse_writes(documents):
    raise OSError("No space left on device")


def _save_skills(app, candidate, skills_text: str) -> None:
    PageClient(app.test_client(user=candidate.user)).post("/me/profile/edit", {
        "skills_text": skills_text, "home_district": candidate.home_district,
        "max_travel_miles": "10", "preferred_hours": "", "visible_to_employers": "y"},
        expected_status=302)


def _indexed(search, candidate) -> bool:
    from marketplace.matching.documents import candidate_document

    return search.index("candidates").hashes().get(str(candidate.id)) == \
        candidate_document(candidate).text_hash


def test_a_failed_index_write_is_logged_counted_and_retried(app, world, syncing, monkeypatch,
                                                            caplog):
    """Issue 8, item 3: an index error after the commit is never swallowed."""
    cook, runner = world["cook"], app.test_cli_runner()
    monkeypatch.setattr(syncing.index("candidates"), "upsert", _refuse_writes)
    _save_skills(app, cook, "head chef, food hygiene level 3")  # the save itself stands
    assert cook.skills_text == "head chef, food hygiene level 3" and not _indexed(syncing, cook)
    assert "Could not update the candidates search index" in caplog.text
    assert "No space left on device" in caplog.text

    status = runner.invoke(args=["index", "status"])
    assert "1 failed to update (last error: OSError: No space left on device)" in status.output
    assert "Run: flask index retry" in status.output
    still_failing = runner.invoke(args=["index", "retry"])
    assert still_failing.exit_code == 1
    assert "candidates: 0 fixed, 1 still failing" in still_failing.output

    monkeypatch.undo()  # the disk has room again
    retried = runner.invoke(args=["index", "retry"])
    assert retried.exit_code == 0, retried.output
    assert "candidates: 1 fixed, 0 still failing" in retried.output
    assert _indexed(syncing, cook)
    status = runner.invoke(args=["index", "status"]).output
    assert "failed to update" not in status and "candidates:" in status
    assert syncing.status()["candidates"]["failed"] == 0
    assert syncing.status()["candidates"]["stale"] == 0


def test_the_next_save_retries_an_earlier_failed_index_write(app, world, syncing,
                                                             monkeypatch):
    cook, person = world["cook"], world["person"]
    monkeypatch.setattr(syncing.index("candidates"), "upsert", _refuse_writes)
    _save_skills(app, cook, "head chef, food hygiene level 3")
    assert syncing.status()["candidates"]["failed"] == 1
    monkeypatch.undo()
    _save_skills(app, person, "forklift counterbalance licence, reach truck")
    assert _indexed(syncing, person) and _indexed(syncing, cook)
    assert syncing.status()["candidates"]["failed"] == 0


def test_a_rebuild_clears_the_failed_writes_it_covers(app, world, syncing, monkeypatch):
    monkeypatch.setattr(syncing.index("candidates"), "upsert", _refuse_writes)
    _save_skills(app, world["cook"], "head chef, food hygiene level 3")
    monkeypatch.undo()
    assert syncing.status()["candidates"]["failed"] == 1
    syncing.rebuild()
    assert syncing.status()["candidates"]["failed"] == 0 and _indexed(syncing, world["cook"])


def _results(response) -> int:
    if response.is_json:
        return len(response.get_json()["matches"])
    return len(check_page(response.get_data(as_text=True)).select(".fcm-card"))


def test_every_matching_page_runs_the_same_queries_however_many_results(app, db_session,
                                                                       count_queries):
    """Issue 8, item 9: no query per result (the person's conviction records are read once,
    and the employer's list reads none), on every page and API call that matches."""
    from marketplace.disclosure.calculator import DisposalKind

    pel, employer = factories.user(Role.PEL), factories.user(Role.EMPLOYER)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 user=factories.user(Role.CANDIDATE), rotl_eligible=True,
                                 release_date=TODAY + dt.timedelta(days=200),
                                 skills_text="forklift driving, stock control",
                                 skills=["forklift", "stock_control"])
    factories.conviction(person, actor=pel, category=OffenceCategory.THEFT,
                         disposal=DisposalKind.COMMUNITY_ORDER, length_months=24,
                         date=TODAY - dt.timedelta(days=100))
    factories.conviction(person, actor=pel, category=OffenceCategory.DRIVING,
                         disposal=DisposalKind.FINE, date=TODAY - dt.timedelta(days=3 * 365))
    levels = [CheckLevel.BASIC, CheckLevel.STANDARD, CheckLevel.ENHANCED]
    roles, people = [], [person]

    def grow(size: int) -> None:
        while len(roles) < size:  # each from its own employer, at its own check level
            roles.append(factories.opportunity(
                employer.organisation if not roles else None,
                title=f"Forklift driver {len(roles)}", skills_text="forklift, stock control",
                skills=["forklift", "stock_control"], accepts_rotl=True, accepts_in_custody=True,
                check_level=levels[len(roles) % 3],
                exclusions=[OpportunityExclusion(category=OffenceCategory.VIOLENCE)]))
        while len(people) < size:
            someone = factories.candidate(skills_text="forklift driving, picking",
                                          skills=["forklift"], home_district="LS9")
            factories.conviction(someone, actor=someone.user)
            people.append(someone)
        current_app.extensions["search"].rebuild()

    pages = [  # {role}: the employer's own role, made first
        (person.user, "/me/jobs"),
        (person.user, "/me/jobs?q=forklift+driving"),
        (person.user, "/api/v1/me/matches"),
        (person.user, "/api/v1/me/matches?q=forklift"),
        (pel, "/prison/people/{person}/jobs"),
        (employer, "/employer/opportunities/{role}/matches"),
        (employer, "/employer/opportunities/{role}/matches?q=forklift"),
        (employer, "/api/v1/opportunities/{role}/matches"),
        (employer, "/api/v1/opportunities/{role}/matches?q=forklift"),
    ]
    queries: dict[int, list[int]] = {}
    for size in (3, 9):
        grow(size)
        queries[size] = []
        for user, pattern in pages:
            url = pattern.format(person=person.id, role=roles[0].id)
            client = app.test_client(user=user)
            client.get(url)  # warm: the signed-in user, the skills vocabulary
            with count_queries() as counted:
                response = client.get(url)
            assert response.status_code == 200, url
            assert _results(response) == size, url
            queries[size].append(counted())
    assert queries[9] == queries[3], list(zip([p for _u, p in pages], queries[3], queries[9],
                                             strict=True))


def test_recommendations_and_matched_candidates_embed_nothing(app, world, monkeypatch):
    """Issue 11: the person's and the role's vectors come from the index, where they were
    stored when saved; only a typed search is embedded, once, then remembered."""
    search = app.extensions["search"]
    embedded: list[str] = []
    real = search.embed
    monkeypatch.setattr(search, "embed", lambda texts: embedded.extend(texts) or real(texts))
    assert service.opportunities_for(world["person"])[0].opportunity.title == "Forklift driver"
    assert service.candidates_for(world["roles"]["chef"])[0].candidate.id == world["cook"].id
    assert embedded == []
    service.opportunities_for(world["person"], text="night shift stores work")
    service.opportunities_for(world["person"], text="night shift stores work")
    assert embedded == ["night shift stores work"]


def test_a_changed_profile_not_yet_reindexed_is_embedded_as_it_is_now(app, world, monkeypatch):
    search = app.extensions["search"]
    embedded: list[str] = []
    real = search.embed
    monkeypatch.setattr(search, "embed", lambda texts: embedded.extend(texts) or real(texts))
    cook = world["cook"]
    cook.skills_text, cook.skills = "forklift counterbalance, stock control", ["forklift"]
    assert service.opportunities_for(cook)[0].opportunity.title.startswith("Forklift")
    assert len(embedded) == 1 and "forklift counterbalance" in embedded[0]


def test_a_profile_with_only_a_desired_role_gets_recommendations(app, world):
    someone = factories.candidate(skills_text="", skills=[], headline="Chef",
                                  home_district="M4")
    current_app.extensions["search"].rebuild()
    matches = service.opportunities_for(someone)
    assert matches and matches[0].opportunity.title == "Commis chef"
    assert not any("skills" in reason for reason in matches[0].reasons)
