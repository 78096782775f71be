"""Jobpoint pages: browse open jobs near a home area, read one, and ask the employment lead
about it. No sign-in; only a device a PEL set up (permissions.jobpoint)."""

from flask import g, redirect, render_template, request, url_for

from marketplace import pagination
from marketplace.custody import contact, kiosk
from marketplace.kiosk import bp
from marketplace.kiosk.forms import AreaForm, AskForm
from marketplace.permissions import jobpoint
from marketplace.reference import services as reference


@bp.before_request
def load_device():
    g.jobpoint_device = (kiosk.device_from_cookie(request.cookies.get(kiosk.COOKIE))
                         or kiosk.device_for_address(request.remote_addr))


@bp.context_processor
def jobpoint_page():
    return {"idle_seconds": kiosk.IDLE_SECONDS, "jobpoint_start": url_for("kiosk.start")}


@bp.route("/")
@jobpoint
def start():
    return render_template("kiosk/start.html", form=AreaForm(None))


@bp.route("/jobs")
@jobpoint
def jobs():
    form = AreaForm(request.args)
    if not form.validate():
        return render_template("kiosk/start.html", form=form)
    miles = int(form.miles.data or kiosk.DISTANCES[1])
    text = " ".join(form.q.data.split()) if form.q.data else None
    found = kiosk.open_jobs(reference.get_district(form.area.data), miles=miles, text=text,
                            page=pagination.number(request.args))
    return render_template("kiosk/jobs.html", form=form, jobs=found, miles=miles)


@bp.route("/jobs/<id:opportunity_id>", methods=["GET", "POST"])
@kiosk.limited_per_device
@jobpoint
def job(opportunity_id: int):
    """A job, without contact details or links, and "Ask your employment lead about this job".
    Any prison number gets the same answer."""
    opportunity = kiosk.open_job(opportunity_id)
    if opportunity is None:
        return render_template("kiosk/gone.html"), 404
    form = AskForm()
    if form.validate_on_submit():
        kiosk.ask(g.jobpoint_device, prison_number=form.prison_number.data,
                  opportunity=opportunity)
        return redirect(url_for("kiosk.asked", opportunity_id=opportunity.id))
    return render_template("kiosk/job.html", job=opportunity, form=form,
                           description=contact.redact(opportunity.description))


@bp.route("/jobs/<id:opportunity_id>/asked")
@jobpoint
def asked(opportunity_id: int):
    return render_template("kiosk/asked.html")
