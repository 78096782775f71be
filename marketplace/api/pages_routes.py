"""The organisation's pages for the API: its tokens (create, shown once; revoke) and the bulk
import of opportunities from a CSV file. Signed-in employer members of an approved organisation
(permissions.can_manage_api_tokens)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import CombinedMultiDict

from marketplace.api import imports, pages, services
from marketplace.api.forms import ImportForm, TokenForm
from marketplace.forms import Form
from marketplace.permissions import API_SCOPES, can_manage_api_tokens, require, roles
from marketplace.types import Role

MAX_UPLOAD_BYTES = 8 * 1024 * 1024


def _organisation():
    # A member of an organisation still waiting for approval is told why (403), not a 404.
    require(can_manage_api_tokens(current_user), hide=False)
    return current_user.organisation


@pages.route("/tokens", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def tokens():
    """The organisation's tokens and a form for a new one. A new token is shown on the page
    that creates it, once: only its hash is kept."""
    organisation = _organisation()
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        row, created = services.create_token(organisation, actor=current_user,
                                             name=form.name.data, scopes=form.scopes.data)
        form = TokenForm(formdata=None)
    return render_template("api/tokens.html", form=form, created=created,
                           tokens=services.tokens_of(organisation), scopes=API_SCOPES,
                           revoke_form=Form())


@pages.route("/tokens/<id:token_id>/revoke", methods=["POST"])
@roles(Role.EMPLOYER)
def revoke_token(token_id: int):
    organisation = _organisation()
    token = services.token_of(organisation, token_id)
    require(token is not None)
    if Form().validate_on_submit():
        services.revoke(token, actor=current_user)
        flash(f"The token “{token.name}” is revoked. Calls made with it are refused.",
              "success")
    return redirect(url_for("api_pages.tokens"))


@pages.route("/import", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def import_page():
    """Upload a CSV of opportunities: every row is checked first; any problem imports nothing
    and lists each one by row and column."""
    organisation = _organisation()
    form = ImportForm(formdata=CombinedMultiDict([request.files, request.form])
                      if request.method == "POST" else None)
    problems, report = [], None
    if form.validate_on_submit():
        data = form.file.data.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            form.file.errors = [*form.file.errors, "The selected file must be smaller than "
                                                   "8 MB. Split it into several files"]
        else:
            rows, problems = imports.rows_from_csv(data)
            if not rows and not problems:
                problems = [imports.Problem(0, "file", "The file has no rows under its "
                                                       "column names")]
            if rows and not any(p.row == 0 for p in problems):
                report = imports.import_rows(rows, organisation=organisation,
                                             actor=current_user, problems=problems)
                problems = report.problems
    if problems:
        report = None  # nothing was saved: import_rows saves only when every row is right
    return render_template("api/import.html", form=form, problems=problems, report=report,
                           columns=imports.COLUMNS)


@pages.route("/import/template.csv")
@roles(Role.EMPLOYER)
def import_template():
    _organisation()
    return imports.template_csv(), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": "attachment; filename=opportunities-template.csv"}
