"""Outcome reports: the data layer (DOMAIN.md, The journey: "the data behind the outcome reports").

One query reads one row per application in the caller's slice (Scope) and date range: where it
came from, how far it got (from application_events, so an application that moved on still counts
at every step it reached), when it reached an outcome, and its 13- and 26-week check-ins. Every
table is then counted from those rows in Python, so the page runs the same few queries however
many applications, prisons or employers there are, and SQLite and PostgreSQL give the same
months and medians.

An application counts for the prison the person was in when they applied or were nominated
(`Application.prison_at_application_id`), so a prison keeps its figures after release or a
transfer. Nothing here reads conviction records: what an employer sees cannot depend on them.

Small numbers: an employer or a prison employment lead sees any count from 1 to 4 as "fewer than
5", and no rate worked out from one, so no one person can be picked out (Scope.suppress).

Working a report out reads every application in the slice: a few milliseconds on the demo, seconds
at 50,000 applications. So a finished report is kept (`finished`, in report_snapshots) and shown
again until the app changes something (every change writes an audit event or an application
event: the newest ids are the snapshot's version, two index lookups to check), but at most once a
minute however busy the service is, and never after its UK day or an hour. Changes made outside
the app (`flask demo`) show within the hour.
"""

import datetime as dt
import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

import sqlalchemy as sa

from marketplace import clock, permissions
from marketplace.extensions import db
from marketplace.matching import constraints
from marketplace.models import (
    Application,
    ApplicationEvent,
    AuditEvent,
    Candidate,
    CheckIn,
    Interview,
    Opportunity,
    Organisation,
    Placement,
    PostcodeDistrict,
    Prison,
    ReportSnapshot,
    User,
)
from marketplace.types import (
    ApplicationSource,
    ApplicationStatus,
    CheckInOutcome,
    InterviewStatus,
    OpportunityKind,
    Role,
    RotlStatus,
    Sector,
)

S = ApplicationStatus
SMALL = 5  # counts below this (and above 0) are not shown to employers and PELs
FEWER_THAN_5 = "fewer than 5"
NOT_SHOWN = "not shown: small numbers"
GHOSTED_AFTER_DAYS = 30
OUTCOMES = (S.CONDITIONAL_OFFER, S.UNSUCCESSFUL, S.WITHDRAWN)
WAITING_ON_EMPLOYER = (S.APPLIED, S.SHORTLISTED, S.INTERVIEW)
NO_PRISON = "Not in prison when they applied"


