"""The data layer of the employer API: tokens, cursor pages, employers' references, imports.

Functions flush and never commit (the request commits on success, marketplace/__init__.py);
every write is audited beside the change.
"""

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from marketplace import audit, clock, permissions
from marketplace.extensions import db
from marketplace.models import (
    ApiToken,
    Application,
    Opportunity,
    OpportunityReference,
    Organisation,
    User,
)
from marketplace.types import ApplicationStatus, OpportunityKind, OpportunityStatus, Sector

# fcm_<prefix>_<secret>: the prefix finds the row, the whole token is hashed.
_TOKEN = re.compile(r"fcm_([a-z0-9]{12})_([A-Za-z0-9_-]{43})")


# --- tokens --------------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(organisation: Organisation, *, actor: User, name: str,
                 scopes: Iterable[str]) -> tuple[ApiToken, str]:
    """A new token for the organisation, acting as `actor`. Returns the token row and the token
    itself, which is never stored and can be shown only this once."""
    chosen = [scope for scope in permissions.API_SCOPES if scope in set(scopes)]
    if not chosen:
        raise ValueError("Select at least one thing the token may do")
    prefix = secrets.token_hex(6)
    token = f"fcm_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken(organisation_id=organisation.id, created_by=actor, name=name, prefix=prefix,
                   token_hash=_hash(token), scopes=chosen)
    db.session.add(row)
    db.session.flush()
    audit.record("api_token.created", actor=actor, subject=row, token=name, scopes=chosen)
    return row, token


def tokens_of(organisation: Organisation) -> list[ApiToken]:
    """The organisation's tokens, newest first, revoked ones included (marked)."""
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.organisation_id == organisation.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def token_of(organisation: Organisation, token_id: int) -> ApiToken | None:
    """One of the organisation's tokens; None for another organisation's (a 404)."""
    token = db.session.get(ApiToken, token_id)
    return token if token is not None and token.organisation_id == organisation.id else None


def revoke(token: ApiToken, *, actor: User) -> None:
    """It stops working at once. Revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = clock.utc_now()
    token.revoked_by_id = actor.id
    audit.record("api_token.revoked", actor=actor, subject=token, token=token.name)


def authenticate(presented: str) -> ApiToken | None:
    """The active token `presented` is, or None: malformed, unknown, wrong, revoked, or its
    member can no longer act for the organisation (account closed, moved organisation)."""
    match = _TOKEN.fullmatch(presented or "")
    if match is None:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.prefix == match[1]))
    if token is None or not hmac.compare_digest(token.token_hash, _hash(presented)):
        return None
    member = token.created_by
    if token.revoked_at is not None or not member.is_active_account \
            or member.organisation_id != token.organisation_id:
        return None
    return token


def record_call(token: ApiToken, *, method: str, path: str, status: int) -> None:
    """Every call made with a token, with the token's name, and its last use."""
    token.last_used_at = clock.utc_now()
    audit.record("api.call", actor=token.created_by, subject=token, token=token.name,
                 method=method, path=path, status=status)


# --- cursor pages --------------------------------------------------------------------------------


class BadCursor(ValueError):
    pass


