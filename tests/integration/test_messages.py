"""Checked messages (issue 13): while a person is in custody every message, either way, waits
for their PEL's check; only approved ones reach the other side; contact details are held;
after release messages flow directly; each side sees unread counts and gets an email."""

import re

import pytest
import sqlalchemy as sa

from marketplace.custody import contact
from marketplace.models import Message
from marketplace.types import (
    ApplicationSource,
    ApplicationStatus,
    CandidateStatus,
    MessageStatus,
    Role,
)
from tests import factories
from tests.pages import PageClient


@pytest.fixture()
def pel(db_session):
    return factories.user(Role.PEL)


@pytest.fixture()
def employer(db_session):
    return factories.user(Role.EMPLOYER)


@pytest.fixture()
def application(pel, employer):
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    return factories.application(factories.opportunity(employer.organisation), person)


def _thread(application) -> str:
    return f"/messages/applications/{application.id}"


def _messages(db_session) -> list[Message]:
    return list(db_session.scalars(sa.select(Message).order_by(Message.id)))


def test_a_message_from_custody_reaches_the_employer_only_once_approved(
        app, db_session, pel, employer, application, outbox):
    as_pel = PageClient(app.test_client(user=pel))
    as_employer = PageClient(app.test_client(user=employer))
    as_pel.post(_thread(application), {"body": "I would like to know the shift times."},
                expected_status=302)
    (message,) = _messages(db_session)
    assert message.status is MessageStatus.WAITING and message.held_reason is None
    assert "shift times" not in as_employer.get(_thread(application)).get_text()
    assert "none new" in as_employer.get("/employer/").get_text()
    assert outbox == []

    queue = as_pel.get("/prison/messages")
    assert "shift times" in queue.get_text()
    assert "1 waiting" in as_pel.get("/prison/").get_text()
    url = f"/prison/messages/{message.id}/approve"
    assert queue.select(f"a[href='{url}']")
    assert "Approve this message?" in as_pel.get(url).get_text()
    as_pel.post(url, {"confirm": "yes"}, expected_status=302)
    assert message.status is MessageStatus.APPROVED and message.decided_by_id == pel.id
    assert [m.to for m in outbox] == [employer.email]
    assert _thread(application) in outbox[0].body

    assert "1 new" in as_employer.get("/employer/").get_text()
    assert "shift times" in as_employer.get(_thread(application)).get_text()
    assert message.read_at is not None
    assert "none new" in as_employer.get("/employer/").get_text()
    assert application.opportunity.title in as_employer.get("/messages/").get_text()


def test_the_employers_reply_reaches_the_person_only_after_the_pels_check(
        app, db_session, pel, employer, application):
    as_employer = PageClient(app.test_client(user=employer))
    as_pel = PageClient(app.test_client(user=pel))
    as_employer.post(_thread(application), {"body": "Shifts are 8 till 4."},
                     expected_status=302)
    (reply,) = _messages(db_session)
    assert reply.status is MessageStatus.WAITING
    page = as_employer.get(_thread(application)).get_text()
    assert "Shifts are 8 till 4." in page and "Waiting to be checked" in page
    assert "Shifts are 8 till 4." in as_pel.get("/prison/messages").get_text()
    as_pel.post(f"/prison/messages/{reply.id}/approve", {"confirm": "yes"},
                expected_status=302)
    assert reply.status is MessageStatus.APPROVED
    assert "Checked and sent" in as_employer.get(_thread(application)).get_text()
    assert "Shifts are 8 till 4." in as_pel.get(
        f"/prison/people/{application.candidate_id}").get_text() or \
        as_pel.get(_thread(application)).get_text()


@pytest.mark.parametrize("text", [
    "Call me on 07700 900123", "Email jo.bloggs@example.com", "See www.example.com/jobs",
    "Come to 12 High Street, LS11 5AB", "ring +44 (0)113 496 0000", "jo at example dot com"
    " or jo@example.co.uk",
])
def test_contact_details_are_found(text):
    assert contact.reason(text)


@pytest.mark.parametrize("text", [
    "Shifts are 8 till 4, Monday to Friday.", "We pay £12.21 an hour for 37 hours.",
    "I did 2 years in the kitchen and 300 meals a day.",
])
def test_ordinary_words_are_not_contact_details(text):
    assert contact.reason(text) is None


def test_contact_details_are_held_and_cannot_be_approved(app, db_session, pel, employer,
                                                         application):
    as_employer = PageClient(app.test_client(user=employer))
    as_pel = PageClient(app.test_client(user=pel))
    as_employer.post(_thread(application), {"body": "Ring me on 07700 900123 any time"},
                     expected_status=302)
    (held,) = _messages(db_session)
    assert held.status is MessageStatus.WAITING and "a phone number" in held.held_reason
    queue = as_pel.get("/prison/messages")
    assert "Held" in queue.get_text()
    assert not queue.select(f"a[href='/prison/messages/{held.id}/approve']")
    response = as_pel.post(f"/prison/messages/{held.id}/approve", {"confirm": "yes"},
                           expected_status=200)
    assert "cannot be sent" in response.get_data(as_text=True)
    assert held.status is MessageStatus.WAITING

    response = as_pel.post(f"/prison/messages/{held.id}/return", {"confirm": "yes"},
                           expected_status=200)
    assert "Enter the reason for returning it" in response.get_data(as_text=True)
    as_pel.post(f"/prison/messages/{held.id}/return",
                {"confirm": "yes", "reason": "Please take out the phone number"},
                expected_status=302)
    assert held.status is MessageStatus.RETURNED
    page = as_employer.get(_thread(application)).get_text()
    assert "Returned to the writer" in page and "Please take out the phone number" in page
    again = as_pel.post(f"/prison/messages/{held.id}/reject",
                        {"confirm": "yes", "reason": "No"}, expected_status=200)
    assert "already been decided" in again.get_data(as_text=True)


