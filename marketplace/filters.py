"""Jinja filters and globals shared by every template."""

import datetime as dt

from flask import Flask
from flask_login import current_user

from marketplace import clock
from marketplace.types import SECTOR_LABELS, Sector


def _uk(value: dt.datetime) -> dt.datetime:
    # Stored times come back aware in UTC (models/base.py); a naive one is taken as UTC too.
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(clock.UK)


def date(value: dt.date | dt.datetime | None) -> str:
    """GOV.UK style: 1 November 2025. A moment shows the UK day it fell on."""
    if value is None:
        return "Not known"
    if isinstance(value, dt.datetime):
        value = _uk(value)
    return f"{value.day} {value:%B %Y}"


def datetime(value: dt.datetime | None) -> str:
    """UK time: 3 March 2027 at 10:30am."""
    if value is None:
        return "Not known"
    value = _uk(value)
    return f"{value.day} {value:%B %Y} at {value:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")


def money(pence: int | None) -> str:
    if pence is None:
        return ""
    pounds, rest = divmod(pence, 100)
    return f"£{pounds:,}" + (f".{rest:02d}" if rest else "")


def sector(value: str | Sector | None) -> str:
    if not value:
        return ""
    try:
        return SECTOR_LABELS[Sector(value)]
    except ValueError:
        return str(value)


def sentence(value) -> str:
    from marketplace.disclosure.explain import sentence_words

    return sentence_words(value)


def skill_labels(codes) -> list[str]:
    from marketplace.matching import skills

    return skills.labels(list(codes))


def init_app(app: Flask) -> None:
    app.add_template_filter(skill_labels, "skill_labels")
    app.add_template_filter(sentence, "sentence")
    app.add_template_filter(date, "date")
    app.add_template_filter(datetime, "datetime")
    app.add_template_filter(money, "money")
    app.add_template_filter(sector, "sector")
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["service_name"] = "Fair Chance Marketplace"
