"""Criminal record data: special category data (UK GDPR Art. 10).

Everything that describes an offence or its sentence is encrypted at field level (crypto.py):
a conviction is one encrypted JSON payload, so nothing about it can be read, searched, sorted or
listed in SQL, by design — DISCLOSURE.md s.3: the product must never let anyone search or list
people by their convictions. Validation therefore happens in Python, in disclosure/records.py,
before anything is stored.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utc_now
from marketplace.crypto import EncryptedText
from marketplace.models.base import Base, TimestampMixin


class ConvictionRecord(TimestampMixin, Base):
    __tablename__ = "conviction_records"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[str] = mapped_column(EncryptedText)  # JSON; see disclosure/records.py
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class DisclosureStatement(TimestampMixin, Base):
    """The candidate's own words about their past, shown only at stage 3 with consent."""

    __tablename__ = "disclosure_statements"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(EncryptedText)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class DisclosureConsent(Base):
    """Consent to disclose for one application. Rows are never deleted: withdrawing sets
    withdrawn_at, and after that no further reveal happens for that application."""

    __tablename__ = "disclosure_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    given_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    given_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # A PEL records consent the person gave on paper in prison: the date they signed.
    signed_on: Mapped[dt.date | None]
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    application = relationship("Application")

    __table_args__ = (
        sa.CheckConstraint("withdrawn_at IS NULL OR withdrawn_at >= given_at",
                           name="withdrawn_after_given"),
        sa.CheckConstraint("(withdrawn_at IS NULL) = (withdrawn_by_id IS NULL)",
                           name="withdrawal_has_actor"),
    )
