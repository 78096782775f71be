import json

from flask import Response, abort, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from marketplace.forms import ConfirmForm
from marketplace.permissions import public, require, roles, signed_in
from marketplace.privacy import bp, services
from marketplace.types import Role

FORMATS = ("json", "html")


@bp.route("/my-data")
@signed_in
def my_data():
    candidate = services.candidate_of(current_user)
    return render_template("privacy/my_data.html", candidate=candidate)


@bp.route("/my-data/download.<fmt>")
@signed_in
def download(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    candidate = services.candidate_of(current_user)
    services.record_access(actor=current_user, candidate=candidate)
    return _download(services.export(candidate=candidate, user=current_user), fmt,
                     "your data")


@bp.route("/people")
@roles(Role.PEL, Role.ADMIN)
def people():
    """Find someone by prison number to download their data for them."""
    number = request.args.get("prison_number", "").strip()
    error, person = None, None
    if number:
        if len(number) != 7 or not number.isalnum():
            error = "Enter a prison number of 7 letters and numbers, like A1234BC"
        else:
            person = services.find_for(current_user, number)
            if person is None:
                error = "There is no one with this prison number whose data you can download"
    return render_template("privacy/people.html", number=number, error=error, person=person)


@bp.route("/people/<id:candidate_id>/download.<fmt>")
@roles(Role.PEL, Role.ADMIN)
def person_download(candidate_id: int, fmt: str):
    """A PEL (or an administrator handling a request) downloads someone's data for them:
    people in custody have no internet. Recorded on the person's "Who has seen my details"."""
    candidate = services.get_candidate(candidate_id)
    require(candidate is not None and services.can_download_for(current_user, candidate))
    if fmt not in FORMATS:
        abort(404)
    services.record_access(actor=current_user, candidate=candidate)
    return _download(services.export(candidate=candidate), fmt,
                     f"the data held about {candidate.full_name}")


def _download(data: dict, fmt: str, whose: str) -> Response:
    if fmt == "json":
        return Response(json.dumps(data, indent=2, sort_keys=True, default=str),
                        mimetype="application/json", headers={
                            "Content-Disposition": 'attachment; filename="my-data.json"'})
    return Response(render_template("privacy/export.html", data=data, whose=whose),
                    mimetype="text/html")


@bp.route("/my-data/delete", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def erase():
    """Deleting your account and data: a page saying exactly what will happen, whose button
    does it."""
    candidate = services.candidate_of(current_user)
    require(candidate is not None)
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirmed:
        services.erase(candidate, actor=current_user)
        logout_user()
        session.clear()  # nothing of theirs stays in the cookie
        return redirect(url_for("privacy.erased"))
    return render_template("privacy/erase.html", form=form,
                           plan=services.erasure_plan(candidate))


@bp.route("/deleted")
@public
def erased():
    return render_template("privacy/erased.html")
