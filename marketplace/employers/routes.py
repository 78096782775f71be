from flask import render_template
from flask_login import current_user

from marketplace.employers import bp
from marketplace.permissions import roles
from marketplace.types import Role


@bp.route("/")
@roles(Role.EMPLOYER)
def dashboard():
    return render_template("employers/dashboard.html", organisation=current_user.organisation)


@bp.route("/opportunities")
@roles(Role.EMPLOYER)
def opportunities():
    return render_template("employers/opportunities.html", organisation=current_user.organisation)
