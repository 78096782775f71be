"""The conviction record pages, shared by the person (/me) and their PEL (/prison): one
implementation, two URL prefixes. Access is checked by the calling view.

A conviction is entered the way a court record reads it: its details with a first sentence,
then further sentences one at a time (GOV.UK "add another"). Links between the pages go to
the same blueprint as the page being shown, with the same person in the URL."""

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for

from marketplace.candidates.forms import (
    AnotherSentenceForm,
    ConvictionDetailsForm,
    NewConvictionForm,
    SentenceForm,
)
from marketplace.disclosure import records
from marketplace.disclosure.calculator import ORDERS, DisposalKind, OrderEnd
from marketplace.forms import ConfirmForm
from marketplace.models import Candidate, User
from marketplace.types import CheckLevel, OffenceCategory


def _url(endpoint: str, **values) -> str:
    """A conviction page's URL in the blueprint, and for the person, of the current page."""
    person = {k: v for k, v in (request.view_args or {}).items() if k == "candidate_id"}
    return url_for(f"{request.blueprint}.{endpoint}", **person, **values)


def _details(form: ConvictionDetailsForm) -> dict:
    return dict(offence=form.offence.data,
                categories=tuple(OffenceCategory(c) for c in form.categories.data),
                date=form.date.data, under_18=form.under_18.data == "yes",
                specified_offence=form.specified_offence.data,
                schedule_18=form.schedule_18.data, summary_only=form.summary_only.data)


def _sentence(form: SentenceForm) -> records.Sentence:
    disposal = DisposalKind(form.disposal.data)
    return records.Sentence(
        disposal=disposal, length_months=form.length_months.data, end_date=form.end_date.data,
        sentence_date=form.sentence_date.data,
        # Asked of orders only (calculator.ORDERS); ignored for any other sentence.
        order_end=OrderEnd(form.order_end.data)
        if form.order_end.data and disposal in ORDERS else None)


def _details_data(conviction: records.Conviction) -> dict:
    return dict(offence=conviction.offence, categories=[c.value for c in conviction.categories],
                date=conviction.date, under_18="yes" if conviction.under_18 else "no",
                specified_offence=conviction.specified_offence,
                schedule_18=conviction.schedule_18, summary_only=conviction.summary_only)


def _sentence_data(sentence: records.Sentence) -> dict:
    return dict(disposal=sentence.disposal.value, length_months=sentence.length_months,
                end_date=sentence.end_date, sentence_date=sentence.sentence_date,
                order_end=sentence.order_end.value if sentence.order_end else "")


def _saved(form, save) -> bool:
    """Runs `save`; a ValueError from the records layer ("field: message") is shown on that
    field, or on the form's first field, and nothing is stored."""
    try:
        save()
    except ValueError as error:
        field, _, message = str(error).partition(": ")
        target = getattr(form, field, None) if message else None
        if target is None:
            target = next(iter(form))
        target.errors = [*target.errors, (message or str(error)).capitalize()]
        return False
    return True


def _record(candidate: Candidate, record_id: int):
    record = records.get(candidate, record_id)
    if record is None:
        abort(404)
    return record, records.Conviction.from_json(record.payload)


def overview_page(candidate: Candidate, *, own: bool, urls: dict):
    return render_template("candidates/disclosure_overview.html", candidate=candidate, own=own,
                           rows=records.overview(candidate), levels=list(CheckLevel),
                           urls=urls)


