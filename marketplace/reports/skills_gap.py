"""Skills-gap analytics: which skills the open roles near a prison's releases ask for, against
the skills its people hold, so the prison can choose the training it runs.

Demand: every open opportunity (not past its closing date, its employer approved) within
REACH_MILES of the home area of at least one person in the caseload, or national, or remote;
each skill it lists (vocabulary codes, matching/skills.py) counts its number of places. Supply:
the people in the prison due out within WINDOW_WEEKS (everyone in it if nobody is due), and
whether each holds the skill: in their profile's skills, or found by the same vocabulary in the
qualifications and work history they recorded (courses completed, workshop jobs). Gaps are
ranked by the places asking for a skill that the caseload mostly lacks: places x the share of
people without it.

Nothing private leaves the prison's slice: a PEL sees their own prison (people counts from 1 to
4 as "fewer than 5"); an administrator sees any prison or the whole country. Convictions and
licence conditions are not read.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import clock
from marketplace.extensions import db
from marketplace.matching import skills
from marketplace.models import Candidate, Opportunity, Organisation, PostcodeDistrict, Prison
from marketplace.reference import services as reference
from marketplace.reports.services import Scope, Table, count
from marketplace.types import (
    CandidateStatus,
    OpportunityKind,
    OpportunityStatus,
    OrganisationStatus,
)

REACH_MILES = 20
WINDOW_WEEKS = 26
TOP = 20
TRAINING_KINDS = (OpportunityKind.TRAINING, OpportunityKind.EMPLOYABILITY,
                  OpportunityKind.PLACEMENT)


@dataclass(frozen=True)
class Gap:
    code: str
    label: str
    roles: int
    places: int
    have: int
    employers: list[tuple[str, int]]  # (name, roles), most roles first
    examples: list[str]  # the roles behind it, most places first: "Title, Employer"
    training: list[str]  # nearest training on the platform that teaches it

    def score(self, caseload: int) -> float:
        return self.places * (1 - self.have / caseload) if caseload else self.places


@dataclass(frozen=True)
class SkillsGap:
    prison: Prison | None  # None: the whole country
    caseload: int
    due_soon: bool  # the caseload is the people due out within WINDOW_WEEKS
    roles: int
    gaps: list[Gap]
    scope: Scope

    def sentence(self, gap: Gap) -> str:
        """"47 places in open roles near your releases ask for forklift; 3 of your 52 people
        due out in 6 months have it." """
        people = (f"people due out in the next {WINDOW_WEEKS // 4.33:.0f} months"
                  if self.due_soon else "people")
        whose = "your" if self.prison is not None and self.scope.suppress else "the"
        return (f"{gap.places:,} place{'s' if gap.places != 1 else ''} in {gap.roles:,} open "
                f"role{'s' if gap.roles != 1 else ''} near {whose} releases ask for "
                f"{gap.label.lower()}; {count(gap.have, self.scope)} of {whose} "
                f"{count(self.caseload, self.scope)} {people} "
                f"{'has' if count(gap.have, self.scope) == '1' else 'have'} it.")


def _caseload(prison: Prison | None, today: dt.date) -> tuple[list[Candidate], bool]:
    query = (sa.select(Candidate).where(Candidate.status == CandidateStatus.IN_CUSTODY)
             .options(selectinload(Candidate.qualifications),
                      selectinload(Candidate.work_history))
             .order_by(Candidate.id))
    if prison is not None:
        query = query.where(Candidate.prison_id == prison.id)
    people = list(db.session.scalars(query))
    soon = [p for p in people if p.release_date is not None
            and p.release_date <= today + dt.timedelta(weeks=WINDOW_WEEKS)]
    return (soon, True) if soon else (people, False)


def held_skills(candidate: Candidate, found: dict[str, list[str]] | None = None) -> set[str]:
    """Skills the person has: their profile's, and any the vocabulary finds in the names of
    their qualifications and in their work history. `found` remembers texts already read
    (many people share a course's name)."""
    found = {} if found is None else found

    def read(text: str) -> list[str]:
        if text not in found:
            found[text] = skills.normalise(text)
        return found[text]

    held = set(candidate.skills or ())
    for qualification in candidate.qualifications:
        held.update(read(qualification.name))
    for work in candidate.work_history:
        held.update(read(f"{work.role}. {work.description}"))
    return held


