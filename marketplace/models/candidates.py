"""Candidates: the people in custody, on licence or released, and their records.

A candidate in custody has no internet: their PEL creates and keeps the profile, so a profile
need not have a user account. Fields marked private never reach an employer (DOMAIN.md,
Candidates); the disclosure policy is what enforces that.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.models.accounts import User
from marketplace.models.base import Base, TimestampMixin, enum_column
from marketplace.models.reference import PostcodeDistrict, Prison
from marketplace.types import (
    CandidateStatus,
    HoursPattern,
    Pathway,
    Rag,
    WorkReadinessStatus,
)


class Candidate(TimestampMixin, Base):
    __tablename__ = "candidates"

    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    first_name: Mapped[str] = mapped_column(sa.String(60))
    last_name: Mapped[str] = mapped_column(sa.String(60))
    prison_number: Mapped[str | None] = mapped_column(sa.String(7), unique=True)  # NOMIS number
    status: Mapped[CandidateStatus] = mapped_column(enum_column(CandidateStatus), index=True)
    prison_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prisons.id", ondelete="RESTRICT"), index=True
    )
    release_date: Mapped[dt.date | None]
    home_district: Mapped[str] = mapped_column(
        sa.ForeignKey("postcode_districts.district"), index=True
    )
    rotl_eligible: Mapped[bool] = mapped_column(default=False)
    right_to_work: Mapped[bool] = mapped_column(default=True)

    # The skills profile: what matching embeds and employers see on the anonymised card.
    headline: Mapped[str] = mapped_column(sa.String(200), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    skills_text: Mapped[str] = mapped_column(sa.Text, default="")
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # vocabulary codes
    preferred_sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    preferred_hours: Mapped[HoursPattern | None] = mapped_column(enum_column(HoursPattern))
    max_travel_miles: Mapped[int] = mapped_column(default=15)
    visible_to_employers: Mapped[bool] = mapped_column(default=True)

    # Private: never shown to an employer, used only for hard constraints.
    licence_end_date: Mapped[dt.date | None]
    exclusion_districts: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    barred_children: Mapped[bool] = mapped_column(default=False)
    barred_adults: Mapped[bool] = mapped_column(default=False)
    risk_notes: Mapped[str | None] = mapped_column(sa.Text)

    user: Mapped[User | None] = relationship()
    prison: Mapped[Prison | None] = relationship()
    home: Mapped[PostcodeDistrict] = relationship()
    qualifications: Mapped[list["Qualification"]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan",
        order_by="(Qualification.achieved_on.desc(), Qualification.id)",
    )
    work_history: Mapped[list["WorkHistory"]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan",
        order_by="(WorkHistory.start_year.desc(), WorkHistory.id)",
    )
    readiness: Mapped["WorkReadiness | None"] = relationship(
        back_populates="candidate", cascade="all, delete-orphan"
    )
    needs: Mapped[list["ResettlementNeed"]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan",
        order_by="ResettlementNeed.pathway",
    )

    __table_args__ = (
        # Someone in custody is in a prison; someone in the community is not.
        sa.CheckConstraint(
            "(status = 'in_custody') = (prison_id IS NOT NULL)", name="custody_has_prison"
        ),
        sa.CheckConstraint("status <> 'in_custody' OR release_date IS NOT NULL",
                           name="custody_has_release_date"),
        sa.CheckConstraint("max_travel_miles BETWEEN 0 AND 500", name="travel_range"),
        sa.CheckConstraint("prison_number IS NULL OR length(prison_number) = 7",
                           name="prison_number_length"),
        # A PEL's caseload and its counts: one prison's people in custody, by release date.
        sa.Index("ix_candidates_prison_caseload", "prison_id", "status", "release_date"),
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Qualification(TimestampMixin, Base):
    __tablename__ = "qualifications"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    awarding_body: Mapped[str | None] = mapped_column(sa.String(120))
    achieved_on: Mapped[dt.date | None]
    gained_in_custody: Mapped[bool] = mapped_column(default=False)

    candidate: Mapped[Candidate] = relationship(back_populates="qualifications")


class WorkHistory(TimestampMixin, Base):
    __tablename__ = "work_history"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(120))
    employer: Mapped[str | None] = mapped_column(sa.String(120))
    start_year: Mapped[int]
    end_year: Mapped[int | None]
    in_custody: Mapped[bool] = mapped_column(default=False)  # prison workshop, kitchen, orderly
    description: Mapped[str] = mapped_column(sa.Text, default="")

    candidate: Mapped[Candidate] = relationship(back_populates="work_history")

    __table_args__ = (
        sa.CheckConstraint("start_year BETWEEN 1950 AND 2100", name="start_year_range"),
        sa.CheckConstraint("end_year IS NULL OR end_year >= start_year", name="end_after_start"),
    )


class WorkReadiness(TimestampMixin, Base):
    """What is in place for release day, kept with the PEL. Moves with the person."""

    __tablename__ = "work_readiness"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[WorkReadinessStatus] = mapped_column(enum_column(WorkReadinessStatus))
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    id_held: Mapped[bool] = mapped_column(default=False)
    bank_account: Mapped[bool] = mapped_column(default=False)
    cv_ready: Mapped[bool] = mapped_column(default=False)
    covering_letter: Mapped[bool] = mapped_column(default=False)
    disclosure_letter: Mapped[bool] = mapped_column(default=False)
    email_and_phone: Mapped[bool] = mapped_column(default=False)
    housing_on_release: Mapped[bool] = mapped_column(default=False)
    barriers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    candidate: Mapped[Candidate] = relationship(back_populates="readiness")

    __table_args__ = (
        sa.CheckConstraint(
            "status NOT IN ('support_declined', 'no_right_to_work') OR status_reason IS NOT NULL",
            name="declined_has_reason",
        ),
    )


class ResettlementNeed(Base):
    """Red/amber/green assessment on one of the seven pathways. Private to PEL and admin."""

    __tablename__ = "resettlement_needs"

    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    pathway: Mapped[Pathway] = mapped_column(enum_column(Pathway), primary_key=True)
    rag: Mapped[Rag] = mapped_column(enum_column(Rag))
    note: Mapped[str | None] = mapped_column(sa.Text)

    candidate: Mapped[Candidate] = relationship(back_populates="needs")


class PrisonTransfer(Base):
    """A move between prisons: the record follows the person and the new PEL takes the case."""

    __tablename__ = "prison_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    from_prison_id: Mapped[int] = mapped_column(sa.ForeignKey("prisons.id"))
    to_prison_id: Mapped[int] = mapped_column(sa.ForeignKey("prisons.id"))
    moved_on: Mapped[dt.date]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    __table_args__ = (
        sa.CheckConstraint("from_prison_id <> to_prison_id", name="moves_somewhere"),
    )
