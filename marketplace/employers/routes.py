from flask import current_app, render_template, request
from flask_login import current_user

from marketplace import journey
from marketplace.disclosure import policy
from marketplace.employers import bp, services
from marketplace.employers.forms import CandidateSearchForm
from marketplace.matching import service
from marketplace.permissions import can_post_opportunities, can_view_application, require, roles
from marketplace.types import Role
from search_index import IndexNotBuilt, SearchUnavailable


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


@bp.route("/opportunities/<int:opportunity_id>/matches")
@roles(Role.EMPLOYER)
def matches(opportunity_id: int):
    opportunity = services.own_opportunity(current_user.organisation, opportunity_id)
    require(opportunity is not None)
    form = CandidateSearchForm(formdata=request.args if request.args else None)
    cards, unavailable = [], False
    if not request.args or form.validate():
        try:
            found = service.candidates_for(
                opportunity, text=form.q.data or None,
                within_miles=int(form.miles.data) if form.miles.data else None)
        except (IndexNotBuilt, SearchUnavailable) as error:
            current_app.logger.error("Candidate matching unavailable: %s", error)
            unavailable, found = True, []
        # Anonymised cards: the policy decides what each shows (stage 1: no name).
        cards = [(policy.candidate_view(current_user, m.candidate), m.reasons) for m in found]
    return render_template("employers/matches.html", opportunity=opportunity, form=form,
                           cards=cards, unavailable=unavailable), 503 if unavailable else 200
