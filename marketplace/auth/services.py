"""Accounts: password hashing, registration and email confirmation, invitations, reset tokens."""

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
CONFIRM_DAYS = 3  # days the link that confirms a new account's email address works for
INVITE_DAYS = 7
# Verified against when the email is unknown, so a sign-in takes as long either way and does not
# reveal which addresses have accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class EmailTaken(ValueError):
    pass


class OrganisationNameTaken(ValueError):
    pass


class EmailNotConfirmed(ValueError):
    """The password is right, but the account's email address is not confirmed yet."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Raises EmailNotConfirmed if the
    password is right but the address is not confirmed (only the password's owner learns it)."""
    user = find_user(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if user.email_confirmed_at is None:
        raise EmailNotConfirmed(user.email)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_signed_in_at = utc_now()
    return user


def _new_user(email: str, full_name: str, password: str, role: Role, *, confirmed: bool,
              **links) -> User:
    # Hashed before the check, so that a taken address answers no faster than a new one.
    password_hash = hash_password(password)
    if find_user(email):
        raise EmailTaken(email)
    user = User(email=normalise_email(email), full_name=full_name, role=role,
                password_hash=password_hash, email_confirmed_at=utc_now() if confirmed else None,
                **links)
    db.session.add(user)
    db.session.flush()
    return user


def register_candidate(*, email: str, full_name: str, password: str, home_district: str,
                       status: CandidateStatus) -> User:
    """A person on licence or released signs up. People in custody are added by their PEL.
    The account works once its email address is confirmed (`confirm_email`). Raises EmailTaken,
    changing nothing, if the address already has an account."""
    user = _new_user(email, full_name, password, Role.CANDIDATE, confirmed=False)
    first, _, last = full_name.partition(" ")
    db.session.add(Candidate(user_id=user.id, first_name=first, last_name=last or "-",
                             status=status, home_district=home_district))
    audit.record("account.registered", actor=user, subject=user, role=Role.CANDIDATE.value)
    return user


def register_employer(*, email: str, full_name: str, password: str, organisation_name: str,
                      sector: Sector, size: OrganisationSize, region: str, alliance_level: int,
                      pledges: list[Pledge], about: str = "") -> User:
    """The first member of a new employer organisation. It waits for an administrator, and the
    member's account works once their email address is confirmed. Raises OrganisationNameTaken
    (whoever asks), then EmailTaken if the address already has an account; either changes
    nothing."""
    if db.session.scalar(sa.select(Organisation.id).where(
            sa.func.lower(Organisation.name) == organisation_name.lower())):
        raise OrganisationNameTaken(organisation_name)
    if find_user(email):
        hash_password(password)  # as long as the new account takes
        raise EmailTaken(email)
    organisation = Organisation(name=organisation_name, sector=sector, size=size, region=region,
                                alliance_level=alliance_level, about=about,
                                status=OrganisationStatus.PENDING,
                                pledges=[OrganisationPledge(pledge=p) for p in pledges])
    db.session.add(organisation)
    db.session.flush()
    user = _new_user(email, full_name, password, Role.EMPLOYER, confirmed=False,
                     organisation_id=organisation.id)
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
    # The invitation link came by email: following it confirms the address.
    user = _new_user(invite.email, invite.full_name, password, invite.role, confirmed=True,
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


def _confirm_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-email")


def confirmation_token(user: User) -> str:
    return _confirm_serializer().dumps({"id": user.id, "e": user.email})


def user_for_confirmation_token(token: str) -> User | None:
    """The user this in-date link was sent to, confirmed or not; None for a bad or old link."""
    try:
        data = _confirm_serializer().loads(token, max_age=CONFIRM_DAYS * 24 * 3600)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if user is None or user.email != data.get("e") or not user.is_active:
        return None
    return user


def confirm_email(user: User) -> None:
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utc_now()
        audit.record("account.email_confirmed", actor=user, subject=user)


def end_sessions(user: User) -> None:
    """Ends every session and remember cookie the user has, in every browser: their ids carry
    the old session version (auth/sessions.py)."""
    user.session_version += 1
    db.session.flush()


def set_password(user: User, password: str) -> None:
    """Changes the password and ends every session the user has. A reset link came by email, so
    it also confirms the address."""
    user.password_hash = hash_password(password)
    confirm_email(user)
    end_sessions(user)
    audit.record("account.password_changed", actor=user, subject=user)
