"""The form base and validators every area shares, worded the GOV.UK way."""

import re

import wtforms
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import ValidationError
from wtforms.validators import AnyOf, DataRequired, InputRequired
from zxcvbn import zxcvbn

from marketplace.reference import services as reference


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class Form(FlaskForm):
    """Strips surrounding whitespace from every text answer before validating it."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if _strip not in filters:
                unbound_field.kwargs["filters"] = [_strip, *filters]
            return unbound_field.bind(form=form, **options)


def required(message: str) -> DataRequired:
    """`message` in GOV.UK words, e.g. "Enter your email address"."""
    return DataRequired(message=message)


def chosen(message: str) -> InputRequired:
    """For radios and selects, where a falsy value such as "0" is still an answer."""
    return InputRequired(message=message)


class PostcodeDistrict:
    """The first half of a UK postcode that exists, e.g. LS11. Normalises the field's data."""

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        value = re.sub(r"\s+", "", field.data.upper())
        district = value[:-3] if len(value) >= 5 and value[-3].isdigit() else value
        if not re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]?", district):
            raise ValidationError(
                self.message or "Enter the first part of a postcode, like LS11 or SW1A"
            )
        if not reference.district_exists(district):
            raise ValidationError(f"We cannot find the postcode area {district}. Check it and "
                                  "enter the first part of a postcode, like LS11")
        field.data = district


class Password:
    """The one password rule: long enough, and not easy to guess. zxcvbn estimates how many
    guesses a password takes against lists of common passwords, words, names, keyboard runs,
    sequences and dates (and the person's own name and email); a score of 3 is about 10^8
    guesses, beyond what an online attacker gets under our rate limits."""

    MIN_LENGTH = 10
    MAX_LENGTH = 128
    MIN_SCORE = 3
    RULE = "At least 10 characters. A few unrelated words together are easy to remember and " \
           "hard to guess."
    WEAK = "Choose a password that is harder to guess. Avoid common words and number sequences " \
           "like 1234567890"
    _PERSONAL_FIELDS = ("email", "full_name", "organisation_name")

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        if len(field.data) < self.MIN_LENGTH:
            raise ValidationError(f"Your password must be at least {self.MIN_LENGTH} characters")
        if len(field.data) > self.MAX_LENGTH:
            raise ValidationError(f"Your password must be {self.MAX_LENGTH} characters or fewer")
        # zxcvbn's time grows with length; the first 64 characters decide the score.
        if zxcvbn(field.data[:64], user_inputs=self._personal_words(form))["score"] \
                < self.MIN_SCORE:
            raise ValidationError(self.WEAK)

    def _personal_words(self, form) -> list[str]:
        """The person's name, email and organisation, whole and word by word ("Jo Bloggs":
        jo, bloggs, jobloggs), which an attacker who knows them would try first."""
        words = []
        for name in self._PERSONAL_FIELDS:
            value = getattr(getattr(form, name, None), "data", None)
            if isinstance(value, str) and value:
                parts = re.findall(r"[^\W_]+", value.lower())
                words += [*parts, "".join(parts)]
        return words


class DateInput(GovDateInput):
    """GOV.UK day/month/year inputs that survive a client sending fewer or more than three
    parts (the stock widget fails to render the form again in that case)."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = ([*field.raw_data, "", "", ""])[:3]
        return super().map_gov_params(field, **kwargs)


class DateField(wtforms.DateField):
    """A GOV.UK date (day, month, year) whose "not a real date" message names the field."""

    FORMATS = ["%d %m %Y", "%d %B %Y", "%d %b %Y"]

    def __init__(self, label=None, validators=None, *, invalid: str, **kwargs):
        kwargs.setdefault("format", self.FORMATS)
        kwargs.setdefault("widget", DateInput())
        super().__init__(label, validators, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        if not valuelist or not any(v.strip() for v in valuelist):
            self.data = None
            return
        try:
            super().process_formdata([" ".join(v.strip() for v in valuelist[:3])]
                                     if len(valuelist) == 3 else ["not a date"])
        except ValueError:
            self.data = None
            raise ValueError(self.invalid) from None


class ChoiceForm(Form):
    """Two buttons, one form each, carrying `choice`: nothing to type, nothing to get wrong.
    Any other value comes only from a tampered request, and is refused."""

    choice = wtforms.HiddenField(validators=[AnyOf(("yes", "no"))])
