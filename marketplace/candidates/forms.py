import datetime as dt

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
from wtforms.validators import NumberRange, Optional

from marketplace.disclosure.calculator import (
    NEEDS_LENGTH,
    ORDERS,
    DisposalKind,
    LengthOverMaximum,
    OrderEnd,
    check_maximum_length,
)
from marketplace.disclosure.explain import DISPOSAL_LABELS
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
from marketplace.types import HoursPattern, OffenceCategory, OpportunityKind, Sector

DATE_MESSAGE = "must be a real date, like 27 3 2019"
# No earlier record matters here: anyone convicted before it is long past working age.
EARLIEST_RECORD = dt.date(1900, 1, 1)


class ConvictionDetailsForm(Form):
    """What a conviction or caution was for: one date, one age, one or more offences. Its
    sentences are asked one at a time (SentenceForm). Used by the person and by their PEL."""

    offence = StringField("What was the offence?", widget=GovTextInput(),
                          description="In your own words, for example “theft from a shop”. If "
                                      "there was more than one, write them all.",
                          validators=[required("Enter the offence"), MaxLength(200, "the offence")])
    categories = SelectMultipleField(
        "Which groups is it in?", widget=GovCheckboxesInput(),
        description="Select all that apply.",
        choices=[(c.value, c.label) for c in OffenceCategory],
        validators=[chosen("Select the group the offence is in")])
    date = DateField("Date of the conviction or caution",
                     description="The day you were found guilty or cautioned. For example, "
                                 "27 3 2019",
                     invalid=f"Enter the date of the conviction or caution. It {DATE_MESSAGE}",
                     validators=[chosen(f"Enter the date of the conviction or caution. It "
                                        f"{DATE_MESSAGE}"),
                                 DateRange("the date of the conviction or caution",
                                           earliest=EARLIEST_RECORD, latest=TODAY)])
    under_18 = RadioField("How old were you on that date?", widget=GovRadioInput(),
                          choices=[("no", "18 or over"), ("yes", "Under 18")],
                          validators=[chosen("Select how old you were")])
    specified_offence = BooleanField("It is on the DBS list of offences that are never "
                                     "filtered", widget=GovCheckboxInput())
    schedule_18 = BooleanField("It is a serious violent, sexual or terrorist offence "
                               "(Schedule 18)", widget=GovCheckboxInput())
    summary_only = BooleanField("It could only be tried in a magistrates’ court",
                                widget=GovCheckboxInput())
    submit = SubmitField("Save", widget=GovSubmitInput())


class SentenceForm(Form):
    """One sentence given for a conviction (or the caution itself)."""

    disposal = SelectField("What did you get?", widget=GovSelect(),
                           choices=[("", "Choose one")] + [(k.value, DISPOSAL_LABELS[k])
                                                           for k in DisposalKind],
                           validators=[required("Select what you got")])
    length_months = IntegerField(
        "How long was it, in months? (if it had a length)", widget=GovTextInput(),
        description="For a prison sentence, the whole sentence, including time on licence.",
        validators=[Optional(), NumberRange(min=1, max=1200,
                                            message="Enter a length between 1 and 1200 months")])
    # ROA s.5(1)(f): an extended sentence is never spent only if passed from 4 April 2005.
    sentence_date = DateField(
        "Date of the sentence, if it was a different day (optional)",
        invalid=f"The date of the sentence {DATE_MESSAGE}",
        description="Leave this empty if you were sentenced on the day you were found guilty. "
                    "It matters for an extended sentence given around April 2005.",
        validators=[Optional(), DateRange("the date of the sentence", earliest=EARLIEST_RECORD,
                                          latest=TODAY)])
    # ROA s.5(2)/(3): an order "until further order" is not spent while it lasts; s.5(3) 24
    # months only where the order says nothing about its end; "I do not know" stays uncertain.
    order_end = RadioField(
        "Does the order have an end date?", widget=GovRadioInput(),
        description="Only for an order, like a restraining order, hospital order or "
                    "disqualification. If it ended early because of another order, put that "
                    "date in “When did it end?”.",
        choices=[(OrderEnd.DATE.value, "Yes"),
                 (OrderEnd.UNTIL_FURTHER_ORDER.value, "No, it lasts until a court ends it"),
                 (OrderEnd.NO_PROVISION.value, "No, the order does not say when it ends"),
                 (OrderEnd.UNKNOWN.value, "I do not know")],
        validators=[Optional()])
    end_date = DateField("When did it end? (optional)",
                         invalid=f"The date it ended {DATE_MESSAGE}",
                         description="For an order, the day it ended. For a compensation "
                                     "order, the day you paid it all.",
                         # An order may still be running: its end can be ahead.
                         validators=[Optional(),
                                     DateRange("the date it ended", earliest=EARLIEST_RECORD,
                                               latest=years_from_today(30))])
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here, not as a field validator: Optional() ends the field's own checks.
        if self.disposal.data in {k.value for k in NEEDS_LENGTH} and not self.length_months.data \
                and not self.length_months.errors:
            self.length_months.errors = [*self.length_months.errors,
                                         "Enter how long the sentence was, in months"]
            return False
        if self.disposal.data in {k.value for k in ORDERS} and \
                self.order_end.data == OrderEnd.DATE.value and not self.end_date.data \
                and not self.length_months.data and not self.end_date.errors:
            self.end_date.errors = [*self.end_date.errors, "Enter the date the order ends, or "
                                    "how long it lasts"]
            return False
        if self.disposal.data in {k.value for k in DisposalKind} and \
                self.length_months.data and not self.length_months.errors:
            try:
                check_maximum_length(DisposalKind(self.disposal.data), self.length_months.data)
            except LengthOverMaximum as error:
                self.length_months.errors = [*self.length_months.errors,
                                             error.message[:1].upper() + error.message[1:]]
                return False
        return valid


