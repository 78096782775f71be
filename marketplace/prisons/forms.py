import re

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional, ValidationError

from marketplace.candidates.forms import ProfileForm
from marketplace.custody.people import CONSENT_FORM_VERSIONS
from marketplace.forms import (
    TODAY,
    Confirmed,
    DateField,
    DateRange,
    Form,
    MaxLength,
    PostcodeDistrict,
    chosen,
    required,
    years_from_today,
)
from marketplace.types import (
    CandidateStatus,
    ReadinessLevel,
    ReleaseDateCertainty,
    SupportNeed,
)


class NominateForm(Form):
    note = TextAreaField(
        "Note for the employer (optional)", widget=GovTextArea(),
        description="What makes this person a good fit. The employer sees it only after the "
                    "person agrees to be put forward. Nothing about convictions or licence.",
        validators=[MaxLength(1000, "the note")])
    submit = SubmitField("Nominate", widget=GovSubmitInput())



# --- the custody channel (issue 13) ---------------------------------------------------------------

DATE_HINT = "For example, 27 3 2026"
YES_NO = [("yes", "Yes"), ("no", "No")]


def _no_spaces(value):
    return "".join(value.split()) if isinstance(value, str) else value


class PrisonNumber:
    """A NOMIS prison number: a letter, four digits, two letters (A1234BC)."""

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        value = re.sub(r"\s+", "", field.data.upper())
        if not re.fullmatch(r"[A-Z][0-9]{4}[A-Z]{2}", value):
            raise ValidationError("Enter a prison number in the right format, like A1234BC")
        field.data = value


