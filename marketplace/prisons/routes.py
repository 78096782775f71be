from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from marketplace import invitations, journey, pagination
from marketplace.auth import sessions
from marketplace.candidates import conviction_pages
from marketplace.candidates import services as candidate_services
from marketplace.candidates.forms import PelConsentForm
from marketplace.custody import CustodyError, kiosk, messages
from marketplace.custody import people as custody
from marketplace.disclosure import consent
from marketplace.forms import ConfirmedChoiceForm, ConfirmForm, ListSearchForm
from marketplace.matching import service
from marketplace.permissions import can_act_for_candidate, require, roles
from marketplace.prisons import bp, services
from marketplace.prisons.forms import (
    AddPersonForm,
    BulkNominateForm,
    CaseloadForm,
    JobpointForm,
    MessageDecisionForm,
    NominateForm,
    PelProfileForm,
    PlatformConsentForm,
    QualificationForm,
    ReadinessForm,
    ReleaseForm,
    TransferForm,
    WithdrawConsentForm,
    WorkForm,
)
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    ReadinessLevel,
    ReleaseDateCertainty,
    Role,
    SupportNeed,
)
from search_index import IndexNotBuilt, SearchUnavailable


@bp.route("/")
@roles(Role.PEL)
def dashboard():
    """What waits for the PEL: counts, and the first few of each list (the rest a page away),
    so the page costs the same for a prison of 50 or 5,000."""
    return render_template("prisons/dashboard.html", prison=current_user.prison,
                           caseload_size=services.caseload_size(current_user),
                           not_ready=services.release_soon_not_ready_first(current_user),
                           rotl=services.rotl_pending_page(current_user, 1,
                                                           services.DASHBOARD_ITEMS),
                           nominations=services.nominations_waiting(
                               current_user, 1, services.DASHBOARD_ITEMS),
                           withdrawals=services.withdrawals_to_answer(current_user),
                           weeks=services.RELEASE_WINDOW_WEEKS,
                           messages_waiting=services.messages_waiting_count(current_user),
                           jobpoint_requests=services.jobpoint_requests_count(current_user))


@bp.route("/day-release")
@roles(Role.PEL)
def day_release():
    """Every day release request waiting for a decision, oldest first, a page at a time."""
    return render_template("prisons/day_release.html", prison=current_user.prison,
                           rotl=services.rotl_pending_page(current_user,
                                                           pagination.number(request.args)))


@bp.route("/nominations")
@roles(Role.PEL)
def nominations():
    """Every nomination waiting for the person's answer, oldest first, a page at a time."""
    return render_template("prisons/nominations.html", prison=current_user.prison,
                           nominations=services.nominations_waiting(
                               current_user, pagination.number(request.args)))


@bp.route("/caseload")
@roles(Role.PEL)
def caseload():
    """Search, filter (release window, work readiness, has applications) and order the
    caseload, a page at a time. "Job-ready soon" is the release-within-12-weeks view."""
    form = CaseloadForm(request.args)
    form.validate()
    search = " ".join(form.q.data.split()) if form.q.data and not form.q.errors else None
    release = form.answer("release")
    people, levels = custody.caseload_page(
        current_user, search=search, release_within=int(release) if release else None,
        readiness=form.answer("readiness"), has_applications=bool(form.applications.data),
        by_readiness=form.answer("sort") == "readiness", page=pagination.number(request.args))
    return render_template("prisons/caseload.html", prison=current_user.prison, form=form,
                           people=people, levels=levels, filtered=bool(
                               search or release or form.answer("readiness")
                               or form.applications.data))


def _person_or_404(candidate_id: int):
    found = services.person(current_user, candidate_id)
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


@bp.route("/people/<id:candidate_id>")
@roles(Role.PEL)
def person(candidate_id: int):
    """The person's record and history: to act on, while they are in this prison; to read
    only, for 12 months after this prison released them."""
    candidate = services.readable_person(current_user, candidate_id)
    if candidate is None:
        abort(404)
    applications = services.person_applications(candidate)
    return render_template("prisons/person.html", person=candidate,
                           applications=applications,
                           can_act=can_act_for_candidate(current_user, candidate),
                           transfers=custody.transfers(candidate),
                           readiness_now=next(iter(custody.readiness_history(candidate)), None),
                           releases=custody.releases(candidate),
                           messageable={a.id for a in applications
                                        if messages.put_to_employer(a)},
                           invitations=invitations.waiting_for(candidate),
                           details=custody.details(candidate),
                           consents=custody.consents(candidate),
                           consent=custody.current_consent(candidate))