def build(scope: Scope, prison: Prison | None, *, today: dt.date | None = None) -> SkillsGap:
    """The ranked gaps for `prison` (None: every prison). A fixed number of queries."""
    today = today or clock.uk_today()
    people, due_soon = _caseload(prison, today)
    homes = {p.home_district for p in people}
    districts = {d.district: d for d in db.session.scalars(sa.select(PostcodeDistrict).where(
        PostcodeDistrict.district.in_(homes)))} if homes else {}
    opportunities = list(db.session.scalars(
        sa.select(Opportunity)
        .join(Organisation, Organisation.id == Opportunity.organisation_id)
        .where(Opportunity.status == OpportunityStatus.OPEN,
               Opportunity.closing_date >= today,
               Organisation.status == OrganisationStatus.APPROVED)
        .order_by(Opportunity.id)))
    reach: dict[str, float] = {}  # opportunity district -> miles to the nearest home
    points = [(d.latitude, d.longitude, d) for d in districts.values()]

    def near(opportunity: Opportunity) -> float | None:
        if opportunity.national or opportunity.remote:
            return 0.0
        here = opportunity.location
        if here.district not in reach:
            # Only homes inside a box a little wider than REACH_MILES can be within it (a
            # degree of latitude is 69 miles; of longitude, 38 or more in England and Wales).
            reach[here.district] = min(
                (reference.miles_between(here, home) for lat, lon, home in points
                 if abs(lat - here.latitude) <= REACH_MILES / 65
                 and abs(lon - here.longitude) <= REACH_MILES / 36),
                default=float("inf"))
        return reach[here.district] if reach[here.district] <= REACH_MILES else None

    nearby = [(o, miles) for o in opportunities if (miles := near(o)) is not None]
    wanted_roles: Counter[str] = Counter()
    wanted_places: Counter[str] = Counter()
    employers: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[tuple[int, str]]] = defaultdict(list)
    training: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for opportunity, miles in nearby:
        for code in set(opportunity.skills or ()):
            if opportunity.kind in TRAINING_KINDS:
                training[code].append((miles, f"{opportunity.title}, "
                                              f"{opportunity.organisation.name}"))
            if opportunity.kind is OpportunityKind.EMPLOYABILITY:
                continue  # a workshop asks for nothing
            wanted_roles[code] += 1
            wanted_places[code] += opportunity.places
            employers[code][opportunity.organisation.name] += 1
            examples[code].append((-opportunity.places, f"{opportunity.title}, "
                                                        f"{opportunity.organisation.name}"))
    found: dict[str, list[str]] = {}
    holders = Counter(code for person in people for code in held_skills(person, found))
    taxonomy = skills.taxonomy()
    gaps = [Gap(code, taxonomy[code].label if code in taxonomy else code,
                wanted_roles[code], wanted_places[code], holders[code],
                sorted(employers[code].items(), key=lambda item: (-item[1], item[0]))[:5],
                list(dict.fromkeys(title for _, title in sorted(examples[code])))[:3],
                [title for _, title in sorted(training[code])[:3]])
            for code in wanted_roles]
    gaps = [g for g in gaps if g.have < len(people) or not people]
    gaps.sort(key=lambda g: (-g.score(len(people)), -g.places, g.label))
    roles = sum(1 for o, _ in nearby if o.kind is not OpportunityKind.EMPLOYABILITY)
    return SkillsGap(prison, len(people), due_soon, roles, gaps[:TOP], scope)


def table(report: SkillsGap) -> Table:
    scope = report.scope
    return Table(
        "skills_gap", "Skills local employers want",
        f"Skills that open roles within {REACH_MILES} miles of the people's home areas ask "
        "for, weighted by places, against how many of the people have each. The biggest gaps "
        "first.",
        ("Skill", "Open roles", "Places", "People who have it", "People in the count",
         "Employers asking", "Roles asking", "Training on the service"),
        tuple((g.label, f"{g.roles:,}", f"{g.places:,}", count(g.have, scope),
               count(report.caseload, scope),
               "; ".join(f"{name} ({n})" for name, n in g.employers),
               "; ".join(g.examples),
               "; ".join(g.training) or "None yet")
              for g in report.gaps))


def prisons_with_people() -> list[Prison]:
    """Prisons with anyone in custody on the service, for the administrators' choice."""
    return list(db.session.scalars(
        sa.select(Prison).where(Prison.id.in_(
            sa.select(Candidate.prison_id).where(Candidate.prison_id.is_not(None))))
        .order_by(Prison.name, Prison.id)))


def prison_by_code(code: str) -> Prison | None:
    return db.session.scalar(sa.select(Prison).where(Prison.code == code.upper()))
