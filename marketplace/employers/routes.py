from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace import clock, invitations, journey, pagination
from marketplace.disclosure import policy
from marketplace.employers import bp, services
from marketplace.employers.forms import (
    ACTION_FORMS,
    CONFIRMED_ACTIONS,
    CandidateSearchForm,
    OpportunityForm,
    pounds_text,
)
from marketplace.forms import ConfirmedChoiceForm, Form, ListSearchForm
from marketplace.matching import service
from marketplace.permissions import (
    can_invite_for,
    can_manage_application,
    can_manage_opportunity,
    can_post_opportunities,
    can_view_application,
    require,
    roles,
)
from marketplace.types import CheckInOutcome, Role
from search_index import IndexNotBuilt, SearchUnavailable


@bp.route("/")
@roles(Role.EMPLOYER)
def dashboard():
    organisation = current_user.organisation
    return render_template("employers/dashboard.html", organisation=organisation,
                           can_post=can_post_opportunities(current_user),
                           open_count=services.open_count(current_user),
                           owed=journey.owed(organisation, limit=10),
                           check_ins=services.check_ins_due(organisation))


@bp.route("/opportunities")
@roles(Role.EMPLOYER)
def opportunities():
    form = ListSearchForm(request.args, label="Search by title")
    return render_template("employers/opportunities.html", organisation=current_user.organisation,
                           form=form,
                           rows=services.opportunities_page(current_user, search=form.search,
                                                            page=pagination.number(request.args)),
                           can_post=can_post_opportunities(current_user))


def _own(opportunity_id: int):
    opportunity = services.opportunity(opportunity_id)
    require(opportunity is not None and can_manage_opportunity(current_user, opportunity))
    return opportunity


# What a new opportunity's form starts with: the most common answers.
NEW_OPPORTUNITY = {"paid": "yes", "check_level": "none", "regulated_activity": "none",
                   "places": 1}


def _answers(opportunity) -> dict:
    """The form's starting answers for an existing opportunity."""
    answers = {name: getattr(opportunity, name) for name in services.PLAIN_FIELDS}
    answers.update(
        kind=opportunity.kind.value, sector=opportunity.sector.value,
        hours=opportunity.hours.value, paid="yes" if opportunity.paid else "no",
        pay_min=pounds_text(opportunity.pay_min_pence),
        pay_max=pounds_text(opportunity.pay_max_pence),
        pay_period=opportunity.pay_period.value if opportunity.pay_period else "",
        contract=opportunity.contract.value, check_level=opportunity.check_level.value,
        regulated_activity=opportunity.regulated_activity.value,
        exclusions=[c.value for c in opportunity.exclusion_categories],
        exclusion_reason=opportunity.exclusion_reason or "")
    return answers


def _opportunity_form(opportunity=None) -> OpportunityForm:
    organisation = current_user.organisation
    if request.method == "POST":
        return OpportunityForm(organisation=organisation)
    answers = _answers(opportunity) if opportunity else NEW_OPPORTUNITY
    return OpportunityForm(data=answers, organisation=organisation)


def _save(opportunity, form: OpportunityForm):
    """Save a validated form; None, with the reason on the form, when the service refuses."""
    try:
        return services.save_opportunity(opportunity, form, organisation=current_user.organisation,
                                         actor=current_user)
    except ValueError as error:
        form.kind.errors = [*form.kind.errors, str(error)]
        return None