def edit_page(candidate: Candidate, actor: User, record_id: int | None, *, own: bool,
              done_url: str):
    """A new conviction with its first sentence (record_id None), or one conviction's page:
    what it was for, its sentences, and "Do you need to add another sentence?"."""
    if record_id is None:
        form = NewConvictionForm()
        if form.validate_on_submit():
            added = []
            conviction = records.Conviction(**_details(form), sentences=(_sentence(form),))
            if _saved(form, lambda: added.append(records.add(candidate, conviction,
                                                              actor=actor))):
                if conviction.is_caution:
                    flash("Saved.", "success")
                    return redirect(done_url)
                return redirect(_url("conviction_edit", record_id=added[0].id))
        return render_template("candidates/conviction_form.html", form=form, own=own,
                               candidate=candidate, done_url=done_url, new=True)
    record, conviction = _record(candidate, record_id)
    form = AnotherSentenceForm()
    if form.validate_on_submit():
        if form.another.data == "yes":
            return redirect(_url("sentence_new", record_id=record.id))
        flash("Saved.", "success")
        return redirect(done_url)
    return render_template(
        "candidates/conviction.html", form=form, own=own, candidate=candidate,
        conviction=conviction, record=record, done_url=done_url,
        details_url=_url("conviction_details", record_id=record.id),
        delete_url=_url("conviction_delete", record_id=record.id),
        sentence_urls=[(_url("sentence_edit", record_id=record.id, number=n),
                        _url("sentence_delete", record_id=record.id, number=n))
                       for n in range(1, len(conviction.sentences) + 1)])


def details_page(candidate: Candidate, actor: User, record_id: int, *, own: bool):
    record, conviction = _record(candidate, record_id)
    back = _url("conviction_edit", record_id=record.id)
    form = ConvictionDetailsForm(data=_details_data(conviction))
    if form.validate_on_submit() and _saved(form, lambda: records.update(
            record, replace(conviction, **_details(form)), actor=actor)):
        flash("Saved.", "success")
        return redirect(back)
    return render_template("candidates/conviction_form.html", form=form, own=own,
                           candidate=candidate, done_url=back, new=False)


def sentence_page(candidate: Candidate, actor: User, record_id: int, number: int | None, *,
                  own: bool):
    """Add a sentence to a conviction (number None) or change sentence `number` (from 1)."""
    record, conviction = _record(candidate, record_id)
    if number is not None and not 1 <= number <= len(conviction.sentences):
        abort(404)
    index = None if number is None else number - 1
    back = _url("conviction_edit", record_id=record.id)
    form = SentenceForm(data=None if index is None else _sentence_data(
        conviction.sentences[index]))
    if form.validate_on_submit() and _saved(form, lambda: records.update(
            record, conviction.with_sentence(_sentence(form), index), actor=actor)):
        flash("Saved.", "success")
        return redirect(back)
    return render_template("candidates/sentence_form.html", form=form, own=own,
                           candidate=candidate, conviction=conviction, adding=index is None,
                           done_url=back)


def sentence_delete(candidate: Candidate, actor: User, record_id: int, number: int, *,
                    own: bool):
    """A check page for removing one sentence. The last one cannot be removed: a conviction
    has at least one sentence, so the page points to deleting the conviction instead."""
    record, conviction = _record(candidate, record_id)
    if not 1 <= number <= len(conviction.sentences):
        abort(404)
    back = _url("conviction_edit", record_id=record.id)
    only = len(conviction.sentences) == 1
    form = ConfirmForm()
    if not only and form.validate_on_submit() and form.confirmed:
        records.update(record, conviction.without_sentence(number - 1), actor=actor)
        flash("Sentence removed.", "success")
        return redirect(back)
    return render_template("candidates/sentence_delete.html", form=form, own=own,
                           candidate=candidate, conviction=conviction, only=only,
                           sentence=conviction.sentences[number - 1], done_url=back,
                           delete_url=_url("conviction_delete", record_id=record.id))


def delete(candidate: Candidate, actor: User, record_id: int, *, own: bool, done_url: str):
    """A page saying what will be deleted, whose button deletes it (it cannot be undone)."""
    record, conviction = _record(candidate, record_id)
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirmed:
        records.delete(record, actor=actor)
        flash("Deleted.", "success")
        return redirect(done_url)
    return render_template("candidates/conviction_delete.html", form=form, own=own,
                           candidate=candidate, conviction=conviction, done_url=done_url)
