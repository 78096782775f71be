from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from marketplace.candidates import conviction_pages
from marketplace.candidates.forms import PelConsentForm
from marketplace.disclosure import consent
from marketplace.permissions import roles
from marketplace.prisons import bp, services
from marketplace.types import Role


@bp.route("/")
@roles(Role.PEL)
def dashboard():
    prison = current_user.prison
    people = services.caseload(prison)
    return render_template("prisons/dashboard.html", prison=prison, caseload_size=len(people),
                           not_ready=services.release_soon_not_ready(people),
                           rotl=services.rotl_pending(prison),
                           nominations=services.nominations_waiting(prison),
                           weeks=services.RELEASE_WINDOW_WEEKS)


@bp.route("/caseload")
@roles(Role.PEL)
def caseload():
    prison = current_user.prison
    return render_template("prisons/caseload.html", prison=prison,
                           people=services.caseload(prison))


def _person_or_404(candidate_id: int):
    found = services.person(current_user.prison, candidate_id)
    if found is None:
        abort(404)
    return found


def _urls(candidate_id: int) -> dict:
    return {"add": url_for("prisons.conviction_new", candidate_id=candidate_id),
            "edit": lambda rid: url_for("prisons.conviction_edit", candidate_id=candidate_id,
                                        record_id=rid),
            "delete": lambda rid: url_for("prisons.conviction_delete",
                                          candidate_id=candidate_id, record_id=rid),
            "statement": None}


@bp.route("/people/<int:candidate_id>")
@roles(Role.PEL)
def person(candidate_id: int):
    candidate = _person_or_404(candidate_id)
    return render_template("prisons/person.html", person=candidate,
                           applications=services.person_applications(candidate))


@bp.route("/people/<int:candidate_id>/convictions")
@roles(Role.PEL)
def convictions(candidate_id: int):
    return conviction_pages.overview_page(_person_or_404(candidate_id), own=False,
                                          urls=_urls(candidate_id))


@bp.route("/people/<int:candidate_id>/convictions/new", methods=["GET", "POST"])
@roles(Role.PEL)
def conviction_new(candidate_id: int):
    return conviction_pages.edit_page(
        _person_or_404(candidate_id), current_user, None, own=False,
        done_url=url_for("prisons.convictions", candidate_id=candidate_id))


@bp.route("/people/<int:candidate_id>/convictions/<int:record_id>", methods=["GET", "POST"])
@roles(Role.PEL)
def conviction_edit(candidate_id: int, record_id: int):
    return conviction_pages.edit_page(
        _person_or_404(candidate_id), current_user, record_id, own=False,
        done_url=url_for("prisons.convictions", candidate_id=candidate_id))


@bp.route("/people/<int:candidate_id>/convictions/<int:record_id>/delete", methods=["POST"])
@roles(Role.PEL)
def conviction_delete(candidate_id: int, record_id: int):
    return conviction_pages.delete(
        _person_or_404(candidate_id), current_user, record_id,
        done_url=url_for("prisons.convictions", candidate_id=candidate_id))


@bp.route("/applications/<int:application_id>/consent", methods=["GET", "POST"])
@roles(Role.PEL)
def record_consent(application_id: int):
    application = services.application_of(current_user.prison, application_id)
    if application is None:
        abort(404)
    form = PelConsentForm()
    if form.validate_on_submit():
        try:
            consent.give(application, actor=current_user, signed_on=form.signed_on.data)
        except consent.ConsentError as error:
            form.signed_on.errors.append(str(error))
        else:
            flash("Consent recorded.", "success")
            return redirect(url_for("prisons.person", candidate_id=application.candidate_id))
    return render_template("prisons/consent.html", form=form, application=application,
                           preview=consent.preview(application))
