"""What goes into the search indices for an opportunity and a candidate.

Only what matching needs and an employer may see on an anonymised card: never names,
convictions, licence conditions, exclusion zones, barred status or risk notes. Hard constraints
on those are applied from the database by constraints.py, after the index has narrowed the
field with the filters below.
"""

from marketplace.matching import constraints
from marketplace.matching.text import candidate_text, opportunity_text
from marketplace.types import OpportunityStatus
from search_index import Document, FieldType, Schema

DIM = 384

OPPORTUNITY_SCHEMA = Schema(dim=DIM, fields={
    "kind": FieldType.KEYWORD, "sector": FieldType.KEYWORD, "region": FieldType.KEYWORD,
    "district": FieldType.KEYWORD, "open": FieldType.BOOLEAN, "closing": FieldType.DATE,
    "guaranteed_interview": FieldType.BOOLEAN, "bond_backed": FieldType.BOOLEAN,
    "accepts_in_custody": FieldType.BOOLEAN, "accepts_rotl": FieldType.BOOLEAN,
    "remote": FieldType.BOOLEAN, "national": FieldType.BOOLEAN, "location": FieldType.GEO,
})
CANDIDATE_SCHEMA = Schema(dim=DIM, fields={
    "status": FieldType.KEYWORD, "region": FieldType.KEYWORD, "sectors": FieldType.KEYWORD,
    "visible": FieldType.BOOLEAN, "right_to_work": FieldType.BOOLEAN,
    "rotl_eligible": FieldType.BOOLEAN, "location": FieldType.GEO,
})


def opportunity_document(opportunity) -> Document:
    place = opportunity.location
    return Document(
        id=str(opportunity.id), text=opportunity_text(opportunity),
        fields={
            "kind": opportunity.kind.value, "sector": opportunity.sector.value,
            "region": place.region, "district": opportunity.postcode_district,
            "open": opportunity.status is OpportunityStatus.OPEN
            and opportunity.organisation.approved,
            "closing": opportunity.closing_date,
            "guaranteed_interview": opportunity.guaranteed_interview,
            "bond_backed": opportunity.bond_backed,
            "accepts_in_custody": opportunity.accepts_in_custody,
            "accepts_rotl": opportunity.accepts_rotl, "remote": opportunity.remote,
            "national": opportunity.national or opportunity.remote,
            "location": (place.latitude, place.longitude),
        })


def candidate_document(candidate) -> Document:
    home = candidate.home
    return Document(
        id=str(candidate.id), text=candidate_text(candidate),
        fields={
            "status": candidate.status.value, "region": home.region,
            "sectors": list(candidate.preferred_sectors or ()),
            "visible": constraints.visible(candidate),
            "right_to_work": candidate.right_to_work, "rotl_eligible": candidate.rotl_eligible,
            "location": (home.latitude, home.longitude),
        })
