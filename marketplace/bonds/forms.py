"""Forms for buying, cancelling and claiming on fidelity bonds, and for bond products."""


import wtforms
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms.validators import Optional

from marketplace.forms import (
    TODAY,
    DateField,
    DateRange,
    Form,
    MaxLength,
    PlainText,
    Pounds,
    chosen,
    required,
    years_from_today,
)


class ChooseCoverForm(Form):
    product = wtforms.RadioField("Choose the cover", choices=[], widget=GovRadioInput(),
                                 validators=[chosen("Select the cover you want")])
    submit = wtforms.SubmitField("Continue", widget=GovSubmitInput())

    def __init__(self, *args, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.product.choices = [(str(p.id), label) for p, label in offered]


class CardForm(Form):
    """What the payment page's script sends: the id of the card Stripe.js tokenised. The card
    number itself never reaches this server."""

    payment_method = wtforms.HiddenField(validators=[required("Enter your card details"),
                                                     MaxLength(255, "the card details")])


class ButtonForm(Form):
    submit = wtforms.SubmitField("Continue", widget=GovSubmitInput())


class ClaimForm(Form):
    loss_on = DateField("Date of the loss", invalid="Date of the loss must be a real date, like "
                        "27 3 2027", validators=[
                            chosen("Enter the date of the loss, like 27 3 2027"),
                            DateRange("the date of the loss", earliest=years_from_today(-6),
                                      latest=TODAY)])
    amount = Pounds("Amount lost, in pounds", invalid="Enter the amount lost in pounds, like "
                    "250.00", validators=[required("Enter the amount lost"),
                                          MaxLength(20, "the amount lost")],
                    description="Your best estimate. The provider will check it.")
    description = wtforms.TextAreaField(
        "What happened", widget=GovTextArea(),
        validators=[required("Enter what happened"), PlainText(multiline=True),
                    MaxLength(5000, "what happened")])
    submit = wtforms.SubmitField("Report the loss", widget=GovSubmitInput())

    def validate_amount(self, field) -> None:
        if field.pence is not None and field.pence <= 0:
            raise wtforms.ValidationError("Enter the amount lost")


class ProductForm(Form):
    provider = wtforms.StringField("Provider", widget=GovTextInput(), validators=[
        required("Enter the provider's name"), MaxLength(200, "the provider's name")])
    cover = Pounds("Cover, in pounds", invalid="Enter the cover in pounds, like 5000",
                   validators=[required("Enter the cover"), MaxLength(20, "the cover")])
    term_months = wtforms.StringField("Term, in months", widget=GovTextInput(),
                                      validators=[required("Enter the term in months"),
                                                  MaxLength(10, "the term")])
    premium = Pounds("Premium, in pounds", invalid="Enter the premium in pounds, like 120.00",
                     validators=[required("Enter the premium"), MaxLength(20, "the premium")])
    terms = wtforms.TextAreaField(
        "Terms", widget=GovTextArea(),
        validators=[Optional(), PlainText(multiline=True), MaxLength(5000, "the terms")])
    submit = wtforms.SubmitField("Add the product", widget=GovSubmitInput())

    def validate_term_months(self, field) -> None:
        if not (field.data.isascii() and field.data.isdigit() and 1 <= int(field.data) <= 60):
            raise wtforms.ValidationError("The term must be a whole number of months from 1 to 60")

    def validate_cover(self, field) -> None:
        if field.pence is not None and field.pence <= 0:
            raise wtforms.ValidationError("Enter the cover")

    def validate_premium(self, field) -> None:
        if field.pence is not None and field.pence <= 0:
            raise wtforms.ValidationError("Enter the premium")
