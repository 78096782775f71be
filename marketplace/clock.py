"""The one clock. Every "now", "today" and working-day deadline in the app comes from here.

Moments are aware datetimes: UTC in the database (models/base.py, UTCDateTime) and Europe/London
on pages (filters.py). Days are UK calendar days, whatever the server's own time zone: a deadline
that falls at midnight falls at midnight in England, not in the data centre.

Tests move the clock with `frozen(...)`, and so does the demo data where its story happened on
earlier days; nothing else may set it.
"""

import contextlib
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import holidays

UK = ZoneInfo("Europe/London")

# England and Wales share every bank holiday (Scotland and Northern Ireland have others); the
# package adds substitute days, so Boxing Day on a Saturday makes the Monday a holiday too.
_BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")

_frozen_at: dt.datetime | None = None


def utc_now() -> dt.datetime:
    """This moment, aware, in UTC."""
    return _frozen_at if _frozen_at is not None else dt.datetime.now(dt.UTC)


def uk_now() -> dt.datetime:
    """This moment, aware, in UK time (GMT or BST)."""
    return utc_now().astimezone(UK)


def uk_today() -> dt.date:
    """Today's date in the UK."""
    return uk_now().date()


def uk_date(moment: dt.datetime) -> dt.date:
    """The UK calendar day an aware moment falls on."""
    return moment.astimezone(UK).date()


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _BANK_HOLIDAYS


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (which itself never counts)."""
    day = start
    while days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


@contextlib.contextmanager
def frozen(at: dt.datetime | dt.date) -> Iterator[dt.datetime]:
    """The clock reads `at` until the block ends, in every thread: for tests, and for demo data
    that happened on an earlier day. A date means noon UK time on that day; a datetime must be
    aware."""
    global _frozen_at
    if not isinstance(at, dt.datetime):
        at = dt.datetime.combine(at, dt.time(12), tzinfo=UK)
    if at.tzinfo is None:
        raise ValueError("Freeze the clock at an aware datetime")
    previous, _frozen_at = _frozen_at, at.astimezone(dt.UTC)
    try:
        yield _frozen_at
    finally:
        _frozen_at = previous
