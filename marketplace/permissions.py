"""Who may do what: every access rule in the product lives here.

Views declare their rule with a decorator; `tests/integration/test_route_access.py` walks the URL
map and fails on any view without one. Object rules (which candidate, which opportunity) are
predicates here too, used through `require()` so a failed check is a 404 for things the caller
may not know exist and a 403 where they may.

A rule that both filters lists and guards one object is written once, as a SQL clause, beside
the predicate that uses it (STYLE.md, convention 6): two spellings of one rule drift apart, and
the drift is a leak.
"""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_login import current_user

from marketplace import clock
from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationEvent,
    Bond,
    Candidate,
    Invitation,
    Opportunity,
    Organisation,
    Release,
    User,
)
from marketplace.types import (
    ApplicationSource,
    ApplicationStatus,
    CandidateStatus,
    OpportunityKind,
    OpportunityStatus,
    OrganisationStatus,
    Role,
)

F = TypeVar("F", bound=Callable)

PUBLIC = "public"


def _declare(view: F, rule: str | tuple[Role, ...]) -> F:
    view.access_rule = rule  # read by the route-access test and by the admin "routes" report
    return view


def public(view: F) -> F:
    """Anyone, signed in or not."""
    return _declare(view, PUBLIC)


def roles(*allowed: Role) -> Callable[[F], F]:
    """Signed-in users with one of these roles. Not signed in: to sign-in; wrong role: 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.blueprint == "api":  # a client, not a person: no sign-in page
                    abort(401)
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return _declare(wrapped, tuple(allowed))

    return decorator


def signed_in(view: F) -> F:
    """Any signed-in user."""
    return roles(*Role)(view)


# --- object rules -------------------------------------------------------------------------------


def require(allowed: bool, *, hide: bool = True) -> None:
    """Stop the request unless `allowed`: 404 hides that the thing exists, 403 does not."""
    if not allowed:
        abort(404 if hide else 403)


def can_post_opportunities(user: User) -> bool:
    org = user.organisation if user.role is Role.EMPLOYER else None
    return org is not None and org.status is OrganisationStatus.APPROVED


def can_post_kind(organisation: Organisation, kind: OpportunityKind) -> bool:
    """The Corporate Alliance level decides what an employer may offer (DOMAIN.md): level 1
    mentoring and workshops, level 2 also training and placements, level 3 also jobs. The form's
    list of kinds, its validation and the save and publish services all ask this."""
    return organisation.alliance_level >= kind.minimum_level


def kinds_allowed(organisation: Organisation) -> list[OpportunityKind]:
    return [kind for kind in OpportunityKind if can_post_kind(organisation, kind)]


def opportunities_managed_by(user: User) -> sa.ColumnElement[bool]:
    """`can_manage_opportunity` as a WHERE clause over Opportunity, for lists."""
    if user.role is not Role.EMPLOYER or user.organisation_id is None:
        return sa.false()
    return Opportunity.organisation_id == user.organisation_id


def can_manage_opportunity(user: User, opportunity: Opportunity) -> bool:
    """Only members of the organisation that posted it see its drafts and applicants, change,
    publish or close it. Administrators act on organisations, not on their opportunities."""
    return (user.role is Role.EMPLOYER and user.organisation_id is not None
            and opportunity.organisation_id == user.organisation_id)


def is_listed(opportunity: Opportunity) -> bool:
    """What candidates and PELs may open: published by an approved employer. Closed ones stay
    readable, so an old link says it has closed; drafts are only the employer's."""
    return opportunity.status is not OpportunityStatus.DRAFT and opportunity.organisation.approved


def candidates_in_prison_of(pel: User) -> sa.ColumnElement[bool]:
    """`in_pels_prison` as a WHERE clause over Candidate, for caseloads and queues."""
    if pel.role is not Role.PEL or pel.prison_id is None:
        return sa.false()
    return Candidate.prison_id == pel.prison_id


def in_pels_prison(pel: User, candidate: Candidate) -> bool:
    """A PEL works with the people in their own prison. A PEL of a prison the person has left no
    longer sees them (the new PEL takes the case)."""
    return (pel.role is Role.PEL and pel.prison_id is not None
            and candidate.prison_id == pel.prison_id)


def can_view_candidate_record(user: User, candidate: Candidate) -> bool:
    """The full private record: the candidate, their current prison's PEL, administrators."""
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.PEL:
        return in_pels_prison(user, candidate)
    return user.role is Role.CANDIDATE and candidate.user_id == user.id


def can_act_for_candidate(user: User, candidate: Candidate) -> bool:
    """Edit the profile, apply, record consent: the candidate or their PEL."""
    return user.role is not Role.ADMIN and can_view_candidate_record(user, candidate)


def applications_visible_to(organisation_id: int) -> sa.ColumnElement[bool]:
    """What an employer may see of applications, as a WHERE clause over Application: their own
    organisation's, once put to them. The person applied, or agreed to their PEL's nomination
    (journey writes an "applied" event for that). A nomination still waiting for an answer, or
    one the person declined, never was: no list, count, page, history or API shows it to the
    employer. Every employer query over applications and `can_view_application` use this clause,
    so there is one spelling of the rule."""
    return sa.and_(
        Application.opportunity.has(Opportunity.organisation_id == organisation_id),
        sa.or_(Application.source == ApplicationSource.APPLIED,
               Application.events.any(ApplicationEvent.to_status == ApplicationStatus.APPLIED)))


