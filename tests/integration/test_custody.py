"""The custody channel, slice 1: a PEL adds a person in their prison with signed consent,
right-to-work evidence and release details; withdrawing consent hides them from employers at
once and stops new nominations (issue 13)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace import clock
from marketplace.custody import people
from marketplace.matching import constraints
from marketplace.models import (
    Application,
    AuditEvent,
    Candidate,
    CustodyDetails,
    PlatformConsent,
)
from marketplace.types import CandidateStatus, ReleaseDateCertainty, Role
from tests import factories
from tests.pages import PageClient


def _day(field: str, day: dt.date | None) -> dict:
    """A GOV.UK date answer: the field's name three times (day, month, year)."""
    return {field: ["", "", ""] if day is None else [str(day.day), str(day.month),
                                                      str(day.year)]}


def _answers(**overrides) -> dict:
    today = clock.uk_today()
    answers = {"first_name": "Jo", "last_name": "Bloggs", "prison_number": "a 1234 bc",
               **_day("date_of_birth", dt.date(1990, 3, 27)),
               **_day("release_date", today + dt.timedelta(weeks=8)),
               "release_certainty": "hdc", "home_district": "ls11",
               "right_to_work_seen": "yes",
               **_day("right_to_work_seen_on", today - dt.timedelta(days=3)),
               "right_to_work_seen_by": "Pat Lead",
               **_day("consent_signed_on", today), "form_version": "FCM-1 2026"}
    answers.update(overrides)
    return answers


@pytest.fixture()
def pel(db_session):
    return factories.user(Role.PEL)


def _add(pel, **overrides) -> Candidate:
    today = clock.uk_today()
    fields = dict(first_name="Jo", last_name="Bloggs", prison_number="A7777BC",
                  date_of_birth=dt.date(1990, 1, 1), release_date=today + dt.timedelta(weeks=8),
                  release_certainty=ReleaseDateCertainty.FIXED, home_district="LS11",
                  right_to_work_seen=True, right_to_work_seen_on=today,
                  right_to_work_seen_by="Pat Lead", consent_signed_on=today,
                  form_version=people.CONSENT_FORM_VERSIONS[0])
    fields.update(overrides)
    return people.add_person(pel, **fields)


def test_pel_adds_a_person_with_consent_right_to_work_and_release_details(
        app, db_session, pel):
    pages = PageClient(app.test_client(user=pel))
    assert pages.get("/prison/caseload").select("a[href='/prison/people/new']")
    response = pages.post("/prison/people/new", _answers(), expected_status=302)
    person = db_session.scalar(sa.select(Candidate).where(Candidate.prison_number == "A1234BC"))
    assert response.headers["Location"].endswith(f"/prison/people/{person.id}")
    assert person.status is CandidateStatus.IN_CUSTODY and person.prison_id == pel.prison_id
    assert person.home_district == "LS11" and person.right_to_work
    details = db_session.scalar(sa.select(CustodyDetails))
    assert details.release_certainty is ReleaseDateCertainty.HDC
    assert details.right_to_work_seen_by == "Pat Lead"
    (consent,) = db_session.scalars(sa.select(PlatformConsent))
    assert consent.recorded_by_id == pel.id and consent.form_version == "FCM-1 2026"
    assert consent.signed_on == clock.uk_today()
    page = pages.get(f"/prison/people/{person.id}").get_text()
    assert "Signed on" in page and "FCM-1 2026" in page and "home detention curfew" in page
    assert "A1234BC" in pages.get("/prison/caseload").get_text()
    actions = set(db_session.scalars(sa.select(AuditEvent.action)
                                     .where(AuditEvent.candidate_id == person.id)))
    assert {"custody.person_added", "custody.platform_consent_given"} <= actions


