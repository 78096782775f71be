"""Every kind of notice, caused the way the product causes it, reaches a real SMTP server
(aiosmtpd on a loopback port) as an email with one link: nothing in the list is only a notice."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from marketplace import clock, journey, notify
from marketplace.admin import services as admin_services
from marketplace.bonds import services as bonds
from marketplace.custody import messages, people
from marketplace.extensions import db
from marketplace.models import Notification, User
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    OffenceCategory,
    OrganisationStatus,
    Role,
)
from tests import factories


@pytest.fixture()
def inbox(app, db_session, smtp_server, monkeypatch):
    inbox, port = smtp_server()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SMTP_URL", f"smtp://127.0.0.1:{port}")
    return inbox


def _every_event(employer, person, pel, hire):
    """Causes one of each kind of notice, through the same calls the pages make."""
    org = employer.organisation
    role = factories.opportunity(org, title="Warehouse operative")
    application = journey.apply(person, role, actor=person.user)            # received
    messages.write(application, author=employer, body="When can you start?")  # message
    journey.shortlist(application, actor=employer)
    interview = journey.book_interview(application, actor=employer,              # interview
                                       when=clock.utc_now() + dt.timedelta(days=2),
                                       location="Unit 4, Leeds")
    with clock.frozen(interview.scheduled_at + dt.timedelta(hours=1)):
        journey.record_interview(interview, actor=employer, attended=True)
    journey.make_conditional_offer(application, actor=employer)                 # offer
    journey.move_to_disclosure(application, actor=employer)
    journey.withdraw_offer(application, actor=employer, reason="The role handles cash")

    inside = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    custody_role = factories.opportunity(org, title="Kitchen porter", accepts_in_custody=True)
    nominated = journey.nominate(inside, custody_role, pel=pel)
    journey.respond_to_nomination(nominated, actor=pel, accept=True)
    journey.shortlist(nominated, actor=employer)
    journey.book_interview(nominated, actor=employer, location="Leeds",         # day release
                           when=clock.utc_now() + dt.timedelta(days=5))
    # Nominated in custody, released before answering: now theirs to answer.
    leaving = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    journey.nominate(leaving, factories.opportunity(org, title="Driver's mate",
                                                      accepts_in_custody=True), pel=pel)
    code = people.release(leaving, pel=pel, released_on=clock.uk_today(),
                          status=CandidateStatus.ON_LICENCE)
    people.hand_over(people.open_claim(code), factories.user(Role.CANDIDATE))   # nomination

    started = factories.application(factories.opportunity(org, title="Picker"),
                                    status=ApplicationStatus.OFFER_CONFIRMED)
    journey.start(started, actor=employer, started_on=clock.uk_today() - dt.timedelta(weeks=14))
    notify.check_ins_due()                                                      # check-in

    bond = bonds.choose(hire, bonds.add_product(
        provider="Unlock Bonds", cover_pence=500_000, term_months=6, premium_pence=6_000,
        terms="Cover for dishonesty.", actor=None), actor=employer)
    bonds.pay_by_invoice(bond.id, actor=employer)
    bonds.mark_invoice_paid(bond.id, actor=factories.user(Role.ADMIN))           # bond active


def test_every_kind_of_notice_is_emailed_through_smtp(app, inbox, monkeypatch):
    pending = factories.organisation(status=OrganisationStatus.PENDING, decided_at=None)
    employer = factories.user(Role.EMPLOYER, organisation=pending)
    person, pel = factories.candidate(), factories.user(Role.PEL)
    with app.test_request_context():
        admin_services.decide(pending, admin=factories.user(Role.ADMIN), approve=True,
                              reason=None)                                      # approved
        hire = factories.application(factories.opportunity(pending, bond_backed=True),
                                     status=ApplicationStatus.OFFER_CONFIRMED)
        _every_event(employer, person, pel, hire)
        _a_refused_card(app, hire, employer, monkeypatch)                       # bond failed

    notices = list(db.session.scalars(sa.select(Notification).order_by(Notification.id)))
    assert {n.kind for n in notices} == {kind.value for kind in notify.Kind}
    emails = {(m["To"], m["Subject"]) for m in inbox.messages}
    for notice in notices:
        user = db.session.get(User, notice.user_id)
        assert any(to == user.email for to, _ in emails), notice.kind
    assert len(inbox.messages) == len(notices)  # one email a notice, none without one
    for message in inbox.messages:
        body = message.get_payload(decode=True).decode()
        assert body.count("See it here: http") == 1, message["Subject"]


def _a_refused_card(app, hire, employer, monkeypatch):
    """Stripe tells us a card payment failed (a signed payment_intent.payment_failed event);
    the signature is checked for real, with a secret set for this test."""
    import hashlib
    import hmac
    import time

    secret = "whsec_notice_test"
    for name, value in (("STRIPE_SECRET_KEY", "sk_test_nobody"),
                        ("STRIPE_PUBLISHABLE_KEY", "pk_test_nobody"),
                        ("STRIPE_WEBHOOK_SECRET", secret),
                        ("STRIPE_API_BASE", "http://127.0.0.1:9")):
        monkeypatch.setitem(app.config, name, value)
    org = employer.organisation
    other = factories.application(factories.opportunity(org, title="Cashier", bond_backed=True),
                                  status=ApplicationStatus.OFFER_CONFIRMED)
    bond = bonds.choose(other, bonds.products()[0], actor=employer)
    payload = json.dumps({"id": "evt_failed", "object": "event",
                          "type": "payment_intent.payment_failed", "data": {"object": {
                              "id": "pi_failed", "object": "payment_intent",
                              "amount": bond.premium_pence, "currency": "gbp",
                              "last_payment_error": {"message": "Your card was declined."},
                              "metadata": {"bond_id": str(bond.id),
                                           "attempt": str(bond.attempt)}}}})
    at = int(time.time())
    mac = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
    assert bonds.handle_webhook(payload.encode(), f"t={at},v1={mac}") \
        == f"bond {bond.id} payment failed"


def test_a_message_notice_is_the_same_whatever_the_persons_record(app, inbox):
    """Two people who differ only in their records write to the same employer: the
    employer's notices and emails read the same."""
    employer = factories.user(Role.EMPLOYER)
    role = factories.opportunity(employer.organisation, title="Cleaner")
    clean, convicted = factories.candidate(), factories.candidate()
    factories.conviction(convicted, actor=convicted.user, offence="Arson",
                         category=OffenceCategory.ARSON)
    with app.test_request_context():
        for person in (clean, convicted):
            application = journey.apply(person, role, actor=person.user)
            messages.write(application, author=person.user, body="Is there parking?")
    texts = [n.wording for n in notify.latest(employer) if n.kind == "message_waiting"]
    assert texts == ["You have a new message about Cleaner. Read it and reply."] * 2
    subjects = [m["Subject"] for m in inbox.messages if m["To"] == employer.email]
    assert subjects.count("New message about Cleaner") == 2
    assert not any("Arson" in m.as_string() for m in inbox.messages)


def test_no_email_goes_to_an_address_nobody_has_confirmed(app, inbox):
    """A released person types their address when they claim their account; until they
    confirm it, what waits for them is in their list only (a mistyped address must not learn
    that someone has a prison employment lead)."""
    pel = factories.user(Role.PEL)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    role = factories.opportunity(title="Dish washer", accepts_in_custody=True)
    unconfirmed = factories.user(Role.CANDIDATE, email_confirmed_at=None)
    with app.test_request_context():
        journey.nominate(person, role, pel=pel)
        code = people.release(person, pel=pel, released_on=clock.uk_today(),
                              status=CandidateStatus.RELEASED)
        people.hand_over(people.open_claim(code), unconfirmed)
    assert [n.wording for n in notify.latest(unconfirmed)] == [
        "Your employment lead has put you forward for Dish washer. Say if you want to go ahead."]
    assert inbox.messages == []