# --- who sees what ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The slice of applications a person may see reports of, and whether small numbers are
    hidden from them."""

    organisation_id: int | None = None
    prison_id: int | None = None
    suppress: bool = False
    label: str = "All applications"

    @classmethod
    def for_user(cls, user: User) -> "Scope":
        if user.role is Role.ADMIN:
            return cls()
        if user.role is Role.EMPLOYER and user.organisation_id is not None:
            return cls(organisation_id=user.organisation_id, suppress=True,
                       label=user.organisation.name)
        if user.role is Role.PEL and user.prison_id is not None:
            return cls(prison_id=user.prison_id, suppress=True,
                       label=user.prison.display_name)
        raise PermissionError("Only administrators, employers and prison staff have reports")

    @property
    def key(self) -> str:
        if self.organisation_id is not None:
            return f"organisation:{self.organisation_id}"
        if self.prison_id is not None:
            return f"prison:{self.prison_id}"
        return "all"

    def clause(self) -> sa.ColumnElement[bool]:
        if self.organisation_id is not None:
            # What the employer may see at all: a nomination not yet agreed to is not theirs.
            return permissions.applications_visible_to(self.organisation_id)
        if self.prison_id is not None:
            return Application.prison_at_application_id == self.prison_id
        return sa.true()


# --- figures as shown ---------------------------------------------------------------------------


def count(n: int, scope: Scope) -> str:
    if scope.suppress and 0 < n < SMALL:
        return FEWER_THAN_5
    return f"{n:,}"


def shown(n: int, scope: Scope) -> int | None:
    """The number a chart may draw: None where it would show a small number."""
    return None if scope.suppress and 0 < n < SMALL else n


def rate(part: int, whole: int, scope: Scope) -> str:
    if not whole:
        return "none yet"
    if scope.suppress and (0 < part < SMALL or whole < SMALL):
        return NOT_SHOWN
    return f"{round(100 * part / whole)}%"


def days(values: list[int], scope: Scope, how: Callable[[list[int]], float]) -> str:
    if not values:
        return "none yet"
    if scope.suppress and len(values) < SMALL:
        return NOT_SHOWN
    value = round(how(values))
    return f"{value} day" + ("" if value == 1 else "s")


# --- one row per application --------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    nominated: bool
    status: ApplicationStatus
    applied_at: dt.datetime
    last_at: dt.datetime
    outcome_at: dt.datetime | None
    interviewed: bool
    offered: bool
    started: bool
    interview_held: bool
    prison: str
    employer: str
    sector: Sector
    region: str
    kind: OpportunityKind
    guaranteed: bool
    meets_requirements: bool
    started_on: dt.date | None
    week_13: CheckInOutcome | None
    week_26: CheckInOutcome | None

    @property
    def month(self) -> dt.date:
        day = clock.uk_date(self.applied_at)
        return day.replace(day=1)


def _reached(status: ApplicationStatus):
    return sa.func.max(sa.case((ApplicationEvent.to_status == status, 1), else_=0))


def _check_in(week: int):
    return (sa.select(CheckIn.outcome).join(Placement, Placement.id == CheckIn.placement_id)
            .where(Placement.application_id == Application.id, CheckIn.week == week)
            .scalar_subquery())


def application_rows(scope: Scope, date_from: dt.date | None = None,
                     date_to: dt.date | None = None) -> list[Row]:
    """Every application in the scope made between the two UK days (inclusive), oldest first.
    Two queries, whatever the number of applications."""
    history = (
        sa.select(
            ApplicationEvent.application_id.label("application_id"),
            sa.func.min(ApplicationEvent.at).label("applied_at"),
            sa.func.max(ApplicationEvent.at).label("last_at"),
            sa.func.min(sa.case((ApplicationEvent.to_status.in_(OUTCOMES), ApplicationEvent.at)))
            .label("outcome_at"),
            _reached(S.INTERVIEW).label("interviewed"),
            _reached(S.CONDITIONAL_OFFER).label("offered"),
            _reached(S.STARTED).label("started"),
        )
        .group_by(ApplicationEvent.application_id)
        .subquery()
    )
    held = sa.exists().where(
        Interview.application_id == Application.id,
        sa.or_(Interview.status == InterviewStatus.COMPLETED,
               sa.and_(Interview.status == InterviewStatus.NO_SHOW,
                       Interview.rotl_status.in_([RotlStatus.NOT_NEEDED, RotlStatus.APPROVED]))))
    query = (
        sa.select(
            Application.id, Application.source, Application.status, history.c.applied_at,
            history.c.last_at, history.c.outcome_at, history.c.interviewed, history.c.offered,
            history.c.started, held.label("held"), Prison.name.label("prison"),
            Organisation.name.label("employer"), Opportunity.sector, PostcodeDistrict.region,
            Opportunity.kind, Opportunity.guaranteed_interview, Opportunity.required_skills,
            Candidate.skills, Placement.started_on,
            _check_in(13).label("week_13"), _check_in(26).label("week_26"),
        )
        .join(history, history.c.application_id == Application.id)
        .join(Opportunity, Opportunity.id == Application.opportunity_id)
        .join(Organisation, Organisation.id == Opportunity.organisation_id)
        .join(PostcodeDistrict, PostcodeDistrict.district == Opportunity.postcode_district)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .outerjoin(Prison, Prison.id == Application.prison_at_application_id)
        .outerjoin(Placement, Placement.application_id == Application.id)
        .where(scope.clause())
        .order_by(history.c.applied_at, Application.id)
    )
    if date_from is not None:
        query = query.where(history.c.applied_at >= _uk_midnight(date_from))
    if date_to is not None:
        query = query.where(history.c.applied_at < _uk_midnight(date_to + dt.timedelta(days=1)))
    rows = []
    for r in db.session.execute(query):
        requirements = constraints.minimum_requirements(
            SimpleNamespace(skills=r.skills), SimpleNamespace(required_skills=r.required_skills))
        rows.append(Row(
            id=r.id, nominated=r.source is ApplicationSource.NOMINATED, status=r.status,
            applied_at=_aware(r.applied_at), last_at=_aware(r.last_at),
            outcome_at=_aware(r.outcome_at) if r.outcome_at else None,
            interviewed=bool(r.interviewed), offered=bool(r.offered), started=bool(r.started),
            interview_held=bool(r.held), prison=r.prison or NO_PRISON, employer=r.employer,
            sector=r.sector, region=r.region, kind=r.kind, guaranteed=r.guaranteed_interview,
            meets_requirements=requirements.all_met, started_on=r.started_on,
            week_13=_outcome(r.week_13), week_26=_outcome(r.week_26)))
    return rows


def _uk_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=clock.UK).astimezone(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    # Aggregates (min/max) come back without the column's type: naive UTC on SQLite.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _outcome(value) -> CheckInOutcome | None:
    return CheckInOutcome(value) if value is not None else None


# --- the funnel -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    reached: Callable[[Row], bool]
    # Of whom the rate is worked out: the previous stage, except the check-ins, which count
    # only those whose check-in is due and recorded.
    out_of: Callable[[Row], bool] | None = None


STAGES = (
    Stage("put_forward", "Applied or nominated", lambda r: True),
    Stage("interviewed", "Interviewed", lambda r: r.interviewed),
    Stage("offered", "Offered a job", lambda r: r.offered),
    Stage("started", "Started", lambda r: r.started),
    Stage("week_13", "In work at 13 weeks", lambda r: r.week_13 is CheckInOutcome.IN_WORK,
          lambda r: r.week_13 is not None),
    Stage("week_26", "In work at 26 weeks", lambda r: r.week_26 is CheckInOutcome.IN_WORK,
          lambda r: r.week_26 is not None),
)


@dataclass(frozen=True)
class FunnelStep:
    stage: Stage
    count: int
    out_of: int


def funnel(rows: Iterable[Row]) -> list[FunnelStep]:
    rows = list(rows)
    steps, previous = [], len(rows)
    for stage in STAGES:
        reached = sum(1 for r in rows if stage.reached(r))
        out_of = sum(1 for r in rows if stage.out_of(r)) if stage.out_of else previous
        steps.append(FunnelStep(stage, reached, out_of))
        previous = reached
    return steps


# --- tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A table as shown on the page and in its CSV: every cell already a string, small
    numbers already hidden."""

    name: str
    title: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


