"""Forms of the API area.

- An API body or an imported row is checked by the employer's own forms (employers/forms.py):
  `opportunity_form` and `action_form` turn JSON values into the answers those forms read, so
  there is one place for what an opportunity or a stage change must be. `field_errors` names
  each problem by the API's field name.
- The organisation's pages: create a token, upload a CSV.
"""

import datetime as dt

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovSubmitInput,
    GovTextInput,
)
from werkzeug.datastructures import MultiDict
from wtforms import FileField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import ValidationError

from marketplace.employers.forms import ACTION_FORMS, OpportunityForm, pounds_text
from marketplace.forms import Form, MaxLength, required
from marketplace.models import Organisation
from marketplace.permissions import API_SCOPES

# API field -> the form field that checks it, where the names differ.
_FORM_NAMES = {"pay_min_pence": "pay_min", "pay_max_pence": "pay_max"}
_API_NAMES = {form: api for api, form in _FORM_NAMES.items()}
DATE_FIELDS = ("start_date", "closing_date", "latest_release_date")


def _date_parts(value: dt.date) -> list[str]:
    """A date as the GOV.UK date input sends it: day, month, year."""
    return [str(value.day), str(value.month), str(value.year)]


def opportunity_answers(values: dict) -> MultiDict:
    """An opportunity's API values (OpportunityWriteSchema, loaded) as OpportunityForm's
    answers."""
    answers = MultiDict()
    for name, value in values.items():
        if name == "reference" or value is None:
            continue
        if name == "paid":
            answers.add("paid", "yes" if value else "no")
        elif name in _FORM_NAMES:
            answers.add(_FORM_NAMES[name], pounds_text(value) if value >= 0 else str(value))
        elif name in DATE_FIELDS:
            for part in _date_parts(value):
                answers.add(name, part)
        elif name == "exclusions":
            for category in value:
                answers.add(name, category)
        elif isinstance(value, bool):
            if value:
                answers.add(name, "y")
        else:
            answers.add(name, str(value))
    return answers


def opportunity_form(values: dict, *, organisation: Organisation) -> OpportunityForm:
    """The employer's OpportunityForm filled from API values, checked (`validate()` called)."""
    form = OpportunityForm(formdata=opportunity_answers(values), organisation=organisation,
                           meta={"csrf": False})
    form.validate()
    return form


def field_errors(form) -> dict[str, str]:
    """The form's first message for each wrong field, by API field name."""
    return {_API_NAMES.get(name, name): messages[0]
            for name, messages in form.errors.items() if messages}


# The API's body for each stage change, as the action's form reads it.
def action_form(action: str, values: dict):
    """The employer's form for a stage change (employers/forms.py ACTION_FORMS), filled from the
    API body and checked. A step that cannot be undone is confirmed by the call itself."""
    answers = MultiDict({"confirm": "yes"})
    if "date" in values:
        for part in _date_parts(values["date"]):
            answers.add("day", part)
    if "started_on" in values:
        for part in _date_parts(values["started_on"]):
            answers.add("started_on", part)
    if "attended" in values:
        answers.add("attended", "yes" if values["attended"] else "no")
    for name in ("time", "location", "reason"):
        if name in values:
            answers.add(name, values[name])
    form = ACTION_FORMS[action](formdata=answers, meta={"csrf": False})
    form.validate()
    return form


def action_errors(form) -> dict[str, str]:
    names = {"day": "date"}
    return {names.get(name, name): messages[0] for name, messages in form.errors.items()
            if messages and name != "submit"}


# --- the organisation's pages --------------------------------------------------------------------


class TokenForm(Form):
    name = StringField("Name", widget=GovTextInput(),
                       description="Say what uses it, like: Our applicant tracking system",
                       validators=[required("Enter a name for the token"),
                                   MaxLength(80, "the name")])
    scopes = SelectMultipleField(
        "What it may do", widget=GovCheckboxesInput(),
        choices=[(scope, {"opportunities:read": "See your opportunities",
                          "opportunities:write": "Post, change, publish and close opportunities",
                          "applications:read": "See applications",
                          "applications:write": "Move applications through their stages"}[scope])
                 for scope in API_SCOPES])
    submit = SubmitField("Create token", widget=GovSubmitInput())

    def validate_scopes(self, field) -> None:
        if not field.data:
            raise ValidationError("Select at least one thing the token may do")


class ImportForm(Form):
    file = FileField("CSV file", widget=GovFileInput(),
                     description="Use our template. At most 2,000 rows.")
    submit = SubmitField("Check and import", widget=GovSubmitInput())

    def validate_file(self, field) -> None:
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError("Select a CSV file")
        if not upload.filename.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")
