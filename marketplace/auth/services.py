"""Accounts: password hashing, registration, invitations, reset tokens."""

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace import audit
from marketplace.clock import utc_now
from marketplace.extensions import db
from marketplace.models import Candidate, Invite, Organisation, OrganisationPledge, User
from marketplace.types import (
    CandidateStatus,
    OrganisationSize,
    OrganisationStatus,
    Pledge,
    Role,
    Sector,
)

_hasher = PasswordHasher()
RESET_MAX_AGE = 3600  # seconds a password reset link works for
INVITE_DAYS = 7
# Verified against when the email is unknown, so a sign-in takes as long either way and does not
# reveal which addresses have accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class EmailTaken(ValueError):
    pass


class OrganisationNameTaken(ValueError):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_signed_in_at = utc_now()
    return user


def _new_user(email: str, full_name: str, password: str, role: Role, **links) -> User:
    if find_user(email):
        raise EmailTaken(email)
    user = User(email=email.strip().lower(), full_name=full_name, role=role,
                password_hash=hash_password(password), **links)
    db.session.add(user)
    db.session.flush()
    return user


def register_candidate(*, email: str, full_name: str, password: str, home_district: str,
                       status: CandidateStatus) -> User:
    """A person on licence or released signs up. People in custody are added by their PEL."""
    user = _new_user(email, full_name, password, Role.CANDIDATE)
    first, _, last = full_name.partition(" ")
    db.session.add(Candidate(user_id=user.id, first_name=first, last_name=last or "-",
                             status=status, home_district=home_district))
    audit.record("account.registered", actor=user, subject=user, role=Role.CANDIDATE.value)
    return user


def register_employer(*, email: str, full_name: str, password: str, organisation_name: str,
                      sector: Sector, size: OrganisationSize, region: str, alliance_level: int,
                      pledges: list[Pledge], about: str = "") -> User:
    """The first member of a new employer organisation. It waits for an administrator."""
    if db.session.scalar(sa.select(Organisation.id).where(
            sa.func.lower(Organisation.name) == organisation_name.lower())):
        raise OrganisationNameTaken(organisation_name)
    organisation = Organisation(name=organisation_name, sector=sector, size=size, region=region,
                                alliance_level=alliance_level, about=about,
                                status=OrganisationStatus.PENDING,
                                pledges=[OrganisationPledge(pledge=p) for p in pledges])
    db.session.add(organisation)
    db.session.flush()
    user = _new_user(email, full_name, password, Role.EMPLOYER, organisation_id=organisation.id)
    audit.record("organisation.registered", actor=user, subject=organisation)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invite(*, inviter: User, email: str, full_name: str, role: Role,
                  prison_id: int | None) -> tuple[Invite, str]:
    """Returns the invite and the one-time token for its link (only its hash is stored)."""
    if find_user(email):
        raise EmailTaken(email)
    token = secrets.token_urlsafe(32)
    invite = Invite(email=email.strip().lower(), full_name=full_name, role=role,
                    prison_id=prison_id if role is Role.PEL else None,
                    token_hash=_token_hash(token), invited_by_id=inviter.id,
                    expires_at=utc_now() + dt.timedelta(days=INVITE_DAYS))
    db.session.add(invite)
    db.session.flush()
    audit.record("invite.created", actor=inviter, subject=invite, role=role.value)
    return invite, token


def open_invite(token: str) -> Invite | None:
    """The invite for this token if it is unused and in date."""
    invite = db.session.scalar(sa.select(Invite).where(Invite.token_hash == _token_hash(token)))
    if invite is None or invite.used_at is not None or invite.expires_at < utc_now():
        return None
    return invite


def accept_invite(invite: Invite, password: str) -> User:
    user = _new_user(invite.email, invite.full_name, password, invite.role,
                     prison_id=invite.prison_id)
    invite.used_at = utc_now()
    audit.record("invite.accepted", actor=user, subject=invite)
    return user


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    # The hash fingerprint makes the token one-time: a changed password invalidates it.
    return _reset_serializer().dumps({"id": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(token, max_age=RESET_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if user is None or user.password_hash[-16:] != data.get("h"):
        return None
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    audit.record("account.password_changed", actor=user, subject=user)
