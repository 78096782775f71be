"""Two-way matching: roles for a candidate, candidates for a role, and free-text search.

1. The index narrows the field with structured filters (open, not past closing, kind, sector,
   distance...) before ranking, and ranks by meaning (and words, for a typed search).
2. Every hard constraint (constraints.py) is then checked against the database for what the
   index returned: the single statement of the rules decides, nothing that fails a constraint
   is shown, and a stale index (a profile hidden since it was indexed) cannot show anything.
   The index is asked for several times more than needed so the page still fills after the
   constraints.
3. What is left is scored (scoring.py) and explained (explain.py).

Offence exclusions apply on the candidate's side only (`opportunities_for`): a role that
excludes a person's offence is not recommended to them. Matched candidates for an employer
(`candidates_for`) never read conviction records, so nothing the employer sees depends on them.
Each list runs a fixed number of queries however many results it has.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from marketplace import clock
from marketplace.disclosure import records
from marketplace.extensions import db
from marketplace.matching import constraints, explain, scoring
from marketplace.matching.documents import candidate_document, opportunity_document
from marketplace.matching.text import profile_keywords
from marketplace.models import Candidate, Opportunity, Organisation, PostcodeDistrict
from marketplace.reference import services as reference
from marketplace.types import CandidateStatus, OpportunityKind, Sector
from search_index import DateRange, Flag, GeoDistance, Hit, IndexNotBuilt, Terms

OVERFETCH = 4
MAX_KEYWORD_CHARS = 1000  # what the index accepts as keywords (search_index.base)
# A typed search longer than this is shortened, with a note (query_note), not refused: a list
# of six skills is often over 200 characters.
MAX_QUERY_WORDS = 60
MAX_QUERY_CHARS = 600
DISTANCES = (5, 10, 25, 50)


class MatchingError(ValueError):
    """A query a person can fix; the message says how."""


@dataclass(frozen=True)
class OpportunityMatch:
    opportunity: Opportunity
    score: scoring.Score
    reasons: list[str]
    requirements: constraints.Requirements | None


@dataclass(frozen=True)
class CandidateMatch:
    candidate: Candidate  # for the policy to turn into a view; never rendered as is
    score: scoring.Score
    reasons: list[str]


@dataclass(frozen=True)
class OpportunityFilters:
    kind: OpportunityKind | None = None
    sector: Sector | None = None
    within_miles: int | None = None
    guaranteed_interview: bool = False
    bond_backed: bool = False


def _search():
    return current_app.extensions["search"]


def _index(name: str):
    """The index, checked before any embedding so that an unbuilt index fails fast."""
    index = _search().index(name)
    if not index.stats().get("built"):
        raise IndexNotBuilt(f"The {name} search index has not been built. "
                            "Run: flask index rebuild")
    return index


def _miles(a: PostcodeDistrict | None, b: PostcodeDistrict | None) -> float | None:
    return None if a is None or b is None else reference.miles_between(a, b)


def _districts(codes: set[str]) -> dict[str, PostcodeDistrict]:
    return {d.district: d for d in db.session.scalars(
        sa.select(PostcodeDistrict).where(PostcodeDistrict.district.in_(codes)))}


def _query_vector(text: str | None, own_index: str, own) -> np.ndarray | None:
    """A typed search is embedded (and remembered); otherwise the person's or role's own
    vector is taken from its index, where it was stored when it was saved, so recommendations
    and matched candidates embed nothing. None when there is nothing to match on."""
    if text:
        return _search().embed_query(text)
    if not own.text:
        return None
    return _search().stored_vector(own_index, own)


def _shortened(text: str | None) -> tuple[str | None, bool]:
    """The search as used, and whether it was cut: at most MAX_QUERY_WORDS words and
    MAX_QUERY_CHARS characters (the model reads about 250 word pieces and ignores the rest)."""
    if text is None or not text.strip():
        return None, False
    words = text.split()
    used = " ".join(words[:MAX_QUERY_WORDS])
    if len(used) > MAX_QUERY_CHARS:
        used = used[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] if " " in used[:MAX_QUERY_CHARS] \
            else used[:MAX_QUERY_CHARS]
    return used, len(words) > MAX_QUERY_WORDS or used != " ".join(words)


def query_note(text: str | None) -> str | None:
    """What to tell a person whose search was too long to use whole; None otherwise."""
    if _shortened(text)[1]:
        return (f"Your search was long, so we searched for its first {MAX_QUERY_WORDS} words "
                f"(or {MAX_QUERY_CHARS} letters).")
    return None


def opportunities_for(candidate: Candidate, *, text: str | None = None,
                      filters: OpportunityFilters = OpportunityFilters(), k: int = 20,
                      today: dt.date | None = None) -> list[OpportunityMatch]:
    """Roles for a person, best first: "Recommended for you" (no text) or their search."""
    today = today or clock.uk_today()
    text = _shortened(text)[0]
    home = candidate.home
    index_filters = [Flag("open", True), DateRange("closing", gte=today)]
    if filters.kind:
        index_filters.append(Terms("kind", (filters.kind.value,)))
    if filters.sector:
        index_filters.append(Terms("sector", (filters.sector.value,)))
    if filters.guaranteed_interview:
        index_filters.append(Flag("guaranteed_interview", True))
    if filters.bond_backed:
        index_filters.append(Flag("bond_backed", True))
    if filters.within_miles:
        index_filters.append(GeoDistance("location", home.latitude, home.longitude,
                                         filters.within_miles, unless="national"))
    if candidate.exclusion_districts:  # never offered a role inside a licence exclusion zone
        index_filters.append(Terms("district", tuple(candidate.exclusion_districts),
                                   exclude=True))
    index = _index("opportunities")
    vector = _query_vector(text, "candidates", candidate_document(candidate))
    if vector is None:
        return []
    # Words count too, in a search and in recommendations (the profile's headline and skills):
    # measured better than meaning alone on both (README, Matching quality).
    keywords = text or profile_keywords(candidate)[:MAX_KEYWORD_CHARS] or None
    hits = index.search(
        vector=vector, text=keywords, filters=index_filters, k=min(k * OVERFETCH, 1000))
    by_id = {str(o.id): o for o in db.session.scalars(
        sa.select(Opportunity).where(Opportunity.id.in_([int(h.id) for h in hits]))
        .options(selectinload(Opportunity.exclusions),
                 # The list shows each role's organisation by name: its pledges (loaded with it
                 # by default) are a fifth of the loading time at 800 roles and never shown.
                 selectinload(Opportunity.organisation).lazyload(Organisation.pledges)))}
    # The person's records are read and decrypted once, then judged at each role's level.
    offences = records.considerable_by_level(candidate, today) \
        if any(o.exclusions for o in by_id.values()) else {}
    places = _districts({o.postcode_district for o in by_id.values()} | {home.district})
    matches = []
    for hit in hits:
        opportunity = by_id.get(hit.id)
        if opportunity is None:
            continue  # deleted since it was indexed
        if not constraints.check(candidate, opportunity, today=today,
                                 considerable=offences.get(opportunity.check_level, ())
                                 ).eligible:
            continue
        far = opportunity.remote or opportunity.national
        miles = None if far else _miles(places.get(opportunity.postcode_district),
                                        places.get(home.district))
        score = scoring.score(candidate, opportunity, cosine=hit.parts.get("semantic", 0.0),
                              miles=miles, keyword=hit.parts.get("keyword") if keywords else None,
                              search=bool(text))
        matches.append(OpportunityMatch(
            opportunity, score,
            explain.for_candidate(score, home_district=home.district, remote=opportunity.remote),
            constraints.minimum_requirements(candidate, opportunity)
            if opportunity.guaranteed_interview else None))
    matches.sort(key=lambda m: (-m.score.total, m.opportunity.closing_date, m.opportunity.id))
    return matches[:k]


def candidates_for(opportunity: Opportunity, *, text: str | None = None,
                   within_miles: int | None = None, k: int = 20,
                   today: dt.date | None = None, card_details: bool = True
                   ) -> list[CandidateMatch]:
    """People for a role, best first, among those who let employers find them and meet the
    role's hard constraints (constraints.findable: never their conviction records). The caller
    shows each through the disclosure policy (an anonymised card). With card_details=False the
    cards' qualifications and work history are not loaded: a caller that shows only a page of
    the k loads them for that page with `load_card_details`."""
    today = today or clock.uk_today()
    text = _shortened(text)[0]
    place = opportunity.location
    index_filters = [Flag("visible", True)]
    if opportunity.kind is not OpportunityKind.EMPLOYABILITY:
        index_filters.append(Flag("right_to_work", True))
    if within_miles and not (opportunity.remote or opportunity.national):
        index_filters.append(GeoDistance("location", place.latitude, place.longitude,
                                         within_miles))
    index = _index("candidates")
    vector = _query_vector(text, "opportunities", opportunity_document(opportunity))
    hits: list[Hit] = index.search(
        vector=vector, text=text, filters=index_filters, k=min(k * OVERFETCH, 1000))
    # Ranking needs only the person's own columns and home; their qualifications and work
    # history (for the cards) are loaded below for the k kept, not for every hit.
    people = {str(c.id): c for c in db.session.scalars(
        sa.select(Candidate).where(Candidate.id.in_([int(h.id) for h in hits]))
        .options(selectinload(Candidate.home)))}
    matches = []
    for hit in hits:
        candidate = people.get(hit.id)
        if candidate is None:
            continue
        if not constraints.findable(candidate, opportunity, today=today).eligible:
            continue
        far = opportunity.remote or opportunity.national
        miles = None if far else reference.miles_between(place, candidate.home)
        score = scoring.score(candidate, opportunity, cosine=hit.parts.get("semantic", 0.0),
                              miles=miles, keyword=hit.parts.get("keyword") if text else None,
                              search=bool(text))
        matches.append(CandidateMatch(candidate, score, explain.for_employer(
            score, home_district=candidate.home_district)))
    matches.sort(key=lambda m: (-m.score.total, m.candidate.id))
    matches = matches[:k]
    if card_details:
        load_card_details(matches)
    return matches


def load_card_details(matches: list[CandidateMatch]) -> None:
    """Qualifications and work history (what an anonymised card shows) for these people, in
    two queries however many there are."""
    if matches:
        db.session.scalars(
            sa.select(Candidate).where(Candidate.id.in_([m.candidate.id for m in matches]))
            .options(selectinload(Candidate.qualifications),
                     selectinload(Candidate.work_history))).all()


def in_custody_note(candidate: Candidate) -> str | None:
    if candidate.status is CandidateStatus.IN_CUSTODY:
        return "You are in prison: we only show roles you could start or attend on day release."
    return None