def test_a_rejected_message_never_reaches_the_employer(app, db_session, pel, employer,
                                                       application):
    as_pel = PageClient(app.test_client(user=pel))
    as_pel.post(_thread(application), {"body": "Please hurry up"}, expected_status=302)
    (message,) = _messages(db_session)
    as_pel.post(f"/prison/messages/{message.id}/reject",
                {"confirm": "yes", "reason": "Rude"}, expected_status=302)
    assert message.status is MessageStatus.REJECTED
    as_employer = PageClient(app.test_client(user=employer))
    assert "hurry" not in as_employer.get(_thread(application)).get_text()
    assert "none new" in as_employer.get("/employer/").get_text()


def test_after_release_messages_flow_directly_with_emails_and_unread_counts(
        app, db_session, employer, outbox):
    person = factories.candidate(CandidateStatus.RELEASED)
    application = factories.application(factories.opportunity(employer.organisation), person)
    as_person = PageClient(app.test_client(user=person.user))
    as_employer = PageClient(app.test_client(user=employer))
    as_employer.post(_thread(application), {"body": "Can you start on Monday? Call 0113 496 "
                                                    "0000"}, expected_status=302)
    (message,) = _messages(db_session)
    assert message.status is MessageStatus.DELIVERED and message.held_reason is None
    assert [m.to for m in outbox] == [person.user.email]
    assert "1 new" in as_person.get("/me/").get_text()
    assert _thread(application) in {a["href"] for a in as_person.get(
        f"/me/applications/{application.id}").select("a")}
    assert "start on Monday" in as_person.get(_thread(application)).get_text()
    assert "none new" in as_person.get("/me/").get_text()
    as_person.post(_thread(application), {"body": "Yes please"}, expected_status=302)
    assert _messages(db_session)[-1].status is MessageStatus.DELIVERED
    assert outbox[-1].to == employer.email


def test_bad_messages_are_refused_and_nothing_is_stored(app, db_session, pel, application):
    as_pel = PageClient(app.test_client(user=pel))
    for body, error in (("", "Enter your message"), ("   ", "Enter your message"),
                        ("x" * 2001, "2,000 characters or fewer"),
                        ("a\x00b", "Remove the unusual characters")):
        response = as_pel.post(_thread(application), {"body": body}, expected_status=200)
        assert error in response.get_data(as_text=True)
    assert _messages(db_session) == []


def test_no_messages_before_the_application_is_put_to_the_employer(app, db_session, pel,
                                                                   employer):
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    nomination = factories.application(factories.opportunity(employer.organisation), person,
                                       status=ApplicationStatus.NOMINATED,
                                       source=ApplicationSource.NOMINATED, nominated_by=pel)
    for user in (pel, employer):
        assert app.test_client(user=user).get(_thread(nomination)).status_code == 404


def test_other_people_cannot_read_or_decide(app, db_session, pel, employer, application):
    PageClient(app.test_client(user=pel)).post(_thread(application), {"body": "Hello"},
                                               expected_status=302)
    (message,) = _messages(db_session)
    outsiders = [factories.user(Role.PEL, prison=factories.prison("WDI")),
                 factories.user(Role.EMPLOYER), factories.candidate().user]
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for user in outsiders:
            client = app.test_client(user=user)
            assert client.get(_thread(application)).status_code == 404
            assert client.post(_thread(application), data={"body": "x"}).status_code == 404
        other_pel = app.test_client(user=outsiders[0])
        assert other_pel.post(f"/prison/messages/{message.id}/approve",
                              data={"confirm": "yes"}).status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert message.status is MessageStatus.WAITING


def test_employer_message_pages_do_not_depend_on_conviction_data(app, db_session, pel,
                                                                 employer):
    """Two people alike in everything but their records: the employer's pages read the same."""
    opportunity = factories.opportunity(employer.organisation)
    people = [factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                  last_name="Alike", prison_number=f"B000{n}CD")
              for n in range(2)]
    factories.conviction(people[1], actor=pel)
    applications = [factories.application(opportunity, p) for p in people]
    as_pel = PageClient(app.test_client(user=pel))
    for a in applications:
        as_pel.post(_thread(a), {"body": "When would I start?"}, expected_status=302)
    for m in _messages(db_session):
        as_pel.post(f"/prison/messages/{m.id}/approve", {"confirm": "yes"},
                    expected_status=302)
    as_employer = app.test_client(user=employer)

    def page(a):
        html = as_employer.get(_thread(a)).get_data(as_text=True)
        html = html.replace(f"/applications/{a.id}", "/applications/ID")
        html = re.sub(r'nonce="[^"]+"', "", html)
        return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", html)

    first, second = page(applications[0]), page(applications[1])
    assert "When would I start?" in first
    assert first == second
