import datetime as dt
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

from marketplace import clock, permissions
from marketplace.forms import (
    TODAY,
    Confirmed,
    DateField,
    DateRange,
    Form,
    MaxLength,
    PostcodeDistrict,
    Pounds,
    chosen,
    required,
    years_from_today,
)
from marketplace.models import Organisation
from marketplace.types import (
    CheckLevel,
    ContractType,
    HoursPattern,
    OffenceCategory,
    Sector,
)


class CandidateSearchForm(Form):
    """Search among matched candidates. A GET form: no CSRF token needed."""

    class Meta:
        csrf = False

    q = StringField("Search for skills or experience", widget=GovTextInput(),
                    validators=[MaxLength(1000, "your search")])
    miles = SelectField("Lives within", widget=GovSelect(), validators=[Optional()],
                        choices=[("", "Any distance")] + [(str(m), f"{m} miles")
                                                         for m in (5, 10, 25, 50)])
    submit = SubmitField("Search", widget=GovSubmitInput())


DATE_MESSAGE = "must be a real date, like 27 3 2027"
YES_NO = [("yes", "Yes"), ("no", "No")]


def pounds_text(pence: int | None) -> str:
    return "" if pence is None else f"{pence // 100}.{pence % 100:02d}"


class OpportunityForm(Form):
    """Post or edit an opportunity: every field and flag in DOMAIN.md, Opportunities.

    Rules that join several answers (pay, regulated activity, exclusions) are checked in
    `validate`, so each message sits on the field the employer has to change."""

    kind = RadioField("What are you offering?", widget=GovRadioInput(),
                      validators=[chosen("Select what you are offering")])
    title = StringField("Title", widget=GovTextInput(),
                        description="For example: Warehouse operative",
                        validators=[required("Enter a title"), MaxLength(160, "the title")])
    description = TextAreaField(
        "What will the person do?", widget=GovTextArea(),
        description="Short sentences in plain English. Many readers find long text hard.",
        validators=[required("Enter what the person will do"),
                    MaxLength(5000, "the description")])
    sector = SelectField("Sector", widget=GovSelect(),
                         choices=[("", "Choose a sector")] + [(s.value, s.label) for s in Sector],
                         validators=[required("Select a sector")])
    skills_text = TextAreaField(
        "Skills you want", widget=GovTextArea(),
        description="For example: forklift licence, stock control, food hygiene",
        validators=[required("Enter the skills you want"), MaxLength(2000, "the skills")])
    qualifications_wanted = TextAreaField(
        "Qualifications you want (optional)", widget=GovTextArea(),
        validators=[MaxLength(2000, "the qualifications")])
    postcode_district = StringField(
        "Where is the work?", widget=GovTextInput(),
        description="The first part of the postcode, like LS11",
        validators=[required("Enter the first part of the postcode where the work is"),
                    MaxLength(10, "the postcode"), PostcodeDistrict()])
    remote = BooleanField("The work can be done from home", widget=GovCheckboxInput())
    national = BooleanField("Open to people anywhere in the country (no distance limit)",
                            widget=GovCheckboxInput())
    hours = RadioField("Hours", widget=GovRadioInput(),
                       choices=[(h.value, h.label) for h in HoursPattern],
                       validators=[chosen("Select the hours")])
    hours_per_week = IntegerField(
        "Hours a week (optional)", widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, max=60,
                                            message="Hours a week must be between 1 and 60")])
    paid = RadioField("Is it paid?", widget=GovRadioInput(), choices=YES_NO,
                      validators=[chosen("Select whether it is paid")])
    pay_min = Pounds("Pay from, in pounds", invalid="Enter pay in pounds, like 12.71",
                     validators=[MaxLength(20, "the pay")])
    pay_max = Pounds("Pay up to, in pounds (optional)",
                     invalid="Enter the most it pays in pounds, like 14.50",
                     validators=[MaxLength(20, "the most it pays")])
    pay_period = SelectField("Pay is for each", widget=GovSelect(), validators=[Optional()],
                             choices=[("", "Choose"), ("hour", "Hour"), ("week", "Week"),
                                      ("year", "Year")])
    pays_minimum_wage = BooleanField("It pays at least the National Minimum Wage",
                                     widget=GovCheckboxInput())
    contract = SelectField("Contract", widget=GovSelect(),
                           choices=[("", "Choose a contract")] + [(c.value, c.label)
                                                                  for c in ContractType],
                           validators=[required("Select the contract")])
    places = IntegerField("Number of places", widget=GovTextInput(),
                          validators=[chosen("Enter the number of places, like 2"),
                                      NumberRange(min=1, max=500, message="The number of "
                                                  "places must be between 1 and 500")])
    start_date = DateField("Start date (optional)", invalid=f"The start date {DATE_MESSAGE}",
                           description="For example, 27 3 2027",
                           validators=[Optional(),
                                       DateRange("the start date", earliest=years_from_today(-1),
                                                 latest=years_from_today(5))])
    closing_date = DateField("Closing date", invalid=f"The closing date {DATE_MESSAGE}",
                             description="It disappears from searches after this day. For "
                                         "example, 27 3 2027",
                             validators=[chosen(f"Enter the closing date. It {DATE_MESSAGE}"),
                                         DateRange("the closing date", earliest=TODAY,
                                                   latest=years_from_today(5))])
    guaranteed_interview = BooleanField(
        "Everyone who meets the minimum requirements gets an interview",
        widget=GovCheckboxInput())
    minimum_requirements = TextAreaField(
        "Minimum requirements (for a guaranteed interview)", widget=GovTextArea(),
        description="Only what the job really needs, for example: forklift licence",
        validators=[MaxLength(2000, "the minimum requirements")])
    bond_backed = BooleanField("The hire can be covered by a fidelity bond",
                               widget=GovCheckboxInput(),
                               description="Insurance that covers you if money or goods go "
                                           "missing. Candidates see that you have it.")
    check_level = RadioField("Criminal record check", widget=GovRadioInput(),
                             choices=[(c.value, c.label) for c in CheckLevel],
                             validators=[chosen("Select the criminal record check")])
    regulated_activity = RadioField(
        "Is it regulated activity?", widget=GovRadioInput(),
        choices=[("none", "No"), ("children", "Yes, with children"),
                 ("vulnerable_adults", "Yes, with adults who need care"),
                 ("both", "Yes, with children and with adults who need care")],
        validators=[chosen("Select whether it is regulated activity")])
    accepts_in_custody = BooleanField("People still in prison can apply",
                                      widget=GovCheckboxInput())
    accepts_rotl = BooleanField("People on day release (ROTL) can do it",
                                widget=GovCheckboxInput())
    latest_release_date = DateField(
        "Latest release date you can wait for (optional)",
        invalid=f"The latest release date {DATE_MESSAGE}",
        description="For someone still in prison. For example, 27 3 2027",
        validators=[Optional(), DateRange("the latest release date", earliest=TODAY,
                                          latest=years_from_today(30))])
    exclusions = SelectMultipleField(
        "Offences you cannot accept for this role (optional)", widget=GovCheckboxesInput(),
        description="Only where the role really needs it. We check this using only what the "
                    "law lets you consider, and we never tell you who was left out or why.",
        choices=[(c.value, c.label) for c in OffenceCategory], validators=[Optional()])
    exclusion_reason = TextAreaField(
        "Why you cannot accept “other” offences", widget=GovTextArea(),
        validators=[MaxLength(1000, "the reason")])
    case_by_case = BooleanField("We look at each person’s record case by case",
                                widget=GovCheckboxInput())
    ring_fenced = BooleanField("Only for people leaving prison", widget=GovCheckboxInput())
    how_to_apply = TextAreaField(
        "How to apply (optional)", widget=GovTextArea(),
        validators=[MaxLength(2000, "how to apply")])
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds the organisation may post: another kind, even in a hand-made request,
        # is "Not a valid choice".
        self.kind.choices = [(k.value, k.label) for k in permissions.kinds_allowed(organisation)]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problems = []
        if self.paid.data == "yes" and not self.pay_min.errors:
            if self.pay_min.pence is None:
                problems.append((self.pay_min, "Enter the pay, like 12.71"))
            elif not self.pay_period.data:
                problems.append((self.pay_period, "Select whether the pay is for each hour, "
                                                  "week or year"))
            if (self.pay_max.pence is not None and self.pay_min.pence is not None
                    and self.pay_max.pence < self.pay_min.pence):
                problems.append((self.pay_max, "The most it pays must be at least the pay "
                                               "from"))
        if self.regulated_activity.data not in (None, "none") \
                and self.check_level.data != CheckLevel.ENHANCED_BARRED.value:
            problems.append((self.check_level, "Regulated activity needs an enhanced DBS check "
                                               "with barred list"))
        if OffenceCategory.OTHER.value in (self.exclusions.data or []) \
                and not self.exclusion_reason.data:
            problems.append((self.exclusion_reason, "Enter why you cannot accept “other” "
                                                    "offences"))
        for field, message in problems:
            field.errors = [*field.errors, message]
        return valid and not problems


