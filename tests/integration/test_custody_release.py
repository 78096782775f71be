"""Transfers and the hand-over at release (issue 13): the receiving prison's PEL takes the case
with its history and the sending PEL loses it; release makes a one-time claim code (hashed, 30
days, rate-limited) that the person uses on /claim; the releasing PEL reads the record for 12
months, then loses it."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from marketplace import clock
from marketplace.custody import messages, people
from marketplace.models import ClaimCode, Message, PrisonTransfer, Release
from marketplace.types import (
    CandidateStatus,
    MessageStatus,
    ReadinessLevel,
    Role,
)
from tests import factories
from tests.pages import PageClient


def _from(app, address: str) -> PageClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return PageClient(client)


def _day(field: str, day: dt.date) -> dict:
    return {field: [str(day.day), str(day.month), str(day.year)]}


@pytest.fixture()
def pel(db_session):
    return factories.user(Role.PEL)


@pytest.fixture()
def person(pel):
    return factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)


def test_a_transferred_person_moves_to_the_new_prisons_caseload_with_their_history(
        app, db_session, pel, person):
    wakefield = factories.prison("WDI")
    receiving = factories.user(Role.PEL, prison=wakefield)
    employer = factories.user(Role.EMPLOYER)
    application = factories.application(factories.opportunity(employer.organisation), person)
    waiting = messages.write(application, author=pel, body="When do I start?")
    people.record_readiness(person, actor=pel, level=ReadinessLevel.READY, support=[], note="")
    sending = PageClient(app.test_client(user=pel))

    url = f"/prison/people/{person.id}/transfer"
    form = {"to_prison": str(wakefield.id), **_day("moved_on", clock.uk_today())}
    check = sending.post(url, form, expected_status=200).get_data(as_text=True)
    assert "You will no longer see" in check and person.prison_id == pel.prison_id
    sending.post(url, {**form, "confirm": "yes"}, expected_status=302)

    assert person.prison_id == wakefield.id
    (move,) = db_session.scalars(sa.select(PrisonTransfer))
    assert (move.from_prison_id, move.to_prison_id, move.recorded_by_id) == (
        pel.prison_id, wakefield.id, pel.id)
    assert not sending.get("/prison/caseload").select(f"a[href='/prison/people/{person.id}']")
    assert sending.client.get(f"/prison/people/{person.id}").status_code == 404
    assert messages.queue(pel) == []

    new = PageClient(app.test_client(user=receiving))
    assert new.get("/prison/caseload").select(f"a[href='/prison/people/{person.id}']")
    page = new.get(f"/prison/people/{person.id}").get_text()
    assert application.opportunity.title in page and "moved from" in page
    assert messages.queue(receiving) == [waiting]
    assert people.readiness_history(person)[0].level is ReadinessLevel.READY


def test_a_transfer_needs_a_prison_and_a_date(app, db_session, pel, person):
    pages = PageClient(app.test_client(user=pel))
    response = pages.post(f"/prison/people/{person.id}/transfer",
                          {"to_prison": "", "confirm": "yes"}, expected_status=200)
    text = response.get_data(as_text=True)
    assert "Select the prison they moved to" in text and "Enter the date they moved" in text
    response = pages.post(f"/prison/people/{person.id}/transfer",
                          {"to_prison": "999999", **_day("moved_on", clock.uk_today()),
                           "confirm": "yes"}, expected_status=200)
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert person.prison_id == pel.prison_id


def _release(app, pel, person) -> str:
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/people/{person.id}/release"
    form = {**_day("released_on", clock.uk_today()), "status": "on_licence"}
    assert "Record release" in pages.post(url, form, expected_status=200).get_data(as_text=True)
    slip = pages.post(url, {**form, "confirm": "yes"}, expected_status=200)
    code = slip.get_data(as_text=True)
    return re.search(r'fcm-claim-code">([A-Z0-9-]+)<', code).group(1)


def test_release_hands_the_account_over_with_a_one_time_code(app, db_session, pel, person,
                                                             outbox):
    employer = factories.user(Role.EMPLOYER)
    application = factories.application(factories.opportunity(employer.organisation), person)
    waiting = messages.write(application, author=employer, body="See you Monday")
    code = _release(app, pel, person)
    assert person.status is CandidateStatus.ON_LICENCE and person.prison_id is None
    assert waiting.status is MessageStatus.DELIVERED  # nobody checks messages after release
    (stored,) = db_session.scalars(sa.select(ClaimCode))
    assert code.replace("-", "") not in stored.code_hash  # only the hash is kept
    assert stored.expires_at - clock.utc_now() > dt.timedelta(days=29)

    claim = PageClient(app.test_client())
    answers = {"claim_code": code.lower().replace("-", " "), "email": "Jo@Example.com",
               "password": "purple elephant marmalade", "confirm": "purple elephant marmalade"}
    page = claim.post("/claim", answers, expected_status=200).get_data(as_text=True)
    assert "Check your email" in page
    assert person.user is not None and person.user.email == "jo@example.com"
    assert person.user.email_confirmed_at is None
    (mail,) = outbox
    link = re.search(r"https?://\S+/register/confirm/\S+", mail.body).group(0)
    again = claim.post("/claim", {**answers, "email": "other@example.com"},
                       expected_status=200).get_data(as_text=True)
    assert "This code does not work" in again

    signed_in = PageClient(app.test_client())
    confirm_url = link.split("localhost", 1)[1]
    signed_in.post(confirm_url, {}, expected_status=302)
    home = signed_in.get("/me/").get_text()
    assert application.opportunity.title in home


def test_a_wrong_used_or_expired_code_says_the_same_and_tells_nothing(app, db_session, pel,
                                                                      person):
    code = _release(app, pel, person)
    claim = _from(app, "10.13.0.1")
    answers = {"email": "jo@example.com", "password": "purple elephant marmalade",
               "confirm": "purple elephant marmalade"}
    guessed = claim.post("/claim", {**answers, "claim_code": "ABCD-EFGH-JKMN"}, expected_status=200)
    with clock.frozen(clock.utc_now() + dt.timedelta(days=31)):
        expired = claim.post("/claim", {**answers, "claim_code": code}, expected_status=200)
    words = "This code does not work"
    assert words in guessed.get_data(as_text=True) and words in expired.get_data(as_text=True)
    assert person.user_id is None


def test_failed_claims_are_rate_limited_per_address(app, db_session, pel, person):
    code = _release(app, pel, person)
    before, app.config["CLAIM_RATE_LIMIT"] = app.config["CLAIM_RATE_LIMIT"], "3 per hour"
    try:
        claim = _from(app, "10.13.0.2")
        answers = {"email": "jo@example.com", "password": "purple elephant marmalade",
                   "confirm": "purple elephant marmalade"}
        for _ in range(3):
            claim.post("/claim", {**answers, "claim_code": "ZZZZ-ZZZZ-ZZZZ"}, expected_status=200)
        assert claim.post("/claim", {**answers, "claim_code": code}).status_code == 429
        assert person.user_id is None
    finally:
        app.config["CLAIM_RATE_LIMIT"] = before


def test_a_new_code_replaces_the_lost_one(app, db_session, pel, person):
    old = _release(app, pel, person)
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/released/{person.id}/new-code"
    assert "old code will stop working" in pages.get(url).get_text()
    page = pages.post(url, {"confirm": "yes"}, expected_status=200).get_data(as_text=True)
    new = re.search(r'fcm-claim-code">([A-Z0-9-]+)<', page).group(1)
    assert new != old
    assert people.open_claim(old) is None and people.open_claim(new) is not None


def test_the_releasing_pel_reads_the_record_for_12_months_then_loses_it(app, db_session, pel,
                                                                        person):
    _release(app, pel, person)
    (release,) = db_session.scalars(sa.select(Release))
    assert release.prison_id == pel.prison_id
    client = app.test_client(user=pel)
    pages = PageClient(client)
    page = pages.get(f"/prison/people/{person.id}")
    assert "but not change it" in page.get_text()
    assert not page.select(f"a[href='/prison/people/{person.id}/jobs']")
    assert person.full_name in pages.get("/prison/released").get_text()
    opportunity = factories.opportunity()
    for url in (f"/prison/people/{person.id}/jobs",
                f"/prison/people/{person.id}/nominate/{opportunity.id}",
                f"/prison/people/{person.id}/release"):
        assert client.get(url).status_code == 404
    other = app.test_client(user=factories.user(Role.PEL, prison=factories.prison("WDI")))
    assert other.get(f"/prison/people/{person.id}").status_code == 404
    with clock.frozen(clock.uk_today() + dt.timedelta(days=366)):
        assert client.get(f"/prison/people/{person.id}").status_code == 404
        assert person.full_name not in pages.get("/prison/released").get_text()


def test_the_released_persons_messages_flow_directly(app, db_session, pel, person):
    employer = factories.user(Role.EMPLOYER)
    application = factories.application(factories.opportunity(employer.organisation), person)
    _release(app, pel, person)
    sent = messages.write(application, author=employer, body="Welcome")
    assert sent.status is MessageStatus.DELIVERED
    assert db_session.scalar(sa.select(sa.func.count(Message.id))) == 1
