from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace.auth import bp, emails, services, sessions
from marketplace.auth.forms import (
    AcceptInviteForm,
    CandidateRegistrationForm,
    ConfirmEmailForm,
    EmployerRegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from marketplace.extensions import limiter
from marketplace.permissions import public, signed_in
from marketplace.reference import services as reference
from marketplace.types import CandidateStatus, OrganisationSize, Pledge, Role, Sector

# Rate limits (README, Configuration). Sign-in counts failures twice: per account, so one
# person's password cannot be guessed from many addresses, and per address, set far higher, so
# that people sharing a prison's or probation office's address are not locked out together.


def _limit(name: str):
    return lambda: current_app.config[name]


def _submitted_email() -> str:
    return services.normalise_email(request.form.get("email", ""))


def _no_email() -> bool:
    return not _submitted_email()  # nothing to count against: the form asks for one


def _sign_in_failed(response) -> bool:
    return response.status_code == 200  # a sign-in that works redirects


def _address_emailed(response) -> bool:
    return g.get("address_emailed", False)


# Every accepted registration or reset request counts against the address typed, whether or not
# it has an account (so the limit cannot tell which do): it stops anyone filling a mailbox.
_emails_to_one_address = limiter.shared_limit(
    _limit("EMAIL_RATE_LIMIT"), "emails-to-one-address", key_func=_submitted_email,
    methods=["POST"], exempt_when=_no_email, deduct_when=_address_emailed)
_forms_from_one_address = limiter.shared_limit(
    _limit("FORM_ADDRESS_RATE_LIMIT"), "account-forms-from-one-address", methods=["POST"])


def _safe_next(target: str | None) -> str:
    """Only local paths: an attacker's link must not send people elsewhere after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("views.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_limit("SIGN_IN_ACCOUNT_RATE_LIMIT"), key_func=_submitted_email, methods=["POST"],
               exempt_when=_no_email, deduct_when=_sign_in_failed)
@limiter.limit(_limit("SIGN_IN_ADDRESS_RATE_LIMIT"), methods=["POST"],
               deduct_when=_sign_in_failed)
@public
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.EmailNotConfirmed:
            form.email.errors.append(
                "Confirm your email address before you sign in. Use the link we sent you when "
                "you registered. To get a new link, register again with the same email address")
        else:
            if user is not None:
                sessions.start(user)
                return redirect(_safe_next(request.args.get("next")))
            form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    sessions.end_everywhere(current_user._get_current_object())
    flash("You have signed out.", "success")
    return redirect(url_for("views.start"))


@bp.route("/register")
@public
def register():
    return render_template("auth/register.html")


@bp.route("/register/candidate", methods=["GET", "POST"])
@_forms_from_one_address
@_emails_to_one_address
@public
def register_candidate():
    form = CandidateRegistrationForm()
    if form.validate_on_submit():
        return _registered(lambda: services.register_candidate(
            email=form.email.data, full_name=form.full_name.data,
            password=form.password.data, home_district=form.home_district.data,
            status=CandidateStatus(form.status.data)), form.email.data)
    return render_template("auth/register_candidate.html", form=form)


@bp.route("/register/employer", methods=["GET", "POST"])
@_forms_from_one_address
@_emails_to_one_address
@public
def register_employer():
    form = EmployerRegistrationForm()
    form.region.choices = [("", "Choose a region")] + [(r, r) for r in reference.regions()]
    if form.validate_on_submit():
        try:
            return _registered(lambda: services.register_employer(
                email=form.email.data, full_name=form.full_name.data,
                password=form.password.data, organisation_name=form.organisation_name.data,
                sector=Sector(form.sector.data), size=OrganisationSize(form.size.data),
                region=form.region.data, alliance_level=int(form.alliance_level.data),
                pledges=[Pledge(p) for p in form.pledges.data or []], about=form.about.data),
                form.email.data)
        except services.OrganisationNameTaken:
            form.organisation_name.errors.append(
                "An organisation with this name is already registered. Ask a colleague who "
                "uses the service to add you")
    return render_template("auth/register_employer.html", form=form)


def _registered(register, email: str):
    """The same page whether or not the address already has an account, so that registering
    cannot be used to find out who uses the service; the email says which it was."""
    try:
        user = register()
    except services.EmailTaken:
        owner = services.find_user(email)
        if owner.is_active:
            emails.already_registered(owner)
    else:
        emails.confirm_address(user)
    g.address_emailed = True
    return render_template("auth/check_email.html", email=services.normalise_email(email))


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
@public
def confirm_email(token: str):
    """A button, not the link alone: mail scanners open every link in an email, and must not
    confirm an address nobody has read."""
    user = services.user_for_confirmation_token(token)
    if user is None:
        return render_template("auth/confirm_invalid.html"), 404
    if user.email_confirmed_at is not None:
        flash("Your email address is already confirmed. Sign in to use your account.", "info")
        return redirect(url_for("auth.sign_in"))
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        services.confirm_email(user)
        sessions.start(user)
        if user.role is Role.EMPLOYER:
            flash("Your organisation is registered. An administrator will check it, usually "
                  "within 2 working days.", "success")
        else:
            flash("Your account is ready. Add your skills so we can find jobs for you.",
                  "success")
        return redirect(url_for("views.dashboard"))
    return render_template("auth/confirm_email.html", form=form, user=user)


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
def accept_invite(token: str):
    invite = services.open_invite(token)
    if invite is None:
        return render_template("auth/invite_invalid.html"), 404
    form = AcceptInviteForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invite(invite, form.password.data)
        except services.EmailTaken:
            abort(409)
        sessions.start(user)
        flash("Your account is ready.", "success")
        return redirect(url_for("views.dashboard"))
    return render_template("auth/accept_invite.html", form=form, invite=invite)


@bp.route("/reset-password", methods=["GET", "POST"])
@_forms_from_one_address
@_emails_to_one_address
@public
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and user.is_active:
            emails.reset_password(user)
        # The same answer either way, so the page does not reveal who has an account.
        g.address_emailed = True
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)  # ends every session the user has
        sessions.sign_out_here()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)
