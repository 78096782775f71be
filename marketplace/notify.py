"""Telling people when something needs them: a notice in their list and, unless they turned
that kind off, an email with one link to the page. The one place that writes notices.

Rules every notice keeps:
- plain English, one action, a link to the page where it is done;
- nothing about anyone's criminal record, in any notice or email, to anyone;
- people in custody get none: they have no email or sign-in, and their PEL's pages show
  what waits for them (the day release notice goes to the PEL instead);
- no email goes to an address not yet confirmed (the notice waits in the list);
- an email that cannot be sent never undoes what the person did: the notice stays in their
  list, and with Redis the email is retried in the background (jobs.py).
"""

import contextlib
import contextvars
import enum
import logging

import sqlalchemy as sa
from flask import current_app, has_request_context, request, url_for
from sqlalchemy.exc import IntegrityError

from marketplace import clock, jobs, mail
from marketplace.extensions import db
from marketplace.models import (
    Application,
    Bond,
    CheckIn,
    Interview,
    Message,
    MutedEmail,
    Notification,
    Organisation,
    Placement,
    User,
)
from marketplace.types import CandidateStatus, MessageDirection, Role

log = logging.getLogger("marketplace.notify")
_emails_paused = contextvars.ContextVar("emails_paused", default=False)


@contextlib.contextmanager
def no_emails():
    """Notices are still made, but nobody is emailed: for building the demo data, whose
    addresses are made up."""
    token = _emails_paused.set(True)
    try:
        yield
    finally:
        _emails_paused.reset(token)


class Kind(enum.StrEnum):
    APPLICATION_RECEIVED = "application_received"
    NOMINATION = "nomination"
    INTERVIEW_BOOKED = "interview_booked"
    DAY_RELEASE_NEEDED = "day_release_needed"
    OFFER = "offer"
    WITHDRAWAL_PLANNED = "withdrawal_planned"
    CHECK_IN_DUE = "check_in_due"
    EMPLOYER_APPROVED = "employer_approved"
    MESSAGE_WAITING = "message_waiting"
    BOND_ACTIVATED = "bond_activated"
    BOND_PAYMENT_FAILED = "bond_payment_failed"

    @property
    def label(self) -> str:
        """For the settings page: "Email me when ..."."""
        return {
            "application_received": "someone applies for one of our jobs",
            "nomination": "my employment lead puts me forward for a job",
            "interview_booked": "an interview is booked for me",
            "day_release_needed": "someone in my prison needs day release for an interview",
            "offer": "I am offered a job",
            "withdrawal_planned": "an employer plans to withdraw an offer they made me",
            "check_in_due": "it is time to check in with someone who started with us",
            "employer_approved": "our organisation is approved",
            "message_waiting": "a message is waiting for me",
            "bond_activated": "fidelity bond cover we paid for starts",
            "bond_payment_failed": "a payment for fidelity bond cover does not go through",
        }[self.value]


# Which kinds each role can get, for the settings page.
KINDS_FOR = {
    Role.EMPLOYER: [Kind.APPLICATION_RECEIVED, Kind.MESSAGE_WAITING, Kind.CHECK_IN_DUE,
                    Kind.BOND_ACTIVATED, Kind.BOND_PAYMENT_FAILED, Kind.EMPLOYER_APPROVED],
    Role.CANDIDATE: [Kind.NOMINATION, Kind.INTERVIEW_BOOKED, Kind.MESSAGE_WAITING, Kind.OFFER,
                     Kind.WITHDRAWAL_PLANNED],
    Role.PEL: [Kind.DAY_RELEASE_NEEDED],
    Role.ADMIN: [],
}


def _addressed():
    """Links are built from the request being served; a background job has none, so it
    builds them as if served at the first trusted host (production requires one)."""
    if has_request_context():
        return contextlib.nullcontext()
    hosts = current_app.config.get("TRUSTED_HOSTS") or []
    return current_app.test_request_context(
        base_url=f"https://{hosts[0]}" if hosts else "http://127.0.0.1:5000")


