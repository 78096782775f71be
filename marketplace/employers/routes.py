from flask import render_template
from flask_login import current_user

from marketplace import journey
from marketplace.employers import bp, services
from marketplace.permissions import can_post_opportunities, roles
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
