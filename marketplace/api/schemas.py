"""The shapes of the employer API, declared once: flask-smorest validates requests with them,
shapes responses with them and writes the OpenAPI document from them.

What is *allowed* in an opportunity (required answers, lengths, dates, pay, regulated activity,
the kinds an Alliance level may post) is not spelled here: a body is checked by the employer's
own form, employers/forms.py OpportunityForm (api/forms.py turns the JSON into its answers), so
the page, the API and the bulk import accept exactly the same things. These schemas say only
the JSON types; the documented lengths are read from that form.

No schema here has a field for conviction or disclosure data: a candidate reaches an employer
through the API only as the parts of disclosure/policy.py's CandidateView listed in
CandidateSchema, and never its disclosure statement or convictions.
"""

import marshmallow as ma
from marshmallow import fields, validate

from marketplace.employers.forms import OpportunityForm
from marketplace.forms import MaxLength
from marketplace.types import (
    ApplicationStatus,
    CheckLevel,
    ContractType,
    HoursPattern,
    OffenceCategory,
    OpportunityKind,
    OpportunityStatus,
    PayPeriod,
    RegulatedActivity,
    Sector,
)

MAX_PAGE = 100
REFERENCE_LENGTH = 100  # models/api.py OpportunityReference.reference


def _values(enum_cls) -> list[str]:
    return [member.value for member in enum_cls]


def _one_of(enum_cls):
    return validate.OneOf(_values(enum_cls))


def _form_length(name: str) -> dict:
    """The form field's MaxLength, for the document (the form enforces it)."""
    field = getattr(OpportunityForm, name)
    lengths = [v.max for v in field.kwargs.get("validators") or [] if isinstance(v, MaxLength)]
    return {"maxLength": lengths[0]} if lengths else {}


def _text(name: str, description: str = "", **kwargs) -> fields.String:
    return fields.String(metadata={"description": description, **_form_length(name)}, **kwargs)


class Schema(ma.Schema):
    class Meta:
        ordered = True


class ErrorSchema(Schema):
    """Every 4xx and 5xx answer."""

    error = fields.String(required=True, metadata={"description": "The HTTP reason"})
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    message = fields.String(required=True, metadata={"description": "What went wrong, in plain "
                                                                    "words"})
    fields = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                         metadata={"description": "Each wrong field (a path such as "
                                                  "rows.3.title for a row of an import) with "
                                                  "what is wrong and how to put it right"})


# --- opportunities -------------------------------------------------------------------------------


class OpportunityWriteSchema(Schema):
    """An opportunity as sent. On create, what is left out takes the form's starting answer
    (or is missing, and named in the error); on update (PATCH), what is left out stays as it is."""

    class Meta:
        ordered = True
        unknown = ma.RAISE

    reference = fields.String(allow_none=True, validate=validate.Length(max=REFERENCE_LENGTH),
                              metadata={"description": "Your own reference (your system's job "
                                                       "id), unique in your organisation. The "
                                                       "bulk import updates by it."})
    kind = fields.String(validate=_one_of(OpportunityKind),
                         metadata={"description": "What you offer. Your Alliance level decides "
                                                  "which kinds you may post (GET /organisation "
                                                  "lists them)."})
    title = _text("title")
    description = _text("description", "What the person will do, in plain English")
    sector = fields.String(validate=_one_of(Sector))
    skills_text = _text("skills_text", "The skills you want, in words")
    qualifications_wanted = _text("qualifications_wanted")
    postcode_district = _text("postcode_district", "The first part of the postcode, like LS11")
    remote = fields.Boolean()
    national = fields.Boolean(metadata={"description": "Open to people anywhere (no distance "
                                                       "limit)"})
    hours = fields.String(validate=_one_of(HoursPattern))
    hours_per_week = fields.Integer(allow_none=True, strict=True)
    paid = fields.Boolean()
    pay_min_pence = fields.Integer(allow_none=True, strict=True,
                                   metadata={"description": "Pay from, in pence"})
    pay_max_pence = fields.Integer(allow_none=True, strict=True,
                                   metadata={"description": "Pay up to, in pence"})
    pay_period = fields.String(allow_none=True, validate=_one_of(PayPeriod))
    pays_minimum_wage = fields.Boolean()
    contract = fields.String(validate=_one_of(ContractType))
    places = fields.Integer(strict=True)
    start_date = fields.Date(allow_none=True)
    closing_date = fields.Date()
    guaranteed_interview = fields.Boolean(metadata={
        "description": "Everyone who meets the minimum requirements gets an interview"})
    minimum_requirements = _text("minimum_requirements")
    bond_backed = fields.Boolean()
    check_level = fields.String(validate=_one_of(CheckLevel))
    regulated_activity = fields.String(validate=_one_of(RegulatedActivity))
    accepts_in_custody = fields.Boolean()
    accepts_rotl = fields.Boolean()
    latest_release_date = fields.Date(allow_none=True)
    exclusions = fields.List(fields.String(validate=_one_of(OffenceCategory)),
                             metadata={"description": "Offence groups you cannot accept for "
                                                      "this role"})
    exclusion_reason = _text("exclusion_reason", allow_none=True)
    case_by_case = fields.Boolean()
    ring_fenced = fields.Boolean()
    how_to_apply = _text("how_to_apply")


# The fields a client writes, in the order they are documented (and the CSV's columns).
WRITABLE = tuple(OpportunityWriteSchema().fields)


