from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from marketplace import mail
from marketplace.auth import bp, services
from marketplace.auth.forms import (
    AcceptInviteForm,
    CandidateRegistrationForm,
    EmployerRegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from marketplace.extensions import limiter
from marketplace.permissions import public, signed_in
from marketplace.reference import services as reference
from marketplace.types import CandidateStatus, OrganisationSize, Pledge, Sector


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Only local paths: an attacker's link must not send people elsewhere after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("views.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@public
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("views.start"))


@bp.route("/register")
@public
def register():
    return render_template("auth/register.html")


@bp.route("/register/candidate", methods=["GET", "POST"])
@public
def register_candidate():
    form = CandidateRegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.register_candidate(
                email=form.email.data, full_name=form.full_name.data,
                password=form.password.data, home_district=form.home_district.data,
                status=CandidateStatus(form.status.data))
        except services.EmailTaken:
            form.email.errors.append("There is already an account with this email address. "
                                     "Sign in, or reset your password")
        else:
            login_user(user)
            flash("Your account is ready. Add your skills so we can find jobs for you.",
                  "success")
            return redirect(url_for("views.dashboard"))
    return render_template("auth/register_candidate.html", form=form)


@bp.route("/register/employer", methods=["GET", "POST"])
@public
def register_employer():
    form = EmployerRegistrationForm()
    form.region.choices = [("", "Choose a region")] + [(r, r) for r in reference.regions()]
    if form.validate_on_submit():
        try:
            user = services.register_employer(
                email=form.email.data, full_name=form.full_name.data,
                password=form.password.data, organisation_name=form.organisation_name.data,
                sector=Sector(form.sector.data), size=OrganisationSize(form.size.data),
                region=form.region.data, alliance_level=int(form.alliance_level.data),
                pledges=[Pledge(p) for p in form.pledges.data or []], about=form.about.data)
        except services.OrganisationNameTaken:
            form.organisation_name.errors.append(
                "An organisation with this name is already registered. Ask a colleague who "
                "uses the service to add you")
        except services.EmailTaken:
            form.email.errors.append("There is already an account with this email address. "
                                     "Sign in, or reset your password")
        else:
            login_user(user)
            flash("Your organisation is registered. An administrator will check it, usually "
                  "within 2 working days.", "success")
            return redirect(url_for("views.dashboard"))
    return render_template("auth/register_employer.html", form=form)


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
        login_user(user)
        flash("Your account is ready.", "success")
        return redirect(url_for("views.dashboard"))
    return render_template("auth/accept_invite.html", form=form, invite=invite)


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@public
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and user.is_active:
            link = url_for("auth.reset_password", token=services.reset_token(user),
                           _external=True)
            mail.send(user.email, "Reset your Fair Chance Marketplace password",
                      f"Hello {user.full_name},\n\nUse this link to choose a new password. "
                      f"It works for 1 hour and only once:\n\n{link}\n\nIf you did not ask for "
                      "this, you can ignore this email.")
        # The same answer either way, so the page does not reveal who has an account.
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
        services.set_password(user, form.password.data)
        if current_user.is_authenticated:
            logout_user()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)
