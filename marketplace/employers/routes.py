from flask import render_template
from flask_login import current_user

from marketplace import journey
from marketplace.disclosure import policy
from marketplace.employers import bp, services
from marketplace.permissions import can_post_opportunities, can_view_application, require, roles
from marketplace.types import Role


@bp.route("/")
@roles(Role.EMPLOYER)
def dashboard():
    organisation = current_user.organisation
    rows = services.opportunities(organisation)
    return render_template("employers/dashboard.html", organisation=organisation,
                           can_post=can_post_opportunities(current_user),
                           open_count=services.open_count(rows),
                           owed=journey.owed(organisation)[:10])


@bp.route("/opportunities")
@roles(Role.EMPLOYER)
def opportunities():
    return render_template("employers/opportunities.html", organisation=current_user.organisation,
                           rows=services.opportunities(current_user.organisation))


@bp.route("/applications/<int:application_id>")
@roles(Role.EMPLOYER)
def application(application_id: int):
    found = services.application(application_id)
    require(found is not None and can_view_application(current_user, found))
    view = policy.candidate_view(current_user, found.candidate, found)
    require(view is not None)
    policy.record_reveal(current_user, found.candidate, view, found,
                         why="reviewing the application")
    return render_template("employers/application.html", view=view,
                           opportunity=found.opportunity, status=found.status,
                           events=found.events)
