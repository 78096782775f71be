"""The append-only audit log.

Rows are only ever inserted: the ORM refuses updates and deletes (below), and the migration adds
a database trigger that refuses them too, so not even a bug or a raw SQL statement in the
application can rewrite history.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utc_now
from marketplace.models.accounts import Organisation, User
from marketplace.models.base import Base


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utc_now, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    candidate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("candidates.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)  # e.g. "candidate.reveal.name"
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("Audit events cannot be changed or deleted.")