DIMENSIONS: dict[str, tuple[str, Callable[[Row], object]]] = {
    "prison": ("Prison when they applied", lambda r: r.prison),
    "employer": ("Employer", lambda r: r.employer),
    "sector": ("Sector", lambda r: r.sector.label),
    "region": ("Region of the job", lambda r: r.region),
    "kind": ("Kind of opportunity", lambda r: r.kind.label),
    "month": ("Month they applied", lambda r: r.month),
}


def _month_label(value) -> str:
    return f"{value:%B %Y}" if isinstance(value, dt.date) else str(value)


def _groups(rows: list[Row], key: Callable[[Row], object]) -> list[tuple[object, list[Row]]]:
    grouped: dict[object, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    if all(isinstance(k, dt.date) for k in grouped):
        return sorted(grouped.items(), key=lambda item: item[0])
    # The biggest first; ties by name, so the order is stable.
    return sorted(grouped.items(), key=lambda item: (-len(item[1]), str(item[0])))


def funnel_table(rows: list[Row], scope: Scope) -> Table:
    return Table(
        "funnel", "Applications at each step",
        "Each application counts at every step it reached. The rate is out of the step before; "
        "for the check-ins, out of those whose check-in was recorded.",
        ("Step", "Applications", "Rate"),
        tuple((step.stage.label, count(step.count, scope),
               "" if i == 0 else rate(step.count, step.out_of, scope))
              for i, step in enumerate(funnel(rows))))


def by_dimension_table(rows: list[Row], scope: Scope, dimension: str) -> Table:
    heading, key = DIMENSIONS[dimension]
    body = []
    for group, members in _groups(rows, key):
        steps = {s.stage.key: s for s in funnel(members)}
        body.append((
            _month_label(group),
            count(steps["put_forward"].count, scope),
            count(sum(1 for r in members if r.nominated), scope),
            count(steps["interviewed"].count, scope),
            count(steps["offered"].count, scope),
            count(steps["started"].count, scope),
            rate(steps["started"].count, steps["put_forward"].count, scope),
            count(steps["week_26"].count, scope),
            rate(steps["week_26"].count, steps["week_26"].out_of, scope),
        ))
    return Table(
        f"by_{dimension}", f"By {heading.lower()}",
        "Started is the share of applications that led to a start. Retention is the share of "
        "26-week check-ins that found the person still in work.",
        (heading, "Applied or nominated", "Nominated", "Interviewed", "Offered", "Started",
         "Started (rate)", "In work at 26 weeks", "Retention at 26 weeks"),
        tuple(body))


def guaranteed_table(rows: list[Row], scope: Scope) -> Table:
    """Roles that guarantee an interview to everyone who meets the minimum requirements: how
    many people were owed one, and how many have had it (an interview they came to, or were
    free to come to and did not)."""
    body = []
    owed_rows = [r for r in rows if r.guaranteed and r.meets_requirements]
    for employer, members in [("All employers", owed_rows), *_groups(owed_rows,
                                                                      lambda r: r.employer)]:
        honoured = sum(1 for r in members if r.interview_held)
        waiting = sum(1 for r in members if not r.interview_held
                      and r.status in WAITING_ON_EMPLOYER)
        ended = len(members) - honoured - waiting
        body.append((str(employer), count(len(members), scope), count(honoured, scope),
                     rate(honoured, len(members), scope), count(waiting, scope),
                     count(ended, scope)))
    return Table(
        "guaranteed_interviews", "Guaranteed interviews",
        "People who met a role's minimum requirements are owed an interview. Ended without one: "
        "the person withdrew, or the role closed, before an interview.",
        ("Employer", "Owed", "Honoured", "Honoured (rate)", "Still waiting",
         "Ended without one"),
        tuple(body) if owed_rows else ())


def time_to_outcome_table(rows: list[Row], scope: Scope) -> Table:
    body = []
    for employer, members in [("All employers", rows), *_groups(rows, lambda r: r.employer)]:
        waits = [(clock.uk_date(r.outcome_at) - clock.uk_date(r.applied_at)).days
                 for r in members if r.outcome_at is not None]
        body.append((str(employer), count(len(waits), scope),
                     days(waits, scope, statistics.median), days(waits, scope, max),
                     count(len(members) - len(waits), scope)))
    return Table(
        "time_to_outcome", "Time from application to outcome",
        "An outcome is an offer, a no, or the application ending. Days are calendar days.",
        ("Employer", "With an outcome", "Typical wait (median)", "Longest wait",
         "No outcome yet"),
        tuple(body) if rows else ())


def ghosting_table(rows: list[Row], scope: Scope, today: dt.date | None = None) -> Table:
    """Applications put to an employer 30 or more days ago that still have no outcome."""
    today = today or clock.uk_today()
    # A nomination the person has not answered is not yet the employer's to answer.
    old = [r for r in rows if (today - clock.uk_date(r.applied_at)).days >= GHOSTED_AFTER_DAYS
           and r.status is not S.NOMINATED]
    body = []
    for employer, members in _groups(old, lambda r: r.employer):
        ghosted = sum(1 for r in members if r.status in WAITING_ON_EMPLOYER)
        body.append((str(employer), count(len(members), scope), count(ghosted, scope),
                     rate(ghosted, len(members), scope)))
    body.sort(key=lambda row: row[0])
    return Table(
        "no_outcome_after_30_days", f"No outcome after {GHOSTED_AFTER_DAYS} days",
        f"Applications made {GHOSTED_AFTER_DAYS} days ago or more that are still waiting for the "
        "employer: shortlisted, interviewed or not yet looked at. Every application should get "
        "an outcome.",
        ("Employer", f"Applications {GHOSTED_AFTER_DAYS} days old or more", "No outcome yet",
         "No outcome (rate)"),
        tuple(body))


def retention_table(rows: list[Row], scope: Scope) -> Table:
    started = [r for r in rows if r.started_on is not None]
    body = []
    for month, members in _groups(started, lambda r: r.started_on.replace(day=1)):
        checked_13 = sum(1 for r in members if r.week_13 is not None)
        checked_26 = sum(1 for r in members if r.week_26 is not None)
        in_13 = sum(1 for r in members if r.week_13 is CheckInOutcome.IN_WORK)
        in_26 = sum(1 for r in members if r.week_26 is CheckInOutcome.IN_WORK)
        body.append((_month_label(month), count(len(members), scope), count(in_13, scope),
                     rate(in_13, checked_13, scope), count(in_26, scope),
                     rate(in_26, checked_26, scope)))
    return Table(
        "retention_by_month", "Still in work, by month they started",
        "Rates are out of the check-ins recorded so far; a check-in is due 13 and 26 weeks "
        "after the start.",
        ("Month they started", "Started", "In work at 13 weeks", "13 weeks (rate)",
         "In work at 26 weeks", "26 weeks (rate)"),
        tuple(body))


# --- the whole report -----------------------------------------------------------------------------


@dataclass
class Report:
    scope: Scope
    rows: list[Row]
    dimension: str
    tables: dict[str, Table] = field(default_factory=dict)

    @property
    def steps(self) -> list[FunnelStep]:
        return funnel(self.rows)

    def retention_series(self) -> list[tuple[str, int, int | None, int | None]]:
        """(month, people who started, in work at 13 weeks, at 26 weeks) by month of start,
        with small numbers None for charts."""
        started = [r for r in self.rows if r.started_on is not None]
        series = []
        for month, members in _groups(started, lambda r: r.started_on.replace(day=1)):
            series.append((
                _month_label(month), len(members),
                sum(1 for r in members if r.week_13 is CheckInOutcome.IN_WORK),
                sum(1 for r in members if r.week_26 is CheckInOutcome.IN_WORK)))
        return series


def build(scope: Scope, *, dimension: str = "prison", date_from: dt.date | None = None,
          date_to: dt.date | None = None) -> Report:
    if dimension not in DIMENSIONS:
        raise KeyError(dimension)
    rows = application_rows(scope, date_from, date_to)
    report = Report(scope, rows, dimension)
    for table in (funnel_table(rows, scope), by_dimension_table(rows, scope, dimension),
                  guaranteed_table(rows, scope), time_to_outcome_table(rows, scope),
                  ghosting_table(rows, scope), retention_table(rows, scope)):
        report.tables[table.name] = table
    return report


# --- finished reports, kept -----------------------------------------------------------------

# However often the data changes, a report is worked out again at most this often...
FRESH_FOR = dt.timedelta(minutes=1)
# ...and, when the app has changed nothing, still at least this often (changes made outside it).
KEPT_FOR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Finished:
    """What a report page and its downloads show: the tables, the funnel and the retention
    series, as `Report` has them, without the rows they were counted from."""

    tables: dict[str, Table]
    steps: list[FunnelStep]
    series: list[tuple[str, int, int | None, int | None]]

    def retention_series(self) -> list[tuple[str, int, int | None, int | None]]:
        return self.series

    def to_json(self) -> dict:
        return {"tables": {name: {"name": t.name, "title": t.title, "caption": t.caption,
                                  "columns": list(t.columns), "rows": [list(r) for r in t.rows]}
                           for name, t in self.tables.items()},
                "steps": [[s.stage.key, s.count, s.out_of] for s in self.steps],
                "series": [list(s) for s in self.series]}

    @classmethod
    def from_json(cls, data: dict) -> "Finished":
        stages = {stage.key: stage for stage in STAGES}
        return cls(
            tables={name: Table(t["name"], t["title"], t["caption"], tuple(t["columns"]),
                                tuple(tuple(r) for r in t["rows"]))
                    for name, t in data["tables"].items()},
            steps=[FunnelStep(stages[key], n, out_of) for key, n, out_of in data["steps"]],
            series=[tuple(s) for s in data["series"]])


def _version() -> int:
    """Changes at once when the app changes anything the figures count: every change writes
    an audit event, or an application event (a status change). Two primary-key lookups."""
    audit = db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
    moves = db.session.scalar(sa.select(sa.func.max(ApplicationEvent.id))) or 0
    return audit * 2**32 + moves


def kept(key: str, work_out: Callable[[], dict], *, fresh_for: dt.timedelta = FRESH_FOR
         ) -> dict:
    """`work_out()` (figures as JSON), from its snapshot under `key` while that is fresh: the
    app has changed nothing since and it is under an hour old, or it is under `fresh_for`
    old whatever changed. Otherwise worked out now and kept."""
    key = f"{key}|{clock.uk_today()}"
    version, now = _version(), clock.utc_now()
    snapshot = db.session.scalar(sa.select(ReportSnapshot).where(ReportSnapshot.key == key))
    if snapshot is not None:
        age = now - _aware(snapshot.built_at)
        if age < fresh_for or (snapshot.version == version and age < KEPT_FOR):
            return snapshot.payload
    payload = work_out()
    _keep(snapshot, key, version, now, payload)
    return payload


def finished(scope: Scope, *, dimension: str = "prison", date_from: dt.date | None = None,
             date_to: dt.date | None = None) -> Finished:
    """The report as `build` works it out, kept (see the module doc). Raises KeyError for an
    unknown dimension."""
    if dimension not in DIMENSIONS:
        raise KeyError(dimension)

    def work_out() -> dict:
        report = build(scope, dimension=dimension, date_from=date_from, date_to=date_to)
        return Finished(report.tables, report.steps, report.retention_series()).to_json()

    key = json.dumps([scope.key, dimension, str(date_from or ""), str(date_to or "")])
    return Finished.from_json(kept(key, work_out))


def _keep(snapshot: ReportSnapshot | None, key: str, version: int, now: dt.datetime,
          payload: dict) -> None:
    """Store the snapshot. Two people opening the same report at once both work it out; the
    second to save finds the first's row, and keeps that (the same figures)."""
    try:
        with db.session.begin_nested():
            if snapshot is None:
                db.session.add(ReportSnapshot(key=key, version=version, built_at=now,
                                              payload=payload))
            else:
                snapshot.version, snapshot.built_at, snapshot.payload = version, now, payload
            # Snapshots of other days are never read again.
            db.session.execute(sa.delete(ReportSnapshot).where(
                ReportSnapshot.built_at < now - dt.timedelta(days=1)))
    except sa.exc.IntegrityError:
        pass


def table_names() -> list[str]:
    """Every table a report can download, for the CSV route to check a name against."""
    return ["funnel", *[f"by_{d}" for d in DIMENSIONS], "guaranteed_interviews",
            "time_to_outcome", "no_outcome_after_30_days", "retention_by_month"]


def table(scope: Scope, name: str, *, date_from: dt.date | None = None,
          date_to: dt.date | None = None) -> Table:
    dimension = name.removeprefix("by_") if name.startswith("by_") else "prison"
    if name not in table_names():
        raise KeyError(name)
    return finished(scope, dimension=dimension, date_from=date_from,
                    date_to=date_to).tables[name]


# --- in words -------------------------------------------------------------------------------------


def funnel_summary(steps: list[FunnelStep], scope: Scope) -> str:
    """What the funnel chart shows, in one or two sentences."""
    by_key = {s.stage.key: s for s in steps}
    total = by_key["put_forward"].count
    if not total:
        return "There are no applications or nominations in this period yet."

    def n(key: str) -> str:
        return count(by_key[key].count, scope)

    text = (f"Of {n('put_forward')} applications and nominations, {n('interviewed')} led to an "
            f"interview, {n('offered')} to an offer and {n('started')} to a start.")
    checked = by_key["week_26"].out_of
    if checked:
        text += (f" Of {count(checked, scope)} "
                 f"{'person' if checked == 1 else 'people'} checked on at 26 weeks, "
                 f"{n('week_26')} {'was' if by_key['week_26'].count == 1 else 'were'} still "
                 "in work.")
    return text


def retention_summary(series: list[tuple[str, int, int, int]], scope: Scope) -> str:
    starts = sum(s for _, s, _, _ in series)
    in_13 = sum(w for _, _, w, _ in series)
    in_26 = sum(w for *_, w in series)
    return (f"{count(starts, scope)} people started work between {series[0][0]} and "
            f"{series[-1][0]}. {count(in_13, scope)} were in work at their 13-week check-in and "
            f"{count(in_26, scope)} at 26 weeks. Check-ins fall due 13 and 26 weeks after a "
            "start, so recent months have fewer.")