def can_view_application(user: User, application: Application) -> bool:
    if user.role is Role.EMPLOYER:
        # One small query rather than a second spelling of the rule in Python.
        return user.organisation_id is not None and bool(db.session.scalar(sa.select(
            sa.select(Application.id)
            .where(Application.id == application.id,
                   applications_visible_to(user.organisation_id))
            .exists())))
    return can_view_candidate_record(user, application.candidate)


def can_manage_application(user: User, application: Application) -> bool:
    return user.role is Role.EMPLOYER and can_view_application(user, application)


def can_invite_for(user: User, opportunity: Opportunity) -> bool:
    """An employer invites people to apply only for their own organisation's open role, while
    the organisation is approved. Which people: those `constraints.findable` for the role
    (invitations.invite), the same rule that put them among the matched candidates."""
    return (can_manage_opportunity(user, opportunity) and can_post_opportunities(user)
            and opportunity.status is OpportunityStatus.OPEN)


def can_answer_invitation(user: User, invitation: Invitation) -> bool:
    """Only the person invited answers an invitation, for themselves. (Their PEL sees it on
    their page and can nominate them instead, which the person then agrees to or not.)"""
    return user.role is Role.CANDIDATE and invitation.candidate.user_id == user.id


# --- the custody channel (issue 13) ---------------------------------------------------------------


def released_from_prison_of(pel: User) -> sa.ColumnElement[bool]:
    """`reads_after_release` as a WHERE clause over Candidate: people released from the PEL's
    prison whose 12 months of through-the-gate support have not ended."""
    if pel.role is not Role.PEL or pel.prison_id is None:
        return sa.false()
    return sa.and_(
        Candidate.status != CandidateStatus.IN_CUSTODY,
        sa.exists().where(Release.candidate_id == Candidate.id,
                          Release.prison_id == pel.prison_id,
                          Release.pel_access_until >= clock.uk_today()))


def reads_after_release(pel: User, candidate: Candidate) -> bool:
    """The PEL of the prison that released the person may read (never change) their record for
    12 months after release, then loses it. One small query rather than a second spelling."""
    if pel.role is not Role.PEL or candidate.status is CandidateStatus.IN_CUSTODY:
        return False
    return bool(db.session.scalar(sa.select(
        sa.select(Candidate.id).where(Candidate.id == candidate.id,
                                      released_from_prison_of(pel)).exists())))


def can_read_as_pel(pel: User, candidate: Candidate) -> bool:
    """Read the person's record and history: their current prison's PEL, or the releasing
    prison's PEL for 12 months after release. Acting for them needs `in_pels_prison`."""
    return in_pels_prison(pel, candidate) or reads_after_release(pel, candidate)


def jobpoint(view: F) -> F:
    """A Jobpoint (kiosk) page: nobody signs in, so the rule is public, but only a device a PEL
    set up (its signed cookie names a device not revoked, checked by the kiosk area before the
    view as `g.jobpoint_device`) sees it; anything else is a 404. The cookie is not a session:
    it opens no signed-in page."""
    from flask import g

    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("jobpoint_device") is None:
            abort(404)
        return view(*args, **kwargs)

    return _declare(wrapped, PUBLIC)


def can_manage_bond(user: User, bond: Bond) -> bool:
    """A fidelity bond is its buying organisation's: its employer members see it, pay for it,
    cancel it and claim on it. Administrators see bonds through their own pages."""
    return (user.role is Role.EMPLOYER and user.organisation_id is not None
            and bond.organisation_id == user.organisation_id)


# --- the employer API (issue 14) -----------------------------------------------------------------

# What an organisation's API token may be allowed to do, `resource:action` (STYLE.md anchors:
# Warehouse's scope:resource:action). Reading is separate from writing so a reporting tool can
# hold a token that changes nothing.
API_SCOPES = ("opportunities:read", "opportunities:write", "applications:read",
              "applications:write")


def can_manage_api_tokens(user: User) -> bool:
    """Create, see and revoke the organisation's API tokens, and import opportunities in bulk:
    a member of an approved organisation (every member manages the organisation; there is no
    separate owner role), the same who may post opportunities."""
    return can_post_opportunities(user)


def token_allows(token, scope: str) -> bool:
    """Whether an API token (models.ApiToken) may make a call needing `scope`: not revoked and
    granted that scope when it was created."""
    return token is not None and token.revoked_at is None and scope in (token.scopes or ())


def token_scope(scope: str) -> Callable[[F], F]:
    """An API call made with an organisation's token (the API area authenticates the token into
    `g.api_token`, and the member it acts as into `g.api_user`, before the view): no token is a
    401, a token without `scope` a 403. The browser session is never enough here."""
    if scope not in API_SCOPES:
        raise ValueError(f"{scope} is not an API scope")

    def decorator(view: F) -> F:
        from flask import g

        @wraps(view)
        def wrapped(*args, **kwargs):
            token = g.get("api_token")
            if token is None:
                abort(401)
            if not token_allows(token, scope):
                abort(403, f"This token does not have the {scope} scope. Create a token "
                           "with it on your organisation's API tokens page.")
            return view(*args, **kwargs)

        return _declare(wrapped, f"token:{scope}")

    return decorator
