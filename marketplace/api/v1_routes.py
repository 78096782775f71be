"""The token calls of the employer API (`/api/v1/...`).

Each view: its scope (permissions.token_scope, checked before its arguments are read), its
schemas (schemas.py, which also make the OpenAPI document), then the same services and rules
as the employer's pages: OpportunityForm and employers/services.py for opportunities,
employers/services.act and journey.py for stage changes, disclosure/policy.py for candidates.
Another organisation's things are a 404, never a 403.
"""

import dataclasses
import functools
import hashlib
import json

import marshmallow as ma
from flask import abort, g, request
from flask.views import MethodView
from flask_smorest import abort as smorest_abort

from marketplace import journey
from marketplace.api import forms, imports, schemas, services, v1
from marketplace.disclosure import policy
from marketplace.employers import services as employers
from marketplace.matching import service as matching
from marketplace.permissions import can_post_opportunities, kinds_allowed, require, token_scope

READ_OPPORTUNITIES = "opportunities:read"
WRITE_OPPORTUNITIES = "opportunities:write"
READ_APPLICATIONS = "applications:read"
WRITE_APPLICATIONS = "applications:write"

# What a new opportunity starts with when the body leaves it out: the new-opportunity page's
# starting answers (employers/routes.py NEW_OPPORTUNITY), as API values.
NEW_OPPORTUNITY = {"paid": True, "check_level": "none", "regulated_activity": "none",
                   "places": 1}


def _user():
    return g.api_user


def invalid(message: str, fields: dict[str, str], status: int = 422):
    """A 422 naming each wrong field, in the API's one error shape."""
    smorest_abort(status, message=message, messages={"json": {k: [v] for k, v in fields.items()}})


# --- opportunities -------------------------------------------------------------------------------


def representation(opportunity, reference: str | None) -> dict:
    """An opportunity as OpportunitySchema dumps it."""
    values = {name: getattr(opportunity, name, None) for name in schemas.WRITABLE}
    values.update(
        reference=reference, id=opportunity.id, status=opportunity.status.value,
        exclusions=sorted(c.value for c in opportunity.exclusion_categories),
        published_at=opportunity.published_at, closed_at=opportunity.closed_at,
        created_at=opportunity.created_at, updated_at=opportunity.updated_at)
    for name in ("kind", "sector", "hours", "pay_period", "contract", "check_level",
                 "regulated_activity"):
        value = values[name]
        values[name] = value.value if value is not None else None
    return values


def _etag(dumped: dict) -> str:
    text = json.dumps(dumped, sort_keys=True, default=str)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _with_etag(opportunity, status: int = 200):
    """The opportunity, its status and its ETag (a hash of what the client reads)."""
    values = representation(opportunity,
                            services.references_of([opportunity.id]).get(opportunity.id))
    return values, status, {"ETag": _etag(schemas.OpportunitySchema().dump(values))}


def _own(opportunity_id: int):
    found = services.own_opportunity(_user(), opportunity_id)
    require(found is not None)
    return found


def _may_post() -> None:
    require(can_post_opportunities(_user()), hide=False)


def _save(opportunity, values: dict):
    """Check `values` with the employer's form and save; 422 naming each wrong field."""
    organisation = _user().organisation
    form = forms.opportunity_form(values, organisation=organisation)
    if form.errors:
        invalid("Some fields are not valid. Check them and try again.", forms.field_errors(form))
    try:
        saved = employers.save_opportunity(opportunity, form, organisation=organisation,
                                           actor=_user())
        if "reference" in values:
            services.set_reference(saved, values["reference"])
    except services.ReferenceTaken as error:
        invalid(str(error), {"reference": str(error)}, status=409)
    except ValueError as error:
        invalid(str(error), {"kind": str(error)})
    return saved


@v1.route("/opportunities", methods=["GET"])
@token_scope(READ_OPPORTUNITIES)
@v1.arguments(schemas.OpportunityQuerySchema, location="query", as_kwargs=True,
              unknown=ma.RAISE)
@v1.response(200, schemas.OpportunityPageSchema)
def list_opportunities(limit: int, cursor: str | None = None, **filters):
    """Your organisation's opportunities, oldest first, a page at a time."""
    try:
        page = services.opportunities_page(_user(), cursor=cursor, limit=limit, **filters)
    except services.BadCursor as error:
        invalid(str(error), {"cursor": str(error)})
    references = services.references_of(o.id for o in page.items)
    return {"items": [representation(o, references.get(o.id)) for o in page.items],
            "next_cursor": page.next_cursor}


@v1.route("/opportunities", methods=["POST"])
@token_scope(WRITE_OPPORTUNITIES)
@v1.arguments(schemas.OpportunityWriteSchema)
@v1.response(201, schemas.OpportunitySchema)
def create_opportunity(values: dict):
    """Save a new opportunity as a draft, checked like the website's form. Publish it to open
    it to candidates."""
    _may_post()
    saved = _save(None, {**NEW_OPPORTUNITY, **values})
    return _with_etag(saved, 201)


