from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, ValidationError

from marketplace.auth.forms import EMAIL_MESSAGE
from marketplace.forms import Form, MaxLength, chosen, required
from marketplace.types import Role


class DecisionForm(Form):
    decision = RadioField("Decision", widget=GovRadioInput(),
                          choices=[("approve", "Approve: they can post opportunities"),
                                   ("reject", "Reject")],
                          validators=[chosen("Select approve or reject")])
    reason = TextAreaField("Reason (the employer will see this)", widget=GovTextArea(),
                           validators=[MaxLength(2000, "the reason")])
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def validate_reason(self, field):
        if self.decision.data == "reject" and not field.data:
            raise ValidationError("Enter a reason for rejecting the organisation")


class InviteForm(Form):
    full_name = StringField("Full name", widget=GovTextInput(),
                            validators=[required("Enter their full name"),
                                        MaxLength(120, "their full name")])
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[required("Enter their email address"),
                                   Email(message=EMAIL_MESSAGE),
                                   MaxLength(254, "their email address")])
    role = RadioField("Role", widget=GovRadioInput(),
                      choices=[(Role.PEL.value, Role.PEL.label),
                               (Role.ADMIN.value, Role.ADMIN.label)],
                      validators=[chosen("Select a role")])
    prison_id = SelectField("Prison (for a prison employment lead)", widget=GovSelect(),
                            choices=[], validate_choice=False)
    submit = SubmitField("Send invitation", widget=GovSubmitInput())

    def validate_prison_id(self, field):
        if self.role.data == Role.PEL.value:
            valid = {str(value) for value, _ in field.choices if value}
            if field.data not in valid:
                raise ValidationError("Select the prison they work in")
