"""Checked messages (issue 13; the seeds' Virtual Campus: "secure, checked electronic messages").

A person and an employer write to each other about one application, once it has been put to
the employer (permissions.applications_visible_to: they applied, or agreed to a nomination).
While the person is in custody every message, either way, waits in their PEL's queue: the PEL
approves it (only then does it reach the other side), returns it to the writer with a reason,
or rejects it. A message holding outside contact details (contact.py) is held with the reason
and cannot be approved as it is. After release, messages go straight through.

Every message and decision is kept. Each side sees what reached it, and its own messages with
what became of them; the PEL sees everything about people in their prison.

What an employer sees here never depends on conviction data: messages are read and written
by application, and nothing below reads a record.
"""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import audit, clock, notify, permissions
from marketplace.custody import CustodyError, contact
from marketplace.extensions import db
from marketplace.models import Application, Candidate, Message, Opportunity, User
from marketplace.types import CandidateStatus, MessageDirection, MessageStatus, Role

MAX_LENGTH = 2000
_REACHED = (MessageStatus.APPROVED, MessageStatus.DELIVERED)


def put_to_employer(application: Application) -> bool:
    """Whether the employer may see the application at all: the one rule for that."""
    return bool(db.session.scalar(sa.select(
        sa.select(Application.id).where(
            Application.id == application.id,
            permissions.applications_visible_to(application.opportunity.organisation_id))
        .exists())))


def checked(application: Application) -> bool:
    """Messages about this application go through the PEL while the person is in custody."""
    return application.candidate.status is CandidateStatus.IN_CUSTODY


def can_write(user: User, application: Application) -> bool:
    """The employer's members; the person themselves; their current prison's PEL (typing it
    with them). Only once the application has been put to the employer."""
    if not put_to_employer(application):
        return False
    if user.role is Role.EMPLOYER:
        return permissions.can_manage_application(user, application)
    if user.role is Role.PEL:
        return permissions.in_pels_prison(user, application.candidate)
    return user.role is Role.CANDIDATE and application.candidate.user_id == user.id


def can_read(user: User, application: Application) -> bool:
    """Who may open the thread: those who may write, and the releasing prison's PEL for 12
    months after release (read only)."""
    if can_write(user, application):
        return True
    return (user.role is Role.PEL and put_to_employer(application)
            and permissions.can_read_as_pel(user, application.candidate))


def write(application: Application, *, author: User, body: str) -> Message:
    """Send a message (it waits for the PEL's check while the person is in custody). Raises
    CustodyError, storing nothing, if the author may not write or the text is empty or long."""
    body = body.strip()
    if not body:
        raise CustodyError("Enter your message")
    if len(body) > MAX_LENGTH:
        raise CustodyError(f"Your message must be {MAX_LENGTH:,} characters or fewer")
    if not can_write(author, application):
        raise CustodyError("You cannot send messages about this application.")
    direction = (MessageDirection.TO_CANDIDATE if author.role is Role.EMPLOYER
                 else MessageDirection.TO_EMPLOYER)
    message = Message(application_id=application.id, direction=direction, body=body,
                      written_by_id=author.id)
    if checked(application):
        message.status = MessageStatus.WAITING
        message.held_reason = contact.reason(body)
    else:
        message.status = MessageStatus.DELIVERED
    db.session.add(message)
    db.session.flush()
    audit.record("message.written", actor=author, candidate=application.candidate,
                 subject=application, direction=direction.value, status=message.status.value)
    if message.status is MessageStatus.DELIVERED:
        notify.message_waiting(message)
    return message


def _decide(message: Message, pel: User, status: MessageStatus, reason: str | None) -> None:
    if not permissions.in_pels_prison(pel, message.application.candidate):
        raise CustodyError("You can only check messages for people in your own prison.")
    db.session.refresh(message, with_for_update=True)  # two PELs deciding at once: one wins
    if message.status is not MessageStatus.WAITING:
        raise CustodyError(f"This message has already been decided ({message.status.label}).")
    message.status = status
    message.decided_by_id = pel.id
    message.decided_at = clock.utc_now()
    message.decision_reason = reason
    db.session.flush()
    audit.record(f"message.{status.value}", actor=pel, candidate=message.application.candidate,
                 subject=message.application, reason=reason)


def approve(message: Message, *, pel: User) -> None:
    """Pass it on. A message holding contact details cannot be approved as it is."""
    if message.held_reason:
        raise CustodyError("This message has contact details in it, so it cannot be sent. "
                           "Return it with a reason, or reject it.")
    _decide(message, pel, MessageStatus.APPROVED, None)
    notify.message_waiting(message)


def refuse(message: Message, *, pel: User, returned: bool, reason: str) -> None:
    """Return it to the writer to change (`returned`), or reject it; a reason either way."""
    reason = reason.strip()
    if not reason:
        raise CustodyError("Enter the reason" + (" for returning it" if returned
                                                 else " for rejecting it"))
    if len(reason) > 500:
        raise CustodyError("The reason must be 500 characters or fewer")
    _decide(message, pel, MessageStatus.RETURNED if returned else MessageStatus.REJECTED,
            reason)


