"""Notices and emails for what needs a person: who is told, in what words, and what is never
said or sent."""

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace import clock, journey, mail, notify
from marketplace.admin import services as admin_services
from marketplace.models import Notification
from marketplace.types import CandidateStatus, OffenceCategory, OrganisationStatus, Role
from tests import factories
from tests.smtp import free_port


@pytest.fixture()
def employer(db_session):
    mail.outbox.clear()
    return factories.user(Role.EMPLOYER)


def _notices(user) -> list[str]:
    return [n.wording for n in notify.latest(user)]


def _mail_to(user) -> list[mail.Message]:
    return [m for m in mail.outbox if m.to == user.email]


def test_an_application_tells_the_employer_once_with_a_link(app, employer):
    colleague = factories.user(Role.EMPLOYER, organisation=employer.organisation)
    person = factories.candidate()
    role = factories.opportunity(employer.organisation, title="Forklift driver")
    with app.test_request_context():
        application = journey.apply(person, role, actor=person.user)
    for user in (employer, colleague):
        assert _notices(user) == ["New application for Forklift driver."]
        [email] = _mail_to(user)
        assert email.subject == "New application for Forklift driver."
        assert f"/employer/applications/{application.id}" in email.body
        assert "/notifications/settings" in email.body
    assert _notices(person.user) == [] and _mail_to(person.user) == []


def test_the_employer_is_told_the_same_whatever_the_record(app, employer):
    """Two people who differ only in their records: the employer's notices are the same."""
    role = factories.opportunity(employer.organisation, title="Cleaner")
    clean, convicted = factories.candidate(), factories.candidate()
    factories.conviction(convicted, actor=convicted.user, offence="Arson",
                         category=OffenceCategory.ARSON)
    with app.test_request_context():
        journey.apply(clean, role, actor=clean.user)
        journey.apply(convicted, role, actor=convicted.user)
    texts = _notices(employer)
    assert texts == ["New application for Cleaner."] * 2
    assert not any("Arson" in m.body for m in mail.outbox)


def test_people_in_custody_get_nothing_and_their_pel_is_asked_about_day_release(app,
                                                                              employer):
    pel = factories.user(Role.PEL)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 first_name="Dale", last_name="Ormerod")
    role = factories.opportunity(employer.organisation, title="Kitchen porter",
                                accepts_in_custody=True)
    with app.test_request_context():
        application = journey.nominate(person, role, pel=pel)
        assert _notices(employer) == []  # nothing until the person agrees
        journey.respond_to_nomination(application, actor=pel, accept=True)
        assert _notices(employer) == ["New application for Kitchen porter."]
        journey.shortlist(application, actor=employer)
        when = clock.utc_now() + dt.timedelta(days=5)
        journey.book_interview(application, actor=employer, when=when, location="Leeds")
    [notice] = _notices(pel)
    assert notice.startswith("Dale Ormerod needs day release for an interview for Kitchen "
                             "porter on ")
    # One notice to the employer, one to the PEL, none to the person (who has no account).
    from marketplace.extensions import db

    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 2


def test_the_person_hears_of_their_interview_and_offer(app, employer):
    person = factories.candidate()
    role = factories.opportunity(employer.organisation, title="Driver's mate")
    with app.test_request_context():
        application = journey.apply(person, role, actor=person.user)
        journey.shortlist(application, actor=employer)
        interview = journey.book_interview(application, actor=employer,
                                           when=clock.utc_now() + dt.timedelta(days=2),
                                           location="Unit 4, Leeds")
        with clock.frozen(interview.scheduled_at + dt.timedelta(hours=1)):
            journey.record_interview(interview, actor=employer, attended=True)
        journey.make_conditional_offer(application, actor=employer)
    texts = _notices(person.user)
    assert texts[0].startswith("You have been offered the job: Driver's mate.")
    assert texts[1].startswith("You have an interview for Driver's mate on ")
    assert texts[1].endswith("at Unit 4, Leeds.")
    assert [m.subject for m in _mail_to(person.user)] == ["Interview for Driver's mate",
                                                           "Job offer: Driver's mate"]


def test_a_muted_kind_is_listed_but_not_emailed(app, employer):
    notify.set_muted(employer, {notify.Kind.APPLICATION_RECEIVED, notify.Kind.OFFER})
    assert notify.muted(employer) == {"application_received"}  # offers are not theirs to mute
    person = factories.candidate()
    with app.test_request_context():
        journey.apply(person, factories.opportunity(employer.organisation), actor=person.user)
    assert len(_notices(employer)) == 1 and _mail_to(employer) == []


def test_mail_that_cannot_be_sent_does_not_undo_the_application(app, employer, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    person = factories.candidate()
    with app.test_request_context():
        application = journey.apply(person, factories.opportunity(employer.organisation),
                                    actor=person.user)
    assert application.id and len(_notices(employer)) == 1


def test_approval_tells_the_organisation(app, db_session):
    mail.outbox.clear()
    org = factories.organisation(status=OrganisationStatus.PENDING, decided_at=None)
    member = factories.user(Role.EMPLOYER, organisation=org)
    with app.test_request_context():
        admin_services.decide(org, admin=factories.user(Role.ADMIN), approve=True, reason=None)
    assert _notices(member) == [f"{org.name} is approved. You can now post jobs."]


def test_check_ins_due_are_told_once_however_often_the_daily_job_runs(app, employer):
    application = factories.application(factories.opportunity(employer.organisation,
                                                              title="Picker"))
    with app.test_request_context():
        journey.shortlist(application, actor=employer)
    from marketplace.types import ApplicationStatus

    application.status = ApplicationStatus.OFFER_CONFIRMED
    journey.start(application, actor=employer,
                  started_on=clock.uk_today() - dt.timedelta(weeks=14))
    # The job runs with no request, as the worker runs it.
    assert notify.check_ins_due() == 1
    assert notify.check_ins_due() == 0
    [notice] = notify.latest(employer)
    assert notice.wording == "A check-in is due for someone who started as Picker."
    [email] = [m for m in _mail_to(employer) if "check-in" in m.subject]
    assert "http://127.0.0.1:5000/employer/check-ins/" in email.body


def test_the_notifications_page_marks_them_read_and_the_menu_counts_them(app, employer):
    person = factories.candidate()
    with app.test_request_context():
        journey.apply(person, factories.opportunity(employer.organisation, title="Baker"),
                      actor=person.user)
    client = app.test_client(user=employer)
    assert "Notifications (1 new)" in client.get("/employer/").get_data(as_text=True)
    page = client.get("/notifications").get_data(as_text=True)
    assert "New application for Baker." in page and "New</strong>" in page
    assert notify.unread_count(employer) == 0
    assert "Notifications (1 new)" not in client.get("/employer/").get_data(as_text=True)


def test_email_choices_are_saved(app, employer):
    client = app.test_client(user=employer)
    assert client.get("/notifications/settings").status_code == 200
    response = client.post("/notifications/settings",
                           data={"emails": ["check_in_due"], "csrf_token": _token(client)})
    assert response.status_code == 302
    assert notify.muted(employer) == {kind.value for kind in notify.KINDS_FOR[Role.EMPLOYER]
                                      if kind is not notify.Kind.CHECK_IN_DUE}


def _token(client) -> str:
    import re

    page = client.get("/notifications/settings").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