@bp.route("/people/<id:candidate_id>/convictions")
@roles(Role.PEL)
def convictions(candidate_id: int):
    return conviction_pages.overview_page(_person_or_404(candidate_id), own=False,
                                          urls=_urls(candidate_id))


@bp.route("/people/<id:candidate_id>/convictions/new", methods=["GET", "POST"])
@roles(Role.PEL)
def conviction_new(candidate_id: int):
    return conviction_pages.edit_page(
        _person_or_404(candidate_id), current_user, None, own=False,
        done_url=url_for("prisons.convictions", candidate_id=candidate_id))


@bp.route("/people/<id:candidate_id>/convictions/<id:record_id>", methods=["GET", "POST"])
@roles(Role.PEL)
def conviction_edit(candidate_id: int, record_id: int):
    return conviction_pages.edit_page(
        _person_or_404(candidate_id), current_user, record_id, own=False,
        done_url=url_for("prisons.convictions", candidate_id=candidate_id))


@bp.route("/people/<id:candidate_id>/convictions/<id:record_id>/delete",
          methods=["GET", "POST"])
@roles(Role.PEL)
def conviction_delete(candidate_id: int, record_id: int):
    return conviction_pages.delete(
        _person_or_404(candidate_id), current_user, record_id, own=False,
        done_url=url_for("prisons.convictions", candidate_id=candidate_id))


@bp.route("/applications/<id:application_id>/consent", methods=["GET", "POST"])
@roles(Role.PEL)
def record_consent(application_id: int):
    """Record consent the person signed on paper: the date first, then a check page saying
    what the employer will see, whose button records it."""
    application = services.application_of(current_user, application_id)
    if application is None:
        abort(404)
    form = PelConsentForm()
    if form.validate_on_submit():
        if not form.confirmed:
            return render_template("prisons/consent_check.html", form=form,
                                   application=application,
                                   preview=consent.preview(application))
        try:
            consent.give(application, actor=current_user, signed_on=form.signed_on.data)
        except consent.ConsentError as error:
            form.signed_on.errors.append(str(error))
        else:
            flash(f"Consent recorded. {application.opportunity.organisation.name} can now see "
                  "what was listed.", "success")
            return redirect(url_for("prisons.person", candidate_id=application.candidate_id))
    return render_template("prisons/consent.html", form=form, application=application,
                           preview=consent.preview(application),
                           record=consent.record(application))


@bp.route("/people/<id:candidate_id>/jobs")
@roles(Role.PEL)
def person_jobs(candidate_id: int):
    """Opportunities that suit the person, best first, each with a way to nominate them."""
    candidate = _person_or_404(candidate_id)
    found, unavailable = [], False
    try:
        found = service.opportunities_for(candidate, k=pagination.RANKED_WINDOW + 1)
    except (IndexNotBuilt, SearchUnavailable) as error:
        current_app.logger.error("Job matching unavailable: %s", error)
        unavailable = True
    done = {a.opportunity_id for a in services.person_applications(candidate)}
    matches = pagination.of_ranked(found, pagination.number(request.args))
    return render_template("prisons/person_jobs.html", person=candidate, matches=matches,
                           done=done, unavailable=unavailable, form=NominateForm(),
                           note=service.in_custody_note(candidate)), 503 if unavailable else 200


@bp.route("/people/<id:candidate_id>/nominate/<id:opportunity_id>", methods=["GET", "POST"])
@roles(Role.PEL)
def nominate(candidate_id: int, opportunity_id: int):
    candidate = _person_or_404(candidate_id)
    opportunity = candidate_services.listed_opportunity(opportunity_id)
    if opportunity is None:
        abort(404)
    form = NominateForm()
    refusal = custody.nomination_refusal(candidate)
    if refusal:
        form.note.errors = [refusal]
    elif form.validate_on_submit():
        try:
            journey.nominate(candidate, opportunity, pel=current_user,
                             note=form.note.data or "")
        except journey.JourneyError as error:
            form.note.errors = [*form.note.errors, str(error)]
        else:
            flash(f"Nominated for {opportunity.title}. Ask {candidate.first_name} whether they "
                  "agree, then record their answer. The employer sees nothing until then.",
                  "success")
            return redirect(url_for("prisons.person", candidate_id=candidate.id))
    return render_template("prisons/nominate.html", person=candidate, opportunity=opportunity,
                           form=form)


