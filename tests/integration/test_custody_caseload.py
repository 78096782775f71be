"""Work readiness with its history, a caseload that searches, filters, orders and pages, and
nominating several people at once with each refusal's plain reason (issue 13)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace import clock
from marketplace.custody import people
from marketplace.models import Application, ReadinessEntry
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    ReadinessLevel,
    Role,
    SupportNeed,
    WorkReadinessStatus,
)
from tests import factories
from tests.pages import PageClient


@pytest.fixture()
def pel(db_session):
    return factories.user(Role.PEL)


def _person(pel, weeks: int, **overrides):
    return factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                               release_date=clock.uk_today() + dt.timedelta(weeks=weeks),
                               **overrides)


def _names(page) -> list[str]:
    return [a.get_text() for a in page.select("table a.govuk-link")]


def test_readiness_is_dated_and_keeps_its_history(app, db_session, pel):
    person = _person(pel, 8)
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/people/{person.id}/readiness"
    response = pages.post(url, {}, expected_status=200)
    assert "Select how ready for work they are" in response.get_data(as_text=True)
    pages.post(url, {"level": "not_yet", "support": ["id", "housing"], "note": "No ID yet"},
               expected_status=302)
    pages.post(url, {"level": "ready_with_support", "support": ["travel"]}, expected_status=302)
    history = people.readiness_history(person)
    assert [e.level for e in history] == [ReadinessLevel.READY_WITH_SUPPORT,
                                          ReadinessLevel.NOT_YET]
    assert history[1].support == ["id", "housing"] and history[0].recorded_by_id == pel.id
    assert history[0].recorded_on == clock.uk_today()
    assert person.readiness.status is WorkReadinessStatus.SUPPORT_NEEDED
    assert person.readiness.id_held and person.readiness.bank_account
    text = pages.get(url).get_text()
    assert "No ID yet" in text and "Housing" in text and "Travel to work" in text
    assert "Ready with support" in pages.get(f"/prison/people/{person.id}").get_text()
    bad = pages.post(url, {"level": "ready", "support": ["helicopter"]}, expected_status=200)
    assert "is not a valid choice" in bad.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(ReadinessEntry.id))) == 2


def test_caseload_filters_by_release_window_readiness_and_applications(app, db_session, pel):
    soon_ready = _person(pel, 4, first_name="Ada")
    soon_not = _person(pel, 10, first_name="Ben")
    later = _person(pel, 40, first_name="Cal")
    factories.candidate(CandidateStatus.IN_CUSTODY, prison=factories.prison("WDI"),
                        first_name="Dee")
    people.record_readiness(soon_ready, actor=pel, level=ReadinessLevel.READY, support=[],
                            note="")
    people.record_readiness(soon_not, actor=pel, level=ReadinessLevel.NOT_YET,
                            support=[SupportNeed.ID], note="")
    factories.application(factories.opportunity(), later)
    pages = PageClient(app.test_client(user=pel))

    everyone = _names(pages.get("/prison/caseload"))
    assert [n.split()[0] for n in everyone] == ["Ada", "Ben", "Cal"]
    assert [n.split()[0] for n in _names(pages.get("/prison/caseload?release=12"))] == [
        "Ada", "Ben"]
    assert [n.split()[0] for n in _names(pages.get("/prison/caseload?readiness=ready"))] == [
        "Ada"]
    assert [n.split()[0] for n in _names(pages.get(
        "/prison/caseload?readiness=not_recorded"))] == ["Cal"]
    assert [n.split()[0] for n in _names(pages.get("/prison/caseload?applications=y"))] == [
        "Cal"]
    assert [n.split()[0] for n in _names(pages.get(
        f"/prison/caseload?q={later.prison_number.lower()}"))] == ["Cal"]
    job_ready_soon = pages.get("/prison/caseload?release=12&sort=readiness")
    assert [n.split()[0] for n in _names(job_ready_soon)] == ["Ada", "Ben"]
    assert "Not yet ready" in job_ready_soon.get_text()
    # A tampered link is ignored or explained, never an error page.
    assert _names(pages.get("/prison/caseload?release=7&readiness=x&sort=y&page=zz"))


def test_caseload_pages_in_a_fixed_number_of_queries(app, db_session, pel, count_queries):
    for n in range(25):
        person = _person(pel, n + 1)
        people.record_readiness(person, actor=pel, level=ReadinessLevel.READY, support=[],
                                note="")
    client = app.test_client(user=pel)
    client.get("/prison/caseload")
    client.get("/prison/caseload")
    with count_queries() as few:
        first = PageClient(client).get("/prison/caseload")
    assert len(_names(first)) == 20
    assert len(_names(PageClient(client).get("/prison/caseload?page=2"))) == 5
    for n in range(10):
        _person(pel, 60 + n)
    client.get("/prison/caseload")
    with count_queries() as more:
        PageClient(client).get("/prison/caseload")
    assert more() == few()


def test_bulk_nominate_puts_forward_those_who_fit_and_says_why_not_for_the_rest(
        app, db_session, pel):
    opportunity = factories.opportunity(
        latest_release_date=clock.uk_today() + dt.timedelta(weeks=20), accepts_in_custody=True)
    fits = _person(pel, 4, first_name="Ada")
    too_late = _person(pel, 30, first_name="Ben")
    no_right = _person(pel, 4, first_name="Cal", right_to_work=False)
    withdrew = _person(pel, 4, first_name="Dee")
    today = clock.uk_today()
    people.give_consent(withdrew, actor=pel, signed_on=today,
                        form_version=people.CONSENT_FORM_VERSIONS[0])
    people.withdraw_consent(withdrew, actor=pel)
    elsewhere = factories.candidate(CandidateStatus.IN_CUSTODY, prison=factories.prison("WDI"))
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/nominate/{opportunity.id}"
    assert "Ada" in pages.get(url).get_text()
    response = pages.post(url, {"people": [], "note": ""}, expected_status=200)
    assert "Select at least one person" in response.get_data(as_text=True)
    response = pages.post(url, {"people": [str(elsewhere.id)]}, expected_status=200)
    assert "is not a valid choice" in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(Application.id))) == 0

    page = pages.post(url, {"people": [str(p.id) for p in (fits, too_late, no_right, withdrew)],
                            "note": "Keen"}, expected_status=200).get_data(as_text=True)
    (nomination,) = db_session.scalars(sa.select(Application))
    assert nomination.candidate_id == fits.id and nomination.status is ApplicationStatus.NOMINATED
    assert "The employer cannot wait until your release date." in page
    assert "You need the right to work in the UK for this role." in page
    assert "withdrew consent to be on the service" in page
    again = pages.post(url, {"people": [str(fits.id)]}, expected_status=200)
    assert "already applied or been nominated" in again.get_data(as_text=True)


def test_another_prisons_pel_cannot_record_readiness(app, db_session, pel):
    person = _person(pel, 4)
    other = factories.user(Role.PEL, prison=factories.prison("WDI"))
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = app.test_client(user=other).post(f"/prison/people/{person.id}/readiness",
                                                    data={"level": "ready"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert response.status_code == 404
    assert people.readiness_history(person) == []
