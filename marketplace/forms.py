"""The form base and validators every area shares, worded the GOV.UK way."""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

import wtforms
from flask import request
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextInput
from wtforms import ValidationError
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
)
from zxcvbn import zxcvbn

from marketplace import clock
from marketplace.reference import services as reference


def _strip(value):
    return value.strip() if isinstance(value, str) else value


_FROM_REQUEST = object()


class Form(FlaskForm):
    """Reads form data only, strips surrounding whitespace from every text answer, and refuses
    control characters in text before any other check sees them.

    Flask-WTF would read a JSON body as the answers, where a number or a list reaches
    validators written for strings (a 500); here a JSON body is an empty submission."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            kwargs = unbound_field.kwargs
            filters = kwargs.get("filters", [])
            if _strip not in filters:
                kwargs["filters"] = [_strip, *filters]
            if _is_text(unbound_field.field_class):
                validators = kwargs.get("validators") or []
                if not any(isinstance(v, PlainText) for v in validators):
                    multiline = issubclass(unbound_field.field_class, wtforms.TextAreaField)
                    kwargs["validators"] = [PlainText(multiline=multiline), *validators]
            return unbound_field.bind(form=form, **options)

    def __init__(self, formdata=_FROM_REQUEST, **kwargs):
        if formdata is _FROM_REQUEST:
            formdata = request.form if self.is_submitted() else None
        super().__init__(formdata=formdata, **kwargs)


def _is_text(field_class: type) -> bool:
    """Typed text that may be stored. A password is only ever hashed, and may hold anything."""
    return issubclass(field_class, wtforms.StringField) \
        and not issubclass(field_class, wtforms.PasswordField)


class MaxLength(Length):
    """At most `max` characters: no more than the answer's database column holds. `name` is
    what the person calls the answer ("the title"), for this and other messages about it."""

    def __init__(self, max: int, name: str):
        super().__init__(max=max, message=f"{name[0].upper()}{name[1:]} must be {max:,} "
                                          "characters or fewer")
        self.name = name


class PlainText:
    """No control characters (NUL and the like: PostgreSQL refuses NUL in text, and none is
    ever typed); a multi-line answer may keep its line breaks and tabs. Stops the field's other
    checks, which may look the answer up in the database. Every text field gets one (Form)."""

    ALLOWED_IN_MULTILINE = frozenset("\n\r\t")

    def __init__(self, *, multiline: bool = False):
        self.allowed = self.ALLOWED_IN_MULTILINE if multiline else frozenset()

    def __call__(self, form, field) -> None:
        if not isinstance(field.data, str):
            return
        shown = "".join("\ufffd" if self._refused(c) else c for c in field.data)
        if shown != field.data:
            # Shown again as "�", where the person can see what to remove (and a page may not
            # hold a NUL).
            field.data, field.raw_data = shown, [shown]
            name = next((v.name for v in field.validators if isinstance(v, MaxLength)),
                        "your answer")
            raise StopValidation(f"Remove the unusual characters from {name}")

    def _refused(self, character: str) -> bool:
        return unicodedata.category(character) == "Cc" and character not in self.allowed


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


def years_from_today(years: int) -> Callable[[dt.date], dt.date]:
    """A bound for DateRange that moves with the clock: the same day `years` years from today
    (back, if negative; 28 February for 29 February in a year without one)."""

    def bound(today: dt.date) -> dt.date:
        try:
            return today.replace(year=today.year + years)
        except ValueError:
            return today.replace(year=today.year + years, day=28)

    return bound


TODAY = years_from_today(0)


class DateRange:
    """The date lies from `earliest` to `latest`, each a date or a function of today's UK date
    (years_from_today, TODAY). Every date field has one: a year such as 1 or 9999 is a real date
    to Python but would overflow code that adds weeks or months to it."""

    def __init__(self, name: str, *, earliest: dt.date | Callable[[dt.date], dt.date],
                 latest: dt.date | Callable[[dt.date], dt.date]):
        self.name = f"{name[0].upper()}{name[1:]}"
        self.earliest, self.latest = earliest, latest

    def __call__(self, form, field) -> None:
        if not isinstance(field.data, dt.date):
            return
        today = clock.uk_today()
        earliest, latest = (bound(today) if callable(bound) else bound
                            for bound in (self.earliest, self.latest))
        if field.data < earliest:
            raise ValidationError(f"{self.name} must be today or in the future" if earliest == today
                                  else f"{self.name} must be the same as or after {_day(earliest)}")
        if field.data > latest:
            raise ValidationError(f"{self.name} must be today or in the past" if latest == today
                                  else f"{self.name} must be the same as or before {_day(latest)}")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class ChoiceForm(Form):
    """Two buttons, one form each, carrying `choice`: nothing to type, nothing to get wrong.
    Any other value comes only from a tampered request, and is refused."""

    choice = wtforms.HiddenField(validators=[AnyOf(("yes", "no"))])


class Confirmed:
    """For a step that cannot be undone (an offer, a day release decision, consent): it happens
    only when sent from its check page, whose button carries confirm=yes. The same request
    without it (an old page, a hand-made request) shows that check page and changes nothing."""

    # Any other value comes only from a tampered request.
    confirm = wtforms.HiddenField(validators=[Optional(), AnyOf(("yes",))])

    @property
    def confirmed(self) -> bool:
        return self.confirm.data == "yes"


class ConfirmForm(Confirmed, Form):
    """A check page's button, for a step with nothing to fill in."""

    submit = wtforms.SubmitField("Confirm", widget=GovSubmitInput())


class ConfirmedChoiceForm(Confirmed, ChoiceForm):
    """Yes or no, answered from a check page: the link to the page carries the `choice` (build
    it with formdata=request.values) and the page's button sends it back with confirm=yes."""

    submit = wtforms.SubmitField("Confirm", widget=GovSubmitInput())


class ListSearchForm(Form):
    """The search box above a long list: a GET form that works without JavaScript (no CSRF
    token), made from the query string (`ListSearchForm(request.args, label=...)`). `label`
    says what it searches ("Search by name")."""

    class Meta:
        csrf = False

    q = wtforms.StringField("Search", widget=GovTextInput(),
                            validators=[MaxLength(100, "your search")])
    submit = wtforms.SubmitField("Search", widget=GovSubmitInput())

    def __init__(self, *args, label: str = "Search", **kwargs):
        super().__init__(*args, **kwargs)
        self.q.label.text = label

    @property
    def search(self) -> str | None:
        """The words to search for; None when there are none or they are refused (the page
        shows the error and the whole list)."""
        if not self.q.data or not self.validate():
            return None
        return " ".join(self.q.data.split())


class Pounds(wtforms.StringField):
    """An amount of money typed in pounds ("12.50", "£12.50", "24,000"), held in pence."""

    def __init__(self, label=None, validators=None, *, invalid: str, **kwargs):
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, validators, **kwargs)
        self.invalid = invalid
        self.pence: int | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip().replace(",", "").lstrip("£")
        self.pence = None
        if not text:
            return
        if not re.fullmatch(r"\d{1,7}(\.\d{1,2})?", text):
            raise ValueError(self.invalid)
        self.pence = round(Decimal(text) * 100)

    def _value(self):
        return self.data or ""