# --- actions on an application (journey.allowed_actions names them) ---------------------------


class ActionForm(Form):
    """An action with nothing to fill in: shortlist, make or confirm an offer."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class ConfirmedActionForm(Confirmed, ActionForm):
    """Make or confirm an offer: only from its check page (the candidate is told at once)."""


class ReasonForm(Confirmed, Form):
    """Turn down or withdraw, with a reason the candidate reads: asked on the check page that
    says what will happen."""

    reason = TextAreaField(
        "Reason", widget=GovTextArea(),
        description="The candidate will see this. Be kind and clear: say what would have "
                    "helped.",
        validators=[required("Enter the reason. The candidate will see it"),
                    MaxLength(2000, "the reason")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class InterviewForm(Form):
    day = DateField("Interview date", invalid=f"The interview date {DATE_MESSAGE}",
                    validators=[chosen(f"Enter the interview date. It {DATE_MESSAGE}"),
                                DateRange("the interview date", earliest=TODAY,
                                          latest=years_from_today(1))])
    time = StringField("Time", widget=GovTextInput(), description="For example, 10:30 or 14:00",
                       validators=[required("Enter the time, like 10:30"),
                                   MaxLength(20, "the time")])
    location = StringField("Where", widget=GovTextInput(),
                           description="An address, or “video call” with how to join",
                           validators=[required("Enter where the interview will be"),
                                       MaxLength(200, "the interview location")])
    submit = SubmitField("Book interview", widget=GovSubmitInput())

    def validate_time(self, field) -> None:
        match = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", field.data or "")
        if not match:
            raise ValidationError("Enter the time as hours and minutes, like 10:30 or 14:00")
        field.parsed = dt.time(int(match[1]), int(match[2]))

    @property
    def when(self) -> dt.datetime:
        """The moment, aware: the employer types UK time."""
        return dt.datetime.combine(self.day.data, self.time.parsed, tzinfo=clock.UK)


class AttendedForm(Form):
    attended = RadioField("Did they come to the interview?", widget=GovRadioInput(),
                          choices=YES_NO, validators=[chosen("Select whether they came")])
    submit = SubmitField("Save", widget=GovSubmitInput())


class StartForm(Form):
    started_on = DateField("Start date", invalid=f"The start date {DATE_MESSAGE}",
                           validators=[chosen(f"Enter the start date. It {DATE_MESSAGE}"),
                                       DateRange("the start date", earliest=years_from_today(-1),
                                                 latest=years_from_today(1))])
    submit = SubmitField("Record start", widget=GovSubmitInput())


# In the order the page offers them.
ACTION_FORMS = {
    "shortlist": ActionForm, "book_interview": InterviewForm, "record_interview": AttendedForm,
    "make_conditional_offer": ConfirmedActionForm, "confirm_offer": ConfirmedActionForm,
    "start": StartForm, "withdraw_offer": ReasonForm, "reject": ReasonForm,
}
# Those that cannot be undone: each has a page of its own saying what will happen and to whom.
CONFIRMED_ACTIONS = frozenset(name for name, form in ACTION_FORMS.items()
                              if issubclass(form, Confirmed))