def _owned_first(view):
    """Look the opportunity or application up before the body is read: another
    organisation's, or none, is a 404 whatever the body (an id never reads as a bad body)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if "opportunity_id" in kwargs:
            _own(kwargs["opportunity_id"])
        if "application_id" in kwargs:
            _own_application(kwargs["application_id"])
        return view(*args, **kwargs)

    return wrapped


@v1.route("/opportunities/<id:opportunity_id>", endpoint="opportunity")
class Opportunity(MethodView):
    """One opportunity: read it, change it. One URL rule for both methods, so an id no row can
    have is a 404 for either (two rules on one path would answer 405 for one of them)."""

    @classmethod
    def as_view(cls, name, *args, **kwargs):
        view = super().as_view(name, *args, **kwargs)
        # Reading needs opportunities:read; patch() asks for opportunities:write as well.
        view.access_rule = f"token:{READ_OPPORTUNITIES}"
        return view

    @token_scope(READ_OPPORTUNITIES)
    @v1.response(200, schemas.OpportunitySchema)
    def get(self, opportunity_id: int):
        """One of your opportunities, with its ETag (send it back as If-Match to change it)."""
        return _with_etag(_own(opportunity_id))

    @token_scope(WRITE_OPPORTUNITIES)
    @_owned_first
    @v1.arguments(schemas.OpportunityWriteSchema)
    @v1.response(200, schemas.OpportunitySchema)
    @v1.doc(parameters=[{"in": "header", "name": "If-Match", "required": True,
                         "schema": {"type": "string"},
                         "description": "The ETag from your last read of it"}])
    def patch(self, values: dict, opportunity_id: int):
        """Change the fields you send; the others stay as they are. Needs If-Match with the
        ETag you read: if someone changed it since, the answer is 412 and nothing changes."""
        found = _own(opportunity_id)
        _may_post()
        current, _, headers = _with_etag(found)
        if not request.headers.get("If-Match"):
            abort(428, "Send If-Match with the ETag from your last read of this opportunity.")
        tags = [tag.strip() for tag in request.headers["If-Match"].split(",")]
        if headers["ETag"] not in tags and tags != ["*"]:
            abort(412, "It has changed since you read it. Read it again, then send your "
                       "change with the new ETag.")
        merged = {name: current[name] for name in schemas.WRITABLE}
        merged.update(values)
        return _with_etag(_save(found, merged))


@v1.route("/opportunities/<id:opportunity_id>/publish", methods=["POST"])
@token_scope(WRITE_OPPORTUNITIES)
@v1.response(200, schemas.OpportunitySchema)
def publish_opportunity(opportunity_id: int):
    """Open it to candidates and prison employment leads."""
    found = _own(opportunity_id)
    _may_post()
    try:
        employers.publish(found, actor=_user())
    except ValueError as error:
        abort(409, str(error))
    return _with_etag(found)


@v1.route("/opportunities/<id:opportunity_id>/close", methods=["POST"])
@token_scope(WRITE_OPPORTUNITIES)
@v1.response(200, schemas.OpportunitySchema)
def close_opportunity(opportunity_id: int):
    """Take it out of every search at once. Everyone who applied still needs an answer."""
    found = _own(opportunity_id)
    employers.close(found, actor=_user())
    return _with_etag(found)


@v1.route("/opportunities/import", methods=["POST"])
@token_scope(WRITE_OPPORTUNITIES)
@v1.arguments(schemas.ImportSchema)
@v1.response(200, schemas.ImportReportSchema)
def import_opportunities(body: dict):
    """Create or update many opportunities at once, by your reference. Every row is checked
    first, like POST /opportunities; if any is wrong nothing is saved and the 422 names each
    wrong field as rows.<row number>.<field>."""
    _may_post()
    report = imports.import_rows(body["rows"], organisation=_user().organisation,
                                 actor=_user())
    if report.problems:
        invalid(f"{len({p.row for p in report.problems}):,} rows have problems. Nothing was "
                "imported.", {f"rows.{p.row}.{p.column}": p.message for p in report.problems})
    return {"created": report.created, "updated": report.updated, "ids": report.ids}


# --- matched candidates --------------------------------------------------------------------------


def candidate(view: policy.CandidateView) -> dict:
    """The parts of a CandidateView the API shows (schemas.CandidateSchema): never the
    disclosure statement or convictions, whatever the stage."""
    shown = dataclasses.asdict(view)
    return {name: shown[name] for name in schemas.CandidateSchema().fields} | {
        "stage": int(view.stage)}


@v1.route("/opportunities/<id:opportunity_id>/matched-candidates", methods=["GET"])
@token_scope(READ_APPLICATIONS)
@v1.arguments(schemas.MatchQuerySchema, location="query", as_kwargs=True,
              unknown=ma.RAISE)
@v1.response(200, schemas.MatchListSchema)
def opportunity_matches(opportunity_id: int, limit: int, q: str | None = None,
                        miles: int | None = None):
    """People who match the role, best first, as anonymised cards (the same list and rules as
    the matched candidates page)."""
    found = _own(opportunity_id)
    matches = matching.candidates_for(found, text=q or None, within_miles=miles, k=limit,
                                      card_details=False)[:limit]
    matching.load_card_details(matches)
    items = []
    for match in matches:
        view = policy.candidate_view(_user(), match.candidate)
        if view is not None:
            items.append({"candidate": candidate(view), "score": match.score.total,
                          "reasons": list(match.reasons)})
    return {"items": items}


# --- applications --------------------------------------------------------------------------------


def _application(application) -> dict:
    return {"id": application.id, "opportunity_id": application.opportunity_id,
            "candidate_ref": policy.candidate_ref(application.candidate_id,
                                                  organisation_id=_user().organisation_id),
            "status": application.status.value,
            "guaranteed_interview": journey.interview_guaranteed(application),
            "allowed_actions": sorted(journey.allowed_actions(application)),
            "updated_at": application.updated_at}


@v1.route("/applications", methods=["GET"])
@token_scope(READ_APPLICATIONS)
@v1.arguments(schemas.ApplicationQuerySchema, location="query", as_kwargs=True,
              unknown=ma.RAISE)
@v1.response(200, schemas.ApplicationPageSchema)
def list_applications(limit: int, cursor: str | None = None, **filters):
    """Applications to your organisation's opportunities, oldest first. Candidates appear by
    reference only; read one application to see the person as far as its stage allows."""
    try:
        page = services.applications_page(_user(), cursor=cursor, limit=limit, **filters)
    except services.BadCursor as error:
        invalid(str(error), {"cursor": str(error)})
    return {"items": [_application(a) for a in page.items], "next_cursor": page.next_cursor}


def _own_application(application_id: int):
    found = services.own_application(_user(), application_id)
    require(found is not None)
    return found


@v1.route("/applications/<id:application_id>", methods=["GET"])
@token_scope(READ_APPLICATIONS)
@v1.response(200, schemas.ApplicationDetailSchema)
def get_application(application_id: int):
    """One application with the candidate as the disclosure policy lets you see them at its
    stage (a named view is recorded in the person's activity, as on the website)."""
    found = _own_application(application_id)
    view = policy.candidate_view(_user(), found.candidate, found)
    require(view is not None)
    policy.record_reveal(_user(), found.candidate, view, found,
                         why=f"read through the API ({g.api_token.name})")
    return {**_application(found), "candidate": candidate(view),
            "history": [{"at": item.at.isoformat(), "status": item.status.value,
                         "note": item.note} for item in policy.history(_user(), found)]}


_ACTIONS = {
    "shortlist": schemas.NoBodySchema, "book-interview": schemas.InterviewSchema,
    "record-interview": schemas.AttendedSchema,
    "make-conditional-offer": schemas.NoBodySchema, "confirm-offer": schemas.NoBodySchema,
    "start": schemas.StartSchema, "withdraw-offer": schemas.ReasonSchema,
    "reject": schemas.ReasonSchema,
}


def _act(application_id: int, action: str, values: dict):
    """One stage change through employers.services.act and journey.py: the same rules as the
    application page (a guaranteed interview cannot be skipped). 409 when not allowed now."""
    found = _own_application(application_id)
    name = action.replace("-", "_")
    if name not in journey.allowed_actions(found):
        allowed = ", ".join(sorted(a.replace("_", "-") for a in journey.allowed_actions(found)))
        abort(409, f"You cannot {action.replace('-', ' ')} this application now. "
                   f"What you can do now: {allowed or 'nothing (it has ended)'}.")
    form = forms.action_form(name, values)
    errors = forms.action_errors(form)
    if errors:
        invalid("Some fields are not valid. Check them and try again.", errors)
    try:
        employers.act(found, name, form, actor=_user())
    except journey.JourneyError as error:
        abort(409, str(error))
    return _application(found)


def _action_view(action: str, schema):
    def view(values: dict, application_id: int):
        return _act(application_id, action, values)

    view.__name__ = "application_" + action.replace("-", "_")
    view.__doc__ = f"Application stage change: {action.replace('-', ' ')}."
    view = v1.response(200, schemas.ApplicationSchema)(view)
    view = v1.arguments(schema)(view)
    view = _owned_first(view)
    view = token_scope(WRITE_APPLICATIONS)(view)
    return v1.route(f"/applications/<id:application_id>/{action}", methods=["POST"],
                    endpoint=view.__name__)(view)


for _action, _schema in _ACTIONS.items():
    _action_view(_action, _schema)


# --- the organisation ----------------------------------------------------------------------------


@v1.route("/organisation", methods=["GET"])
@token_scope(READ_OPPORTUNITIES)
@v1.response(200, schemas.OrganisationSchema)
def organisation():
    """Your organisation, with the kinds of opportunity its Alliance level lets it post."""
    org = _user().organisation
    return {"id": org.id, "name": org.name, "sector": org.sector.value, "size": org.size.value,
            "region": org.region, "alliance_level": org.alliance_level,
            "status": org.status.value, "website": org.website,
            "kinds_allowed": [k.value for k in kinds_allowed(org)]}
