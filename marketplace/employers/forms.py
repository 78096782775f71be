from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from marketplace.forms import Form


class CandidateSearchForm(Form):
    """Search among matched candidates. A GET form: no CSRF token needed."""

    class Meta:
        csrf = False

    q = StringField("Search for skills or experience", widget=GovTextInput(),
                    validators=[Length(max=200, message="Your search must be 200 characters or "
                                                        "fewer")])
    miles = SelectField("Lives within", widget=GovSelect(), validators=[Optional()],
                        choices=[("", "Any distance")] + [(str(m), f"{m} miles")
                                                         for m in (5, 10, 25, 50)])
    submit = SubmitField("Search", widget=GovSubmitInput())
