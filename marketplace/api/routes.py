import dataclasses

from flask import jsonify, render_template, request
from flask_login import current_user

from marketplace.api import bp, error_response, reference, spec
from marketplace.candidates import services as candidates
from marketplace.candidates.forms import JobSearchForm
from marketplace.disclosure import policy
from marketplace.employers import services as employers
from marketplace.employers.forms import CandidateSearchForm
from marketplace.matching import service
from marketplace.permissions import can_manage_opportunity, public, require, roles
from marketplace.types import OpportunityKind, Role, Sector


def _form_errors(form) -> tuple:
    return error_response(400, "Check the query parameters.",
                          fields={name: messages[0] for name, messages in form.errors.items()})


def _opportunity(opportunity) -> dict:
    return {
        "id": opportunity.id, "title": opportunity.title, "kind": opportunity.kind.value,
        "organisation": opportunity.organisation.name, "sector": opportunity.sector.value,
        "district": opportunity.postcode_district, "remote": opportunity.remote,
        "closing_date": opportunity.closing_date.isoformat(),
        "guaranteed_interview": opportunity.guaranteed_interview,
        "bond_backed": opportunity.bond_backed, "accepts_rotl": opportunity.accepts_rotl,
        "pay_min_pence": opportunity.pay_min_pence,
        "pay_period": opportunity.pay_period.value if opportunity.pay_period else None,
    }


@bp.route("/me/matches")
@roles(Role.CANDIDATE)
def my_matches():
    """Roles for the signed-in candidate, best first, with the parts of each score."""
    form = JobSearchForm(formdata=request.args)
    if not form.validate():
        return _form_errors(form)
    matches = service.opportunities_for(
        candidates.for_user(current_user), text=form.q.data or None,
        filters=service.OpportunityFilters(
            kind=OpportunityKind(form.kind.data) if form.kind.data else None,
            sector=Sector(form.sector.data) if form.sector.data else None,
            within_miles=int(form.miles.data) if form.miles.data else None,
            guaranteed_interview=bool(form.guaranteed.data), bond_backed=bool(form.bond.data)))
    return jsonify(note=service.query_note(form.q.data), matches=[{
        "opportunity": _opportunity(m.opportunity), "score": m.score.total,
        "parts": m.score.parts, "reasons": m.reasons,
        "minimum_requirements": None if m.requirements is None else {
            "met": list(m.requirements.met), "unmet": list(m.requirements.unmet)},
    } for m in matches])


@bp.route("/opportunities/<id:opportunity_id>/matches")
@roles(Role.EMPLOYER)
def opportunity_matches(opportunity_id: int):
    """Matched candidates for one of the employer's roles, as anonymised views."""
    opportunity = employers.opportunity(opportunity_id)
    require(opportunity is not None and can_manage_opportunity(current_user, opportunity))
    form = CandidateSearchForm(formdata=request.args)
    if not form.validate():
        return _form_errors(form)
    matches = service.candidates_for(opportunity, text=form.q.data or None,
                                     within_miles=int(form.miles.data) if form.miles.data
                                     else None)
    return jsonify(note=service.query_note(form.q.data), matches=[{
        "candidate": dataclasses.asdict(policy.candidate_view(current_user, m.candidate)),
        "score": m.score.total, "parts": m.score.parts, "reasons": m.reasons,
    } for m in matches])


# --- the OpenAPI document and its page -----------------------------------------------------------


@bp.route("/openapi.json")
@public
def openapi_json():
    """The OpenAPI document of the token API, made from its schemas (flask-smorest)."""
    return jsonify(spec())


@bp.route("/docs")
@public
def docs():
    """The API reference as a page, drawn here from the OpenAPI document: no scripts, nothing
    from another site, so the page keeps the strict Content-Security-Policy (headers.py)."""
    return render_template("api/docs.html", reference=reference.of(spec()))
