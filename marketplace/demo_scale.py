"""The demo at scale: `flask demo --scale N`.

N candidates and N/5 opportunities on top of the normal demo (which it loads first if it is
missing, so the demo sign-ins keep working), for measuring pages and the load benchmark at
the size of a whole region. Organisations (one per 200 people, a few waiting for approval),
their employer accounts, a prison employment lead at every demo prison, applications in every
status with their history, interviews, offers, starts and check-ins, nominations, and conviction
records for one person in 50.

How it stays fast (100,000 people in minutes rather than the 18 minutes the demo's own code
takes): rows are plain dictionaries written with Core `insert()` in batches (psycopg sends each
batch as one multi-row INSERT), with ids given here (one past the highest) so that children can
point at parents without reading anything back; PostgreSQL's sequences are then moved past
them. Conviction records go through the real code path (`disclosure.records.add`: validated,
encrypted, audited), as they are few.

Deterministic (one seeded generator; dates relative to today), all or nothing (one
transaction), and refuses a second run: the data is marked by its opportunities' `source`.

The search indices get every scaled document with a random unit vector instead of an embedding
(embedding 120,000 texts would take most of an hour on two cores): matching still runs its
filters, constraints and scoring over all of them, but their meaning scores are noise. The
normal demo's documents keep their real vectors (embedded now if the index was never built).
A later `flask index rebuild` embeds everything for real.
"""

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from marketplace import clock, notify
from marketplace import demo as base_demo
from marketplace import demo_content as content
from marketplace.auth.services import hash_password
from marketplace.extensions import db
from marketplace.matching import skills
from marketplace.matching.documents import DIM, candidate_document, opportunity_document
from marketplace.models import (
    Application,
    ApplicationEvent,
    Candidate,
    CheckIn,
    Interview,
    Offer,
    Opportunity,
    OpportunityExclusion,
    Organisation,
    OrganisationPledge,
    Placement,
    PostcodeDistrict,
    Prison,
    Qualification,
    ResettlementNeed,
    User,
    WorkHistory,
    WorkReadiness,
)
from marketplace.reference import services as reference
from marketplace.types import (
    ApplicationSource,
    ApplicationStatus,
    CandidateStatus,
    CheckInOutcome,
    CheckLevel,
    ContractType,
    HoursPattern,
    InterviewStatus,
    OffenceCategory,
    OfferStatus,
    OpportunityKind,
    OpportunityStatus,
    OrganisationSize,
    OrganisationStatus,
    Pathway,
    PayPeriod,
    Pledge,
    Rag,
    RegulatedActivity,
    Role,
    RotlStatus,
    Sector,
    WorkReadinessStatus,
)

SOURCE = "Demo data at scale"
DOMAIN = "scale.fairchance.example"
SMALLEST, LARGEST = 10, 1_000_000
BATCH = 5_000
PEOPLE_PER_ORGANISATION = 200
APPLICATIONS_PER_PERSON = 0.5
CONVICTIONS_ONE_IN = 50
# The demo employer gets its share of the scaled roles, so its pages grow with the data.
DEMO_EMPLOYER_SHARE = 0.01
S = ApplicationStatus
JOURNEYS = [
    [S.APPLIED], [S.APPLIED, S.SHORTLISTED], [S.APPLIED, S.SHORTLISTED, S.INTERVIEW],
    [S.APPLIED, S.UNSUCCESSFUL], [S.NOMINATED], [S.NOMINATED, S.APPLIED],
    [S.APPLIED, S.INTERVIEW, S.CONDITIONAL_OFFER],
    [S.APPLIED, S.INTERVIEW, S.CONDITIONAL_OFFER, S.OFFER_CONFIRMED],
    [S.APPLIED, S.INTERVIEW, S.CONDITIONAL_OFFER, S.OFFER_CONFIRMED, S.STARTED],
    [S.APPLIED, S.WITHDRAWN],
]
# NOMIS-style numbers (a letter, four digits, two letters) with first letters the demo's people
# never have (theirs start A or G).
_FIRST_LETTERS = "BCDEFHJKLMNPRTUVWXYZ"


class ScaleError(Exception):
    """The scaled data cannot be built as asked; the message says why in plain words."""


@dataclass(frozen=True)
class ScaleSummary:
    candidates: int
    opportunities: int
    organisations: int
    users: int
    applications: int
    convictions: int
    seconds: float


