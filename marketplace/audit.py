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


# What each action means, for the person it is about (their activity page).
_DESCRIPTIONS = {
    "candidate.reveal.stage2": "saw your name and profile",
    "candidate.reveal.stage3": "saw your disclosure statement and the convictions the job’s "
                               "check allows",
    "application.applied": "sent your application",
    "application.nominated": "put you forward for a job",
    "application.shortlisted": "shortlisted you",
    "application.interview": "invited you to an interview",
    "application.conditional_offer": "made you a conditional offer",
    "application.offer_confirmed": "confirmed your job offer",
    "application.started": "recorded that you started work",
    "application.unsuccessful": "turned down your application",
    "application.withdrawn": "recorded that the application ended",
    "interview.booked": "booked an interview with you",
    "interview.cancelled": "cancelled an interview to book it again",
    "interview.completed": "recorded that you came to your interview",
    "interview.no_show": "recorded that you did not come to your interview",
    "interview.rotl_approved": "approved day release for your interview",
    "interview.rotl_refused": "refused day release for your interview",
    "offer.withdrawal_proposed": "plans to withdraw your offer, and is waiting for your answer",
    "offer.candidate_responded": "sent your answer to the employer",
    "disclosure.consent_given": "recorded that you agreed to share your disclosure",
    "disclosure.consent_withdrawn": "recorded that you stopped sharing your disclosure",
    "disclosure.statement_saved": "saved your disclosure statement",
    "conviction.added": "added a conviction to your record",
    "conviction.changed": "changed a conviction on your record",
    "conviction.deleted": "deleted a conviction from your record",
}


def describe(event: AuditEvent) -> str:
    who = (event.organisation.name if event.organisation is not None
           else event.actor.full_name if event.actor is not None else "The service")
    what = _DESCRIPTIONS.get(event.action) or event.action.split(".")[-1].replace("_", " ")
    return f"{who} {what}" + (f" ({event.reason})" if event.reason else "")