class NewConvictionForm(ConvictionDetailsForm, SentenceForm):
    """A new conviction with its first sentence: every conviction has at least one."""


class AnotherSentenceForm(Form):
    """GOV.UK "add another": asked under the list of a conviction's sentences."""

    another = RadioField("Do you need to add another sentence for this conviction?",
                         widget=GovRadioInput(), choices=[("yes", "Yes"), ("no", "No")],
                         description="For example, a fine or a restraining order given on the "
                                     "same day as a prison sentence.",
                         validators=[chosen("Select yes if you need to add another sentence")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class StatementForm(Form):
    text = TextAreaField("Your statement", widget=GovTextArea(),
                         validators=[required("Enter your statement"),
                                     MaxLength(5000, "your statement")])
    submit = SubmitField("Save statement", widget=GovSubmitInput())


class ConsentForm(Form):
    agree = BooleanField("I agree to share this with the employer", widget=GovCheckboxInput(),
                         validators=[chosen("Tick the box to agree")])
    submit = SubmitField("Share with the employer", widget=GovSubmitInput())


class PelConsentForm(Confirmed, Form):
    """The date on the signed form; recorded only from the check page that follows."""

    signed_on = DateField("Date the person signed the consent form",
                          invalid=f"The date the form was signed {DATE_MESSAGE}",
                          validators=[chosen(f"Enter the date the form was signed. It "
                                             f"{DATE_MESSAGE}"),
                                      DateRange("the date the form was signed",
                                                earliest=years_from_today(-1), latest=TODAY)])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class JobSearchForm(Form):
    """The search and filters on "Jobs for you". A GET form: no CSRF token needed."""

    class Meta:
        csrf = False

    q = StringField("Search for a job", widget=GovTextInput(),
                    description="For example: forklift, kitchen, painting",
                    validators=[MaxLength(1000, "your search")])
    kind = SelectField("Type", widget=GovSelect(), validators=[Optional()],
                       choices=[("", "Any type")] + [(k.value, k.label) for k in OpportunityKind])
    sector = SelectField("Kind of work", widget=GovSelect(), validators=[Optional()],
                         choices=[("", "Any kind of work")] + [(s.value, s.label)
                                                               for s in Sector])
    miles = SelectField("How far from home", widget=GovSelect(), validators=[Optional()],
                        choices=[("", "Any distance")] + [(str(m), f"Up to {m} miles")
                                                         for m in (5, 10, 25, 50)])
    guaranteed = BooleanField("Only jobs with a guaranteed interview",
                              widget=GovCheckboxInput())
    bond = BooleanField("Only jobs with a fidelity bond", widget=GovCheckboxInput(),
                        description="A fidelity bond is insurance. It covers the employer if "
                                    "money or goods go missing, so they can take you on.")
    submit = SubmitField("Search", widget=GovSubmitInput())


class ProfileForm(Form):
    """The skills profile: what matching uses and employers see without a name."""

    headline = StringField("Describe yourself in a few words (optional)", widget=GovTextInput(),
                           description="For example: “Hard-working, good with my hands”",
                           validators=[MaxLength(200, "the words that describe you")])
    skills_text = TextAreaField(
        "What can you do?", widget=GovTextArea(),
        description="Write it your way. Jobs in prison count, for example: “wing cleaner 2 "
                    "years, cooked for 300 on the wing, forklift licence”.",
        validators=[required("Tell us what you can do"), MaxLength(2000, "what you can do")])
    summary = TextAreaField("Anything else an employer should know? (optional)",
                            widget=GovTextArea(),
                            validators=[MaxLength(2000, "what else an employer should know")])
    preferred_sectors = SelectMultipleField("What kind of work do you want? (optional)",
                                            widget=GovCheckboxesInput(),
                                            choices=[(s.value, s.label) for s in Sector])
    preferred_hours = RadioField("What hours do you want?", widget=GovRadioInput(),
                                 choices=[("", "Any")] + [(h.value, h.label)
                                                          for h in HoursPattern],
                                 validators=[Optional()])
    max_travel_miles = SelectField("How far will you travel?", widget=GovSelect(),
                                   choices=[(str(m), f"Up to {m} miles")
                                            for m in (5, 10, 15, 25, 50)])
    home_district = StringField("Where do you live?", widget=GovTextInput(),
                                description="The first part of your postcode, like LS11.",
                                validators=[required("Enter the first part of your postcode"),
                                            MaxLength(10, "your postcode"), PostcodeDistrict()])
    visible_to_employers = BooleanField("Let employers find me (without my name)",
                                        widget=GovCheckboxInput())
    submit = SubmitField("Save profile", widget=GovSubmitInput())


class ApplyForm(Form):
    statement = TextAreaField(
        "Why do you want this job? (optional)", widget=GovTextArea(),
        description="A few lines is enough. The employer sees this with your name and profile. "
                    "Do not write about your convictions here.",
        validators=[MaxLength(2000, "why you want this job")])
    submit = SubmitField("Apply", widget=GovSubmitInput())


class ResponseForm(Form):
    response = TextAreaField(
        "Your answer", widget=GovTextArea(),
        description="For example, what has changed since the conviction, or who can speak for "
                    "you. Your PEL or probation officer can help you write it.",
        validators=[required("Enter what you want the employer to know"),
                    MaxLength(3000, "your answer")])
    submit = SubmitField("Send your answer", widget=GovSubmitInput())
