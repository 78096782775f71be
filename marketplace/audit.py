"""Writing the audit log. Every reveal of candidate data and every decision goes through here,
in the same transaction as the change it records."""

from marketplace.extensions import db
from marketplace.models import AuditEvent, Candidate, User


def record(
    action: str,
    *,
    actor: User | None,
    candidate: Candidate | None = None,
    subject: object | None = None,
    reason: str | None = None,
    **detail,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None and actor.is_authenticated else None,
        organisation_id=getattr(actor, "organisation_id", None),
        candidate_id=candidate.id if candidate is not None else None,
        subject_type=type(subject).__tablename__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        reason=reason,
        detail=detail,
    )
    db.session.add(event)
    db.session.flush()
    return event
