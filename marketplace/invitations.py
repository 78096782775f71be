"""Invitations to apply: an employer invites a person from a role's matched candidates, the
person sees who invited them and decides (issue 9, item 8).

Nothing about the person reaches the employer until they apply (journey.apply, with the usual
rules): the card stays anonymised and says only "Invited", whether the person has not answered,
said no thanks, cannot apply (an offence exclusion, a licence zone, a bar: they are told why,
privately, on the job page), or applied. What an employer sees must not depend on conviction
data (constraints.py), and an answer is the person's own business until they apply.

Each invitation writes an audit event the person can read on "Who has seen my details".
"""

import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace import audit, clock
from marketplace.disclosure import policy
from marketplace.extensions import db
from marketplace.matching import constraints
from marketplace.models import Application, Candidate, Invitation, Opportunity, User
from marketplace.types import InvitationStatus

# Invitations one role may send in a UK day. Enough for every card on two pages of matches;
# few enough that an employer picks people rather than inviting everyone the search returns
# (a flood of invitations would be noise to the people receiving them).
PER_ROLE_PER_DAY = 40
REF = re.compile(r"[0-9A-F]{12}")  # policy.candidate_ref's shape


class InvitationError(ValueError):
    """An invitation that cannot be sent or answered now; the message says why, in words for
    the person who tried."""


def candidate_for_ref(opportunity: Opportunity, ref: str) -> Candidate | None:
    """The person the role's employer knows by `ref` (the reference on their card), among the
    people employers may find at all; None for any other reference."""
    if not REF.fullmatch(ref):
        return None
    among = db.session.scalars(
        sa.select(Candidate.id)
        .where(constraints.visible_clause(Candidate))
        .order_by(Candidate.id))
    found = policy.candidate_with_ref(ref, organisation_id=opportunity.organisation_id,
                                      among=among)
    return db.session.get(Candidate, found) if found is not None else None


def _sent_today(opportunity: Opportunity) -> int:
    today = clock.uk_today()
    start = dt.datetime.combine(today, dt.time(), tzinfo=clock.UK)
    return db.session.scalar(
        sa.select(sa.func.count(Invitation.id))
        .where(Invitation.opportunity_id == opportunity.id, Invitation.created_at >= start))


def invite(opportunity: Opportunity, candidate: Candidate, *, actor: User) -> Invitation:
    """Invite `candidate` to apply for `opportunity`, or return the invitation already sent
    (one per person per role). The caller has checked permissions.can_invite_for; the person
    must be findable for the role (the rule that matched them, which reads no conviction
    records). Raises InvitationError when they are not, or when the role has sent its
    invitations for today."""
    existing = _existing(opportunity, candidate)
    if existing is not None:
        return existing
    if not constraints.findable(candidate, opportunity, today=clock.uk_today()).eligible:
        raise InvitationError("You cannot invite this person to apply for this role now.")
    if _sent_today(opportunity) >= PER_ROLE_PER_DAY:
        raise InvitationError(f"You have sent {PER_ROLE_PER_DAY} invitations for this role "
                              "today. You can send more tomorrow.")
    invitation = Invitation(organisation_id=opportunity.organisation_id, opportunity=opportunity,
                            candidate=candidate, invited_by_id=actor.id,
                            status=InvitationStatus.SENT)
    try:
        with db.session.begin_nested():
            db.session.add(invitation)
            db.session.flush()
    except IntegrityError:  # the same invitation sent a moment ago in another request
        existing = _existing(opportunity, candidate)
        if existing is None:
            raise
        return existing
    audit.record("invitation.sent", actor=actor, candidate=candidate, subject=invitation,
                 opportunity_id=opportunity.id)
    return invitation


def _existing(opportunity: Opportunity, candidate: Candidate) -> Invitation | None:
    return db.session.scalar(sa.select(Invitation).where(
        Invitation.opportunity_id == opportunity.id, Invitation.candidate_id == candidate.id))


def invited_refs(opportunity: Opportunity) -> set[str]:
    """The references (on the employer's cards) of everyone invited to apply for the role,
    whatever they did next: the employer sees only that they invited them."""
    ids = db.session.scalars(sa.select(Invitation.candidate_id)
                             .where(Invitation.opportunity_id == opportunity.id))
    return {policy.candidate_ref(i, organisation_id=opportunity.organisation_id) for i in ids}


def get(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)


def waiting_for(candidate: Candidate, *, today: dt.date | None = None) -> list[Invitation]:
    """The person's invitations still to answer, newest first: sent, for a role still open,
    that they have not applied or been nominated for since."""
    today = today or clock.uk_today()
    rows = db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.candidate_id == candidate.id,
               Invitation.status == InvitationStatus.SENT,
               ~sa.select(Application.id)
               .where(Application.candidate_id == Invitation.candidate_id,
                      Application.opportunity_id == Invitation.opportunity_id).exists())
        .options(selectinload(Invitation.opportunity).joinedload(Opportunity.organisation))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc()))
    return [i for i in rows if i.opportunity.organisation.approved
            and not constraints.is_open(i.opportunity, today)]


def waiting_for_role(candidate: Candidate, opportunity: Opportunity) -> Invitation | None:
    """The person's invitation to apply for this role, if they still have to answer it."""
    return next((i for i in waiting_for(candidate) if i.opportunity_id == opportunity.id), None)


def decline(invitation: Invitation, *, actor: User) -> None:
    """The person says no thanks. The employer is not told: their card still says "Invited"."""
    _lock(invitation)
    if invitation.status is not InvitationStatus.SENT:
        raise InvitationError("You have already answered this invitation.")
    invitation.status = InvitationStatus.DECLINED
    invitation.decided_at = clock.utc_now()
    audit.record("invitation.declined", actor=actor, candidate=invitation.candidate,
                 subject=invitation)


def applied(application: Application, *, actor: User) -> None:
    """The person applied for a role they were invited to (called by journey.apply, however
    they came to apply): the invitation is answered."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.opportunity_id == application.opportunity_id,
                                    Invitation.candidate_id == application.candidate_id,
                                    Invitation.status == InvitationStatus.SENT)
        .with_for_update())
    if invitation is None:
        return
    invitation.status = InvitationStatus.APPLIED
    invitation.decided_at = clock.utc_now()
    invitation.application_id = application.id
    audit.record("invitation.applied", actor=actor, candidate=application.candidate,
                 subject=invitation)


def expire(opportunity: Opportunity) -> None:
    """The role has closed: invitations nobody answered lapse (people no longer see them)."""
    now = clock.utc_now()
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.opportunity_id == opportunity.id,
               Invitation.status == InvitationStatus.SENT)
        .values(status=InvitationStatus.EXPIRED, decided_at=now, updated_at=now)
        .execution_options(synchronize_session="fetch"))


def _lock(invitation: Invitation) -> None:
    """Re-read the invitation under a row lock (PostgreSQL; SQLite transactions are IMMEDIATE),
    so a double click answers it once."""
    db.session.flush()
    db.session.scalars(sa.select(Invitation).where(Invitation.id == invitation.id)
                       .with_for_update().execution_options(populate_existing=True)).one()
