"""The reports' filters: a date range and what to group by, read from the query string.

A bad value never fails the page: the filter is left out and the page says which field was
wrong and how to write it (GOV.UK error messages)."""

import datetime as dt
from dataclasses import dataclass, field

from marketplace.reports import services

EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


@dataclass
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    dimension: str = "prison"
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> dict[str, str]:
        """The filters as query-string arguments, for links that keep them (CSV downloads)."""
        args = {"by": self.dimension}
        if self.date_from:
            args["from"] = self.date_from.isoformat()
        if self.date_to:
            args["to"] = self.date_to.isoformat()
        return args


def _date(args, name: str, label: str, errors: dict[str, str]) -> dt.date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{label} must be a real date, for example 2026-01-31"
        return None
    if not EARLIEST <= day <= LATEST:
        errors[name] = f"{label} must be between 2000 and 2100"
        return None
    return day


def read(args, *, default_dimension: str = "prison") -> Filters:
    errors: dict[str, str] = {}
    date_from = _date(args, "from", "Start date", errors)
    date_to = _date(args, "to", "End date", errors)
    if date_from and date_to and date_to < date_from:
        errors["to"] = "End date must be the same as or after the start date"
        date_to = None
    dimension = args.get("by") or default_dimension
    if dimension not in services.DIMENSIONS:
        errors["by"] = "Select what to group the applications by"
        dimension = default_dimension
    return Filters(date_from, date_to, dimension, errors)