def loaded() -> int:
    """How many opportunities earlier scaled data made (0: none)."""
    return db.session.scalar(sa.select(sa.func.count(Opportunity.id))
                             .where(Opportunity.source == SOURCE)) or 0


def run(n: int, seed: int = 2026, echo: Callable[[str], None] = print,
        index: bool = True) -> ScaleSummary:
    """Build `n` candidates and n/5 opportunities (see the module doc). Raises ScaleError for an
    `n` out of range or when scaled data is already loaded; anything that fails undoes it all."""
    if not SMALLEST <= n <= LARGEST:
        raise ScaleError(f"The scale must be a whole number from {SMALLEST:,} to {LARGEST:,}.")
    base_demo.run(seed=seed, echo=lambda _line: None)  # idempotent: the demo sign-ins
    if loaded():
        raise ScaleError(
            "Scaled demo data is already loaded in this database: nothing added. To load "
            "another size, start again from an empty database.")
    started = time.perf_counter()
    try:
        with notify.no_emails():
            builder = _Builder(n, random.Random(seed), echo)
            builder.build()
            if index:
                _index(builder, np.random.default_rng(seed), echo)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    _analyse(echo)
    return ScaleSummary(candidates=n, opportunities=builder.n_opportunities,
                        organisations=len(builder.organisations), users=builder.n_users,
                        applications=builder.n_applications, convictions=builder.n_convictions,
                        seconds=round(time.perf_counter() - started, 1))


def _analyse(echo: Callable[[str], None]) -> None:
    """After a bulk load PostgreSQL's planner still has the statistics of the small demo (an
    employer's home page: 960 ms before, 140 ms after at 100,000 people), and counts cannot use
    index-only scans until the visibility map is set: VACUUM (ANALYZE) sees to both, now rather
    than whenever autovacuum gets there."""
    if db.engine.dialect.name != "postgresql":
        return
    started = time.perf_counter()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE)")
    echo(f"  VACUUM (ANALYZE): {time.perf_counter() - started:.1f} s")


class _Ids:
    """Ids for a table: one past the highest already there, then counting up."""

    def __init__(self, model):
        self.next = (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def _insert(model, rows: list[dict]) -> None:
    # A plain executemany: psycopg pipelines it (one round trip a batch). Measured on 5,000
    # people, it is four times faster than RETURNING's multi-row INSERTs ("insertmanyvalues").
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(model.__table__), rows[start:start + BATCH])


def _move_sequences(models: Iterable) -> None:
    """Ids given here leave PostgreSQL's sequences behind: move each past its table's highest,
    or the next row the app adds would collide. (SQLite takes the highest id plus one.)"""
    if db.engine.dialect.name != "postgresql":
        return
    for model in models:
        table = model.__table__.name
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


@cache
def _skills_of(phrase: str) -> tuple[str, ...]:
    return tuple(skills.normalise(phrase))


def _skills(text: str) -> tuple[str, ...]:
    """skills.normalise(text) for text made of comma-separated phrases, a phrase at a time:
    the same codes in the same order (no skill's words cross a comma), from a cache of the
    few phrases there are rather than a millisecond for every person."""
    found: dict[str, None] = {}
    for phrase in text.split(", "):
        found.update(dict.fromkeys(_skills_of(phrase)))
    return tuple(found)


