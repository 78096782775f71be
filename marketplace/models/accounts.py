"""Organisations, users, invitations."""

import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.models.base import Base, TimestampMixin, enum_column
from marketplace.models.reference import Prison
from marketplace.types import OrganisationSize, OrganisationStatus, Pledge, Role, Sector


class Organisation(TimestampMixin, Base):
    """An employer in the Corporate Alliance. It may post once an administrator approves it."""

    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(sa.String(160))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    size: Mapped[OrganisationSize] = mapped_column(enum_column(OrganisationSize))
    region: Mapped[str] = mapped_column(sa.String(40))
    alliance_level: Mapped[int] = mapped_column(sa.SmallInteger)
    website: Mapped[str | None] = mapped_column(sa.String(300))
    about: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[OrganisationStatus] = mapped_column(
        enum_column(OrganisationStatus), default=OrganisationStatus.PENDING
    )
    decided_at: Mapped[dt.datetime | None]  # who decided is in the audit log
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)

    pledges: Mapped[list["OrganisationPledge"]] = relationship(
        cascade="all, delete-orphan", order_by="OrganisationPledge.pledge", lazy="selectin"
    )

    __table_args__ = (
        sa.UniqueConstraint("name"),
        sa.CheckConstraint("alliance_level BETWEEN 1 AND 3", name="alliance_level_1_to_3"),
        sa.CheckConstraint(
            "status = 'pending' OR decided_at IS NOT NULL", name="decision_has_date"
        ),
    )

    @property
    def approved(self) -> bool:
        return self.status is OrganisationStatus.APPROVED

    @property
    def pledge_values(self) -> set[Pledge]:
        return {p.pledge for p in self.pledges}


class OrganisationPledge(Base):
    __tablename__ = "organisation_pledges"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    pledge: Mapped[Pledge] = mapped_column(enum_column(Pledge), primary_key=True)


class User(UserMixin, TimestampMixin, Base):
    """One person who signs in. Each has exactly one role (DOMAIN.md, Who uses it)."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    full_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    prison_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prisons.id", ondelete="RESTRICT"), index=True
    )
    is_active_account: Mapped[bool] = mapped_column(default=True)
    last_signed_in_at: Mapped[dt.datetime | None]
    # Set when the person proves they read mail at this address (the link sent on registering,
    # a password reset, an invitation). Nobody signs in before it is set.
    email_confirmed_at: Mapped[dt.datetime | None]
    # Part of the id in every session and remember cookie: adding one ends them all (sign-out,
    # password change), so a copied cookie stops working (auth/sessions.py).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    prison: Mapped[Prison | None] = relationship()

    __table_args__ = (
        # An employer member belongs to one organisation, a PEL to one prison; nobody else does.
        sa.CheckConstraint(
            "(role = 'employer') = (organisation_id IS NOT NULL)", name="employer_has_organisation"
        ),
        sa.CheckConstraint("(role = 'pel') = (prison_id IS NOT NULL)", name="pel_has_prison"),
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sessions of deactivated accounts
        return self.is_active_account

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version."""
        return f"{self.id}:{self.session_version}"


class Invite(TimestampMixin, Base):
    """A one-time link an administrator sends to a new PEL or administrator."""

    __tablename__ = "invites"

    email: Mapped[str] = mapped_column(sa.String(254))
    full_name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    prison_id: Mapped[int | None] = mapped_column(sa.ForeignKey("prisons.id"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the token
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]

    prison: Mapped[Prison | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("role IN ('pel', 'admin')", name="invite_only_staff"),
        sa.CheckConstraint("(role = 'pel') = (prison_id IS NOT NULL)", name="pel_invite_prison"),
    )
