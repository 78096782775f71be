from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from marketplace.forms import Form


class NominateForm(Form):
    note = TextAreaField(
        "Note for the employer (optional)", widget=GovTextArea(),
        description="What makes this person a good fit. The employer sees it only after the "
                    "person agrees to be put forward. Nothing about convictions or licence.",
        validators=[Length(max=1000, message="The note must be 1,000 characters or fewer")])
    submit = SubmitField("Nominate", widget=GovSubmitInput())
