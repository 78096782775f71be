"""Bulk import of opportunities: rows from a CSV file (the organisation's import page) or JSON
(POST /api/v1/opportunities/import), checked all first, then saved all or none.

Each row is checked exactly as POST /opportunities checks a body: its JSON types by
schemas.OpportunityWriteSchema, then its answers by the employer's OpportunityForm (api/forms.py).
A row names its opportunity by the employer's own `reference`: a reference already used updates
that opportunity (importing the same file twice updates, never duplicates), a new one
creates a draft, published at once when the row says `publish`. The search index follows after
the request commits, all the changed opportunities in one pass, embedded in batches
(matching/engine.py).
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

import marshmallow as ma

from marketplace.api import forms, schemas, services
from marketplace.employers import services as employers
from marketplace.models import Organisation, User
from marketplace.types import OpportunityStatus

# What a new opportunity starts with when a row leaves it out (the new-opportunity page's).
NEW_OPPORTUNITY = {"paid": True, "check_level": "none", "regulated_activity": "none",
                   "places": 1}
COLUMNS = (*schemas.WRITABLE, "publish")
_BOOLEANS = {"yes": True, "y": True, "true": True, "1": True,
             "no": False, "n": False, "false": False, "0": False}
_INTEGERS = ("hours_per_week", "pay_min_pence", "pay_max_pence", "places")
_LISTS = ("exclusions",)


@dataclass(frozen=True)
class Problem:
    row: int  # 1 for the first row of data
    column: str
    message: str


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    ids: list[int] = field(default_factory=list)


class RowSchema(schemas.OpportunityWriteSchema):
    publish = ma.fields.Boolean()


_ROW = RowSchema()  # one instance for every row: building a schema costs more than a load


# --- CSV -----------------------------------------------------------------------------------------


def template_csv() -> str:
    """The columns, and one example row that imports as it is."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    example = {
        "reference": "ATS-1001", "kind": "vacancy", "title": "Warehouse operative",
        "description": "Pick and pack orders. Load vans.", "sector": "logistics_warehousing",
        "skills_text": "forklift, stock control", "postcode_district": "LS10",
        "hours": "full_time", "hours_per_week": "37", "paid": "yes", "pay_min_pence": "1271",
        "pay_period": "hour", "pays_minimum_wage": "yes", "contract": "permanent",
        "places": "2", "closing_date": (dt.date.today() + dt.timedelta(days=28)).isoformat(),
        "check_level": "basic", "regulated_activity": "none", "publish": "no"}
    writer.writerow([example.get(column, "") for column in COLUMNS])
    return out.getvalue()


def rows_from_csv(data: bytes) -> tuple[list[dict], list[Problem]]:
    """The CSV's rows as API values (text turned into yes/no, numbers, dates and lists), and the
    problems found doing so: an unknown column, a value that is not a number or a date."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(0, "file", "The file must be saved as CSV UTF-8")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    unknown = [c for c in reader.fieldnames or [] if c not in COLUMNS]
    if not reader.fieldnames:
        return [], [Problem(0, "file", "The file is empty. Use the template's first row as "
                                       "its column names")]
    if unknown:
        return [], [Problem(0, name, f"{name} is not a column we know. Use the template's "
                                     "column names") for name in unknown]
    rows, problems = [], []
    for number, raw in enumerate(reader, start=1):
        if None in raw:
            problems.append(Problem(number, "file", "This row has more values than there are "
                                                    "columns"))
            continue
        values = {}
        for column, text in raw.items():
            text = (text or "").strip()
            if text == "":
                continue
            try:
                values[column] = _typed(column, text)
            except ValueError as error:
                problems.append(Problem(number, column, str(error)))
        rows.append(values)
    return rows, problems


def _typed(column: str, text: str):
    if column in _INTEGERS:
        if not re.fullmatch(r"-?\d{1,12}", text):
            raise ValueError(f"Enter {column} as a whole number, like 12")
        return int(text)
    if column in _LISTS:
        return [part.strip() for part in text.split(";") if part.strip()]
    boolean = isinstance(_ROW.fields[column], ma.fields.Boolean)
    if boolean:
        if text.lower() not in _BOOLEANS:
            raise ValueError(f"Enter {column} as yes or no")
        return _BOOLEANS[text.lower()]
    if column in forms.DATE_FIELDS:
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"Enter {column} as a date like 2027-03-27") from None
    return text


# --- checking and saving -------------------------------------------------------------------------


def import_rows(rows: list, *, organisation: Organisation, actor: User,
                problems: list[Problem] | None = None) -> Report:
    """Check every row, then save all of them or none (a report of the problems instead)."""
    report = Report(problems=list(problems or []))
    checked = []
    seen: dict[str, int] = {}
    existing = services.by_reference(
        organisation, [r["reference"] for r in rows
                       if isinstance(r, dict) and isinstance(r.get("reference"), str)])
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            report.problems.append(Problem(number, "row", "Each row must be an object"))
            continue
        try:
            values = _ROW.load(row)
        except ma.ValidationError as error:
            for column, messages in error.normalized_messages().items():
                column = "row" if column == "_schema" else column
                report.problems.append(Problem(number, column, _first(messages)))
            continue
        reference = values.get("reference")
        if not reference:
            report.problems.append(Problem(number, "reference", "Enter your reference for "
                                                                "this opportunity"))
            continue
        if reference in seen:
            report.problems.append(Problem(number, "reference", f"Row {seen[reference]} has "
                                                                "the same reference"))
            continue
        seen[reference] = number
        publish = values.pop("publish", False)
        form = forms.opportunity_form({**NEW_OPPORTUNITY, **values}, organisation=organisation)
        for column, message in forms.field_errors(form).items():
            report.problems.append(Problem(number, column, message))
        checked.append((existing.get(reference), reference, form, publish))
    if report.problems:
        report.problems.sort(key=lambda p: (p.row, COLUMNS.index(p.column)
                                            if p.column in COLUMNS else -1))
        return report
    for opportunity, reference, form, publish in checked:
        saved = employers.save_opportunity(opportunity, form, organisation=organisation,
                                           actor=actor)
        if opportunity is None:
            services.add_reference(saved, reference)
            report.created += 1
        else:
            report.updated += 1
        if publish and saved.status is not OpportunityStatus.OPEN:
            employers.publish(saved, actor=actor)
        report.ids.append(saved.id)
    return report


def _first(messages) -> str:
    while isinstance(messages, dict | list) and messages:
        messages = next(iter(messages.values())) if isinstance(messages, dict) else messages[0]
    return str(messages)
