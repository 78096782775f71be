"""The demo data set: `flask demo`.

Deterministic (every choice comes from one seeded random generator; dates are relative to
today), idempotent (a second run finds the demo administrator and adds nothing), and all or
nothing (one transaction). Names, employers and people are invented.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

import click
import sqlalchemy as sa

from marketplace import clock, notify, permissions
from marketplace import demo_content as content
from marketplace.auth.services import hash_password
from marketplace.bonds import demo as bond_demo
from marketplace.custody import demo as custody_demo
from marketplace.extensions import db
from marketplace.matching import skills
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

PASSWORD = "demo-password-2026"
DOMAIN = "demo.fairchance.example"
N_OPPORTUNITIES = 300
N_CANDIDATES = 600
# HMP Leeds first: the demo PEL works there. Then a spread of locals, trainers, opens, women's.
PRISON_CODES = ["LEI", "HDI", "WDI", "MRI", "BMI", "PVI", "BLI", "DMI", "HMI", "NSI", "LWI",
                "NHI", "EWI", "FSI", "RNI"]
MINIMUM_WAGE_PENCE = 1221  # National Living Wage from April 2025, pence per hour


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    organisations: int
    opportunities: int
    candidates: int
    applications: int


LOGINS = [
    ("Administrator", f"admin@{DOMAIN}", "approve employers, invite staff, see outcomes"),
    ("Employer (Northgate Logistics)", f"employer@{DOMAIN}",
     "post a job, see matched candidates, review applicants"),
    ("Prison employment lead (HMP Leeds)", f"pel@{DOMAIN}",
     "caseload, nominate someone, approve day release"),
    ("Candidate (released, LS11)", f"candidate@{DOMAIN}",
     "jobs recommended for you, your applications"),
    ("Employer waiting for approval", f"pending-employer@{DOMAIN}", "see what pending looks like"),
]


def run(seed: int = 2026, echo: Callable[[str], None] = print) -> DemoSummary:
    if not db.session.scalar(sa.select(sa.func.count()).select_from(PostcodeDistrict)):
        reference.load()
    if db.session.scalar(sa.select(User.id).where(User.email == f"admin@{DOMAIN}")):
        echo("The demo data is already loaded: nothing added.")
        summary = _summary(created=False)
    else:
        try:
            with notify.no_emails():  # made-up addresses: notices only
                _Builder(random.Random(seed), echo).build()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        summary = _summary(created=True)
    echo(f"{summary.organisations} organisations, {summary.opportunities} opportunities, "
         f"{summary.candidates} candidates, {summary.applications} applications.")
    echo(f"\nDemo sign-ins (password for all: {PASSWORD}):")
    for role, email, try_this in LOGINS:
        echo(f"  {role:<38} {email:<42} {try_this}")
    return summary


def _summary(created: bool) -> DemoSummary:
    def count(model) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return DemoSummary(created, count(Organisation), count(Opportunity), count(Candidate),
                       count(Application))


class _Builder:
    def __init__(self, rng: random.Random, echo: Callable[[str], None]):
        self.rng = rng
        self.echo = echo
        self.today = clock.uk_today()
        self.password_hash = hash_password(PASSWORD)  # argon2 is slow by design: hash once
        districts = db.session.scalars(sa.select(PostcodeDistrict).where(
            PostcodeDistrict.region.not_in(["Scotland"])).order_by(PostcodeDistrict.district))
        self.districts = list(districts)
        self.by_area: dict[str, list[PostcodeDistrict]] = {}
        for d in self.districts:
            self.by_area.setdefault(d.postcode_area, []).append(d)
        prisons = {p.code: p for p in db.session.scalars(sa.select(Prison))}
        self.prisons = [prisons[c] for c in PRISON_CODES if c in prisons]
        self.users: list[User] = []
        self.pairs: set[tuple[int, int]] = set()

    def _user(self, email: str, name: str, role: Role, **links) -> User:
        user = User(email=email, full_name=name, role=role, password_hash=self.password_hash,
                    email_confirmed_at=clock.utc_now(), **links)
        self.users.append(user)
        db.session.add(user)
        return user

    def _near(self, district: PostcodeDistrict, miles: float) -> list[PostcodeDistrict]:
        return [d for d in self.districts if reference.miles_between(d, district) <= miles]

    def build(self) -> None:
        with click.progressbar(length=6, label="Creating demo data") as bar:
            self._staff()
            bar.update(1)
            organisations = self._organisations()
            bar.update(1)
            opportunities = self._opportunities(organisations)
            bar.update(1)
            candidates = self._candidates()
            bar.update(1)
            self._applications(opportunities, candidates)
            bar.update(1)
            db.session.flush()
            self._disclosure_journey(candidates[20], opportunities)
            bond_demo.build(featured_employer=f"employer@{DOMAIN}")
            custody_demo.build(pel_email=f"pel@{DOMAIN}")
            bar.update(1)

    # --- people who run the service -------------------------------------------------------
    def _staff(self) -> None:
        self._user(f"admin@{DOMAIN}", "Alex Morgan", Role.ADMIN)
        self._user(f"admin2@{DOMAIN}", "Priya Shah", Role.ADMIN)
        self.pels = {}
        for index, prison in enumerate(self.prisons[:10]):
            email = f"pel@{DOMAIN}" if index == 0 else f"pel.{prison.code.lower()}@{DOMAIN}"
            self.pels[prison.id] = self._user(email, f"{self.rng.choice(content.FIRST_NAMES)} "
                                              f"{self.rng.choice(content.LAST_NAMES)}",
                                              Role.PEL, prison=prison)

    # --- employers ------------------------------------------------------------------------
    def _organisations(self) -> list[Organisation]:
        organisations = []
        for index, (name, sector, level, size, area) in enumerate(content.EMPLOYERS):
            pending = index >= len(content.EMPLOYERS) - 2
            home = self.rng.choice(self.by_area.get(area) or self.districts)
            pledges = [p for p in Pledge if self.rng.random() < 0.4]
            if Pledge.BAN_THE_BOX not in pledges and self.rng.random() < 0.6:
                pledges.append(Pledge.BAN_THE_BOX)
            org = Organisation(
                name=name, sector=sector, size=OrganisationSize(size), region=home.region,
                alliance_level=level, about=f"{name} is a Corporate Alliance employer.",
                status=OrganisationStatus.PENDING if pending else OrganisationStatus.APPROVED,
                decided_at=None if pending else clock.utc_now(),
                pledges=[OrganisationPledge(pledge=p) for p in pledges])
            org.home = home
            db.session.add(org)
            organisations.append(org)
            members = 1 + self.rng.randrange(3)
            for member in range(members):
                if index == 0 and member == 0:
                    email = f"employer@{DOMAIN}"
                elif pending and member == 0 and index == len(content.EMPLOYERS) - 2:
                    email = f"pending-employer@{DOMAIN}"
                else:
                    email = f"{name.split()[0].lower()}.{member + 1}@{DOMAIN}"
                self._user(email, f"{self.rng.choice(content.FIRST_NAMES)} "
                           f"{self.rng.choice(content.LAST_NAMES)}", Role.EMPLOYER,
                           organisation=org)
        db.session.flush()
        return organisations

    def _opportunities(self, organisations: list[Organisation]) -> list[Opportunity]:
        approved = [o for o in organisations if o.status is OrganisationStatus.APPROVED]
        opportunities = []
        # The demo employer has plenty of open jobs near Leeds.
        owners = [approved[0]] * 30 + [self.rng.choice(approved) for _ in range(
            N_OPPORTUNITIES - 30)]
        for number, org in enumerate(owners):
            opportunities.append(self._opportunity(org, number))
        db.session.add_all(opportunities)
        db.session.flush()
        return opportunities

    def _opportunity(self, org: Organisation, number: int) -> Opportunity:
        rng = self.rng
        kinds = permissions.kinds_allowed(org)
        weights = {OpportunityKind.VACANCY: 6, OpportunityKind.PLACEMENT: 2,
                   OpportunityKind.TRAINING: 2, OpportunityKind.EMPLOYABILITY: 1}
        kind = rng.choices(kinds, [weights[k] for k in kinds])[0]
        if number < 30:
            kind = OpportunityKind.VACANCY
        if kind is OpportunityKind.VACANCY:
            title, skills_text, description, wanted, required = rng.choice(
                content.JOBS.get(org.sector) or content.JOBS[Sector.LOGISTICS])
        else:
            title, skills_text, description = rng.choice(content.ACTIVITIES[kind])
            wanted, required = "", []
        near = self._near(org.home, 15) or [org.home]
        location = rng.choice(near)
        status = rng.choices(list(OpportunityStatus), [1, 12, 2, 1])[0]
        if number < 30:
            status = OpportunityStatus.OPEN
        closing = self.today + dt.timedelta(days=rng.randint(7, 60))
        if status in (OpportunityStatus.CLOSED, OpportunityStatus.FILLED):
            closing = self.today - dt.timedelta(days=rng.randint(1, 40))
        start = closing + dt.timedelta(days=rng.randint(7, 45))
        paid = kind in (OpportunityKind.VACANCY, OpportunityKind.PLACEMENT)
        care = org.sector is Sector.CARE and kind is OpportunityKind.VACANCY
        regulated = RegulatedActivity.ADULTS if care and rng.random() < 0.7 \
            else RegulatedActivity.NONE
        check = CheckLevel.ENHANCED_BARRED if regulated is not RegulatedActivity.NONE else \
            rng.choices([CheckLevel.NONE, CheckLevel.BASIC, CheckLevel.STANDARD,
                         CheckLevel.ENHANCED], [8, 5, 1, 1])[0]
        hourly = MINIMUM_WAGE_PENCE + rng.randrange(0, 600, 25) if paid else None
        guaranteed = kind in (OpportunityKind.VACANCY, OpportunityKind.TRAINING) and \
            rng.random() < 0.3
        in_custody_ok = kind in (OpportunityKind.PLACEMENT, OpportunityKind.EMPLOYABILITY,
                                 OpportunityKind.TRAINING) or rng.random() < 0.15
        opportunity = Opportunity(
            organisation=org, kind=kind, title=title, description=description,
            sector=org.sector, skills_text=skills_text, skills=skills.normalise(skills_text),
            qualifications_wanted=wanted, postcode_district=location.district,
            remote=org.sector is Sector.IT and rng.random() < 0.3,
            national=kind is OpportunityKind.EMPLOYABILITY and rng.random() < 0.3,
            hours=rng.choice(list(HoursPattern)) if paid else HoursPattern.FLEXIBLE,
            hours_per_week=rng.choice([16, 20, 30, 37, 40]) if paid else None,
            paid=paid, pay_min_pence=hourly,
            pay_max_pence=hourly + rng.randrange(0, 300, 25) if hourly else None,
            pay_period=PayPeriod.HOUR if paid else None, pays_minimum_wage=True,
            contract={OpportunityKind.VACANCY: rng.choice([ContractType.PERMANENT,
                                                           ContractType.FIXED_TERM,
                                                           ContractType.APPRENTICESHIP]),
                      OpportunityKind.PLACEMENT: ContractType.PLACEMENT}.get(
                kind, ContractType.NONE),
            places=rng.randint(1, 10), start_date=start, closing_date=closing, status=status,
            published_at=None if status is OpportunityStatus.DRAFT else clock.utc_now(),
            closed_at=clock.utc_now() if status is OpportunityStatus.CLOSED else None,
            guaranteed_interview=guaranteed,
            minimum_requirements=(f"You need: {wanted}." if wanted else
                                  "Complete the course.") if guaranteed else "",
            required_skills=required if guaranteed else [],
            bond_backed=kind is OpportunityKind.VACANCY and rng.random() < 0.25,
            check_level=check, regulated_activity=regulated,
            accepts_in_custody=in_custody_ok, accepts_rotl=in_custody_ok,
            latest_release_date=self.today + dt.timedelta(days=120) if in_custody_ok else None,
            ring_fenced=rng.random() < 0.3, how_to_apply="Apply through this service.",
            source="Demo data")
        if rng.random() < 0.25 and kind is OpportunityKind.VACANCY:
            categories = rng.sample([OffenceCategory.ARSON, OffenceCategory.SEXUAL,
                                     OffenceCategory.FRAUD, OffenceCategory.VIOLENCE,
                                     OffenceCategory.DRIVING], k=rng.randint(1, 2))
            opportunity.exclusions = [OpportunityExclusion(category=c) for c in categories]
        return opportunity

    # --- candidates -----------------------------------------------------------------------
    def _candidates(self) -> list[Candidate]:
        rng = self.rng
        homes = {p.id: self._near(self._prison_district(p), 35) for p in self.prisons}
        candidates = []
        for number in range(N_CANDIDATES):
            prison = self.prisons[0] if number < 40 else rng.choice(self.prisons)
            status = rng.choices(list(CandidateStatus), [45, 30, 25])[0]
            if number < 20:
                status = CandidateStatus.IN_CUSTODY
            home = rng.choice(homes[prison.id] or self.districts)
            if number == 20:  # the demo candidate
                status, home = CandidateStatus.RELEASED, self._district("LS11")
            phrases = rng.sample(content.SKILL_PHRASES, k=rng.randint(2, 5))
            if number == 20:
                phrases = ["forklift counterbalance licence", "picking and packing",
                           "stock control in the stores", "reliable"]
            skills_text = ", ".join(phrases)
            first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
            candidate = Candidate(
                first_name=first, last_name=last, status=status, home_district=home.district,
                prison=prison if status is CandidateStatus.IN_CUSTODY else None,
                prison_number=f"{'AG'[number % 2]}{1000 + number:04d}{chr(65 + number % 26)}"
                              f"{chr(65 + (number // 26) % 26)}",
                release_date=self.today + dt.timedelta(days=rng.randint(14, 270))
                if status is CandidateStatus.IN_CUSTODY else
                self.today - dt.timedelta(days=rng.randint(10, 900)),
                rotl_eligible=status is CandidateStatus.IN_CUSTODY and rng.random() < 0.5,
                right_to_work=number == 20 or rng.random() < 0.96,
                headline=rng.choice(content.HEADLINES), summary=self._summary_text(phrases),
                skills_text=skills_text, skills=skills.normalise(skills_text),
                preferred_sectors=[s.value for s in rng.sample(list(Sector), k=rng.randint(1, 3))],
                preferred_hours=rng.choice(list(HoursPattern)),
                max_travel_miles=rng.choice([5, 10, 15, 25]),
                licence_end_date=self.today + dt.timedelta(days=rng.randint(30, 700))
                if status is CandidateStatus.ON_LICENCE else None,
                exclusion_districts=[rng.choice(homes[prison.id] or self.districts).district]
                if status is not CandidateStatus.RELEASED and rng.random() < 0.1 else [],
                barred_children=rng.random() < 0.03, barred_adults=rng.random() < 0.02,
                risk_notes="Demo risk note: private to the prison and administrators."
                if rng.random() < 0.3 else None,
            )
            candidate.qualifications = [
                Qualification(name=name, awarding_body=body, gained_in_custody=rng.random() < 0.6,
                              achieved_on=self.today - dt.timedelta(days=rng.randint(30, 2000)))
                for name, body in rng.sample(content.QUALIFICATIONS, k=rng.randint(0, 3))]
            candidate.work_history = [
                WorkHistory(role=role, in_custody=inside, description=text,
                            start_year=self.today.year - rng.randint(1, 8),
                            end_year=None if inside and status is CandidateStatus.IN_CUSTODY
                            else self.today.year - rng.randint(0, 1))
                for role, inside, text in rng.sample(content.WORK_HISTORY, k=rng.randint(1, 3))]
            for work in candidate.work_history:
                if work.end_year is not None and work.end_year < work.start_year:
                    work.end_year = work.start_year
            if status is CandidateStatus.IN_CUSTODY:
                self._readiness(candidate)
            if number == 20 or (status is not CandidateStatus.IN_CUSTODY and rng.random() < 0.33):
                email = f"candidate@{DOMAIN}" if number == 20 else \
                    f"{first.lower()}.{last.lower()}.{number}@{DOMAIN}"
                candidate.user = self._user(email, f"{first} {last}", Role.CANDIDATE)
            candidates.append(candidate)
        db.session.add_all(candidates)
        db.session.flush()
        return candidates

    def _readiness(self, candidate: Candidate) -> None:
        rng = self.rng
        status = rng.choices(list(WorkReadinessStatus), [1, 1, 5, 4])[0]
        candidate.readiness = WorkReadiness(
            status=status,
            status_reason="Wants to focus on a course first" if status in (
                WorkReadinessStatus.SUPPORT_DECLINED, WorkReadinessStatus.NO_RIGHT_TO_WORK)
            else None,
            id_held=rng.random() < 0.6, bank_account=rng.random() < 0.5,
            cv_ready=rng.random() < 0.5, covering_letter=rng.random() < 0.3,
            disclosure_letter=rng.random() < 0.3, email_and_phone=rng.random() < 0.4,
            housing_on_release=rng.random() < 0.7,
            barriers=rng.sample(["caring", "health", "dependency", "education"],
                                k=rng.randint(0, 2)))
        candidate.needs = [ResettlementNeed(pathway=p, rag=rng.choice(list(Rag)))
                           for p in Pathway]

    def _summary_text(self, phrases: list[str]) -> str:
        return f"I have done {phrases[0]}" + (f" and {phrases[1]}" if len(phrases) > 1 else "") \
            + ". I want steady work and a fresh start."

    def _district(self, code: str) -> PostcodeDistrict:
        return next(d for d in self.districts if d.district == code)

    def _prison_district(self, prison: Prison) -> PostcodeDistrict:
        outward = (prison.postcode or "").split(" ")[0]
        return next((d for d in self.districts if d.district == outward), self.districts[0])

    def _disclosure_journey(self, candidate: Candidate, opportunities: list[Opportunity]) -> None:
        """The demo candidate's record, statement and a conditional offer for a role with a
        standard check, shared with consent: what the employer then sees, and the log."""
        from marketplace import journey
        from marketplace.disclosure import consent, policy, records
        from marketplace.disclosure.calculator import DisposalKind

        person = candidate.user
        Sentence = records.Sentence
        for offence, category, years_ago, sentences in [
            ("Theft from a shop", OffenceCategory.THEFT, 12, [Sentence(DisposalKind.FINE)]),
            # One conviction, two sentences, as the court gave them.
            ("Burglary", OffenceCategory.THEFT, 4, [
                Sentence(DisposalKind.CUSTODY, length_months=18),
                Sentence(DisposalKind.COMPENSATION_ORDER,
                         end_date=self.today - dt.timedelta(days=365 * 3))]),
            ("Driving without insurance", OffenceCategory.DRIVING, 2,
             [Sentence(DisposalKind.MOTORING_ENDORSEMENT)]),
        ]:
            records.add(candidate, records.Conviction(
                offence=offence, categories=(category,), under_18=False,
                date=self.today - dt.timedelta(days=365 * years_ago),
                sentences=tuple(sentences)), actor=person)
        consent.save_statement(
            candidate, "Four years ago I was sent to prison for burglary. I was using drugs "
            "then. I have been clean for three years. In prison I got my forklift licence and "
            "ran the stores. I want to work and support my family.", actor=person)
        role = next(o for o in opportunities if o.organisation.name == "Northgate Logistics"
                    and o.status is OpportunityStatus.OPEN and o.kind is OpportunityKind.VACANCY
                    and not o.exclusions and (candidate.id, o.id) not in self.pairs)
        role.check_level = CheckLevel.STANDARD
        employer = next(u for u in self.users if u.email == f"employer@{DOMAIN}")
        application = journey.apply(candidate, role, actor=person,
                                    statement="I ran the stores in prison for two years.")
        policy.record_reveal(employer, candidate, policy.candidate_view(
            employer, candidate, application), application, why="reviewing the application")
        # The interview was booked two days ago for yesterday: an outcome is recorded only
        # once the interview has happened (journey.record_interview).
        with clock.frozen(clock.utc_now() - dt.timedelta(days=2)):
            interview = journey.book_interview(application, actor=employer,
                                               when=clock.utc_now() + dt.timedelta(days=1),
                                               location="Northgate Logistics, LS10")
        journey.record_interview(interview, actor=employer, attended=True)
        journey.make_conditional_offer(application, actor=employer)
        consent.give(application, actor=person)

    # --- applications ---------------------------------------------------------------------
    def _applications(self, opportunities: list[Opportunity], candidates: list[Candidate]) -> None:
        rng = self.rng
        open_roles = [o for o in opportunities if o.status is OpportunityStatus.OPEN]
        employers_by_org = {}
        for user in self.users:
            if user.role is Role.EMPLOYER:
                employers_by_org.setdefault(user.organisation.name, user)
        S = ApplicationStatus
        journeys = [
            [S.APPLIED], [S.APPLIED, S.SHORTLISTED], [S.APPLIED, S.SHORTLISTED, S.INTERVIEW],
            [S.APPLIED, S.UNSUCCESSFUL], [S.NOMINATED], [S.NOMINATED, S.APPLIED],
            [S.APPLIED, S.INTERVIEW, S.CONDITIONAL_OFFER],
            [S.APPLIED, S.INTERVIEW, S.CONDITIONAL_OFFER, S.OFFER_CONFIRMED],
            [S.APPLIED, S.INTERVIEW, S.CONDITIONAL_OFFER, S.OFFER_CONFIRMED, S.STARTED],
            [S.APPLIED, S.WITHDRAWN],
        ]
        pairs = self.pairs
        demo_candidate = candidates[20]
        planned = [(demo_candidate, open_roles[0], journeys[1]),
                   (demo_candidate, open_roles[1], journeys[0])]
        for _ in range(400):
            candidate = rng.choice(candidates)
            steps = rng.choice(journeys)
            if steps[0] is S.NOMINATED and candidate.status is not CandidateStatus.IN_CUSTODY:
                steps = steps[1:] if len(steps) > 1 else [S.APPLIED]
            planned.append((candidate, rng.choice(open_roles), steps))
        for candidate, opportunity, steps in planned:
            if (candidate.id, opportunity.id) in pairs:
                continue
            pairs.add((candidate.id, opportunity.id))
            self._application(candidate, opportunity, steps,
                              employers_by_org[opportunity.organisation.name])

    def _application(self, candidate: Candidate, opportunity: Opportunity, steps, employer: User):
        rng = self.rng
        S = ApplicationStatus
        nominated = steps[0] is S.NOMINATED and candidate.prison_id in self.pels
        if steps[0] is S.NOMINATED and not nominated:
            steps = steps[1:] or [S.APPLIED]
        final = steps[-1]
        days_ago = rng.randint(3, 200 if final is S.STARTED else 40)
        at = clock.utc_now() - dt.timedelta(days=days_ago)
        application = Application(
            opportunity=opportunity, candidate=candidate,
            source=ApplicationSource.NOMINATED if nominated else ApplicationSource.APPLIED,
            nominated_by_id=self.pels[candidate.prison_id].id if nominated else None,
            prison_at_application_id=candidate.prison_id,
            status=final, supporting_statement="I am keen to learn and I turn up on time.",
            outcome_reason={S.UNSUCCESSFUL: "We chose someone with more experience this time.",
                            S.WITHDRAWN: "I found another job."}.get(final))
        previous = None
        for step in steps:
            actor = self.pels.get(candidate.prison_id) if step is S.NOMINATED else (
                candidate.user if step in (S.APPLIED, S.WITHDRAWN) else employer)
            application.events.append(ApplicationEvent(
                from_status=previous, to_status=step, at=at,
                actor_id=actor.id if actor is not None and actor.id else None))
            previous = step
            at += dt.timedelta(days=rng.randint(1, 6))
        db.session.add(application)
        if S.INTERVIEW in steps or S.CONDITIONAL_OFFER in steps:
            in_custody = candidate.status is CandidateStatus.IN_CUSTODY
            done = final is not S.INTERVIEW
            requested = clock.utc_now() - dt.timedelta(days=rng.randint(1, 20))
            db.session.add(Interview(
                application=application, location=f"{opportunity.organisation.name}, "
                                                  f"{opportunity.postcode_district}",
                scheduled_at=clock.utc_now() + dt.timedelta(days=rng.randint(2, 14)) if not done
                else at - dt.timedelta(days=3),
                guaranteed=opportunity.guaranteed_interview,
                status=InterviewStatus.COMPLETED if done else InterviewStatus.BOOKED,
                rotl_status=(RotlStatus.APPROVED if done else RotlStatus.PENDING) if in_custody
                else RotlStatus.NOT_NEEDED,
                rotl_requested_at=requested if in_custody else None,
                rotl_decided_at=requested + dt.timedelta(days=2) if in_custody and done
                else None))
        if S.CONDITIONAL_OFFER in steps:
            confirmed = S.OFFER_CONFIRMED in steps
            db.session.add(Offer(application=application,
                                 status=OfferStatus.CONFIRMED if confirmed
                                 else OfferStatus.CONDITIONAL,
                                 confirmed_at=at if confirmed else None))
        if final is S.STARTED:
            started = min(clock.uk_date(at), self.today)
            placement = Placement(application=application, started_on=started)
            for week in (13, 26):
                due = started + dt.timedelta(weeks=week)
                recorded = due <= self.today
                placement.check_ins.append(CheckIn(
                    week=week, due_on=due, recorded_at=clock.utc_now() if recorded else None,
                    outcome=(CheckInOutcome.IN_WORK if rng.random() < 0.75
                             else CheckInOutcome.LEFT) if recorded else None))
            db.session.add(placement)
