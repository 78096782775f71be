"""What the service tells a person: a notice in their list, and usually an email too."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.clock import utc_now
from marketplace.models.base import Base


class Notification(Base):
    """One notice to one user. Its wording is written for them and holds nothing about anyone's
    criminal record (notify.py writes every one)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    wording: Mapped[str] = mapped_column(sa.String(300))
    url: Mapped[str] = mapped_column(sa.String(300))
    # What the notice is about ("check_in:12"): the same thing is never notified twice, so
    # a daily job that runs again (or is retried) sends nothing new.
    key: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    read_at: Mapped[dt.datetime | None]

    __table_args__ = (
        sa.UniqueConstraint("user_id", "key"),
        sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
    )


class MutedEmail(Base):
    """A kind of notice (notify.Kind) this person does not want by email; they still see it in
    their list."""

    __tablename__ = "muted_emails"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
