"""The declarative base every model shares: id, timestamps, constraint names, portable enums,
and aware datetimes."""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from marketplace.clock import utc_now

# Stable names make Alembic autogenerate produce the same migration on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator):
    """A moment in time. Stored as UTC in a plain TIMESTAMP (the schema is unchanged, so no
    migration) and always read back aware, in UTC, on SQLite and PostgreSQL alike: comparing a
    stored time with `clock.utc_now()` then never mixes naive and aware values, or time zones.

    A naive value is refused when written: it could be UTC or UK time, and guessing wrong moves
    an interview by an hour for half the year."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"Naive datetime {value!r}: use an aware one (marketplace.clock)")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def enum_column(enum_cls: type[enum.Enum], **kwargs) -> sa.Enum:
    """A native enum on PostgreSQL, a CHECK-constrained VARCHAR on SQLite; stores .value."""
    return sa.Enum(
        enum_cls,
        name=_snake(enum_cls.__name__),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        create_constraint=True,
        **kwargs,
    )


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


# Every `Mapped[dt.datetime]` column is a UTCDateTime unless it names another type. (Set on the
# registry: Flask-SQLAlchemy subclasses Base, which a class-level map would not survive.)
Base.registry.update_type_annotation_map({dt.datetime: UTCDateTime})


class TimestampMixin:
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now, server_default=sa.func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=utc_now, onupdate=utc_now, server_default=sa.func.now()
    )
