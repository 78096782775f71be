from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, EqualTo

from marketplace.forms import Form, MaxLength, Password, PostcodeDistrict, chosen, required
from marketplace.types import CandidateStatus, OrganisationSize, Pledge, Sector

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


class SignInForm(Form):
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[required("Enter your email address"),
                                   MaxLength(254, "your email address")])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[required("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class _NewPassword:
    password = PasswordField(
        "Create a password", widget=GovPasswordInput(),
        description=Password.RULE,
        validators=[required("Enter a password"), Password()],
    )
    confirm = PasswordField(
        "Type the password again", widget=GovPasswordInput(),
        validators=[required("Type your password again"),
                    EqualTo("password", message="The passwords do not match. Type them again")],
    )


class _Person:
    full_name = StringField("Full name", widget=GovTextInput(),
                            validators=[required("Enter your full name"),
                                        MaxLength(120, "your full name")])
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[required("Enter your email address"),
                                   Email(message=EMAIL_MESSAGE),
                                   MaxLength(254, "your email address")])


class CandidateRegistrationForm(Form, _Person, _NewPassword):
    # Shorter than other people's: it is kept as a first and a last name of 60 characters each.
    full_name = StringField("Full name", widget=GovTextInput(),
                            validators=[required("Enter your full name"),
                                        MaxLength(60, "your full name")])
    status = RadioField(
        "Where are you now?", widget=GovRadioInput(),
        choices=[(CandidateStatus.ON_LICENCE.value, "I have left prison and I am on licence"),
                 (CandidateStatus.RELEASED.value, "I have left prison and my licence has ended")],
        validators=[chosen("Select where you are now")],
    )
    home_district = StringField(
        "Where do you live?", widget=GovTextInput(),
        description="The first part of your postcode, like LS11 or M4. We use it to find jobs "
                    "near you. We never show your full address.",
        validators=[required("Enter the first part of your postcode"),
                    MaxLength(10, "your postcode"), PostcodeDistrict()],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())


class EmployerRegistrationForm(Form, _Person, _NewPassword):
    organisation_name = StringField("Organisation name", widget=GovTextInput(),
                                    validators=[required("Enter your organisation’s name"),
                                                MaxLength(160, "your organisation’s name")])
    sector = SelectField("Sector", widget=GovSelect(),
                         choices=[("", "Choose a sector")] + [(s.value, s.label) for s in Sector],
                         validators=[required("Select your sector")])
    size = RadioField("How many staff?", widget=GovRadioInput(),
                      choices=[(s.value, s.label) for s in OrganisationSize],
                      validators=[chosen("Select how many staff you have")])
    region = SelectField("Region", widget=GovSelect(), choices=[],
                         validators=[required("Select your region")])
    alliance_level = RadioField(
        "How will you take part?", widget=GovRadioInput(),
        choices=[("1", "Level 1: help people get ready for work (mentoring, CV help, mock "
                       "interviews)"),
                 ("2", "Level 2: run training or paid work placements"),
                 ("3", "Level 3: recruit people from prison and probation")],
        validators=[chosen("Select how you will take part")],
    )
    pledges = SelectMultipleField("Pledges you have signed (optional)",
                                  widget=GovCheckboxesInput(),
                                  choices=[(p.value, p.label) for p in Pledge])
    about = TextAreaField("About your organisation (optional)", widget=GovTextArea(),
                          validators=[MaxLength(2000, "what you say about your organisation")])
    submit = SubmitField("Register organisation", widget=GovSubmitInput())


class ConfirmEmailForm(Form):
    submit = SubmitField("Confirm and finish", widget=GovSubmitInput())


class AcceptInviteForm(Form, _NewPassword):
    submit = SubmitField("Create account", widget=GovSubmitInput())


class ResetRequestForm(Form):
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[required("Enter your email address"),
                                   Email(message=EMAIL_MESSAGE),
                                   MaxLength(254, "your email address")])
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class ResetPasswordForm(Form, _NewPassword):
    submit = SubmitField("Change password", widget=GovSubmitInput())