@bp.route("/applications/<id:application_id>/answer", methods=["GET", "POST"])
@roles(Role.PEL)
def nomination_answer(application_id: int):
    """The PEL records the person's answer to a nomination (they signed it on paper), from a
    page saying what it means, whose button records it (it cannot be undone)."""
    application = services.application_of(current_user, application_id)
    if application is None or application.status is not ApplicationStatus.NOMINATED:
        abort(404)
    form = ConfirmedChoiceForm(formdata=request.values)
    if not form.choice.validate(form):
        abort(400)
    accept = form.choice.data == "yes"
    if form.validate_on_submit() and form.confirmed:
        journey.respond_to_nomination(application, actor=current_user, accept=accept)
        flash("Answer recorded." + (" The employer can now see the nomination." if accept
                                    else ""), "success")
        return redirect(url_for("prisons.person", candidate_id=application.candidate_id))
    return render_template("candidates/nomination_answer.html", application=application,
                           form=form, accept=accept, own=False,
                           back=url_for("prisons.person", candidate_id=application.candidate_id))


@bp.route("/interviews/<id:interview_id>/day-release/<any(approve, refuse):decision>",
          methods=["GET", "POST"])
@roles(Role.PEL)
def rotl_decision(interview_id: int, decision: str):
    """Approve or refuse day release for an interview: a page saying who will be told what,
    whose button decides (a decision cannot be changed)."""
    interview = services.interview(interview_id)
    require(interview is not None
            and can_act_for_candidate(current_user, interview.application.candidate))
    approve = decision == "approve"
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirmed:
        try:
            journey.decide_rotl(interview, pel=current_user, approve=approve)
        except journey.JourneyError as error:
            flash(str(error))
        else:
            flash("Day release approved." if approve else "Day release refused.", "success")
        return redirect(url_for("prisons.dashboard"))
    return render_template("prisons/rotl_decision.html", interview=interview,
                           application=interview.application, approve=approve, form=form)


# --- the custody channel (issue 13): adding people and their consent ------------------------------


@bp.route("/people/new", methods=["GET", "POST"])
@roles(Role.PEL)
def person_new():
    """Add someone in this prison, with their signed consent to be on the service."""
    form = AddPersonForm()
    if form.validate_on_submit():
        try:
            candidate = custody.add_person(
                current_user, first_name=form.first_name.data, last_name=form.last_name.data,
                prison_number=form.prison_number.data, date_of_birth=form.date_of_birth.data,
                release_date=form.release_date.data,
                release_certainty=ReleaseDateCertainty(form.release_certainty.data),
                home_district=form.home_district.data,
                right_to_work_seen=form.right_to_work_seen.data == "yes",
                right_to_work_seen_on=form.right_to_work_seen_on.data,
                right_to_work_seen_by=form.right_to_work_seen_by.data,
                consent_signed_on=form.consent_signed_on.data,
                form_version=form.form_version.data)
        except CustodyError as error:
            form.prison_number.errors = [*form.prison_number.errors, str(error)]
        else:
            flash(f"{candidate.full_name} added. Now build their profile with them.", "success")
            return redirect(url_for("prisons.person", candidate_id=candidate.id))
    return render_template("prisons/person_new.html", form=form)


@bp.route("/people/<id:candidate_id>/platform-consent", methods=["GET", "POST"])
@roles(Role.PEL)
def platform_consent(candidate_id: int):
    """Record new signed consent to be on the service, after a withdrawal."""
    candidate = _person_or_404(candidate_id)
    form = PlatformConsentForm()
    current = custody.current_consent(candidate)
    if current is None and form.validate_on_submit():
        try:
            custody.give_consent(candidate, actor=current_user, signed_on=form.signed_on.data,
                                 form_version=form.form_version.data)
        except CustodyError as error:
            form.signed_on.errors = [*form.signed_on.errors, str(error)]
        else:
            flash(f"Consent recorded. Employers can find {candidate.first_name} again.",
                  "success")
            return redirect(url_for("prisons.person", candidate_id=candidate.id))
    return render_template("prisons/platform_consent.html", person=candidate, form=form,
                           current=current)


