"""Hard constraints between a candidate and an opportunity (DOMAIN.md, Matching).

They are never traded off against the score and never explained to the employer: an excluded
candidate simply does not appear. The candidate (and their PEL) may be told, in plain words,
why a role is not open to them — except for offence exclusions, which are reported only as
"this employer cannot consider your application" so the rule is not a tool for discovering
how others were screened.

Pure functions over the model objects' attributes: no queries. The search layer turns the same
rules into index filters (matching/filters.py) so ranking never sees an ineligible document;
this module is the single statement of the rules, and the tests check the two agree.
"""

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from marketplace.types import (
    CandidateStatus,
    OffenceCategory,
    OpportunityKind,
    OpportunityStatus,
    RegulatedActivity,
)


class Reason(enum.StrEnum):
    NOT_OPEN = "not_open"
    CLOSED = "past_closing_date"
    NOT_AVAILABLE = "not_available_by_start"
    RELEASE_TOO_LATE = "release_after_latest_date"
    EXCLUSION_ZONE = "licence_exclusion_zone"
    BARRED = "barred_from_regulated_activity"
    RIGHT_TO_WORK = "no_right_to_work"
    OFFENCE_EXCLUDED = "offence_excluded"


# What the candidate or their PEL is told. Offence exclusions deliberately say little.
CANDIDATE_WORDING = {
    Reason.NOT_OPEN: "This opportunity is not taking applications.",
    Reason.CLOSED: "The closing date for this opportunity has passed.",
    Reason.NOT_AVAILABLE: "It starts before your release date, and it does not take people on "
                          "day release (ROTL).",
    Reason.RELEASE_TOO_LATE: "The employer cannot wait until your release date.",
    Reason.EXCLUSION_ZONE: "It is in an area your licence does not let you go to.",
    Reason.BARRED: "This role involves work you are barred from.",
    Reason.RIGHT_TO_WORK: "You need the right to work in the UK for this role.",
    Reason.OFFENCE_EXCLUDED: "This employer cannot consider your application for this role.",
}


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    def wording(self) -> list[str]:
        return [CANDIDATE_WORDING[r] for r in self.reasons]


def is_open(opportunity, today: dt.date) -> list[Reason]:
    if opportunity.status is not OpportunityStatus.OPEN:
        return [Reason.NOT_OPEN]
    if opportunity.closing_date < today:
        return [Reason.CLOSED]
    return []


def availability(candidate, opportunity, today: dt.date) -> list[Reason]:
    """Someone in custody is available from release; before that only if the role takes people
    on ROTL (placements, interviews) or in custody, and they are eligible for it."""
    if candidate.status is not CandidateStatus.IN_CUSTODY:
        return []
    release = candidate.release_date or dt.date.max
    if opportunity.latest_release_date and release > opportunity.latest_release_date:
        return [Reason.RELEASE_TOO_LATE]
    start = opportunity.start_date or opportunity.closing_date
    if release <= start:
        return []
    on_rotl = opportunity.accepts_rotl and candidate.rotl_eligible
    if opportunity.accepts_in_custody or on_rotl:
        return []
    return [Reason.NOT_AVAILABLE]


def exclusion_zone(candidate, opportunity) -> list[Reason]:
    if opportunity.remote:
        return []
    zones = set(candidate.exclusion_districts or ())
    return [Reason.EXCLUSION_ZONE] if opportunity.postcode_district in zones else []


def barred(candidate, opportunity) -> list[Reason]:
    activity = opportunity.regulated_activity
    children = activity in (RegulatedActivity.CHILDREN, RegulatedActivity.BOTH)
    adults = activity in (RegulatedActivity.ADULTS, RegulatedActivity.BOTH)
    if (children and candidate.barred_children) or (adults and candidate.barred_adults):
        return [Reason.BARRED]
    return []


def right_to_work(candidate, opportunity) -> list[Reason]:
    # Mentoring and workshops are not work: no right-to-work test for them.
    if opportunity.kind is OpportunityKind.EMPLOYABILITY:
        return []
    return [] if candidate.right_to_work else [Reason.RIGHT_TO_WORK]


def offence_exclusions(opportunity, considerable: Iterable[OffenceCategory]) -> list[Reason]:
    """`considerable`: the offence categories of the candidate's convictions that the law lets
    this employer consider at this role's check level (disclosure.records.considerable_offences).
    Spent (basic) and protected (standard/enhanced) convictions never reach this function."""
    excluded = opportunity.exclusion_categories
    return [Reason.OFFENCE_EXCLUDED] if excluded & set(considerable) else []


def check(candidate, opportunity, *, today: dt.date,
          considerable: Iterable[OffenceCategory] = ()) -> Eligibility:
    reasons = [
        *is_open(opportunity, today),
        *availability(candidate, opportunity, today),
        *exclusion_zone(candidate, opportunity),
        *barred(candidate, opportunity),
        *right_to_work(candidate, opportunity),
        *offence_exclusions(opportunity, considerable),
    ]
    return Eligibility(tuple(reasons))


@dataclass(frozen=True)
class Requirements:
    """Guaranteed-interview minimum requirements, reported as met or unmet."""

    met: tuple[str, ...]
    unmet: tuple[str, ...]

    @property
    def all_met(self) -> bool:
        return not self.unmet


def minimum_requirements(candidate, opportunity) -> Requirements:
    """The role's required skills (vocabulary codes) the candidate has and lacks."""
    have = set(candidate.skills or ())
    required = list(opportunity.required_skills or ())
    return Requirements(met=tuple(c for c in required if c in have),
                        unmet=tuple(c for c in required if c not in have))
