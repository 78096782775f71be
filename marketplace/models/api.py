"""The employer integration API (issue 14): organisation API tokens and employers' own
references for opportunities (what a re-imported file updates by)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.models.accounts import Organisation, User
from marketplace.models.base import Base, TimestampMixin
from marketplace.models.opportunities import Opportunity


class ApiToken(TimestampMixin, Base):
    """A token an organisation's applicant tracking system calls the API with.

    Only the SHA-256 of the whole token is kept (the token is long and random, so a plain hash is
    enough; a slow password hash would cost every call). The prefix, shown on the token page and
    in the token itself, finds the row without comparing every hash. A token acts as the member
    who created it, within its scopes, and stops working when revoked or when that member can no
    longer act for the organisation."""

    __tablename__ = "api_tokens"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(sa.String(80))
    prefix: Mapped[str] = mapped_column(sa.String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64))  # sha256 hex of the whole token
    scopes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class OpportunityReference(Base):
    """The employer's own reference for one of their opportunities (their ATS's job id): unique
    within the organisation, so importing the same rows again updates instead of duplicating."""

    __tablename__ = "opportunity_references"

    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE")
    )
    reference: Mapped[str] = mapped_column(sa.String(100))

    opportunity: Mapped[Opportunity] = relationship()

    __table_args__ = (sa.UniqueConstraint("organisation_id", "reference"),)
