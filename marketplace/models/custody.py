"""The custody channel (issue 13): people in prison reach the product through their prison
employment lead (PEL) and the wing's Jobpoint terminals.

- what the PEL records when adding someone: date of birth, how firm the release date is, the
  right-to-work evidence seen, and the person's signed consent to be on the platform;
- the PEL's dated work-readiness entries (a history, newest last);
- releases, with the one-time claim code that hands the account over, and the 12 months in
  which the releasing prison's PEL may still read the record (through-the-gate support);
- checked messages between a person and an employer about an application;
- Jobpoint devices a PEL set up, and the "ask your employment lead" requests they send.

Transfers use `PrisonTransfer` (models/candidates.py). Everything here hangs off the candidate,
so it moves with the person when they change prison.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utc_now
from marketplace.models.accounts import User
from marketplace.models.applications import Application
from marketplace.models.base import Base, TimestampMixin, enum_column
from marketplace.models.candidates import Candidate
from marketplace.models.opportunities import Opportunity
from marketplace.models.reference import Prison
from marketplace.types import (
    MessageDirection,
    MessageStatus,
    ReadinessLevel,
    ReleaseDateCertainty,
)


class CustodyDetails(TimestampMixin, Base):
    """What the PEL recorded when adding the person. Private to the person, PEL and admin."""

    __tablename__ = "custody_details"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), unique=True)
    date_of_birth: Mapped[dt.date]
    release_certainty: Mapped[ReleaseDateCertainty] = mapped_column(
        enum_column(ReleaseDateCertainty))
    right_to_work_seen: Mapped[bool]
    right_to_work_seen_on: Mapped[dt.date | None]
    right_to_work_seen_by: Mapped[str | None] = mapped_column(sa.String(120))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    candidate: Mapped[Candidate] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "NOT right_to_work_seen OR (right_to_work_seen_on IS NOT NULL "
            "AND right_to_work_seen_by IS NOT NULL)", name="evidence_has_date_and_checker"),
    )


class PlatformConsent(TimestampMixin, Base):
    """The person's signed consent to be on the platform, as the PEL recorded it from the paper
    form. Withdrawn: hidden from employers at once, and no new nominations."""

    __tablename__ = "platform_consents"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    signed_on: Mapped[dt.date]
    form_version: Mapped[str] = mapped_column(sa.String(20))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])

    __table_args__ = (
        sa.CheckConstraint("(withdrawn_at IS NULL) = (withdrawn_by_id IS NULL)",
                           name="withdrawal_has_actor"),
    )


class ReadinessEntry(Base):
    """One dated work-readiness record. Never changed: a new one is added."""

    __tablename__ = "readiness_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    level: Mapped[ReadinessLevel] = mapped_column(enum_column(ReadinessLevel))
    support: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # SupportNeed values
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_on: Mapped[dt.date]
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    recorded_by: Mapped[User | None] = relationship()


class Release(TimestampMixin, Base):
    """A release from custody, recorded by the releasing prison's PEL, who may still read the
    record until `pel_access_until` (12 months)."""

    __tablename__ = "releases"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    prison_id: Mapped[int] = mapped_column(sa.ForeignKey("prisons.id"), index=True)
    released_on: Mapped[dt.date]
    pel_access_until: Mapped[dt.date]
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    prison: Mapped[Prison] = relationship()


class ClaimCode(TimestampMixin, Base):
    """The code on the release slip. Only its hash is kept; it works once, for 30 days."""

    __tablename__ = "claim_codes"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]

    candidate: Mapped[Candidate] = relationship()


class Message(TimestampMixin, Base):
    """A message about one application, between the person and the employer. While the person
    is in custody it waits for their PEL's check (MessageStatus)."""

    __tablename__ = "messages"

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    direction: Mapped[MessageDirection] = mapped_column(enum_column(MessageDirection))
    body: Mapped[str] = mapped_column(sa.Text)
    written_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus), index=True)
    # Why it was held: outside contact details found in it (custody/contact.py).
    held_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    read_at: Mapped[dt.datetime | None]

    application: Mapped[Application] = relationship()
    written_by: Mapped[User] = relationship(foreign_keys=[written_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('waiting', 'delivered') OR (decided_at IS NOT NULL "
            "AND decided_by_id IS NOT NULL)", name="decision_has_actor"),
        sa.CheckConstraint("status NOT IN ('returned', 'rejected') OR decision_reason IS NOT NULL",
                           name="refusal_has_reason"),
        sa.Index("ix_messages_status_direction", "status", "direction"),
    )


class KioskDevice(TimestampMixin, Base):
    """A Jobpoint terminal a PEL set up. Its cookie names it; revoking it here ends it."""

    __tablename__ = "kiosk_devices"

    prison_id: Mapped[int] = mapped_column(sa.ForeignKey("prisons.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(80))
    # None for a Jobpoint set by configuration (JOBPOINT_NETWORKS) rather than by a PEL.
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoked_at: Mapped[dt.datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    prison: Mapped[Prison] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class KioskRequest(TimestampMixin, Base):
    """"Ask your employment lead about this job", from a Jobpoint, for a prison number that
    matched someone in that prison (unknown numbers are accepted and kept nowhere)."""

    __tablename__ = "kiosk_requests"

    device_id: Mapped[int] = mapped_column(sa.ForeignKey("kiosk_devices.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"))
    handled_at: Mapped[dt.datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    candidate: Mapped[Candidate] = relationship()
    opportunity: Mapped[Opportunity] = relationship()
    device: Mapped[KioskDevice] = relationship()