def _absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


def _send(users: list[User], kind: Kind, text: str, link: tuple[str, dict], *,
          key: str | None = None, subject: str | None = None) -> list[Notification]:
    """Notices `text` to each of `users`, linking to the page `link` (an endpoint and its
    values), and emails those who have not turned this kind off."""
    if not users:
        return []
    with _addressed():
        path = url_for(link[0], **link[1])
        return _notify(users, kind, text, path, key=key, subject=subject)


def _notify(users: list[User], kind: Kind, text: str, path: str, *, key: str | None,
            subject: str | None) -> list[Notification]:
    sent = []
    for user in users:
        if not user.is_active_account:
            continue
        if key is not None and db.session.scalar(sa.select(Notification.id).where(
                Notification.user_id == user.id, Notification.key == key)):
            continue  # already told (a daily job run again, or retried)
        notice = Notification(user_id=user.id, kind=kind.value, wording=text, url=path, key=key)
        try:
            with db.session.begin_nested():
                db.session.add(notice)
        except IntegrityError:  # told a moment ago by another run: the constraint decides
            continue
        sent.append(notice)
        if _emails_paused.get() or kind.value in muted(user) or user.email_confirmed_at is None:
            # An address nobody has proved they read may be mistyped: an email there could
            # tell a stranger that someone has a prison employment lead.
            continue
        body = (f"{text}\n\nSee it here: {_absolute(path)}\n\nTo choose which emails you get: "
                f"{_absolute(url_for('notifications.settings'))}\n")
        try:
            mail.send(user.email, subject or text, body)
        except mail.MailNotSent:
            log.warning("Notification email (%s) not sent; the notice is in their list.",
                        kind.value)
    return sent


def _members(organisation: Organisation) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(
        User.organisation_id == organisation.id, User.role == Role.EMPLOYER)))


def _pels(prison_id: int | None) -> list[User]:
    if prison_id is None:
        return []
    return list(db.session.scalars(sa.select(User).where(User.prison_id == prison_id,
                                                         User.role == Role.PEL)))


def _person(application: Application) -> list[User]:
    """The person the application is for, if they can be told: not in custody, with an
    account."""
    candidate = application.candidate
    if candidate.status is CandidateStatus.IN_CUSTODY or candidate.user is None:
        return []
    return [candidate.user]


# --- events -----------------------------------------------------------------------------
def application_received(application: Application) -> None:
    """The employer may now see it (permissions.applications_visible_to): applied, or a
    nomination the person agreed to. The notice names the role, not the person."""
    role = application.opportunity
    _send(_members(role.organisation), Kind.APPLICATION_RECEIVED,
          f"New application for {role.title}.",
          ("employers.application", {"application_id": application.id}),
          key=f"application:{application.id}")


def nominated(application: Application) -> None:
    _send(_person(application), Kind.NOMINATION,
          f"Your employment lead has put you forward for {application.opportunity.title}. "
          "Say if you want to go ahead.",
          ("candidates.application", {"application_id": application.id}))


def interview_booked(interview: Interview) -> None:
    application = interview.application
    when = interview.scheduled_at.astimezone(clock.UK)
    day = f"{when.day} {when:%B %Y} at {when:%H:%M}"
    title = application.opportunity.title
    if application.candidate.status is CandidateStatus.IN_CUSTODY:
        candidate = application.candidate
        _send(_pels(candidate.prison_id), Kind.DAY_RELEASE_NEEDED,
              f"{candidate.first_name} {candidate.last_name} needs day release for an "
              f"interview for {title} on {day}. Please decide.",
              ("prisons.person", {"candidate_id": candidate.id}),
              subject="Day release needed for an interview")
        return
    _send(_person(application), Kind.INTERVIEW_BOOKED,
          f"You have an interview for {title} on {day}, at {interview.location}.",
          ("candidates.application", {"application_id": application.id}),
          subject=f"Interview for {title}")