@bp.route("/people/<id:candidate_id>/platform-consent/withdraw", methods=["GET", "POST"])
@roles(Role.PEL)
def platform_consent_withdraw(candidate_id: int):
    """The person withdrew consent to be on the service: a check page, then hidden at once."""
    candidate = _person_or_404(candidate_id)
    form = WithdrawConsentForm()
    current = custody.current_consent(candidate)
    if current is not None and form.validate_on_submit() and form.confirmed:
        custody.withdraw_consent(candidate, actor=current_user)
        flash(f"Consent withdrawn. Employers can no longer find {candidate.first_name}, and "
              "nobody can nominate them.", "success")
        return redirect(url_for("prisons.person", candidate_id=candidate.id))
    return render_template("prisons/platform_consent_withdraw.html", person=candidate,
                           form=form, current=current)


# --- checked messages ----------------------------------------------------------------------------


@bp.route("/messages")
@roles(Role.PEL)
def message_queue():
    """Messages to and from people in this prison, waiting for a check, oldest first."""
    return render_template("prisons/message_queue.html", queue=messages.queue(current_user))


@bp.route("/messages/<id:message_id>/<any(approve, return, reject):decision>",
          methods=["GET", "POST"])
@roles(Role.PEL)
def message_decision(message_id: int, decision: str):
    """Approve (it reaches the other side), return with a reason, or reject with a reason:
    a page showing the message, whose button decides."""
    message = messages.message_for_pel(current_user, message_id)
    if message is None:
        abort(404)
    form = MessageDecisionForm()
    if form.validate_on_submit() and form.confirmed:
        try:
            if decision == "approve":
                messages.approve(message, pel=current_user)
            else:
                messages.refuse(message, pel=current_user, returned=decision == "return",
                                reason=form.reason.data or "")
        except CustodyError as error:
            form.reason.errors = [*form.reason.errors, str(error)]
        else:
            flash({"approve": "Message approved and sent.",
                   "return": "Message returned to the writer.",
                   "reject": "Message rejected. It will not be sent."}[decision], "success")
            return redirect(url_for("prisons.message_queue"))
    return render_template("prisons/message_decision.html", message=message, form=form,
                           decision=decision, application=message.application)


# --- transfers, release and the hand-over --------------------------------------------------------


@bp.route("/people/<id:candidate_id>/transfer", methods=["GET", "POST"])
@roles(Role.PEL)
def transfer(candidate_id: int):
    """Record that the person moved to another prison: the prison and date, then a check page
    saying what follows, whose button records it."""
    candidate = _person_or_404(candidate_id)
    form = TransferForm()
    prisons = {str(p.id): p for p in custody.other_prisons(current_user)}
    form.to_prison.choices = [("", "Choose a prison")] + [(k, p.name) for k, p in prisons.items()]
    if form.validate_on_submit():
        to_prison = prisons[form.to_prison.data]
        if form.confirmed:
            custody.transfer(candidate, pel=current_user, to_prison=to_prison,
                             moved_on=form.moved_on.data)
            flash(f"{candidate.full_name} moved to {to_prison.name}. Their employment lead "
                  "there now has their record.", "success")
            return redirect(url_for("prisons.caseload"))
        return render_template("prisons/transfer_check.html", person=candidate, form=form,
                               to_prison=to_prison)
    return render_template("prisons/transfer.html", person=candidate, form=form)


@bp.route("/people/<id:candidate_id>/release", methods=["GET", "POST"])
@roles(Role.PEL)
def release(candidate_id: int):
    """Record release: the date and whether they are on licence, a check page, then the release
    slip with the one-time code they use to take over their account."""
    candidate = _person_or_404(candidate_id)
    form = ReleaseForm()
    if form.validate_on_submit():
        if form.confirmed:
            code = custody.release(candidate, pel=current_user,
                                   released_on=form.released_on.data,
                                   status=CandidateStatus(form.status.data))
            return render_template("prisons/release_slip.html", person=candidate, code=code,
                                   days=custody.CLAIM_DAYS,
                                   claim_url=url_for("auth.claim", _external=True))
        return render_template("prisons/release_check.html", person=candidate, form=form)
    return render_template("prisons/release.html", person=candidate, form=form)


@bp.route("/released")
@roles(Role.PEL)
def released():
    """People this prison released in the last 12 months: their record, to read only."""
    return render_template("prisons/released.html", people=custody.released_people(current_user),
                           months=custody.PEL_READ_MONTHS)


