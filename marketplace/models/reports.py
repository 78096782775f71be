"""Outcome reports worked out once and kept for a while (reports/services.py, Snapshots)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.clock import utc_now
from marketplace.models.base import Base


class ReportSnapshot(Base):
    """One finished report (its tables and charts' figures, small numbers already hidden) for
    one slice, dimension and date range. Counts only: nothing about any one person."""

    __tablename__ = "report_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    # scope, dimension, date range and the UK day it was worked out for
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # The newest audit event when it was worked out: every change the app makes writes one.
    version: Mapped[int] = mapped_column(sa.BigInteger)
    built_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    payload: Mapped[dict] = mapped_column(sa.JSON)