def offer_made(application: Application) -> None:
    _send(_person(application), Kind.OFFER,
          f"You have been offered the job: {application.opportunity.title}. The offer depends "
          "on the next steps. See what happens next.",
          ("candidates.application", {"application_id": application.id}),
          subject=f"Job offer: {application.opportunity.title}")


def withdrawal_planned(application: Application, until) -> None:
    _send(_person(application), Kind.WITHDRAWAL_PLANNED,
          f"The employer plans to withdraw their offer for {application.opportunity.title}. "
          f"You can reply until {_day(until)}.",
          ("candidates.application", {"application_id": application.id}),
          subject="An employer plans to withdraw an offer")


def employer_approved(organisation: Organisation) -> None:
    _send(_members(organisation), Kind.EMPLOYER_APPROVED,
          f"{organisation.name} is approved. You can now post jobs.",
          ("employers.dashboard", {}), key=f"approved:{organisation.id}")


def message_waiting(message: Message) -> None:
    """A message has reached its reader's side: the employer's members, or the person (someone
    in custody has no email or sign-in: their PEL passes it on). Says which role, never what
    the message says."""
    application = message.application
    title = application.opportunity.title
    users = _members(application.opportunity.organisation) \
        if message.direction is MessageDirection.TO_EMPLOYER else _person(application)
    _send(users, Kind.MESSAGE_WAITING, f"You have a new message about {title}. Read it and "
          "reply.", ("messages.thread", {"application_id": application.id}),
          key=f"message:{message.id}", subject=f"New message about {title}")


def bond_activated(bond: Bond, title: str) -> None:
    _send(_members(bond.organisation), Kind.BOND_ACTIVATED,
          f"Fidelity bond cover for {title} is active from {_day(bond.starts_on)} to "
          f"{_day(bond.ends_on)}. You can print the certificate.",
          ("bonds.detail", {"bond_id": bond.id}), key=f"bond_active:{bond.id}",
          subject=f"Fidelity bond cover for {title} is active")


def bond_payment_failed(bond: Bond, title: str) -> None:
    _send(_members(bond.organisation), Kind.BOND_PAYMENT_FAILED,
          f"The payment for fidelity bond cover for {title} did not go through. Try again "
          "or pay by invoice.", ("bonds.detail", {"bond_id": bond.id}),
          key=f"bond_failed:{bond.id}:{bond.attempt}",
          subject=f"Payment for fidelity bond cover for {title} did not go through")


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


@jobs.daily
def check_ins_due() -> int:
    """Tells employers about check-ins due today or overdue, once each. Returns how many
    notices it made."""
    today = clock.uk_today()
    due = db.session.scalars(sa.select(CheckIn).join(Placement).where(
        CheckIn.due_on <= today, CheckIn.outcome.is_(None)))
    made = 0
    for check_in in due:
        application = check_in.placement.application
        made += len(_send(
            _members(application.opportunity.organisation), Kind.CHECK_IN_DUE,
            f"A check-in is due for someone who started as {application.opportunity.title}.",
            ("employers.check_in", {"check_in_id": check_in.id}),
            key=f"check_in:{check_in.id}"))
    return made


# --- the person's list ------------------------------------------------------------------
def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def latest(user: User, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(user: User) -> None:
    db.session.execute(sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(
        read_at=clock.utc_now()))


def muted(user: User) -> set[str]:
    """The kinds of notice this person gets no email for."""
    return set(db.session.scalars(sa.select(MutedEmail.kind).where(MutedEmail.user_id == user.id)))


def set_muted(user: User, kinds: set[Kind]) -> None:
    wanted = {k.value for k in kinds & set(KINDS_FOR[user.role])}
    db.session.execute(sa.delete(MutedEmail).where(MutedEmail.user_id == user.id))
    db.session.add_all(MutedEmail(user_id=user.id, kind=kind) for kind in sorted(wanted))
    db.session.flush()
