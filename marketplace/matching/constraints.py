"""Hard constraints between a candidate and an opportunity (DOMAIN.md, Matching).

They are never traded off against the score and never explained to the employer. Two sets:

- `check()`: whether the person may be offered, apply for or be nominated for a role (the
  candidate's side): every rule, including those on what follows from their convictions —
  offence exclusions, licence exclusion zones, barring from regulated activity. They and their
  PEL are told privately why; for offence exclusions only "This employer cannot consider your
  application for this role", so the rule is not a tool for discovering how others were
  screened.
- `findable()`: whether a person appears in an employer's matched candidates (the employer's
  side): the role's public rules and the person's choice to be found, and nothing that follows
  from their record. Nothing an employer sees — lists, counts, order, presence — may depend on
  conviction data before the person consents to disclosure at a conditional offer (issue 8,
  item 10): a person missing from one role's matches but not from an identical one's would tell
  the employer their offence, licence condition or barring. Those rules stop the person
  applying instead.

Pure functions over the model objects' attributes: no queries. The search layer turns the same
rules into index filters (matching/documents.py) so ranking never sees an ineligible document;
this module is the single statement of the rules, and the index is never trusted alone: every
result is checked again here against the database.
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
    HIDDEN = "hidden_from_employers"


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
    Reason.HIDDEN: "Employers cannot find you: you chose this in your profile.",
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


def visible(candidate) -> bool:
    """Whether the person lets employers find them, and has a profile to be found by. The
    search index stores this too (documents.py), but an index can be stale: the database
    decides."""
    return bool(candidate.visible_to_employers and candidate.skills_text)


def visible_clause(candidate_model):
    """`visible` as a WHERE clause over the Candidate model, for queries that must find the same
    people (one rule, two spellings side by side)."""
    return (candidate_model.visible_to_employers.is_(True)) & (candidate_model.skills_text != "")


def hidden(candidate) -> list[Reason]:
    return [] if visible(candidate) else [Reason.HIDDEN]


def _role_rules(candidate, opportunity, today: dt.date) -> list[Reason]:
    """Rules an employer may see applied: the role is open, the person can start, and may work
    in the UK (all shown on the anonymised card or the role itself)."""
    return [
        *is_open(opportunity, today),
        *availability(candidate, opportunity, today),
        *right_to_work(candidate, opportunity),
    ]


def check(candidate, opportunity, *, today: dt.date,
          considerable: Iterable[OffenceCategory]) -> Eligibility:
    """Whether the person may be offered, apply for or be nominated for the role. Callers pass
    `considerable` explicitly (the empty set for a person with no record): forgetting it must
    not silently drop offence exclusions."""
    return Eligibility(tuple([
        *_role_rules(candidate, opportunity, today),
        *exclusion_zone(candidate, opportunity),
        *barred(candidate, opportunity),
        *offence_exclusions(opportunity, considerable),
    ]))


def findable(candidate, opportunity, *, today: dt.date) -> Eligibility:
    """Whether the person appears in the employer's matched candidates for the role: their
    choice to be found and the role's public rules, never what follows from their record."""
    return Eligibility(tuple([*hidden(candidate), *_role_rules(candidate, opportunity, today)]))


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
