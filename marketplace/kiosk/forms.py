from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Optional

from marketplace.custody.kiosk import DISTANCES
from marketplace.forms import Form, MaxLength, PostcodeDistrict, required


class AreaForm(Form):
    """Where to look: a GET form (no CSRF token), from the query string."""

    class Meta:
        csrf = False

    area = StringField("Your home area", widget=GovTextInput(),
                       description="The first part of the postcode you will live at, like LS11",
                       validators=[required("Enter the first part of the postcode you will "
                                            "live at, like LS11"),
                                   MaxLength(8, "your home area"), PostcodeDistrict()])
    miles = SelectField("How far can you travel?", widget=GovSelect(),
                        validators=[Optional()],
                        choices=[(str(m), f"Up to {m} miles") for m in DISTANCES])
    q = StringField("Words to look for (optional)", widget=GovTextInput(),
                    description="For example: kitchen, forklift, cleaning",
                    validators=[MaxLength(100, "your search")])
    submit = SubmitField("Show jobs", widget=GovSubmitInput())


class AskForm(Form):
    prison_number = StringField("Your prison number", widget=GovTextInput(),
                                description="For example, A1234BC",
                                filters=[lambda v: "".join(v.split()) if isinstance(v, str)
                                         else v],
                                validators=[required("Enter your prison number"),
                                            MaxLength(7, "your prison number")])
    submit = SubmitField("Ask my employment lead", widget=GovSubmitInput())
