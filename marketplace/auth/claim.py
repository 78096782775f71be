"""/claim: a person released from prison takes over the account their prison employment lead
kept for them, with the one-time code on their release slip (issue 13).

The code works once and for 30 days (custody/people.py keeps only its hash). A wrong, used or
expired code gets one answer, so a guess learns nothing, and failed tries are rate-limited per
address. The new account confirms its email address like any other before anyone signs in."""

from flask import current_app, g, render_template
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import Email

from marketplace.auth import bp, emails, services
from marketplace.auth.forms import EMAIL_MESSAGE, _NewPassword
from marketplace.custody import people
from marketplace.extensions import db, limiter
from marketplace.forms import Form, MaxLength, required
from marketplace.models import User
from marketplace.permissions import public
from marketplace.types import Role


class ClaimForm(Form, _NewPassword):
    claim_code = StringField("Code from your release slip", widget=GovTextInput(),
                       description="For example, ABCD-EFGH-JKMN",
                       validators=[required("Enter the code from your release slip"),
                                   MaxLength(30, "the code")])
    email = EmailField("Your email address", widget=GovTextInput(),
                       description="We will send you a link to check it",
                       validators=[required("Enter your email address"),
                                   Email(message=EMAIL_MESSAGE),
                                   MaxLength(254, "your email address")])
    submit = SubmitField("Take over my account", widget=GovSubmitInput())


def _limit() -> str:
    return current_app.config["CLAIM_RATE_LIMIT"]


def _failed(response) -> bool:
    return g.get("claim_failed", False)


@bp.route("/claim", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], deduct_when=_failed)
@public
def claim():
    form = ClaimForm()
    if form.validate_on_submit():
        found = people.open_claim(form.claim_code.data)
        if found is None:
            g.claim_failed = True
            form.claim_code.errors = [
                "This code does not work. Check you typed it as it is on your release slip. If "
                "it still does not work, ask your employment lead or probation worker for a new "
                "one"]
        elif services.find_user(form.email.data):
            form.email.errors = ["This email address already has an account. Use another "
                                 "email address"]
        else:
            user = User(email=services.normalise_email(form.email.data),
                        full_name=found.candidate.full_name, role=Role.CANDIDATE,
                        password_hash=services.hash_password(form.password.data))
            db.session.add(user)
            db.session.flush()
            people.hand_over(found, user)
            emails.confirm_address(user)
            return render_template("auth/check_email.html", email=user.email)
    elif form.is_submitted():
        g.claim_failed = True
    return render_template("auth/claim.html", form=form)
