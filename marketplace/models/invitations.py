"""Invitations to apply: an employer asks a matched (anonymised) person to apply for a role.

The person sees who invited them and decides; the employer learns nothing about them from it
(not their name, not whether they answered, nor why they could not apply) until they apply.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.models.accounts import Organisation, User
from marketplace.models.applications import Application
from marketplace.models.base import Base, TimestampMixin, enum_column
from marketplace.models.candidates import Candidate
from marketplace.models.opportunities import Opportunity
from marketplace.types import InvitationStatus


class Invitation(TimestampMixin, Base):
    __tablename__ = "invitations"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"))
    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="RESTRICT"))
    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("candidates.id", ondelete="RESTRICT"), index=True)
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus), default=InvitationStatus.SENT)
    decided_at: Mapped[dt.datetime | None]
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="RESTRICT"))

    organisation: Mapped[Organisation] = relationship()
    opportunity: Mapped[Opportunity] = relationship()
    candidate: Mapped[Candidate] = relationship()
    invited_by: Mapped[User] = relationship()
    application: Mapped[Application | None] = relationship()

    __table_args__ = (
        # One invitation per person per role: inviting again changes nothing.
        sa.UniqueConstraint("opportunity_id", "candidate_id"),
        sa.CheckConstraint("status = 'sent' OR decided_at IS NOT NULL", name="decided_has_date"),
        sa.CheckConstraint("status <> 'applied' OR application_id IS NOT NULL",
                           name="applied_has_application"),
    )
