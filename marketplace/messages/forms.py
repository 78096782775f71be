from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField

from marketplace.custody.messages import MAX_LENGTH
from marketplace.forms import Form, MaxLength, required


class MessageForm(Form):
    body = TextAreaField("Your message", widget=GovTextArea(),
                         validators=[required("Enter your message"),
                                     MaxLength(MAX_LENGTH, "your message")])
    submit = SubmitField("Send message", widget=GovSubmitInput())