class _Builder:
    def __init__(self, n: int, rng: random.Random, echo: Callable[[str], None]):
        self.n = n
        self.rng = rng
        self.echo = echo
        self.today = clock.uk_today()
        self.now = clock.utc_now()
        self.password_hash = hash_password(base_demo.PASSWORD)
        self.districts = list(db.session.scalars(
            sa.select(PostcodeDistrict).where(PostcodeDistrict.region.not_in(["Scotland"]))
            .order_by(PostcodeDistrict.district)))
        self.by_area: dict[str, list[PostcodeDistrict]] = {}
        for d in self.districts:
            self.by_area.setdefault(d.postcode_area, []).append(d)
        prisons = {p.code: p for p in db.session.scalars(sa.select(Prison))}
        self.prisons = [prisons[c] for c in base_demo.PRISON_CODES if c in prisons]
        self.ids = {m: _Ids(m) for m in (User, Organisation, Opportunity, Candidate,
                                          Qualification, WorkHistory, WorkReadiness,
                                          Application, ApplicationEvent, Interview, Offer,
                                          Placement, CheckIn)}
        self.organisations: list[dict] = []
        self.n_users = self.n_opportunities = self.n_applications = self.n_convictions = 0

    def build(self) -> None:
        steps = [("prison employment leads", self._pels),
                 ("organisations and employers", self._organisations),
                 ("opportunities", self._opportunities),
                 ("candidates", self._candidates),
                 ("applications", self._applications),
                 ("conviction records", self._convictions)]
        for label, step in steps:
            started = time.perf_counter()
            step()
            self.echo(f"  {label}: {time.perf_counter() - started:.1f} s")
        _move_sequences(self.ids)

    def _user(self, rows: list[dict], email: str, name: str, role: Role, **links) -> int:
        user_id = self.ids[User].take()
        rows.append({"id": user_id, "email": email, "full_name": name, "role": role,
                     "password_hash": self.password_hash, "email_confirmed_at": self.now,
                     "organisation_id": links.get("organisation_id"),
                     "prison_id": links.get("prison_id"), "is_active_account": True,
                     "session_version": 1, "created_at": self.now, "updated_at": self.now})
        self.n_users += 1
        return user_id

    def _name(self) -> tuple[str, str]:
        return self.rng.choice(content.FIRST_NAMES), self.rng.choice(content.LAST_NAMES)

    # --- staff ------------------------------------------------------------------------------
    def _pels(self) -> None:
        """A lead at every demo prison that has none (the demo staffs ten of them), so every
        prison's people can be nominated."""
        staffed = dict(db.session.execute(
            sa.select(User.prison_id, sa.func.min(User.id)).where(User.role == Role.PEL)
            .group_by(User.prison_id)).all())
        rows: list[dict] = []
        for prison in self.prisons:
            if prison.id not in staffed:
                first, last = self._name()
                staffed[prison.id] = self._user(
                    rows, f"pel.{prison.code.lower()}@{DOMAIN}", f"{first} {last}", Role.PEL,
                    prison_id=prison.id)
        _insert(User, rows)
        self.pels = staffed

    # --- employers ----------------------------------------------------------------------------
    def _organisations(self) -> None:
        rng = self.rng
        count = max(2, self.n // PEOPLE_PER_ORGANISATION)
        areas = sorted(self.by_area)
        sectors = list(Sector)
        organisations, pledges, users = [], [], []
        self.employers: dict[int, int] = {}  # organisation id: an employer user id
        for number in range(count):
            org_id = self.ids[Organisation].take()
            sector = rng.choice(sectors)
            pending = number % 50 == 49
            home = rng.choice(self.by_area[rng.choice(areas)])
            first, last = self._name()
            name = f"{last} {sector.label.split(',')[0].split(' and ')[0]} {number + 1}"
            organisations.append({
                "id": org_id, "name": name, "sector": sector,
                "size": rng.choice(list(OrganisationSize)), "region": home.region,
                "alliance_level": rng.choices([1, 2, 3], [1, 2, 5])[0],
                "about": f"{name} is a Corporate Alliance employer (demo data at scale).",
                "status": OrganisationStatus.PENDING if pending else OrganisationStatus.APPROVED,
                "decided_at": None if pending else self.now,
                "created_at": self.now, "updated_at": self.now})
            organisations[-1]["_home"] = home
            for pledge in Pledge:
                if rng.random() < 0.4:
                    pledges.append({"organisation_id": org_id, "pledge": pledge})
            for member in range(1 + rng.randrange(2)):
                first, last = self._name()
                user_id = self._user(users, f"employer.{number + 1}.{member + 1}@{DOMAIN}",
                                     f"{first} {last}", Role.EMPLOYER, organisation_id=org_id)
                self.employers.setdefault(org_id, user_id)
        self.organisations = organisations
        _insert(Organisation, [{k: v for k, v in o.items() if k != "_home"}
                               for o in organisations])
        _insert(User, users)
        _insert(OrganisationPledge, pledges)
        # The demo employer, to give it its share of roles.
        demo_user = db.session.scalar(sa.select(User).where(
            User.email == f"employer@{base_demo.DOMAIN}"))
        demo_org = demo_user.organisation
        # The demo keeps no home district for an organisation: Northgate is in Leeds.
        leeds = self.by_area.get("LS") or self.districts
        self.demo_org = {"id": demo_org.id, "sector": demo_org.sector,
                         "alliance_level": demo_org.alliance_level, "region": demo_org.region,
                         "_home": next((d for d in leeds if d.district == "LS10"), leeds[0])}
        self.employers[demo_org.id] = demo_user.id

    # --- opportunities --------------------------------------------------------------------
    def _opportunities(self) -> None:
        rng = self.rng
        approved = [o for o in self.organisations
                    if o["status"] is OrganisationStatus.APPROVED]
        count = max(1, self.n // 5)
        rows, exclusions = [], []
        self.open_roles: list[tuple[int, int, bool, str]] = []  # id, org id, guaranteed, where
        for _ in range(count):
            org = self.demo_org if rng.random() < DEMO_EMPLOYER_SHARE else rng.choice(approved)
            row = self._opportunity(org)
            rows.append(row)
            if row["status"] is OpportunityStatus.OPEN:
                self.open_roles.append((row["id"], org["id"], row["guaranteed_interview"],
                                        row["postcode_district"]))
            if row["kind"] is OpportunityKind.VACANCY and rng.random() < 0.25:
                for category in rng.sample([OffenceCategory.ARSON, OffenceCategory.SEXUAL,
                                            OffenceCategory.FRAUD, OffenceCategory.VIOLENCE,
                                            OffenceCategory.DRIVING], k=rng.randint(1, 2)):
                    exclusions.append({"opportunity_id": row["id"], "category": category})
        _insert(Opportunity, rows)
        _insert(OpportunityExclusion, exclusions)
        self.n_opportunities = len(rows)

    def _opportunity(self, org: dict) -> dict:
        """One role, as the demo's own builder makes them (demo._Builder._opportunity)."""
        rng = self.rng
        kinds = [k for k in OpportunityKind if org["alliance_level"] >= k.minimum_level]
        weights = {OpportunityKind.VACANCY: 6, OpportunityKind.PLACEMENT: 2,
                   OpportunityKind.TRAINING: 2, OpportunityKind.EMPLOYABILITY: 1}
        kind = rng.choices(kinds, [weights[k] for k in kinds])[0]
        if kind is OpportunityKind.VACANCY:
            title, skills_text, description, wanted, required = rng.choice(
                content.JOBS.get(org["sector"]) or content.JOBS[Sector.LOGISTICS])
        else:
            title, skills_text, description = rng.choice(content.ACTIVITIES[kind])
            wanted, required = "", []
        home = org["_home"]
        location = rng.choice(self.by_area.get(home.postcode_area) or [home])
        status = rng.choices(list(OpportunityStatus), [1, 12, 2, 1])[0]
        closing = self.today + dt.timedelta(days=rng.randint(7, 60))
        if status in (OpportunityStatus.CLOSED, OpportunityStatus.FILLED):
            closing = self.today - dt.timedelta(days=rng.randint(1, 40))
        paid = kind in (OpportunityKind.VACANCY, OpportunityKind.PLACEMENT)
        care = org["sector"] is Sector.CARE and kind is OpportunityKind.VACANCY
        regulated = RegulatedActivity.ADULTS if care and rng.random() < 0.7 \
            else RegulatedActivity.NONE
        check = CheckLevel.ENHANCED_BARRED if regulated is not RegulatedActivity.NONE else \
            rng.choices([CheckLevel.NONE, CheckLevel.BASIC, CheckLevel.STANDARD,
                         CheckLevel.ENHANCED], [8, 5, 1, 1])[0]
        hourly = base_demo.MINIMUM_WAGE_PENCE + rng.randrange(0, 600, 25) if paid else None
        guaranteed = kind in (OpportunityKind.VACANCY, OpportunityKind.TRAINING) and \
            rng.random() < 0.3
        in_custody_ok = kind in (OpportunityKind.PLACEMENT, OpportunityKind.EMPLOYABILITY,
                                 OpportunityKind.TRAINING) or rng.random() < 0.15
        contract = {OpportunityKind.VACANCY: rng.choice([ContractType.PERMANENT,
                                                         ContractType.FIXED_TERM,
                                                         ContractType.APPRENTICESHIP]),
                    OpportunityKind.PLACEMENT: ContractType.PLACEMENT}.get(kind,
                                                                           ContractType.NONE)
        return {
            "id": self.ids[Opportunity].take(), "organisation_id": org["id"],
            "created_by_id": None, "kind": kind, "title": title, "description": description,
            "sector": org["sector"], "skills_text": skills_text,
            "skills": list(_skills(skills_text)), "qualifications_wanted": wanted,
            "postcode_district": location.district,
            "remote": org["sector"] is Sector.IT and rng.random() < 0.3,
            "national": kind is OpportunityKind.EMPLOYABILITY and rng.random() < 0.3,
            "hours": rng.choice(list(HoursPattern)) if paid else HoursPattern.FLEXIBLE,
            "hours_per_week": rng.choice([16, 20, 30, 37, 40]) if paid else None,
            "paid": paid, "pay_min_pence": hourly,
            "pay_max_pence": hourly + rng.randrange(0, 300, 25) if hourly else None,
            "pay_period": PayPeriod.HOUR if paid else None, "pays_minimum_wage": True,
            "contract": contract, "places": rng.randint(1, 10),
            "start_date": closing + dt.timedelta(days=rng.randint(7, 45)),
            "closing_date": closing, "status": status,
            "published_at": None if status is OpportunityStatus.DRAFT else self.now,
            "closed_at": self.now if status is OpportunityStatus.CLOSED else None,
            "guaranteed_interview": guaranteed,
            "minimum_requirements": (f"You need: {wanted}." if wanted else
                                     "Complete the course.") if guaranteed else "",
            "required_skills": list(required) if guaranteed else [],
            "linked_training_id": None,
            "bond_backed": kind is OpportunityKind.VACANCY and rng.random() < 0.25,
            "check_level": check, "regulated_activity": regulated,
            "accepts_in_custody": in_custody_ok, "accepts_rotl": in_custody_ok,
            "latest_release_date": self.today + dt.timedelta(days=120) if in_custody_ok
            else None,
            "case_by_case": False, "exclusion_reason": None,
            "ring_fenced": rng.random() < 0.3, "how_to_apply": "Apply through this service.",
            "source": SOURCE, "created_at": self.now, "updated_at": self.now}

    # --- candidates -----------------------------------------------------------------------
    def _prison_home(self, prison: Prison) -> list[PostcodeDistrict]:
        outward = (prison.postcode or "").split(" ")[0]
        centre = next((d for d in self.districts if d.district == outward), self.districts[0])
        return [d for d in self.districts if reference.miles_between(d, centre) <= 35] \
            or self.districts

    def _candidates(self) -> None:
        rng = self.rng
        homes = {p.id: self._prison_home(p) for p in self.prisons}
        statuses = list(CandidateStatus)
        users, people, qualifications, work, readiness, needs = [], [], [], [], [], []
        self.people: list[tuple[int, CandidateStatus, int | None, int | None]] = []
        for number in range(self.n):
            prison = rng.choice(self.prisons)
            status = rng.choices(statuses, [45, 30, 25])[0]
            home = rng.choice(homes[prison.id])
            phrases = rng.sample(content.SKILL_PHRASES, k=rng.randint(2, 5))
            skills_text = ", ".join(phrases)
            first, last = self._name()
            in_custody = status is CandidateStatus.IN_CUSTODY
            user_id = None
            if not in_custody and rng.random() < 0.33:
                user_id = self._user(users, f"candidate.{number + 1}@{DOMAIN}",
                                     f"{first} {last}", Role.CANDIDATE)
            candidate_id = self.ids[Candidate].take()
            letter = _FIRST_LETTERS[number // (10_000 * 676)]
            pair = (number // 10_000) % 676
            people.append({
                "id": candidate_id, "user_id": user_id, "first_name": first, "last_name": last,
                "prison_number": f"{letter}{number % 10_000:04d}{chr(65 + pair // 26)}"
                                 f"{chr(65 + pair % 26)}",
                "status": status, "prison_id": prison.id if in_custody else None,
                "release_date": self.today + dt.timedelta(days=rng.randint(14, 270))
                if in_custody else self.today - dt.timedelta(days=rng.randint(10, 900)),
                "home_district": home.district,
                "rotl_eligible": in_custody and rng.random() < 0.5,
                "right_to_work": rng.random() < 0.96,
                "headline": rng.choice(content.HEADLINES),
                "summary": f"I have done {phrases[0]} and {phrases[1]}. I want steady work "
                           "and a fresh start.",
                "skills_text": skills_text, "skills": list(_skills(skills_text)),
                "preferred_sectors": [s.value for s in rng.sample(list(Sector),
                                                                  k=rng.randint(1, 3))],
                "preferred_hours": rng.choice(list(HoursPattern)),
                "max_travel_miles": rng.choice([5, 10, 15, 25]), "visible_to_employers": True,
                "licence_end_date": self.today + dt.timedelta(days=rng.randint(30, 700))
                if status is CandidateStatus.ON_LICENCE else None,
                "exclusion_districts": [rng.choice(homes[prison.id]).district]
                if status is not CandidateStatus.RELEASED and rng.random() < 0.1 else [],
                "barred_children": rng.random() < 0.03, "barred_adults": rng.random() < 0.02,
                "risk_notes": "Demo risk note: private to the prison and administrators."
                if rng.random() < 0.3 else None,
                "created_at": self.now, "updated_at": self.now})
            self.people.append((candidate_id, status, prison.id if in_custody else None,
                                user_id))
            for name, body in rng.sample(content.QUALIFICATIONS, k=rng.randint(0, 2)):
                qualifications.append({
                    "id": self.ids[Qualification].take(), "candidate_id": candidate_id,
                    "name": name, "awarding_body": body, "gained_in_custody": rng.random() < 0.6,
                    "achieved_on": self.today - dt.timedelta(days=rng.randint(30, 2000)),
                    "created_at": self.now, "updated_at": self.now})
            for role, inside, text in rng.sample(content.WORK_HISTORY, k=rng.randint(1, 2)):
                start = self.today.year - rng.randint(1, 8)
                end = None if inside and in_custody else \
                    max(start, self.today.year - rng.randint(0, 1))
                work.append({"id": self.ids[WorkHistory].take(), "candidate_id": candidate_id,
                             "role": role, "employer": None, "in_custody": inside,
                             "description": text, "start_year": start, "end_year": end,
                             "created_at": self.now, "updated_at": self.now})
            if in_custody:
                ready = rng.choices(list(WorkReadinessStatus), [1, 1, 5, 4])[0]
                readiness.append({
                    "id": self.ids[WorkReadiness].take(), "candidate_id": candidate_id,
                    "status": ready, "status_reason": "Wants to focus on a course first"
                    if ready in (WorkReadinessStatus.SUPPORT_DECLINED,
                                 WorkReadinessStatus.NO_RIGHT_TO_WORK) else None,
                    "id_held": rng.random() < 0.6, "bank_account": rng.random() < 0.5,
                    "cv_ready": rng.random() < 0.5, "covering_letter": rng.random() < 0.3,
                    "disclosure_letter": rng.random() < 0.3,
                    "email_and_phone": rng.random() < 0.4,
                    "housing_on_release": rng.random() < 0.7,
                    "barriers": rng.sample(["caring", "health", "dependency", "education"],
                                           k=rng.randint(0, 2)),
                    "updated_by_id": None, "created_at": self.now, "updated_at": self.now})
                needs.extend({"candidate_id": candidate_id, "pathway": p,
                              "rag": rng.choice(list(Rag)), "note": None} for p in Pathway)
        _insert(User, users)
        _insert(Candidate, people)
        _insert(Qualification, qualifications)
        _insert(WorkHistory, work)
        _insert(WorkReadiness, readiness)
        _insert(ResettlementNeed, needs)

    # --- applications -----------------------------------------------------------------------
    def _applications(self) -> None:
        rng = self.rng
        if not self.open_roles:
            return
        planned = int(self.n * APPLICATIONS_PER_PERSON)
        pairs: set[tuple[int, int]] = set()
        rows: dict[type, list[dict]] = {m: [] for m in (Application, ApplicationEvent,
                                                         Interview, Offer, Placement, CheckIn)}
        for _ in range(planned):
            person = rng.choice(self.people)
            role = rng.choice(self.open_roles)
            if (person[0], role[0]) in pairs:
                continue
            pairs.add((person[0], role[0]))
            self._application(person, role, rng.choice(JOURNEYS), rows)
        for model, batch in rows.items():
            _insert(model, batch)
        self.n_applications = len(rows[Application])

    def _application(self, person, role, steps, rows) -> None:
        """One application and its history, as the demo's builder makes them
        (demo._Builder._application)."""
        rng = self.rng
        candidate_id, status, prison_id, user_id = person
        opportunity_id, org_id, guaranteed, district = role
        nominated = steps[0] is S.NOMINATED and prison_id in self.pels
        if steps[0] is S.NOMINATED and not nominated:
            steps = steps[1:] or [S.APPLIED]
        final = steps[-1]
        at = self.now - dt.timedelta(days=rng.randint(3, 200 if final is S.STARTED else 40))
        application_id = self.ids[Application].take()
        employer = self.employers[org_id]
        rows[Application].append({
            "id": application_id, "opportunity_id": opportunity_id,
            "candidate_id": candidate_id,
            "source": ApplicationSource.NOMINATED if nominated else ApplicationSource.APPLIED,
            "nominated_by_id": self.pels[prison_id] if nominated else None,
            "status": final, "supporting_statement": "I am keen to learn and I turn up on time.",
            "outcome_reason": {S.UNSUCCESSFUL: "We chose someone with more experience this time.",
                               S.WITHDRAWN: "I found another job."}.get(final),
            "prison_at_application_id": prison_id, "created_at": at, "updated_at": at})
        previous = None
        for step in steps:
            actor = self.pels.get(prison_id) if step is S.NOMINATED else (
                user_id if step in (S.APPLIED, S.WITHDRAWN) else employer)
            rows[ApplicationEvent].append({
                "id": self.ids[ApplicationEvent].take(), "application_id": application_id,
                "from_status": previous, "to_status": step, "at": at, "actor_id": actor,
                "note": None})
            previous = step
            at += dt.timedelta(days=rng.randint(1, 6))
        if S.INTERVIEW in steps or S.CONDITIONAL_OFFER in steps:
            in_custody = status is CandidateStatus.IN_CUSTODY
            done = final is not S.INTERVIEW
            requested = self.now - dt.timedelta(days=rng.randint(1, 20))
            rows[Interview].append({
                "id": self.ids[Interview].take(), "application_id": application_id,
                "location": f"Demo employer premises, {district}",
                "scheduled_at": self.now + dt.timedelta(days=rng.randint(2, 14)) if not done
                else at - dt.timedelta(days=3),
                "guaranteed": guaranteed,
                "status": InterviewStatus.COMPLETED if done else InterviewStatus.BOOKED,
                "rotl_status": (RotlStatus.APPROVED if done else RotlStatus.PENDING)
                if in_custody else RotlStatus.NOT_NEEDED,
                "rotl_requested_at": requested if in_custody else None,
                "rotl_decided_at": requested + dt.timedelta(days=2) if in_custody and done
                else None,
                "rotl_decided_by_id": None, "created_at": at, "updated_at": at})
        if S.CONDITIONAL_OFFER in steps:
            confirmed = S.OFFER_CONFIRMED in steps
            rows[Offer].append({
                "id": self.ids[Offer].take(), "application_id": application_id,
                "status": OfferStatus.CONFIRMED if confirmed else OfferStatus.CONDITIONAL,
                "conditional_at": at, "confirmed_at": at if confirmed else None,
                "provisional_until": None, "withdrawn_at": None, "withdrawal_reason": None,
                "candidate_response": None, "created_at": at, "updated_at": at})
        if final is S.STARTED:
            started = min(clock.uk_date(at), self.today)
            placement_id = self.ids[Placement].take()
            rows[Placement].append({"id": placement_id, "application_id": application_id,
                                    "started_on": started, "created_at": at, "updated_at": at})
            for week in (13, 26):
                due = started + dt.timedelta(weeks=week)
                recorded = due <= self.today
                rows[CheckIn].append({
                    "id": self.ids[CheckIn].take(), "placement_id": placement_id,
                    "week": week, "due_on": due,
                    "recorded_at": self.now if recorded else None, "recorded_by_id": None,
                    "outcome": (CheckInOutcome.IN_WORK if rng.random() < 0.75
                                else CheckInOutcome.LEFT) if recorded else None,
                    "note": None})

    # --- convictions ------------------------------------------------------------------------
    def _convictions(self) -> None:
        """Records through the real code path (validated, encrypted, audited), recorded by the
        person's prison employment lead, or by the person once released."""
        from marketplace.disclosure import records
        from marketplace.disclosure.calculator import DisposalKind

        rng = self.rng
        chosen = [p for p in self.people if p[2] is not None or p[3] is not None]
        chosen = chosen[::CONVICTIONS_ONE_IN]
        offences = [("Theft from a shop", OffenceCategory.THEFT, DisposalKind.FINE),
                    ("Burglary", OffenceCategory.THEFT, DisposalKind.CUSTODY),
                    ("Possession with intent to supply", OffenceCategory.DRUGS,
                     DisposalKind.CUSTODY),
                    ("Common assault", OffenceCategory.VIOLENCE, DisposalKind.FINE),
                    ("Driving while disqualified", OffenceCategory.DRIVING,
                     DisposalKind.MOTORING_ENDORSEMENT),
                    ("Fraud by false representation", OffenceCategory.FRAUD,
                     DisposalKind.CUSTODY)]
        users = {u.id: u for u in db.session.scalars(sa.select(User).where(
            User.id.in_({p for p in self.pels.values()}
                        | {p[3] for p in chosen if p[3] is not None})))}
        for start in range(0, len(chosen), 500):
            batch = chosen[start:start + 500]
            people = {c.id: c for c in db.session.scalars(
                sa.select(Candidate).where(Candidate.id.in_([p[0] for p in batch])))}
            for candidate_id, _status, prison_id, user_id in batch:
                offence, category, disposal = rng.choice(offences)
                length = rng.choice([6, 12, 18, 30]) if disposal is DisposalKind.CUSTODY \
                    else None
                actor = users[self.pels[prison_id]] if prison_id is not None else users[user_id]
                records.add(people[candidate_id], records.Conviction(
                    offence=offence, categories=(category,), under_18=False,
                    date=self.today - dt.timedelta(days=rng.randint(200, 4000)),
                    sentences=(records.Sentence(disposal, length_months=length),)), actor=actor)
                self.n_convictions += 1


# --- the search indices -----------------------------------------------------------------------


def _documents(model, options, ids: list[int], build) -> Iterator:
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        for row in db.session.scalars(sa.select(model).where(model.id.in_(chunk))
                                      .order_by(model.id).options(*options)):
            yield build(row)
        db.session.expunge_all()


def _index(builder: _Builder, rng: np.random.Generator, echo: Callable[[str], None]) -> None:
    """Both indices rebuilt with every document: the scaled ones with random unit vectors,
    the rest with their stored vectors (or embedded now, once, if never indexed)."""
    from search_index import IndexNotBuilt

    search = current_app.extensions["search"]
    db.session.flush()
    for name, model, options, build in (
        ("opportunities", Opportunity,
         (selectinload(Opportunity.organisation), selectinload(Opportunity.location)),
         opportunity_document),
        ("candidates", Candidate,
         (selectinload(Candidate.qualifications), selectinload(Candidate.work_history),
          selectinload(Candidate.home)), candidate_document),
    ):
        started = time.perf_counter()
        first_scaled = builder.ids[model].next - (
            builder.n_opportunities if model is Opportunity else builder.n)
        ids = list(db.session.scalars(sa.select(model.id).order_by(model.id)))
        index = search.index(name)
        documents, to_embed = [], []
        for doc in _documents(model, options, ids, build):
            if int(doc.id) >= first_scaled:
                vector = rng.standard_normal(DIM).astype(np.float32)
                doc.vector = vector / np.linalg.norm(vector)
            else:
                try:
                    stored = index.stored(doc.id)
                except IndexNotBuilt:
                    stored = None
                if stored is not None and stored[1] == doc.text_hash:
                    doc.vector = stored[0]
                else:
                    to_embed.append(doc)
            documents.append(doc)
        for start in range(0, len(to_embed), 256):
            batch = to_embed[start:start + 256]
            for doc, vector in zip(batch, search.embed([d.text for d in batch]), strict=True):
                doc.vector = vector
        index.rebuild(documents)
        echo(f"  {name} index: {len(documents):,} documents ({len(to_embed):,} embedded, "
             f"the scaled ones with random vectors): {time.perf_counter() - started:.1f} s")
