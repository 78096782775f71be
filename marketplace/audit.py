"""Writing the audit log. Every reveal of candidate data and every decision goes through here,
in the same transaction as the change it records."""

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Application,
    AuditEvent,
    Candidate,
    Interview,
    Invitation,
    Offer,
    Opportunity,
    User,
)


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


# What each action means, for the person it is about (their activity page), in words a
# 9 to 11 year old reads easily. {job} is the job it concerned, so a list of many applications
# still says which one.
_DESCRIPTIONS = {
    "candidate.reveal.stage2": "saw your name and profile for {job}",
    "candidate.reveal.stage3": "saw your statement and the convictions that the check for {job} "
                               "shows",
    "application.applied": "sent your application for {job}",
    "application.nominated": "put you forward for {job}",
    "application.shortlisted": "shortlisted you for {job}",
    "application.interview": "invited you to an interview for {job}",
    "application.conditional_offer": "offered you {job}, if your record check is OK",
    "application.offer_confirmed": "confirmed your job offer for {job}",
    "application.started": "recorded that you started work ({job})",
    "application.unsuccessful": "turned down your application for {job}",
    "application.withdrawn": "recorded that your application for {job} ended",
    "invitation.sent": "invited you to apply for {job} (they saw your skills, not your name)",
    "invitation.declined": "recorded that you said no thanks to applying for {job}",
    "invitation.applied": "recorded that you applied for {job} when invited",
    "interview.booked": "booked an interview with you for {job}",
    "interview.cancelled": "cancelled your interview for {job}, to book it again",
    "interview.completed": "recorded that you came to your interview for {job}",
    "interview.no_show": "recorded that you did not come to your interview for {job}",
    "interview.rotl_approved": "said yes to day release for your interview for {job}",
    "interview.rotl_refused": "said no to day release for your interview for {job}",
    "offer.withdrawal_proposed": "plans to take back your offer for {job}, and is waiting for "
                                 "your answer",
    "offer.candidate_responded": "sent your answer about {job} to the employer",
    "disclosure.consent_given": "recorded that you agreed to share your record for {job}",
    "disclosure.consent_withdrawn": "recorded that you stopped sharing your record for {job}",
    "disclosure.statement_saved": "saved your statement about your record",
    "conviction.added": "added a conviction to your record",
    "conviction.changed": "changed a conviction on your record",
    "conviction.deleted": "deleted a conviction from your record",
    "privacy.subject_access": "got a copy of everything we hold about you",
    "privacy.retention": "deleted your convictions and statement: they are kept only while "
                         "you use the service",
}


def describe(event: AuditEvent, job: str | None = None) -> str:
    """The event in one sentence for the person it is about, naming `job` (the title of the
    job it concerned) where the action has one."""
    who = (event.organisation.name if event.organisation is not None
           else event.actor.full_name if event.actor is not None else "The service")
    what = _DESCRIPTIONS.get(event.action) or event.action.split(".")[-1].replace("_", " ")
    return f"{who} {what.format(job=job or 'a job')}" + (f" ({event.reason})" if event.reason
                                                          else "")


def describe_all(events: list[AuditEvent]) -> list[tuple[AuditEvent, str]]:
    """Each event with its description, the job titles read in one query per kind of subject."""
    jobs = _job_titles(events)
    return [(event, describe(event, jobs.get((event.subject_type, event.subject_id))))
            for event in events]


def _job_titles(events: list[AuditEvent]) -> dict[tuple[str, int], str]:
    titles = {}
    # Subjects that belong to one application, and so to one job.
    for model in (Application, Interview, Offer):
        kind = model.__tablename__
        ids = {e.subject_id for e in events if e.subject_type == kind and e.subject_id}
        if not ids:
            continue
        query = sa.select(model.id, Opportunity.title).select_from(model)
        if model is not Application:
            query = query.join(Application, Application.id == model.application_id)
        rows = db.session.execute(
            query.join(Opportunity, Opportunity.id == Application.opportunity_id)
            .where(model.id.in_(ids)))
        titles.update({(kind, subject_id): title for subject_id, title in rows})
    # An invitation names its job directly (it may have no application).
    ids = {e.subject_id for e in events if e.subject_type == "invitations" and e.subject_id}
    if ids:
        rows = db.session.execute(
            sa.select(Invitation.id, Opportunity.title)
            .join(Opportunity, Opportunity.id == Invitation.opportunity_id)
            .where(Invitation.id.in_(ids)))
        titles.update({("invitations", subject_id): title for subject_id, title in rows})
    return titles