class OpportunitySchema(OpportunityWriteSchema):
    """An opportunity as the API returns it."""

    class Meta:
        ordered = True

    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=_one_of(OpportunityStatus))
    published_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class OpportunityQuerySchema(Schema):
    class Meta:
        ordered = True
        unknown = ma.RAISE

    status = fields.String(validate=_one_of(OpportunityStatus))
    kind = fields.String(validate=_one_of(OpportunityKind))
    sector = fields.String(validate=_one_of(Sector))
    reference = fields.String(validate=validate.Length(max=REFERENCE_LENGTH))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PAGE),
                           metadata={"description": f"How many to return, 1 to {MAX_PAGE}"})
    cursor = fields.String(validate=validate.Length(max=100),
                           metadata={"description": "next_cursor from the page before"})


class OpportunityPageSchema(Schema):
    items = fields.List(fields.Nested(OpportunitySchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True,
                                metadata={"description": "Pass as cursor for the next page; "
                                                         "null on the last page"})


# --- matched candidates --------------------------------------------------------------------------


class QualificationSchema(Schema):
    name = fields.String(required=True)
    year = fields.Integer(required=True, allow_none=True)


class ExperienceSchema(Schema):
    role = fields.String(required=True)
    years = fields.String(required=True)
    in_custody = fields.Boolean(required=True)
    description = fields.String(required=True)


class CandidateSchema(Schema):
    """A candidate as the disclosure policy lets the employer see them (CandidateView).
    Anonymised until the person's application reaches a stage that names them."""

    ref = fields.String(required=True, metadata={"description": "Your organisation's reference "
                                                                "for the person (not an id)"})
    stage = fields.Integer(required=True, metadata={"description": "1 anonymised, 2 named"})
    headline = fields.String(required=True)
    skills = fields.List(fields.String(), required=True)
    qualifications = fields.List(fields.Nested(QualificationSchema), required=True)
    experience = fields.List(fields.Nested(ExperienceSchema), required=True)
    availability = fields.String(required=True)
    home_area = fields.String(required=True)
    name = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    supporting_statement = fields.String(allow_none=True)


class MatchSchema(Schema):
    candidate = fields.Nested(CandidateSchema, required=True)
    score = fields.Float(required=True)
    reasons = fields.List(fields.String(), required=True)


class MatchQuerySchema(Schema):
    class Meta:
        ordered = True
        unknown = ma.RAISE

    q = fields.String(validate=validate.Length(max=200),
                      metadata={"description": "Skills or experience to search for"})
    miles = fields.Integer(validate=validate.OneOf([5, 10, 25, 50]),
                           metadata={"description": "Lives within this many miles"})
    limit = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PAGE))


class MatchListSchema(Schema):
    items = fields.List(fields.Nested(MatchSchema), required=True)


# --- applications --------------------------------------------------------------------------------


class ApplicationSchema(Schema):
    id = fields.Integer(required=True)
    opportunity_id = fields.Integer(required=True)
    candidate_ref = fields.String(required=True)
    status = fields.String(required=True, validate=_one_of(ApplicationStatus))
    guaranteed_interview = fields.Boolean(
        required=True, metadata={"description": "The person meets the role's minimum "
                                                "requirements and must be interviewed before "
                                                "any other decision"})
    allowed_actions = fields.List(fields.String(), required=True,
                                  metadata={"description": "The stage changes you may make now"})
    updated_at = fields.DateTime(required=True)


class ApplicationDetailSchema(ApplicationSchema):
    candidate = fields.Nested(CandidateSchema, required=True)
    history = fields.List(fields.Dict(), required=True,
                          metadata={"description": "Each step: at, status, note"})


class ApplicationQuerySchema(Schema):
    class Meta:
        ordered = True
        unknown = ma.RAISE

    opportunity_id = fields.Integer(validate=validate.Range(1, 2**31 - 1))
    status = fields.String(validate=_one_of(ApplicationStatus))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=100))


class ApplicationPageSchema(Schema):
    items = fields.List(fields.Nested(ApplicationSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class _Strict(Schema):
    class Meta:
        ordered = True
        unknown = ma.RAISE


class NoBodySchema(_Strict):
    """Shortlist, make or confirm an offer: nothing to send."""


class InterviewSchema(_Strict):
    date = fields.Date(required=True)
    time = fields.String(required=True, validate=validate.Length(max=20),
                         metadata={"description": "UK time, like 10:30"})
    location = fields.String(required=True, validate=validate.Length(max=200))


class AttendedSchema(_Strict):
    attended = fields.Boolean(required=True)


class StartSchema(_Strict):
    started_on = fields.Date(required=True)


class ReasonSchema(_Strict):
    reason = fields.String(required=True, validate=validate.Length(max=2000),
                           metadata={"description": "The candidate reads it"})


# --- the organisation ----------------------------------------------------------------------------


class OrganisationSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    sector = fields.String(required=True)
    size = fields.String(required=True)
    region = fields.String(required=True)
    alliance_level = fields.Integer(required=True)
    status = fields.String(required=True)
    website = fields.String(allow_none=True)
    kinds_allowed = fields.List(fields.String(), required=True)


# --- bulk import ---------------------------------------------------------------------------------

MAX_IMPORT_ROWS = 2000


class ImportSchema(_Strict):
    rows = fields.List(fields.Raw(), required=True,
                       validate=validate.Length(min=1, max=MAX_IMPORT_ROWS),
                       metadata={"description": "Opportunities, each as in POST /opportunities "
                                                "with a reference"})


class ImportProblemSchema(Schema):
    row = fields.Integer(required=True, metadata={"description": "1 for the first row"})
    column = fields.String(required=True)
    message = fields.String(required=True)


class ImportReportSchema(Schema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    ids = fields.List(fields.Integer(), required=True)
