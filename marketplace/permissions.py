"""Who may do what: every access rule in the product lives here.

Views declare their rule with a decorator; `tests/integration/test_route_access.py` walks the URL
map and fails on any view without one. Object rules (which candidate, which opportunity) are
predicates here too, used through `require()` so a failed check is a 404 for things the caller
may not know exist and a 403 where they may.
"""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user

from marketplace.models import Application, Candidate, Opportunity, Organisation, User
from marketplace.types import ApplicationStatus, OpportunityStatus, OrganisationStatus, Role

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


def can_post_kind(organisation: Organisation, minimum_level: int) -> bool:
    return organisation.alliance_level >= minimum_level


def can_manage_opportunity(user: User, opportunity: Opportunity) -> bool:
    """Employer members manage their own organisation's opportunities; administrators any."""
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.EMPLOYER and user.organisation_id == opportunity.organisation_id


def is_listed(opportunity: Opportunity) -> bool:
    """What candidates and PELs may open: published by an approved employer. Closed ones stay
    readable, so an old link says it has closed; drafts are only the employer's."""
    return opportunity.status is not OpportunityStatus.DRAFT and opportunity.organisation.approved


def can_view_candidate_record(user: User, candidate: Candidate) -> bool:
    """The full private record: the candidate, their current prison's PEL, administrators.
    A PEL of a prison the person has left no longer sees them (the new PEL takes the case)."""
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.PEL:
        return candidate.prison_id is not None and candidate.prison_id == user.prison_id
    return user.role is Role.CANDIDATE and candidate.user_id == user.id


def can_act_for_candidate(user: User, candidate: Candidate) -> bool:
    """Edit the profile, apply, record consent: the candidate or their PEL."""
    return user.role is not Role.ADMIN and can_view_candidate_record(user, candidate)


def can_view_application(user: User, application: Application) -> bool:
    if user.role is Role.EMPLOYER:
        return (
            user.organisation_id == application.opportunity.organisation_id
            # A nomination the candidate has not yet agreed to is not the employer's to see.
            and application.status is not ApplicationStatus.NOMINATED
        )
    return can_view_candidate_record(user, application.candidate)


def can_manage_application(user: User, application: Application) -> bool:
    return user.role is Role.EMPLOYER and can_view_application(user, application)
