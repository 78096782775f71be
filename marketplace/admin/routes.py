from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace import mail, pagination
from marketplace.admin import bp, services
from marketplace.admin.forms import DecisionForm, InviteForm
from marketplace.auth import services as accounts
from marketplace.forms import ListSearchForm
from marketplace.permissions import roles
from marketplace.reference import services as reference
from marketplace.types import OrganisationStatus, Role


@bp.route("/")
@roles(Role.ADMIN)
def dashboard():
    return render_template("admin/dashboard.html", summary=services.summary())


@bp.route("/organisations")
@roles(Role.ADMIN)
def organisations():
    form = ListSearchForm(request.args, label="Search by name")
    return render_template("admin/organisations.html", form=form,
                           organisations=services.organisations(
                               search=form.search, page=pagination.number(request.args)))


@bp.route("/organisations/<id:organisation_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def organisation(organisation_id: int):
    org = services.get_organisation(organisation_id)
    if org is None:
        abort(404)
    form = DecisionForm()
    if org.status is OrganisationStatus.PENDING and form.validate_on_submit():
        services.decide(org, admin=current_user, approve=form.decision.data == "approve",
                        reason=form.reason.data or None)
        flash(f"{org.name} has been {org.status.value}.", "success")
        return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation.html", organisation=org, form=form)


@bp.route("/invites", methods=["GET", "POST"])
@roles(Role.ADMIN)
def invites():
    form = InviteForm()
    form.prison_id.choices = [("", "Choose a prison")] + [
        (str(p.id), p.name) for p in reference.prisons()]
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            invite, token = accounts.create_invite(
                inviter=current_user, email=form.email.data, full_name=form.full_name.data,
                role=role, prison_id=int(form.prison_id.data) if role is Role.PEL else None)
        except accounts.EmailTaken:
            form.email.errors.append("There is already an account with this email address")
        else:
            link = url_for("auth.accept_invite", token=token, _external=True)
            mail.send(invite.email, "You are invited to the Fair Chance Marketplace",
                      f"Hello {invite.full_name},\n\nYou have been invited to join as "
                      f"{role.label.lower()}. Create your account with this link. It works once "
                      f"and for 7 days:\n\n{link}\n")
            flash(f"Invitation sent to {invite.email}.", "success")
            return redirect(url_for("admin.invites"))
    return render_template("admin/invites.html", form=form, invites=services.pending_invites())


@bp.route("/reports")
@roles(Role.ADMIN)
def outcome_reports():
    """The outcome reports moved to /reports, which every role with reports shares."""
    return redirect(url_for("reports.outcomes", **request.args))


@bp.route("/jobs")
@roles(Role.ADMIN)
def jobs():
    """Background jobs that failed after every retry (none without Redis)."""
    from marketplace import jobs as background

    return render_template("admin/jobs.html", failed=background.failed(),
                           queued=bool(current_app.config.get("REDIS_URL")))