@bp.route("/released/<id:candidate_id>/new-code", methods=["GET", "POST"])
@roles(Role.PEL)
def new_claim_code(candidate_id: int):
    """A lost release slip: a new code for someone this prison released who has not taken
    over their account yet (the old code stops working)."""
    candidate = services.readable_person(current_user, candidate_id)
    if candidate is None or candidate.status is CandidateStatus.IN_CUSTODY \
            or candidate.user_id is not None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirmed:
        code = custody.new_claim_code(candidate, actor=current_user)
        return render_template("prisons/release_slip.html", person=candidate, code=code,
                               days=custody.CLAIM_DAYS,
                               claim_url=url_for("auth.claim", _external=True))
    return render_template("prisons/new_code.html", person=candidate, form=form)


# --- work readiness and nominating several people ----------------------------------------------


@bp.route("/people/<id:candidate_id>/readiness", methods=["GET", "POST"])
@roles(Role.PEL)
def readiness(candidate_id: int):
    """A new dated work-readiness entry; the history below keeps every earlier one."""
    candidate = _person_or_404(candidate_id)
    form = ReadinessForm()
    if form.validate_on_submit():
        custody.record_readiness(candidate, actor=current_user,
                                 level=ReadinessLevel(form.level.data),
                                 support=[SupportNeed(s) for s in form.support.data or []],
                                 note=form.note.data or "")
        flash("Work readiness saved.", "success")
        return redirect(url_for("prisons.person", candidate_id=candidate.id))
    return render_template("prisons/readiness.html", person=candidate, form=form,
                           history=custody.readiness_history(candidate),
                           support_labels={s.value: s.label for s in SupportNeed})


@bp.route("/nominate/<id:opportunity_id>", methods=["GET", "POST"])
@roles(Role.PEL)
def bulk_nominate(opportunity_id: int):
    """Nominate several people for one opportunity in one step. Each is checked against the
    hard constraints; those refused are listed with the plain reason."""
    opportunity = candidate_services.listed_opportunity(opportunity_id)
    if opportunity is None:
        abort(404)
    search = ListSearchForm(request.args, label="Search by name or prison number").search
    choices = services.nominable(current_user, search=search)
    form = BulkNominateForm()
    form.people.choices = [(str(c.id), f"{c.full_name} ({c.prison_number}), release "
                            f"{c.release_date:%d/%m/%Y}") for c in choices]
    if form.validate_on_submit():
        done, refused = services.bulk_nominate(
            current_user, opportunity, [int(i) for i in form.people.data],
            note=form.note.data or "")
        return render_template("prisons/bulk_nominated.html", opportunity=opportunity,
                               done=done, refused=refused)
    return render_template("prisons/bulk_nominate.html", opportunity=opportunity, form=form,
                           search=search, empty=not choices)


# --- Jobpoints --------------------------------------------------------------------------------


@bp.route("/jobpoints", methods=["GET", "POST"])
@roles(Role.PEL)
def jobpoints():
    """This prison's Jobpoint terminals. Setting one up is done on the terminal itself: it gets
    the device cookie, and the PEL is signed out there, so the screen holds no session."""
    form = JobpointForm()
    if form.validate_on_submit():
        device = kiosk.set_up(current_user, label=form.label.data)
        response = make_response(redirect(url_for("kiosk.start")))
        response.set_cookie(kiosk.COOKIE, kiosk.cookie_value(device),
                            max_age=kiosk.COOKIE_DAYS * 24 * 3600, path="/jobpoint",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                            samesite="Lax")
        sessions.sign_out_here()
        return response
    return render_template("prisons/jobpoints.html", form=form,
                           devices=kiosk.devices(current_user))


@bp.route("/jobpoints/<id:device_id>/revoke", methods=["POST"])
@roles(Role.PEL)
def jobpoint_revoke(device_id: int):
    device = kiosk.device_for_pel(current_user, device_id)
    if device is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        kiosk.revoke(device, pel=current_user)
        flash(f"{device.label} no longer shows Jobpoint pages.", "success")
    return redirect(url_for("prisons.jobpoints"))


@bp.route("/jobpoint-requests")
@roles(Role.PEL)
def jobpoint_requests():
    """People who asked about a job at a Jobpoint, oldest first."""
    return render_template("prisons/jobpoint_requests.html",
                           requests=kiosk.requests_for(current_user))