@bp.route("/opportunities/new", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def opportunity_new():
    # An organisation waiting for approval cannot post yet (the page says why, not a 404).
    require(can_post_opportunities(current_user), hide=False)
    form = _opportunity_form()
    if form.validate_on_submit() and (opportunity := _save(None, form)):
        flash("Saved as a draft. Check it, then publish it so people can apply.", "success")
        return redirect(url_for("employers.opportunity", opportunity_id=opportunity.id))
    return render_template("employers/opportunity_form.html", form=form, opportunity=None)


@bp.route("/opportunities/<id:opportunity_id>")
@roles(Role.EMPLOYER)
def opportunity(opportunity_id: int):
    found = _own(opportunity_id)
    # Listed by reference only: names are revealed (and the reveal audited) on each
    # application's own page.
    applicants = services.applications_for(found, current_user,
                                           page=pagination.number(request.args))
    rows = [(a, policy.candidate_ref(a.candidate_id, organisation_id=found.organisation_id), at)
            for a, at in applicants.items]
    return render_template("employers/opportunity.html", opportunity=found, rows=rows,
                           applicants=applicants,
                           can_post=can_post_opportunities(current_user))


@bp.route("/opportunities/<id:opportunity_id>/edit", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def opportunity_edit(opportunity_id: int):
    found = _own(opportunity_id)
    require(can_post_opportunities(current_user), hide=False)
    form = _opportunity_form(found)
    if form.validate_on_submit() and _save(found, form):
        flash("Your changes are saved.", "success")
        return redirect(url_for("employers.opportunity", opportunity_id=found.id))
    return render_template("employers/opportunity_form.html", form=form, opportunity=found)


@bp.route("/opportunities/<id:opportunity_id>/publish", methods=["POST"])
@roles(Role.EMPLOYER)
def opportunity_publish(opportunity_id: int):
    found = _own(opportunity_id)
    require(can_post_opportunities(current_user), hide=False)
    try:
        services.publish(found, actor=current_user)
    except ValueError as error:
        flash(str(error))
    else:
        flash("Published. People can now find it and apply.", "success")
    return redirect(url_for("employers.opportunity", opportunity_id=found.id))


@bp.route("/opportunities/<id:opportunity_id>/close", methods=["POST"])
@roles(Role.EMPLOYER)
def opportunity_close(opportunity_id: int):
    found = _own(opportunity_id)
    services.close(found, actor=current_user)
    flash("Closed. It no longer shows in searches. Everyone who applied still needs an answer.",
          "success")
    return redirect(url_for("employers.opportunity", opportunity_id=found.id))


def _application_page(found, forms: dict):
    view = policy.candidate_view(current_user, found.candidate, found)
    require(view is not None)
    policy.record_reveal(current_user, found.candidate, view, found,
                         why="reviewing the application")
    forms = {**{name: ACTION_FORMS[name](prefix=name)
                for name in sorted(journey.allowed_actions(found), key=list(ACTION_FORMS).index)},
             **forms}
    return render_template("employers/application.html", view=view,
                           opportunity=found.opportunity, application=found,
                           status=found.status, events=policy.history(current_user, found),
                           forms=forms,
                           guaranteed=journey.interview_guaranteed(found),
                           withdrawal_pending=journey.withdrawal_pending(found),
                           answer_by=(journey.answer_by(found) if journey.withdrawal_pending(found)
                                      else None),
                           confirmed_actions=CONFIRMED_ACTIONS,
                           booked=journey.booked_interview(found),
                           placement=services.placement_of(found), today=clock.uk_today())


@bp.route("/applications/<id:application_id>")
@roles(Role.EMPLOYER)
def application(application_id: int):
    found = services.application(application_id)
    require(found is not None and can_view_application(current_user, found))
    return _application_page(found, {})


@bp.route("/applications/<id:application_id>/<action>", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def application_action(application_id: int, action: str):
    """One step on an application. A step that cannot be undone (CONFIRMED_ACTIONS) has its
    own page saying what will happen and to whom, and happens only from that page's button."""
    found = services.application(application_id)
    require(found is not None and can_manage_application(current_user, found))
    if action not in ACTION_FORMS or (request.method == "GET" and action not in CONFIRMED_ACTIONS):
        abort(404)
    form = ACTION_FORMS[action](prefix=action)
    if action not in journey.allowed_actions(found):
        form.submit.errors = [*form.submit.errors, services.NOT_NOW]
        return _application_page(found, {action: form})
    confirmed = action not in CONFIRMED_ACTIONS or form.confirmed
    if form.validate_on_submit() and confirmed:
        try:
            message = services.act(found, action, form, actor=current_user)
        except journey.JourneyError as error:
            form.submit.errors = [*form.submit.errors, str(error)]
        else:
            flash(message, "success")
            return redirect(url_for("employers.application", application_id=found.id))
    if action in CONFIRMED_ACTIONS:
        return _check_page(found, action, form)
    # 200, like every form page: the page is shown again with its errors, and its reveal is
    # audited (a 4xx response rolls the request back, audit row included).
    return _application_page(found, {action: form})


def _check_page(found, action: str, form):
    """What the step will do, to whom, before the employer confirms it. It names the person,
    so the reveal is audited like the application page's."""
    view = policy.candidate_view(current_user, found.candidate, found)
    require(view is not None)
    policy.record_reveal(current_user, found.candidate, view, found,
                         why="checking a decision before making it")
    pending = journey.withdrawal_pending(found)
    return render_template("employers/check_action.html", view=view, action=action, form=form,
                           application=found, opportunity=found.opportunity,
                           withdrawal_pending=pending,
                           answer_by=journey.answer_by(found) if pending else None,
                           would_wait_until=journey.withdrawal_would_wait_until(found),
                           today=clock.uk_today())


@bp.route("/check-ins/<id:check_in_id>", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def check_in(check_in_id: int):
    """Still in work at 13 and 26 weeks? The figure behind the outcome reports, recorded from a
    page saying what is recorded (it cannot be changed)."""
    found = services.check_in(check_in_id)
    application = found.placement.application if found is not None else None
    require(application is not None and can_manage_application(current_user, application))
    form = ConfirmedChoiceForm(formdata=request.values)
    if not form.choice.validate(form):
        abort(400)
    in_work = form.choice.data == "yes"
    if form.validate_on_submit() and form.confirmed:
        try:
            journey.record_check_in(found, actor=current_user,
                                    outcome=CheckInOutcome.IN_WORK if in_work
                                    else CheckInOutcome.LEFT)
        except journey.JourneyError as error:
            flash(str(error))
        else:
            flash(f"Week {found.week} check-in recorded. Thank you.", "success")
        return redirect(url_for("employers.application", application_id=application.id))
    view = policy.candidate_view(current_user, application.candidate, application)
    require(view is not None)
    policy.record_reveal(current_user, application.candidate, view, application,
                         why="checking a decision before making it")
    return render_template("employers/check_in.html", check_in=found, view=view, form=form,
                           application=application, in_work=in_work)


@bp.route("/opportunities/<id:opportunity_id>/matches")
@roles(Role.EMPLOYER)
def matches(opportunity_id: int):
    opportunity = _own(opportunity_id)
    form = CandidateSearchForm(formdata=request.args if request.args else None)
    cards, unavailable, page = [], False, pagination.of_ranked([], 1)
    if not request.args or form.validate():
        try:
            found = service.candidates_for(
                opportunity, text=form.q.data or None,
                within_miles=int(form.miles.data) if form.miles.data else None,
                k=pagination.RANKED_WINDOW + 1, card_details=False)
        except (IndexNotBuilt, SearchUnavailable) as error:
            current_app.logger.error("Candidate matching unavailable: %s", error)
            unavailable, found = True, []
        page = pagination.of_ranked(found, pagination.number(request.args))
        service.load_card_details(page.items)
        # Anonymised cards: the policy decides what each shows (stage 1: no name).
        cards = [(policy.candidate_view(current_user, m.candidate), m.reasons)
                 for m in page.items]
    return render_template("employers/matches.html", opportunity=opportunity, form=form,
                           cards=cards, unavailable=unavailable, page=page,
                           search_note=service.query_note(form.q.data),
                           can_invite=can_invite_for(current_user, opportunity),
                           invited=invitations.invited_refs(opportunity),
                           list_args=_list_args()), 503 if unavailable else 200


def _list_args() -> dict[str, str]:
    """The matched candidates list's own search and page, to come back to after inviting
    someone from it (and nothing else a URL could carry, such as url_for's _external)."""
    return {name: request.args[name] for name in ("q", "miles", "page") if name in request.args}


@bp.route("/opportunities/<id:opportunity_id>/matches/<ref>/invite", methods=["POST"])
@roles(Role.EMPLOYER)
def invite(opportunity_id: int, ref: str):
    """Invite a matched person, known only by their card's reference, to apply. Whatever the
    person does next, the card says only "Invited" (marketplace/invitations.py)."""
    opportunity = _own(opportunity_id)
    require(can_invite_for(current_user, opportunity), hide=False)
    if not Form().validate_on_submit():
        abort(400)
    candidate = invitations.candidate_for_ref(opportunity, ref)
    require(candidate is not None)
    try:
        invitations.invite(opportunity, candidate, actor=current_user)
    except invitations.InvitationError as error:
        flash(str(error))
    else:
        flash(f"Candidate {ref} is invited to apply. You will see their name if they apply.",
              "success")
    # Back to the same list: its search and page are in the form's address.
    return redirect(url_for("employers.matches", opportunity_id=opportunity.id, **_list_args()))