def _cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def _after(cursor: str | None) -> int:
    """The id a cursor continues after (0 for the first page). Raises BadCursor."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor("The cursor is not one this API gave. Start again without it.") from None
    match = re.fullmatch(r"after:(\d{1,12})", text)
    if match is None:
        raise BadCursor("The cursor is not one this API gave. Start again without it.")
    return int(match[1])


@dataclass(frozen=True)
class CursorPage:
    items: list
    next_cursor: str | None


def _page(query: sa.Select, key, cursor: str | None, limit: int) -> CursorPage:
    """Items after the cursor in order of `key` (an id column): one query, and a cursor that
    stays right while items are added (an offset would skip or repeat them)."""
    rows = list(db.session.scalars(query.where(key > _after(cursor)).order_by(key)
                                   .limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return CursorPage(rows, _cursor(rows[-1].id) if more and rows else None)


# --- opportunities -------------------------------------------------------------------------------


def opportunities_page(user: User, *, cursor: str | None = None, limit: int = 20,
                       status: str | None = None, kind: str | None = None,
                       sector: str | None = None, reference: str | None = None) -> CursorPage:
    """The opportunities `user` manages (permissions.opportunities_managed_by), oldest first."""
    query = sa.select(Opportunity).where(permissions.opportunities_managed_by(user))
    if status:
        query = query.where(Opportunity.status == OpportunityStatus(status))
    if kind:
        query = query.where(Opportunity.kind == OpportunityKind(kind))
    if sector:
        query = query.where(Opportunity.sector == Sector(sector))
    if reference is not None:
        query = query.where(Opportunity.id.in_(
            sa.select(OpportunityReference.opportunity_id)
            .where(OpportunityReference.reference == reference)))
    return _page(query, Opportunity.id, cursor, limit)


def own_opportunity(user: User, opportunity_id: int) -> Opportunity | None:
    """One the user manages; None for another organisation's or none (a 404 either way)."""
    found = db.session.get(Opportunity, opportunity_id)
    return found if found is not None and permissions.can_manage_opportunity(user, found) else None


def references_of(opportunity_ids: Iterable[int]) -> dict[int, str]:
    ids = list(opportunity_ids)
    if not ids:
        return {}
    return dict(db.session.execute(
        sa.select(OpportunityReference.opportunity_id, OpportunityReference.reference)
        .where(OpportunityReference.opportunity_id.in_(ids))).all())


def by_reference(organisation: Organisation, references: Iterable[str]) -> dict[str, Opportunity]:
    """The organisation's opportunities with these references, by reference: one query."""
    wanted = list(set(references))
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(OpportunityReference.reference, Opportunity)
        .join(Opportunity, Opportunity.id == OpportunityReference.opportunity_id)
        .where(OpportunityReference.organisation_id == organisation.id,
               OpportunityReference.reference.in_(wanted)))
    return {reference: opportunity for reference, opportunity in rows.all()}


class ReferenceTaken(ValueError):
    pass


def set_reference(opportunity: Opportunity, reference: str | None) -> None:
    """Give the opportunity the employer's reference (None or "" removes it). Raises
    ReferenceTaken when another of the organisation's opportunities has it."""
    existing = db.session.get(OpportunityReference, opportunity.id)
    if not reference:
        if existing is not None:
            db.session.delete(existing)
        return
    holder = by_reference(opportunity.organisation, [reference]).get(reference)
    if holder is not None and holder.id != opportunity.id:
        raise ReferenceTaken(f"Another of your opportunities has the reference {reference}. "
                             "Use a different one, or update that opportunity.")
    if existing is None:
        db.session.add(OpportunityReference(opportunity_id=opportunity.id,
                                            organisation_id=opportunity.organisation_id,
                                            reference=reference))
    else:
        existing.reference = reference
    db.session.flush()


# --- applications --------------------------------------------------------------------------------


def applications_page(user: User, *, cursor: str | None = None, limit: int = 20,
                      opportunity_id: int | None = None, status: str | None = None
                      ) -> CursorPage:
    """The applications the user's organisation may see (permissions.applications_visible_to:
    never a nomination the person has not agreed to), oldest first."""
    query = sa.select(Application).where(
        permissions.applications_visible_to(user.organisation_id))
    if opportunity_id is not None:
        query = query.where(Application.opportunity_id == opportunity_id)
    if status:
        query = query.where(Application.status == ApplicationStatus(status))
    return _page(query, Application.id, cursor, limit)


def own_application(user: User, application_id: int) -> Application | None:
    found = db.session.get(Application, application_id)
    return found if found is not None and permissions.can_manage_application(user, found) \
        else None


def add_reference(opportunity: Opportunity, reference: str) -> None:
    """Give a new opportunity the employer's reference (the import checked it is free)."""
    db.session.add(OpportunityReference(opportunity_id=opportunity.id,
                                        organisation_id=opportunity.organisation_id,
                                        reference=reference))