@bp.route("/jobpoint-requests/<id:request_id>/done", methods=["POST"])
@roles(Role.PEL)
def jobpoint_request_done(request_id: int):
    found = kiosk.request_for_pel(current_user, request_id)
    if found is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        kiosk.handle(found, pel=current_user)
        flash("Marked as done.", "success")
    return redirect(url_for("prisons.jobpoint_requests"))


# --- building the profile with the person --------------------------------------------------------


def _profile_page(candidate, *, profile=None, qualification=None, work=None, status=200):
    from marketplace.matching import skills

    profile = profile or PelProfileForm(formdata=None, data={
        "headline": candidate.headline, "skills_text": candidate.skills_text,
        "summary": candidate.summary, "preferred_sectors": candidate.preferred_sectors,
        "preferred_hours": candidate.preferred_hours.value if candidate.preferred_hours else "",
        "max_travel_miles": str(candidate.max_travel_miles),
        "home_district": candidate.home_district})
    return render_template(
        "prisons/profile.html", person=candidate, profile=profile,
        qualification=qualification or QualificationForm(formdata=None,
                                                         prefix="qualification"),
        work=work or WorkForm(formdata=None, prefix="work"),
        preview=custody.card_preview(candidate),
        skill_labels=sorted(s.label for s in skills.vocabulary().values()),
        recognised=skills.labels(candidate.skills or []),
        courses=custody.CUSTODY_COURSES), status


@bp.route("/people/<id:candidate_id>/profile", methods=["GET", "POST"])
@roles(Role.PEL)
def profile(candidate_id: int):
    """Build the profile with the person: skills (suggested from the vocabulary as they type),
    qualifications and courses, work history, preferences and a statement in their words, with
    the anonymised card an employer will see."""
    candidate = _person_or_404(candidate_id)
    if request.method == "GET":
        return _profile_page(candidate)
    form = PelProfileForm()
    if form.validate_on_submit():
        skills_text = form.skills_text.data
        if form.add_skill.data:
            skills_text = f"{skills_text.rstrip().rstrip(',')}, {form.add_skill.data}"
        candidate_services.save_profile(
            candidate, actor=current_user, headline=form.headline.data or "",
            skills_text=skills_text, summary=form.summary.data or "",
            preferred_sectors=form.preferred_sectors.data or [],
            preferred_hours=form.preferred_hours.data or None,
            max_travel_miles=int(form.max_travel_miles.data),
            home_district=form.home_district.data, visible=candidate.visible_to_employers)
        flash("Profile saved. Check the card below with them: it is what employers see.",
              "success")
        return redirect(url_for("prisons.profile", candidate_id=candidate.id) + "#preview")
    return _profile_page(candidate, profile=form)


@bp.route("/people/<id:candidate_id>/profile/qualifications", methods=["POST"])
@roles(Role.PEL)
def profile_qualification(candidate_id: int):
    candidate = _person_or_404(candidate_id)
    form = QualificationForm(prefix="qualification")
    if not form.validate_on_submit():
        return _profile_page(candidate, qualification=form)
    custody.add_qualification(candidate, actor=current_user, name=form.course.data,
                              awarding_body=form.awarding_body.data,
                              achieved_on=form.achieved_on.data,
                              in_custody=bool(form.in_custody.data))
    flash("Qualification added.", "success")
    return redirect(url_for("prisons.profile", candidate_id=candidate.id))


@bp.route("/people/<id:candidate_id>/profile/work", methods=["POST"])
@roles(Role.PEL)
def profile_work(candidate_id: int):
    candidate = _person_or_404(candidate_id)
    form = WorkForm(prefix="work")
    if not form.validate_on_submit():
        return _profile_page(candidate, work=form)
    custody.add_work(candidate, actor=current_user, role=form.job.data,
                     employer=form.employer.data, start_year=form.start_year.data,
                     end_year=form.end_year.data, in_custody=bool(form.in_custody.data),
                     description=form.description.data or "")
    flash("Job added.", "success")
    return redirect(url_for("prisons.profile", candidate_id=candidate.id))


@bp.route("/people/<id:candidate_id>/profile/<any(qualification, work):kind>/<id:item_id>"
          "/remove", methods=["POST"])
@roles(Role.PEL)
def profile_remove(candidate_id: int, kind: str, item_id: int):
    candidate = _person_or_404(candidate_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not custody.remove_profile_item(candidate, actor=current_user, kind=kind,
                                       item_id=item_id):
        abort(404)
    flash("Removed.", "success")
    return redirect(url_for("prisons.profile", candidate_id=candidate.id))
