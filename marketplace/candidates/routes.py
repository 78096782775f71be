from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace import audit, invitations, journey, pagination
from marketplace.candidates import bp, conviction_pages, services
from marketplace.candidates.forms import (
    ApplyForm,
    ConsentForm,
    JobSearchForm,
    ProfileForm,
    ResponseForm,
    StatementForm,
)
from marketplace.disclosure import consent
from marketplace.forms import ConfirmedChoiceForm, ConfirmForm, Form
from marketplace.matching import constraints, service
from marketplace.permissions import can_answer_invitation, require, roles
from marketplace.types import OpportunityKind, Role, Sector
from search_index import IndexNotBuilt, SearchUnavailable


@bp.route("/")
@roles(Role.CANDIDATE)
def dashboard():
    candidate = services.for_user(current_user)
    applications = services.applications(candidate)
    return render_template("candidates/dashboard.html", candidate=candidate,
                           applications=applications,
                           applied=services.applications_page(
                               candidate, page=pagination.number(request.args)),
                           withdrawals=services.withdrawals_to_answer(applications),
                           nominations=services.waiting_for_answer(applications),
                           invitations=invitations.waiting_for(candidate),
                           interviews=services.upcoming_interviews(applications))


@bp.route("/profile")
@roles(Role.CANDIDATE)
def profile():
    candidate = services.for_user(current_user)
    return render_template("candidates/profile.html", candidate=candidate)


