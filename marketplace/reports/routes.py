import csv
import io

from flask import Response, abort, render_template, request
from flask_login import current_user

from marketplace.permissions import roles
from marketplace.reports import bp, charts, forms, services, skills_gap
from marketplace.types import Role

DEFAULT_DIMENSION = {Role.ADMIN: "prison", Role.EMPLOYER: "month", Role.PEL: "employer"}


def _filters() -> forms.Filters:
    return forms.read(request.args, default_dimension=DEFAULT_DIMENSION[current_user.role])


@bp.route("/")
@roles(Role.ADMIN, Role.EMPLOYER, Role.PEL)
def outcomes():
    filters = _filters()
    scope = services.Scope.for_user(current_user)
    report = services.finished(scope, dimension=filters.dimension,
                               date_from=filters.date_from, date_to=filters.date_to)
    steps = report.steps
    funnel_chart = charts.horizontal_bars(
        "funnel-chart", "Applications at each step",
        [charts.Bar(s.stage.label, services.shown(s.count, scope)) for s in steps],
        description=services.funnel_summary(steps, scope))
    series = report.retention_series()
    retention_chart = charts.grouped_columns(
        "retention-chart", "Still in work, by month they started", [m for m, *_ in series],
        [charts.Series("Started", charts.BLUE, [services.shown(s, scope) for _, s, _, _ in series]),
         charts.Series("In work at 13 weeks", charts.DARK_BLUE,
                       [services.shown(w, scope) for _, _, w, _ in series]),
         charts.Series("In work at 26 weeks", charts.GREEN,
                       [services.shown(w, scope) for *_, w in series])],
        description=services.retention_summary(series, scope)) if series else None
    return render_template(
        "reports/outcomes.html", report=report, filters=filters, scope=scope,
        dimensions=services.DIMENSIONS, funnel_chart=funnel_chart,
        funnel_summary=services.funnel_summary(steps, scope),
        retention_chart=retention_chart,
        retention_summary=services.retention_summary(series, scope) if series else None)


@bp.route("/download/<name>.csv")
@roles(Role.ADMIN, Role.EMPLOYER, Role.PEL)
def download(name: str):
    if name not in services.table_names():
        abort(404)
    filters = _filters()
    table = services.table(services.Scope.for_user(current_user), name,
                           date_from=filters.date_from, date_to=filters.date_to)
    return csv_response(table, name)


def csv_response(table: services.Table, name: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for row in table.rows:
        # A cell a spreadsheet would run as a formula (an employer named "=SUM(...)") is
        # written as text.
        writer.writerow(["'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
                         for cell in row])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})


def _skills_gap():
    """The PEL's own prison; for an administrator the prison chosen (?prison=LEI) or, without
    one, every prison."""
    scope = services.Scope.for_user(current_user)
    if current_user.role is Role.PEL:
        prison = current_user.prison
    else:
        code = request.args.get("prison", "").strip()
        prison = skills_gap.prison_by_code(code) if code else None
        if code and prison is None:
            abort(404)
    return skills_gap.build(scope, prison)


@bp.route("/skills-gap")
@roles(Role.ADMIN, Role.PEL)
def skills_gap_page():
    report = _skills_gap()
    return render_template(
        "reports/skills_gap.html", report=report, table=skills_gap.table(report),
        prisons=skills_gap.prisons_with_people() if current_user.role is Role.ADMIN else [],
        weeks=skills_gap.WINDOW_WEEKS, miles=skills_gap.REACH_MILES,
        chart=charts.horizontal_bars(
            "skills-gap-chart", "Places asking for each skill",
            [charts.Bar(g.label, g.places) for g in report.gaps[:10]],
            description="The ten biggest gaps: places in open roles nearby that ask for each "
                        "skill.") if report.gaps else None)


@bp.route("/skills-gap.csv")
@roles(Role.ADMIN, Role.PEL)
def skills_gap_download():
    return csv_response(skills_gap.table(_skills_gap()), "skills_gap")
