from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput
from wtforms import SelectMultipleField, SubmitField
from wtforms.validators import Optional

from marketplace.forms import Form


class EmailSettingsForm(Form):
    emails = SelectMultipleField("Email me when", widget=GovCheckboxesInput(),
                                 description="We always show every notice on your "
                                             "notifications page.",
                                 validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())
