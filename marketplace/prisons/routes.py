from flask import render_template
from flask_login import current_user

from marketplace.permissions import roles
from marketplace.prisons import bp
from marketplace.types import Role


@bp.route("/")
@roles(Role.PEL)
def dashboard():
    return render_template("prisons/dashboard.html", prison=current_user.prison)


@bp.route("/caseload")
@roles(Role.PEL)
def caseload():
    return render_template("prisons/caseload.html", prison=current_user.prison)
