"""The form base and validators every area shares, worded the GOV.UK way."""

import re

from flask_wtf import FlaskForm
from wtforms import ValidationError
from wtforms.validators import DataRequired, InputRequired

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
    MIN_LENGTH = 10

    def __call__(self, form, field) -> None:
        if field.data and len(field.data) < self.MIN_LENGTH:
            raise ValidationError(f"Your password must be at least {self.MIN_LENGTH} characters")
