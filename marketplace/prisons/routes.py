from flask import render_template
from flask_login import current_user

from marketplace.permissions import roles
from marketplace.prisons import bp, services
from marketplace.types import Role


@bp.route("/")
@roles(Role.PEL)
def dashboard():
    prison = current_user.prison
    people = services.caseload(prison)
    return render_template("prisons/dashboard.html", prison=prison, caseload_size=len(people),
                           not_ready=services.release_soon_not_ready(people),
                           rotl=services.rotl_pending(prison),
                           nominations=services.nominations_waiting(prison),
                           weeks=services.RELEASE_WINDOW_WEEKS)


@bp.route("/caseload")
@roles(Role.PEL)
def caseload():
    prison = current_user.prison
    return render_template("prisons/caseload.html", prison=prison,
                           people=services.caseload(prison))
