from flask import render_template
from flask_login import current_user

from marketplace.candidates import bp, services
from marketplace.permissions import roles
from marketplace.types import Role


@bp.route("/")
@roles(Role.CANDIDATE)
def dashboard():
    candidate = services.for_user(current_user)
    applications = services.applications(candidate)
    return render_template("candidates/dashboard.html", candidate=candidate,
                           applications=applications,
                           nominations=services.waiting_for_answer(applications),
                           interviews=services.upcoming_interviews(applications))


@bp.route("/profile")
@roles(Role.CANDIDATE)
def profile():
    candidate = services.for_user(current_user)
    return render_template("candidates/profile.html", candidate=candidate)