class AddPersonForm(Form):
    first_name = StringField("First name", widget=GovTextInput(),
                             validators=[required("Enter their first name"),
                                         MaxLength(60, "the first name")])
    last_name = StringField("Last name", widget=GovTextInput(),
                            validators=[required("Enter their last name"),
                                        MaxLength(60, "the last name")])
    prison_number = StringField("Prison number", widget=GovTextInput(),
                                description="For example, A1234BC", filters=[_no_spaces],
                                validators=[required("Enter their prison number"),
                                            MaxLength(7, "the prison number"), PrisonNumber()])
    date_of_birth = DateField(
        "Date of birth", description="For example, 27 3 1990",
        invalid="Date of birth must be a real date",
        validators=[chosen("Enter their date of birth"),
                    DateRange("date of birth", earliest=years_from_today(-100),
                              latest=years_from_today(-15))])
    release_date = DateField(
        "Expected release date", description=DATE_HINT,
        invalid="Expected release date must be a real date",
        validators=[chosen("Enter their expected release date"),
                    DateRange("expected release date", earliest=TODAY,
                              latest=years_from_today(30))])
    release_certainty = RadioField(
        "Could the release date change?", widget=GovRadioInput(),
        choices=[(c.value, c.label) for c in ReleaseDateCertainty],
        validators=[chosen("Select whether the release date could change")])
    home_district = StringField(
        "Home area on release", widget=GovTextInput(),
        description="The first part of the postcode they will live at, like LS11",
        validators=[required("Enter the first part of the postcode they will live at"),
                    MaxLength(8, "the home area"), PostcodeDistrict()])
    right_to_work_seen = RadioField(
        "Have you seen evidence of their right to work in the UK?", widget=GovRadioInput(),
        choices=YES_NO, validators=[chosen("Select whether you have seen right to work "
                                           "evidence")])
    right_to_work_seen_on = DateField(
        "Date the evidence was seen", description=DATE_HINT,
        invalid="The date the evidence was seen must be a real date",
        validators=[DateRange("the date the evidence was seen", earliest=years_from_today(-10),
                              latest=TODAY)])
    right_to_work_seen_by = StringField(
        "Who saw the evidence", widget=GovTextInput(), description="Their full name",
        validators=[MaxLength(120, "who saw the evidence")])
    consent_signed_on = DateField(
        "Date they signed the consent form to be on the service", description=DATE_HINT,
        invalid="The date they signed the consent form must be a real date",
        validators=[chosen("Enter the date they signed the consent form. Nobody can be added "
                           "without signed consent"),
                    DateRange("the date they signed the consent form",
                              earliest=years_from_today(-1), latest=TODAY)])
    form_version = RadioField(
        "Version printed on the consent form", widget=GovRadioInput(),
        choices=[(v, v) for v in CONSENT_FORM_VERSIONS],
        validators=[chosen("Select the version printed on the consent form")])
    submit = SubmitField("Add person", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.right_to_work_seen.data == "yes":
            if self.right_to_work_seen_on.data is None and not self.right_to_work_seen_on.errors:
                self.right_to_work_seen_on.errors = ["Enter the date the evidence was seen"]
                ok = False
            if not self.right_to_work_seen_by.data:
                self.right_to_work_seen_by.errors = [*self.right_to_work_seen_by.errors,
                                                     "Enter who saw the evidence"]
                ok = False
        return ok


class PlatformConsentForm(Form):
    signed_on = DateField(
        "Date they signed the consent form", description=DATE_HINT,
        invalid="The date they signed the consent form must be a real date",
        validators=[chosen("Enter the date they signed the consent form"),
                    DateRange("the date they signed the consent form",
                              earliest=years_from_today(-1), latest=TODAY)])
    form_version = RadioField(
        "Version printed on the consent form", widget=GovRadioInput(),
        choices=[(v, v) for v in CONSENT_FORM_VERSIONS],
        validators=[chosen("Select the version printed on the consent form")])
    submit = SubmitField("Record consent", widget=GovSubmitInput())


class WithdrawConsentForm(Confirmed, Form):
    submit = SubmitField("Withdraw consent", widget=GovSubmitInput())


class ReadinessForm(Form):
    level = RadioField("How ready for work are they?", widget=GovRadioInput(),
                       choices=[(r.value, r.label) for r in ReadinessLevel],
                       validators=[chosen("Select how ready for work they are")])
    support = SelectMultipleField(
        "What support do they need? (optional)", widget=GovCheckboxesInput(),
        description="Select all that apply",
        choices=[(s.value, s.label) for s in SupportNeed], validators=[Optional()])
    note = TextAreaField("Note (optional)", widget=GovTextArea(),
                         validators=[MaxLength(1000, "the note")])
    submit = SubmitField("Save", widget=GovSubmitInput())


class TransferForm(Confirmed, Form):
    to_prison = SelectField("Prison they moved to", widget=GovSelect(), choices=[],
                            validators=[required("Select the prison they moved to")])
    moved_on = DateField(
        "Date they moved", description=DATE_HINT, invalid="The date they moved must be a real date",
        validators=[chosen("Enter the date they moved"),
                    DateRange("the date they moved", earliest=years_from_today(-1),
                              latest=TODAY)])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ReleaseForm(Confirmed, Form):
    released_on = DateField(
        "Date of release", description=DATE_HINT, invalid="The date of release must be a real date",
        validators=[chosen("Enter the date of release"),
                    DateRange("the date of release", earliest=years_from_today(-1),
                              latest=TODAY)])
    status = RadioField("After release they are", widget=GovRadioInput(),
                        choices=[(CandidateStatus.ON_LICENCE.value, "On licence"),
                                 (CandidateStatus.RELEASED.value, "Released, not on licence")],
                        validators=[chosen("Select whether they are on licence")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class MessageDecisionForm(Confirmed, Form):
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           description="The writer sees this. Say what to change.",
                           validators=[MaxLength(500, "the reason")])
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class CaseloadForm(Form):
    """The caseload's search, filters and order: a GET form (no CSRF token), from the query
    string. Anything a tampered link sends outside the choices is ignored, not an error page."""

    class Meta:
        csrf = False

    q = StringField("Search by name or prison number", widget=GovTextInput(),
                    validators=[MaxLength(100, "your search")])
    release = SelectField("Release", widget=GovSelect(), validators=[Optional()],
                          choices=[("", "Any time"), ("12", "Within 12 weeks"),
                                   ("26", "Within 26 weeks"), ("52", "Within a year")])
    readiness = SelectField("Work readiness", widget=GovSelect(), validators=[Optional()],
                            choices=[("", "Any"), *[(r.value, r.label) for r in ReadinessLevel],
                                     ("not_recorded", "Not recorded")])
    applications = BooleanField("Only people with applications", widget=GovCheckboxInput())
    sort = SelectField("Order", widget=GovSelect(), validators=[Optional()],
                       choices=[("", "Soonest release first"), ("readiness", "Most ready first")])
    submit = SubmitField("Show people", widget=GovSubmitInput())

    def answer(self, name: str) -> str | None:
        field = getattr(self, name)
        return field.data if field.data and not field.errors and field.data in dict(
            field.choices) else None


class BulkNominateForm(Form):
    people = SelectMultipleField("People to nominate", widget=GovCheckboxesInput(), choices=[],
                                 description="Select everyone who should be put forward",
                                 validators=[chosen("Select at least one person to "
                                                    "nominate")])
    note = TextAreaField("Note for the employer (optional)", widget=GovTextArea(),
                         description="The same note for everyone. The employer sees it only "
                                     "after each person agrees. Nothing about convictions.",
                         validators=[MaxLength(1000, "the note")])
    submit = SubmitField("Nominate", widget=GovSubmitInput())


class JobpointForm(Form):
    label = StringField("Name for this terminal", widget=GovTextInput(),
                        description="So you can tell your Jobpoints apart, like “A wing, "
                                    "library”",
                        validators=[required("Enter a name for this terminal"),
                                    MaxLength(80, "the name")])
    submit = SubmitField("Make this computer a Jobpoint", widget=GovSubmitInput())


class QualificationForm(Form):
    course = StringField("Qualification or course", widget=GovTextInput(),
                       description="Start typing to see courses done in prison, like PICTA",
                       validators=[required("Enter the qualification or course"),
                                   MaxLength(200, "the qualification or course")])
    awarding_body = StringField("Who awarded it (optional)", widget=GovTextInput(),
                                validators=[MaxLength(120, "who awarded it")])
    achieved_on = DateField(
        "Date achieved (optional)", description="For example, 27 3 2026",
        invalid="The date achieved must be a real date",
        validators=[Optional(), DateRange("the date achieved", earliest=years_from_today(-60),
                                          latest=TODAY)])
    in_custody = BooleanField("Done in prison", widget=GovCheckboxInput())
    submit = SubmitField("Add qualification", widget=GovSubmitInput())


class WorkForm(Form):
    job = StringField("Job or role", widget=GovTextInput(),
                       description="Prison jobs count, like wing cleaner or kitchen worker",
                       validators=[required("Enter the job or role"),
                                   MaxLength(120, "the job or role")])
    employer = StringField("Where (optional)", widget=GovTextInput(),
                           validators=[MaxLength(120, "where they worked")])
    start_year = IntegerField("Year started", widget=GovTextInput(),
                              validators=[chosen("Enter the year they started, like 2019"),
                                          NumberRange(min=1950, max=2100, message="The year "
                                                      "started must be between 1950 and 2100")])
    end_year = IntegerField("Year finished (optional)", widget=GovTextInput(),
                            description="Leave it empty if they still do it",
                            validators=[Optional(), NumberRange(
                                min=1950, max=2100,
                                message="The year finished must be between 1950 and 2100")])
    in_custody = BooleanField("In prison", widget=GovCheckboxInput())
    description = TextAreaField("What they did (optional)", widget=GovTextArea(),
                                validators=[MaxLength(1000, "what they did")])
    submit = SubmitField("Add job", widget=GovSubmitInput())

    def validate_end_year(self, field) -> None:
        if field.data is not None and self.start_year.data is not None \
                and field.data < self.start_year.data:
            raise ValidationError("The year finished must be the same as or after the year "
                                  "started")


class PelProfileForm(ProfileForm):
    """The person's own profile form (candidates/forms.py), filled in with them, plus one box
    that suggests skills from the vocabulary as they type (a datalist: no JavaScript needed)."""

    add_skill = StringField("Add a skill from the list (optional)", widget=GovTextInput(),
                            description="Start typing, like “fork” or “cook”, and choose one",
                            validators=[MaxLength(100, "the skill")])
