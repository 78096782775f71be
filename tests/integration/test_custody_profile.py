"""Building the profile with the person (issue 13): skills suggested from the vocabulary as
they type (a datalist, no JavaScript), qualifications and courses done in custody, work
history, preferences and their own words, and a preview of the anonymised card exactly as an
employer sees it."""

import dataclasses

import pytest

from marketplace.custody import people
from marketplace.disclosure import policy
from marketplace.types import CandidateStatus, Role
from tests import factories
from tests.pages import PageClient


@pytest.fixture()
def pel(db_session):
    return factories.user(Role.PEL)


@pytest.fixture()
def person(pel):
    return factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison, skills_text="",
                               skills=[], summary="", first_name="Jo", last_name="Bloggs")


def _profile(**overrides) -> dict:
    answers = {"skills_text": "Cooked for 300 on the wing, cleaned the landings",
               "add_skill": "Forklift operation", "headline": "Hard-working and reliable",
               "summary": "I want a fresh start in a kitchen.",
               "preferred_sectors": ["hospitality_catering"], "preferred_hours": "full_time",
               "max_travel_miles": "10", "home_district": "LS11"}
    answers.update(overrides)
    return answers


def test_the_pel_builds_the_profile_and_sees_the_anonymised_card(app, db_session, pel,
                                                                 person):
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/people/{person.id}/profile"
    page = pages.get(url)
    assert len(page.select("datalist#fcm-skill-list option")) > 50
    assert page.select("input[name=add_skill][list=fcm-skill-list]")
    assert page.select("datalist#fcm-course-list option[value='PICTA IT certification']")

    pages.post(url, _profile(), expected_status=302)
    assert "Forklift operation" in person.skills_text
    assert len(person.skills) >= 2  # the vocabulary recognised the words
    assert person.summary == "I want a fresh start in a kitchen."
    assert person.max_travel_miles == 10

    pages.post(f"{url}/qualifications", {"qualification-course": "PICTA IT certification",
                                         "qualification-in_custody": "y"},
               form_url=url, expected_status=302)
    pages.post(f"{url}/work", {"work-job": "Wing cleaner", "work-start_year": "2024",
                               "work-in_custody": "y"}, form_url=url, expected_status=302)
    card = pages.get(url).select_one("#preview ~ .fcm-card")
    text = card.get_text()
    assert "PICTA IT certification" in text and "Wing cleaner" in text and "(in prison)" in text
    assert "Bloggs" not in text and "Jo" not in text.split()
    assert "I want a fresh start" not in text  # their own words wait for stage 2


def test_the_preview_is_the_card_an_employer_sees(app, db_session, pel, person):
    person.skills_text, person.skills = "Forklift", ["forklift"]
    employer = factories.user(Role.EMPLOYER)
    preview = people.card_preview(person)
    seen = policy.candidate_view(employer, person)
    assert dataclasses.replace(preview, ref=seen.ref) == seen


def test_bad_profile_answers_are_explained_and_nothing_is_saved(app, db_session, pel, person):
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/people/{person.id}/profile"
    response = pages.post(url, _profile(skills_text=""), expected_status=200)
    assert "Tell us what you can do" in response.get_data(as_text=True)
    assert person.skills_text == ""
    response = pages.post(f"{url}/work", {"work-job": "Cook", "work-start_year": "2020",
                                          "work-end_year": "2019"}, form_url=url,
                          expected_status=200)
    assert "The year finished must be the same as or after" in response.get_data(as_text=True)
    response = pages.post(f"{url}/work", {"work-job": "Cook", "work-start_year": "twenty"},
                          form_url=url, expected_status=200)
    assert "Year started" in response.get_data(as_text=True)
    response = pages.post(f"{url}/qualifications", {"qualification-course": ""}, form_url=url,
                          expected_status=200)
    assert "Enter the qualification or course" in response.get_data(as_text=True)
    assert person.work_history == [] and person.qualifications == []


def test_removing_an_item_only_touches_this_persons_profile(app, db_session, pel, person):
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/people/{person.id}/profile"
    pages.post(f"{url}/work", {"work-job": "Wing cleaner", "work-start_year": "2024"},
               form_url=url, expected_status=302)
    (job,) = person.work_history
    other = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    assert pages.post(f"/prison/people/{other.id}/profile/work/{job.id}/remove", {},
                      form_url=url).status_code == 404
    pages.post(f"{url}/work/{job.id}/remove", {}, form_url=url, expected_status=302)
    assert person.work_history == []


def test_another_prison_cannot_build_the_profile(app, db_session, person):
    other = factories.user(Role.PEL, prison=factories.prison("WDI"))
    assert app.test_client(user=other).get(
        f"/prison/people/{person.id}/profile").status_code == 404