# --- reading ------------------------------------------------------------------------------------


def _visible_to(user: User):
    """Which of a thread's messages the user sees, as a WHERE clause over Message."""
    if user.role is Role.PEL:
        return sa.true()
    reaches = MessageDirection.TO_EMPLOYER if user.role is Role.EMPLOYER \
        else MessageDirection.TO_CANDIDATE
    return sa.or_(sa.and_(Message.direction == reaches, Message.status.in_(_REACHED)),
                  Message.direction != reaches)  # their own side's, whatever became of them


def thread(application: Application, *, reader: User) -> list[Message]:
    """The messages `reader` may see, oldest first; those that reached them are marked read."""
    messages = list(db.session.scalars(
        sa.select(Message).where(Message.application_id == application.id, _visible_to(reader))
        .options(selectinload(Message.written_by), selectinload(Message.decided_by))
        .order_by(Message.created_at, Message.id)))
    if reader.role in (Role.EMPLOYER, Role.CANDIDATE):
        reaches = MessageDirection.TO_EMPLOYER if reader.role is Role.EMPLOYER \
            else MessageDirection.TO_CANDIDATE
        now = clock.utc_now()
        for message in messages:
            if message.direction is reaches and message.read_at is None:
                message.read_at = now
        db.session.flush()
    return messages


def _unread_clause(user: User):
    if user.role is Role.EMPLOYER and user.organisation_id is not None:
        return sa.and_(Message.direction == MessageDirection.TO_EMPLOYER,
                       permissions.applications_visible_to(user.organisation_id))
    if user.role is Role.CANDIDATE:
        return sa.and_(Message.direction == MessageDirection.TO_CANDIDATE,
                       Application.candidate.has(Candidate.user_id == user.id))
    return sa.false()


def unread_count(user: User) -> int:
    """Messages that reached the user's side and nobody there has opened."""
    return db.session.scalar(
        sa.select(sa.func.count(Message.id)).join(Application)
        .where(Message.status.in_(_REACHED), Message.read_at.is_(None),
               _unread_clause(user))) or 0


def inbox(user: User) -> list[tuple[Application, int, int]]:
    """The applications the user has messages about, each with how many messages they see and
    how many are unread, most recent first. Employers: their organisation's applications put to
    them; candidates: their own."""
    if user.role is Role.EMPLOYER and user.organisation_id is not None:
        scope = permissions.applications_visible_to(user.organisation_id)
        reaches = MessageDirection.TO_EMPLOYER
    elif user.role is Role.CANDIDATE:
        scope = Application.candidate.has(Candidate.user_id == user.id)
        reaches = MessageDirection.TO_CANDIDATE
    else:
        return []
    unread = sa.func.sum(sa.case((sa.and_(Message.direction == reaches,
                                          Message.status.in_(_REACHED),
                                          Message.read_at.is_(None)), 1), else_=0))
    rows = db.session.execute(
        sa.select(Application, sa.func.count(Message.id), unread,
                  sa.func.max(Message.created_at).label("latest"))
        .join(Message, Message.application_id == Application.id)
        .where(scope, _visible_to(user))
        .options(selectinload(Application.opportunity).selectinload(Opportunity.organisation),
                 selectinload(Application.candidate))
        .group_by(Application.id)
        .order_by(sa.desc("latest"), Application.id.desc()))
    return [(a, total, int(unseen or 0)) for a, total, unseen, _ in rows]


def queue(pel: User) -> list[Message]:
    """Messages waiting for the PEL's check, for people now in their prison, oldest first (a
    transferred person's waiting messages move to the new prison's queue with them)."""
    return list(db.session.scalars(
        sa.select(Message).join(Application).join(Candidate)
        .where(Message.status == MessageStatus.WAITING,
               permissions.candidates_in_prison_of(pel))
        .options(selectinload(Message.application).selectinload(Application.candidate),
                 selectinload(Message.application).selectinload(Application.opportunity)
                 .selectinload(Opportunity.organisation),
                 selectinload(Message.written_by))
        .order_by(Message.created_at, Message.id)))


def message_for_pel(pel: User, message_id: int) -> Message | None:
    """A message about someone in the PEL's prison; None for any other (the view 404s)."""
    found = db.session.get(Message, message_id)
    return (found if found is not None
            and permissions.in_pels_prison(pel, found.application.candidate) else None)


def for_person(candidate: Candidate) -> list[Message]:
    """Every message about the person's applications, newest first (the PEL's history)."""
    return list(db.session.scalars(
        sa.select(Message).join(Application).where(Application.candidate_id == candidate.id)
        .options(selectinload(Message.application).selectinload(Application.opportunity))
        .order_by(Message.created_at.desc(), Message.id.desc())))