@pytest.mark.parametrize(("overrides", "message"), [
    (_day("consent_signed_on", None), "Enter the date they signed the consent form"),
    ({"form_version": ""}, "Select the version printed on the consent form"),
    ({"form_version": "made up"}, "Not a valid choice"),
    ({"right_to_work_seen_by": ""}, "Enter who saw the evidence"),
    (_day("right_to_work_seen_on", None), "Enter the date the evidence was seen"),
    ({"prison_number": "12345"}, "Enter a prison number in the right format"),
    ({"home_district": "ZZ99"}, "We cannot find the postcode area ZZ99"),
    ({"release_date": ["31", "2", "2030"]}, "Expected release date must be a real date"),
    ({"first_name": "\x00"}, "Remove the unusual characters"),
])
def test_bad_answers_name_the_field_and_store_nothing(app, db_session, pel, overrides,
                                                      message):
    pages = PageClient(app.test_client(user=pel))
    response = pages.post("/prison/people/new", _answers(**overrides), expected_status=200)
    assert message in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(Candidate.id))
                             .where(Candidate.prison_number == "A1234BC")) == 0
    assert db_session.scalar(sa.select(sa.func.count(PlatformConsent.id))) == 0


def test_right_to_work_not_seen_needs_no_date(app, db_session, pel):
    pages = PageClient(app.test_client(user=pel))
    pages.post("/prison/people/new",
               _answers(right_to_work_seen="no", right_to_work_seen_by="",
                        **_day("right_to_work_seen_on", None)), expected_status=302)
    person = db_session.scalar(sa.select(Candidate).where(Candidate.prison_number == "A1234BC"))
    assert not person.right_to_work
    assert db_session.scalar(sa.select(CustodyDetails)).right_to_work_seen_on is None


def test_a_prison_number_already_on_the_service_is_refused(app, db_session, pel):
    factories.candidate(CandidateStatus.IN_CUSTODY, prison_number="A1234BC")
    pages = PageClient(app.test_client(user=pel))
    response = pages.post("/prison/people/new", _answers(), expected_status=200)
    assert "already on the service" in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(PlatformConsent.id))) == 0


def test_withdrawing_consent_hides_the_person_and_stops_nominations(app, db_session, pel):
    person = _add(pel)
    person.skills_text = "Forklift driving"
    opportunity = factories.opportunity(accepts_in_custody=True)
    today = clock.uk_today()
    assert constraints.findable(person, opportunity, today=today).eligible

    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/people/{person.id}/platform-consent/withdraw"
    assert "Employers will not be able to find" in pages.get(url).get_text()
    pages.post(url, {}, expected_status=200)  # without the check page's confirm: nothing
    assert people.current_consent(person) is not None
    pages.post(url, {"confirm": "yes"}, expected_status=302)
    assert people.current_consent(person) is None
    assert not constraints.findable(person, opportunity, today=today).eligible

    nominate = f"/prison/people/{person.id}/nominate/{opportunity.id}"
    response = pages.post(nominate, {"note": ""}, expected_status=200)
    assert "withdrew consent to be on the service" in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(Application.id))) == 0

    consent = f"/prison/people/{person.id}/platform-consent"
    pages.post(consent, {**_day("signed_on", today), "form_version": "FCM-1 2026"},
               expected_status=302)
    assert constraints.findable(person, opportunity, today=today).eligible
    pages.post(nominate, {"note": ""}, expected_status=302)
    assert db_session.scalar(sa.select(sa.func.count(Application.id))) == 1
    history = pages.get(f"/prison/people/{person.id}").get_text()
    assert "Consent history" in history and "withdrawn" in history


def test_another_prisons_pel_cannot_see_or_change_consent(app, db_session, pel):
    person = _add(pel)
    other = factories.user(Role.PEL, prison=factories.prison("WDI"))
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client = app.test_client(user=other)
        for url in (f"/prison/people/{person.id}",
                    f"/prison/people/{person.id}/platform-consent/withdraw"):
            assert client.get(url).status_code == 404
            assert client.post(url, data={"confirm": "yes"}).status_code in (404, 405)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert people.current_consent(person) is not None
