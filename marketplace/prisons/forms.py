from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField

from marketplace.forms import Form, MaxLength


class NominateForm(Form):
    note = TextAreaField(
        "Note for the employer (optional)", widget=GovTextArea(),
        description="What makes this person a good fit. The employer sees it only after the "
                    "person agrees to be put forward. Nothing about convictions or licence.",
        validators=[MaxLength(1000, "the note")])
    submit = SubmitField("Nominate", widget=GovSubmitInput())
