"""Opportunities: one model for the four kinds in DOMAIN.md."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.models.accounts import Organisation, User
from marketplace.models.base import Base, TimestampMixin, enum_column
from marketplace.models.reference import PostcodeDistrict
from marketplace.types import (
    CheckLevel,
    ContractType,
    HoursPattern,
    OffenceCategory,
    OpportunityKind,
    OpportunityStatus,
    PayPeriod,
    RegulatedActivity,
    Sector,
)


class Opportunity(TimestampMixin, Base):
    __tablename__ = "opportunities"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[OpportunityKind] = mapped_column(enum_column(OpportunityKind), index=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text)
    sector: Mapped[Sector] = mapped_column(enum_column(Sector), index=True)
    skills_text: Mapped[str] = mapped_column(sa.Text, default="")
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # vocabulary codes
    qualifications_wanted: Mapped[str] = mapped_column(sa.Text, default="")

    postcode_district: Mapped[str] = mapped_column(
        sa.ForeignKey("postcode_districts.district"), index=True
    )
    remote: Mapped[bool] = mapped_column(default=False)
    national: Mapped[bool] = mapped_column(default=False)  # no distance test
    hours: Mapped[HoursPattern] = mapped_column(enum_column(HoursPattern))
    hours_per_week: Mapped[int | None]
    paid: Mapped[bool] = mapped_column(default=True)
    pay_min_pence: Mapped[int | None]
    pay_max_pence: Mapped[int | None]
    pay_period: Mapped[PayPeriod | None] = mapped_column(enum_column(PayPeriod))
    pays_minimum_wage: Mapped[bool] = mapped_column(default=True)
    contract: Mapped[ContractType] = mapped_column(enum_column(ContractType))
    places: Mapped[int] = mapped_column(default=1)
    start_date: Mapped[dt.date | None]
    closing_date: Mapped[dt.date] = mapped_column(index=True)
    status: Mapped[OpportunityStatus] = mapped_column(
        enum_column(OpportunityStatus), default=OpportunityStatus.DRAFT, index=True
    )
    published_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]

    # Flags that matter for matching and disclosure (DOMAIN.md, Opportunities).
    guaranteed_interview: Mapped[bool] = mapped_column(default=False)
    minimum_requirements: Mapped[str] = mapped_column(sa.Text, default="")
    required_skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # GI minimums
    linked_training_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="SET NULL")
    )
    bond_backed: Mapped[bool] = mapped_column(default=False)
    check_level: Mapped[CheckLevel] = mapped_column(
        enum_column(CheckLevel), default=CheckLevel.NONE
    )
    regulated_activity: Mapped[RegulatedActivity] = mapped_column(
        enum_column(RegulatedActivity), default=RegulatedActivity.NONE
    )
    accepts_in_custody: Mapped[bool] = mapped_column(default=False)
    accepts_rotl: Mapped[bool] = mapped_column(default=False)
    latest_release_date: Mapped[dt.date | None]  # the latest release it can wait for
    case_by_case: Mapped[bool] = mapped_column(default=False)
    exclusion_reason: Mapped[str | None] = mapped_column(sa.Text)  # for "other"
    ring_fenced: Mapped[bool] = mapped_column(default=False)  # only for prison leavers
    how_to_apply: Mapped[str] = mapped_column(sa.Text, default="")
    source: Mapped[str] = mapped_column(sa.String(200), default="")

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()
    location: Mapped[PostcodeDistrict] = relationship(lazy="joined")
    exclusions: Mapped[list["OpportunityExclusion"]] = relationship(
        cascade="all, delete-orphan", order_by="OpportunityExclusion.category", lazy="selectin"
    )
    linked_training: Mapped["Opportunity | None"] = relationship(remote_side="Opportunity.id")

    __table_args__ = (
        sa.CheckConstraint("places > 0", name="places_positive"),
        sa.CheckConstraint("hours_per_week IS NULL OR hours_per_week BETWEEN 1 AND 60",
                           name="hours_range"),
        sa.CheckConstraint("pay_min_pence IS NULL OR pay_min_pence >= 0", name="pay_min_positive"),
        sa.CheckConstraint(
            "pay_max_pence IS NULL OR pay_min_pence IS NULL OR pay_max_pence >= pay_min_pence",
            name="pay_range_ordered",
        ),
        sa.CheckConstraint("paid OR pay_min_pence IS NULL", name="unpaid_has_no_pay"),
        # Regulated activity needs an enhanced check with the barred list (DISCLOSURE.md s.2).
        sa.CheckConstraint(
            "regulated_activity = 'none' OR check_level = 'enhanced_barred'",
            name="regulated_needs_barred_check",
        ),
        sa.CheckConstraint(
            "status = 'draft' OR published_at IS NOT NULL", name="published_has_date"
        ),
        sa.Index("ix_opportunities_open_closing", "status", "closing_date"),
    )

    @property
    def is_open(self) -> bool:
        return self.status is OpportunityStatus.OPEN

    @property
    def exclusion_categories(self) -> set[OffenceCategory]:
        return {e.category for e in self.exclusions}


class OpportunityExclusion(Base):
    """An offence group the employer excludes for the role. Applied only to what the law lets
    this employer consider, and never explained to the employer per candidate."""

    __tablename__ = "opportunity_exclusions"

    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[OffenceCategory] = mapped_column(enum_column(OffenceCategory),
                                                      primary_key=True)
