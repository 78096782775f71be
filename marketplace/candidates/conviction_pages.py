"""The conviction record pages, shared by the person (/me) and their PEL (/prison): one
implementation, two URL prefixes. Access is checked by the calling view."""

from flask import abort, flash, redirect, render_template

from marketplace.candidates.forms import ConvictionForm
from marketplace.disclosure import records
from marketplace.disclosure.calculator import ORDERS, DisposalKind, OrderEnd
from marketplace.forms import ConfirmForm
from marketplace.models import Candidate, User
from marketplace.types import CheckLevel, OffenceCategory


def _from_form(form: ConvictionForm) -> records.Conviction:
    return records.Conviction(
        offence=form.offence.data, category=OffenceCategory(form.category.data),
        date=form.date.data, under_18=form.under_18.data == "yes",
        disposal=DisposalKind(form.disposal.data), length_months=form.length_months.data,
        end_date=form.end_date.data, specified_offence=form.specified_offence.data,
        schedule_18=form.schedule_18.data, summary_only=form.summary_only.data,
        # Asked of orders only (calculator.ORDERS); ignored for any other sentence.
        order_end=OrderEnd(form.order_end.data)
        if form.order_end.data and DisposalKind(form.disposal.data) in ORDERS else None)


def _to_form(conviction: records.Conviction) -> dict:
    return dict(offence=conviction.offence, category=conviction.category.value,
                date=conviction.date, under_18="yes" if conviction.under_18 else "no",
                disposal=conviction.disposal.value, length_months=conviction.length_months,
                end_date=conviction.end_date, specified_offence=conviction.specified_offence,
                schedule_18=conviction.schedule_18, summary_only=conviction.summary_only,
                order_end=conviction.order_end.value if conviction.order_end else "")


def overview_page(candidate: Candidate, *, own: bool, urls: dict):
    return render_template("candidates/disclosure_overview.html", candidate=candidate, own=own,
                           rows=records.overview(candidate), levels=list(CheckLevel),
                           urls=urls)


def edit_page(candidate: Candidate, actor: User, record_id: int | None, *, own: bool,
              done_url: str):
    record = None
    if record_id is not None:
        record = records.get(candidate, record_id)
        if record is None:
            abort(404)
    form = ConvictionForm(data=_to_form(records.Conviction.from_json(record.payload))
                          if record is not None else None)
    if form.validate_on_submit():
        try:
            if record is None:
                records.add(candidate, _from_form(form), actor=actor)
            else:
                records.update(record, _from_form(form), actor=actor)
        except ValueError as error:
            field, _, message = str(error).partition(": ")
            target = getattr(form, field, None) if message else None
            (target.errors if target is not None else form.offence.errors).append(
                (message or str(error)).capitalize())
        else:
            flash("Saved.", "success")
            return redirect(done_url)
    return render_template("candidates/conviction_form.html", form=form, own=own,
                           editing=record is not None, candidate=candidate, done_url=done_url)


def delete(candidate: Candidate, actor: User, record_id: int, *, own: bool, done_url: str):
    """A page saying what will be deleted, whose button deletes it (it cannot be undone)."""
    record = records.get(candidate, record_id)
    if record is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit() and form.confirmed:
        records.delete(record, actor=actor)
        flash("Deleted.", "success")
        return redirect(done_url)
    return render_template("candidates/conviction_delete.html", form=form, own=own,
                           candidate=candidate,
                           conviction=records.Conviction.from_json(record.payload),
                           done_url=done_url)