@bp.route("/profile/edit", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def profile_edit():
    candidate = services.for_user(current_user)
    form = ProfileForm(data=None if request.method == "POST" else {
        "headline": candidate.headline, "skills_text": candidate.skills_text,
        "summary": candidate.summary, "preferred_sectors": candidate.preferred_sectors,
        "preferred_hours": candidate.preferred_hours.value if candidate.preferred_hours else "",
        "max_travel_miles": str(candidate.max_travel_miles),
        "home_district": candidate.home_district,
        "visible_to_employers": candidate.visible_to_employers})
    if form.validate_on_submit():
        services.save_profile(
            candidate, actor=current_user, headline=form.headline.data or "",
            skills_text=form.skills_text.data, summary=form.summary.data or "",
            preferred_sectors=form.preferred_sectors.data or [],
            preferred_hours=form.preferred_hours.data or None,
            max_travel_miles=int(form.max_travel_miles.data),
            home_district=form.home_district.data, visible=form.visible_to_employers.data)
        flash("Your profile is saved. We will use it to find jobs for you.", "success")
        return redirect(url_for("candidates.profile"))
    return render_template("candidates/profile_edit.html", form=form)


def _own_urls() -> dict:
    return {"add": url_for("candidates.conviction_new"),
            "edit": lambda rid: url_for("candidates.conviction_edit", record_id=rid),
            "delete": lambda rid: url_for("candidates.conviction_delete", record_id=rid),
            "statement": url_for("candidates.statement")}


@bp.route("/disclosure")
@roles(Role.CANDIDATE)
def disclosure():
    return conviction_pages.overview_page(services.for_user(current_user), own=True,
                                          urls=_own_urls())


@bp.route("/disclosure/convictions/new", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def conviction_new():
    return conviction_pages.edit_page(services.for_user(current_user), current_user, None,
                                      own=True, done_url=url_for("candidates.disclosure"))


@bp.route("/disclosure/convictions/<id:record_id>", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def conviction_edit(record_id: int):
    return conviction_pages.edit_page(services.for_user(current_user), current_user, record_id,
                                      own=True, done_url=url_for("candidates.disclosure"))


@bp.route("/disclosure/convictions/<id:record_id>/details", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def conviction_details(record_id: int):
    return conviction_pages.details_page(services.for_user(current_user), current_user,
                                         record_id, own=True)


@bp.route("/disclosure/convictions/<id:record_id>/sentences/new", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def sentence_new(record_id: int):
    return conviction_pages.sentence_page(services.for_user(current_user), current_user,
                                          record_id, None, own=True)


@bp.route("/disclosure/convictions/<id:record_id>/sentences/<id:number>",
          methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def sentence_edit(record_id: int, number: int):
    return conviction_pages.sentence_page(services.for_user(current_user), current_user,
                                          record_id, number, own=True)


@bp.route("/disclosure/convictions/<id:record_id>/sentences/<id:number>/delete",
          methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def sentence_delete(record_id: int, number: int):
    return conviction_pages.sentence_delete(services.for_user(current_user), current_user,
                                            record_id, number, own=True)


@bp.route("/disclosure/convictions/<id:record_id>/delete", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def conviction_delete(record_id: int):
    return conviction_pages.delete(services.for_user(current_user), current_user, record_id,
                                   own=True, done_url=url_for("candidates.disclosure"))


@bp.route("/disclosure/statement", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def statement():
    candidate = services.for_user(current_user)
    existing = consent.statement_for(candidate)
    form = StatementForm(data={"text": existing.text} if existing else None)
    if form.validate_on_submit():
        consent.save_statement(candidate, form.text.data, actor=current_user)
        flash("Your statement is saved.", "success")
        return redirect(url_for("candidates.disclosure"))
    return render_template("candidates/statement.html", form=form)


def _own_application(application_id: int):
    """One of the signed-in person's applications; 404 for anyone else's."""
    found = services.application(services.for_user(current_user), application_id)
    if found is None:
        abort(404)
    return found


@bp.route("/applications/<id:application_id>", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def application(application_id: int):
    found = _own_application(application_id)
    form = ConsentForm()
    if _may_consent(found) and form.validate_on_submit():
        try:
            consent.give(found, actor=current_user)
        except consent.ConsentError as error:
            form.agree.errors.append(str(error))
        else:
            flash("You have shared your disclosure with the employer.", "success")
            return redirect(url_for("candidates.application", application_id=found.id))
    return _application_page(found, form, ResponseForm(prefix="answer"))


def _may_consent(found) -> bool:
    return found.status in consent.CONSENT_STATUSES \
        and not consent.disclosure_consent_in_force(found)


def _application_page(found, form, response_form):
    in_force = consent.disclosure_consent_in_force(found)
    may_consent = _may_consent(found)
    return render_template("candidates/application.html", application=found, form=form,
                           may_consent=may_consent, in_force=in_force,
                           preview=consent.preview(found) if may_consent or in_force else None,
                           record=consent.record(found),
                           response_form=response_form,
                           may_respond=journey.withdrawal_pending(found),
                           answer_open=journey.withdrawal_answer_open(found),
                           answer_by=(journey.answer_by(found) if journey.withdrawal_pending(found)
                                      else None))


@bp.route("/applications/<id:application_id>/answer", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def nomination_answer(application_id: int):
    """The person's own answer to being put forward by their PEL: a page saying what yes (or
    no) means, whose button answers (it cannot be undone)."""
    found = _own_application(application_id)
    form = ConfirmedChoiceForm(formdata=request.values)
    if not form.choice.validate(form):
        abort(400)
    accept = form.choice.data == "yes"
    if form.validate_on_submit() and form.confirmed:
        try:
            journey.respond_to_nomination(found, actor=current_user, accept=accept)
        except journey.JourneyError as error:
            flash(str(error))
        else:
            flash("Thank you. The employer can now see your application." if accept
                  else "You said no. Nobody will be told who you are.", "success")
        return redirect(url_for("candidates.application", application_id=found.id))
    return render_template("candidates/nomination_answer.html", application=found, form=form,
                           accept=accept, own=True,
                           back=url_for("candidates.application", application_id=found.id))


@bp.route("/applications/<id:application_id>/respond", methods=["POST"])
@roles(Role.CANDIDATE)
def respond(application_id: int):
    """The candidate answers an employer who plans to withdraw an offer after disclosure."""
    found = _own_application(application_id)
    form = ResponseForm(prefix="answer")  # beside the consent form on the same page
    if form.validate_on_submit():
        try:
            services.respond_to_withdrawal(found, actor=current_user,
                                           response=form.response.data)
        except journey.JourneyError as error:
            form.response.errors = [*form.response.errors, str(error)]
        else:
            flash("Your answer is sent. The employer must read it before they decide.",
                  "success")
            return redirect(url_for("candidates.application", application_id=found.id))
    return _application_page(found, ConsentForm(), form)


@bp.route("/applications/<id:application_id>/withdraw-consent", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def withdraw_consent(application_id: int):
    """Stop sharing the disclosure: a page saying what that means, whose button does it."""
    found = _own_application(application_id)
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirmed:
        try:
            consent.withdraw(found, actor=current_user)
        except consent.ConsentError as error:
            flash(str(error))
        else:
            flash("You have stopped sharing. The employer will not see your disclosure again.",
                  "success")
        return redirect(url_for("candidates.application", application_id=found.id))
    return render_template("candidates/stop_sharing.html", application=found, form=form,
                           in_force=consent.disclosure_consent_in_force(found))


@bp.route("/activity")
@roles(Role.CANDIDATE)
def activity():
    candidate = services.for_user(current_user)
    return render_template("candidates/activity.html",
                           events=audit.describe_all(services.activity(candidate)))


@bp.route("/jobs")
@roles(Role.CANDIDATE)
def jobs():
    candidate = services.for_user(current_user)
    form = JobSearchForm(formdata=request.args if request.args else None)
    matches, unavailable = pagination.of_ranked([], 1), None
    if not request.args or form.validate():
        filters = service.OpportunityFilters(
            kind=OpportunityKind(form.kind.data) if form.kind.data else None,
            sector=Sector(form.sector.data) if form.sector.data else None,
            within_miles=int(form.miles.data) if form.miles.data else None,
            guaranteed_interview=bool(form.guaranteed.data), bond_backed=bool(form.bond.data))
        try:
            matches = pagination.of_ranked(
                service.opportunities_for(candidate, text=form.q.data or None, filters=filters,
                                          k=pagination.RANKED_WINDOW + 1),
                pagination.number(request.args))
        except (IndexNotBuilt, SearchUnavailable) as error:
            current_app.logger.error("Job search unavailable: %s", error)
            unavailable = True
    return render_template("candidates/jobs.html", form=form, matches=matches,
                           candidate=candidate, unavailable=unavailable,
                           searched=bool(form.q.data),
                           search_note=service.query_note(form.q.data),
                           note=service.in_custody_note(candidate)), 503 if unavailable else 200


@bp.route("/jobs/<id:opportunity_id>", methods=["GET", "POST"])
@roles(Role.CANDIDATE)
def job(opportunity_id: int):
    """One opportunity in full, and the way to apply for it."""
    candidate = services.for_user(current_user)
    opportunity = services.listed_opportunity(opportunity_id)
    if opportunity is None:
        abort(404)
    existing = services.existing_application(candidate, opportunity)
    eligibility = journey.eligibility(candidate, opportunity)
    form = ApplyForm()
    if existing is None and eligibility.eligible and form.validate_on_submit():
        try:
            applied = journey.apply(candidate, opportunity, actor=current_user,
                                    statement=form.statement.data or "")
        except journey.AlreadyApplied as error:
            # Sent twice at once (a double click): the first one counts.
            flash(str(error))
            return redirect(url_for("candidates.application",
                                    application_id=error.application.id))
        except journey.JourneyError as error:
            form.statement.errors = [*form.statement.errors, str(error)]
        else:
            flash("You have applied. The employer will see your name and profile. Everyone "
                  "who applies gets an answer.", "success")
            return redirect(url_for("candidates.application", application_id=applied.id))
    return render_template(
        "candidates/job.html", opportunity=opportunity, form=form, existing=existing,
        candidate=candidate,
        invitation=invitations.waiting_for_role(candidate, opportunity),
        reasons=eligibility.wording(),
        requirements=(constraints.minimum_requirements(candidate, opportunity)
                      if opportunity.guaranteed_interview else None))


@bp.route("/invitations/<id:invitation_id>/decline", methods=["POST"])
@roles(Role.CANDIDATE)
def invitation_decline(invitation_id: int):
    """No thanks to an employer's invitation to apply. (Yes is applying, on the job's page.)
    The employer is not told."""
    found = invitations.get(invitation_id)
    require(found is not None and can_answer_invitation(current_user, found))
    if not Form().validate_on_submit():
        abort(400)
    try:
        invitations.decline(found, actor=current_user)
    except invitations.InvitationError as error:
        flash(str(error))
    else:
        flash(f"You said no thanks to {found.organisation.name}. They will not be told.",
              "success")
    return redirect(url_for("candidates.dashboard"))
