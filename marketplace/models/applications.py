"""Applications and nominations, and everything after: interviews, offers, placements, check-ins.

Every status change is a row in application_events (who, what, when): the outcome reports are
built from it, and it is how an employer sees what it owes (nobody is ghosted).
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utc_now
from marketplace.models.accounts import User
from marketplace.models.base import Base, TimestampMixin, enum_column
from marketplace.models.candidates import Candidate
from marketplace.models.opportunities import Opportunity
from marketplace.types import (
    ApplicationSource,
    ApplicationStatus,
    CheckInOutcome,
    InterviewStatus,
    OfferStatus,
    PlacementStatus,
    RotlStatus,
)


class Application(TimestampMixin, Base):
    __tablename__ = "applications"

    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="RESTRICT"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="RESTRICT"), index=True
    )
    source: Mapped[ApplicationSource] = mapped_column(enum_column(ApplicationSource))
    nominated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus), index=True)
    supporting_statement: Mapped[str] = mapped_column(sa.Text, default="")
    outcome_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The prison the person was in when they applied or were nominated (None: in the
    # community). Outcome reports count by it, so a prison keeps the credit for its work after
    # the person is released or moves (reports/services.py).
    prison_at_application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prisons.id", ondelete="RESTRICT"), index=True
    )

    opportunity: Mapped[Opportunity] = relationship()
    candidate: Mapped[Candidate] = relationship()
    nominated_by: Mapped[User | None] = relationship()
    events: Mapped[list["ApplicationEvent"]] = relationship(
        back_populates="application", order_by="(ApplicationEvent.at, ApplicationEvent.id)",
        cascade="all, delete-orphan",
    )
    interviews: Mapped[list["Interview"]] = relationship(
        back_populates="application", order_by="(Interview.scheduled_at, Interview.id)"
    )
    offer: Mapped["Offer | None"] = relationship(back_populates="application")

    __table_args__ = (
        sa.UniqueConstraint("opportunity_id", "candidate_id"),
        sa.CheckConstraint(
            "(source = 'nominated') = (nominated_by_id IS NOT NULL)",
            name="nomination_has_nominator",
        ),
        sa.CheckConstraint(
            "status NOT IN ('unsuccessful', 'withdrawn') OR outcome_reason IS NOT NULL",
            name="outcome_has_reason",
        ),
    )


class ApplicationEvent(Base):
    """One step of an application's history. Written, never changed."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[ApplicationStatus | None] = mapped_column(
        enum_column(ApplicationStatus)
    )
    to_status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    note: Mapped[str | None] = mapped_column(sa.Text)

    application: Mapped[Application] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Interview(TimestampMixin, Base):
    __tablename__ = "interviews"

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    scheduled_at: Mapped[dt.datetime]
    location: Mapped[str] = mapped_column(sa.String(200))
    guaranteed: Mapped[bool] = mapped_column(default=False)
    status: Mapped[InterviewStatus] = mapped_column(
        enum_column(InterviewStatus), default=InterviewStatus.BOOKED
    )
    # Someone in custody needs release on temporary licence, approved by their PEL.
    rotl_status: Mapped[RotlStatus] = mapped_column(
        enum_column(RotlStatus), default=RotlStatus.NOT_NEEDED
    )
    rotl_requested_at: Mapped[dt.datetime | None]
    rotl_decided_at: Mapped[dt.datetime | None]
    rotl_decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    application: Mapped[Application] = relationship(back_populates="interviews")

    __table_args__ = (
        sa.CheckConstraint(
            "rotl_status = 'not_needed' OR rotl_requested_at IS NOT NULL", name="rotl_requested"
        ),
        sa.CheckConstraint(
            "rotl_status NOT IN ('approved', 'refused') OR rotl_decided_at IS NOT NULL",
            name="rotl_decided",
        ),
        # A PEL's day release requests waiting: a few hundred among every interview.
        sa.Index("ix_interviews_rotl_waiting", "rotl_status", "status"),
    )


class Offer(TimestampMixin, Base):
    __tablename__ = "offers"

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[OfferStatus] = mapped_column(enum_column(OfferStatus))
    conditional_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    confirmed_at: Mapped[dt.datetime | None]
    # A decision after disclosure is provisional for 5 working days while the candidate may
    # respond (DOMAIN.md, The journey), and it needs a recorded reason.
    provisional_until: Mapped[dt.date | None]
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    candidate_response: Mapped[str | None] = mapped_column(sa.Text)

    application: Mapped[Application] = relationship(back_populates="offer")

    __table_args__ = (
        sa.CheckConstraint("status <> 'confirmed' OR confirmed_at IS NOT NULL",
                           name="confirmed_has_date"),
        sa.CheckConstraint(
            "status <> 'withdrawn' OR (withdrawn_at IS NOT NULL AND withdrawal_reason IS NOT NULL)",
            name="withdrawn_has_reason",
        ),
    )


class Placement(TimestampMixin, Base):
    """Someone started work. Retention at 13 and 26 weeks is the outcome that matters."""

    __tablename__ = "placements"

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="RESTRICT"), unique=True
    )
    started_on: Mapped[dt.date]
    status: Mapped[PlacementStatus] = mapped_column(
        enum_column(PlacementStatus), default=PlacementStatus.IN_WORK
    )
    left_on: Mapped[dt.date | None]

    application: Mapped[Application] = relationship()
    check_ins: Mapped[list["CheckIn"]] = relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="CheckIn.week"
    )

    __table_args__ = (
        sa.CheckConstraint("left_on IS NULL OR left_on >= started_on", name="left_after_start"),
        sa.CheckConstraint("status <> 'left' OR left_on IS NOT NULL", name="left_has_date"),
    )


class CheckIn(Base):
    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    week: Mapped[int]
    due_on: Mapped[dt.date]
    recorded_at: Mapped[dt.datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    outcome: Mapped[CheckInOutcome | None] = mapped_column(enum_column(CheckInOutcome))
    note: Mapped[str | None] = mapped_column(sa.Text)

    placement: Mapped[Placement] = relationship(back_populates="check_ins")

    __table_args__ = (
        sa.UniqueConstraint("placement_id", "week"),
        sa.CheckConstraint("week IN (13, 26)", name="week_13_or_26"),
        sa.CheckConstraint("(outcome IS NULL) = (recorded_at IS NULL)", name="recorded_outcome"),
    )
