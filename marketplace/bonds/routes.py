"""Bond pages for employers and administrators, and Stripe's webhook endpoint."""

import stripe
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace import clock, headers
from marketplace.bonds import bp, services, stripe_api
from marketplace.bonds.forms import ButtonForm, CardForm, ChooseCoverForm, ClaimForm, ProductForm
from marketplace.filters import money
from marketplace.permissions import (
    can_manage_application,
    can_manage_bond,
    public,
    require,
    roles,
)
from marketplace.types import BondStatus, Role

S = BondStatus


def _own(bond_id: int):
    found = services.bond(bond_id)
    require(found is not None and can_manage_bond(current_user, found))
    return found


def _product_label(product) -> str:
    return (f"{money(product.cover_pence)} cover for {product.term_months} months from "
            f"{product.provider}: {money(product.premium_pence)}")


# --- employers ------------------------------------------------------------------------------


@bp.route("/employer/bonds")
@roles(Role.EMPLOYER)
def employer_bonds():
    return render_template("bonds/list.html", bonds=services.bonds_of(current_user.organisation_id))


@bp.route("/employer/applications/<id:application_id>/bond", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def choose(application_id: int):
    application = services.application(application_id)
    require(application is not None and can_manage_application(current_user, application))
    offered = [(p, _product_label(p)) for p in services.products()]
    form = ChooseCoverForm(offered=offered)
    if not services.can_buy_cover(application):
        live = services.live_bond(application)
        if live is not None:
            return redirect(url_for("bonds.detail", bond_id=live.id))
        abort(404)
    if form.validate_on_submit():
        chosen = services.product(int(form.product.data))
        try:
            if chosen is None:
                raise services.BondError("Select the cover you want")
            found = services.choose(application, chosen, actor=current_user)
        except services.BondError as error:
            form.product.errors = [*form.product.errors, str(error)]
        else:
            return redirect(url_for("bonds.pay", bond_id=found.id))
    return render_template("bonds/choose.html", form=form, application=application,
                           opportunity=application.opportunity, offered=offered)


@bp.route("/employer/bonds/<id:bond_id>")
@roles(Role.EMPLOYER)
def detail(bond_id: int):
    found = _own(bond_id)
    return render_template("bonds/detail.html", bond=found,
                           title=services.role_title(found),
                           refund_now=(services.refund_due(found, clock.uk_today())
                                       if found.status is S.ACTIVE else None))


@bp.route("/employer/bonds/<id:bond_id>/pay")
@roles(Role.EMPLOYER)
def pay(bond_id: int):
    """The payment page: the only page whose Content-Security-Policy lets Stripe.js in."""
    found = _own(bond_id)
    if found.status not in (S.PENDING_PAYMENT, S.PAYMENT_FAILED):
        return redirect(url_for("bonds.detail", bond_id=found.id))
    return _pay_page(found, CardForm())


def _pay_page(found, card_form):
    card = stripe_api.card_payments_set_up()
    if card:
        headers.allow_payment_origins(stripe_api.browser_origins())
    return render_template(
        "bonds/pay.html", bond=found, title=services.role_title(found), card=card,
        card_form=card_form, invoice_form=ButtonForm(prefix="invoice"),
        retry_form=ButtonForm(prefix="retry"),
        publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
        stripe_js=stripe_api.js_url() if card else None)


@bp.route("/employer/bonds/<id:bond_id>/card", methods=["POST"])
@roles(Role.EMPLOYER)
def card(bond_id: int):
    found = _own(bond_id)
    form = CardForm()
    if not stripe_api.card_payments_set_up():
        abort(404)
    if form.validate_on_submit():
        try:
            result = services.pay_by_card(found.id, form.payment_method.data,
                                          actor=current_user)
        except services.BondError as error:
            form.payment_method.errors = [*form.payment_method.errors, str(error)]
        else:
            if result.outcome == "authenticate":
                return redirect(url_for("bonds.authenticate", bond_id=found.id))
            flash(result.message, "success" if result.outcome != "declined" else "info")
            return redirect(url_for("bonds.detail", bond_id=found.id))
    return _pay_page(found, form)


@bp.route("/employer/bonds/<id:bond_id>/authenticate")
@roles(Role.EMPLOYER)
def authenticate(bond_id: int):
    """The bank's check of a card payment (3-D Secure): Stripe.js confirms the PaymentIntent
    in the browser. Like the payment page, it lets Stripe.js in."""
    found = _own(bond_id)
    secret = services.waiting_for_bank(found.id) if stripe_api.card_payments_set_up() else None
    if secret is None:
        return redirect(url_for("bonds.detail", bond_id=found.id))
    headers.allow_payment_origins(stripe_api.browser_origins())
    return render_template("bonds/authenticate.html", bond=found,
                           title=services.role_title(found), client_secret=secret,
                           publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
                           stripe_js=stripe_api.js_url(), form=ButtonForm(prefix="check"))


@bp.route("/employer/bonds/<id:bond_id>/check", methods=["POST"])
@roles(Role.EMPLOYER)
def check(bond_id: int):
    """After the bank's check: record a failure Stripe reports (success waits for the
    webhook)."""
    found = _own(bond_id)
    if ButtonForm(prefix="check").validate_on_submit() and stripe_api.card_payments_set_up():
        try:
            services.check_payment(found.id, actor=current_user)
        except services.BondError as error:
            flash(str(error), "info")
    return redirect(url_for("bonds.detail", bond_id=found.id))


@bp.route("/employer/bonds/<id:bond_id>/invoice", methods=["POST"])
@roles(Role.EMPLOYER)
def invoice(bond_id: int):
    found = _own(bond_id)
    form = ButtonForm(prefix="invoice")
    if form.validate_on_submit():
        try:
            services.pay_by_invoice(found.id, actor=current_user)
        except services.BondError as error:
            flash(str(error), "info")
        else:
            flash("We will send an invoice. The cover starts when it is paid.", "success")
    return redirect(url_for("bonds.detail", bond_id=found.id))


@bp.route("/employer/bonds/<id:bond_id>/retry", methods=["POST"])
@roles(Role.EMPLOYER)
def retry(bond_id: int):
    found = _own(bond_id)
    form = ButtonForm(prefix="retry")
    if form.validate_on_submit():
        try:
            services.try_again(found.id, actor=current_user)
        except services.BondError as error:
            flash(str(error), "info")
            return redirect(url_for("bonds.detail", bond_id=found.id))
        return redirect(url_for("bonds.pay", bond_id=found.id))
    return redirect(url_for("bonds.detail", bond_id=found.id))


@bp.route("/employer/bonds/<id:bond_id>/cancel", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def cancel(bond_id: int):
    """A check page: what ending the cover today refunds, then the button that does it."""
    found = _own(bond_id)
    if found.status is not S.ACTIVE:
        return redirect(url_for("bonds.detail", bond_id=found.id))
    form = ButtonForm()
    if form.validate_on_submit():
        try:
            services.cancel(found.id, actor=current_user)
        except services.BondError as error:
            form.submit.errors = [*form.submit.errors, str(error)]
        else:
            flash("The cover is cancelled.", "success")
            return redirect(url_for("bonds.detail", bond_id=found.id))
    today = clock.uk_today()
    return render_template("bonds/cancel.html", bond=found, form=form,
                           title=services.role_title(found),
                           months=services.unused_whole_months(found, today),
                           refund=services.refund_due(found, today))


@bp.route("/employer/bonds/<id:bond_id>/claim", methods=["GET", "POST"])
@roles(Role.EMPLOYER)
def claim(bond_id: int):
    found = _own(bond_id)
    if found.status is not S.ACTIVE:
        return redirect(url_for("bonds.detail", bond_id=found.id))
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            services.claim(found.id, loss_on=form.loss_on.data, amount_pence=form.amount.pence,
                           description=form.description.data, actor=current_user)
        except services.BondError as error:
            form.loss_on.errors = [*form.loss_on.errors, str(error)]
        else:
            flash(f"Your claim is recorded. {found.product.provider} will contact you about it.",
                  "success")
            return redirect(url_for("bonds.detail", bond_id=found.id))
    return render_template("bonds/claim.html", bond=found, form=form,
                           title=services.role_title(found))


@bp.route("/employer/bonds/<id:bond_id>/certificate")
@roles(Role.EMPLOYER)
def certificate(bond_id: int):
    found = _own(bond_id)
    if found.starts_on is None:
        abort(404)
    return render_template("bonds/certificate.html", bond=found,
                           title=services.role_title(found))


# --- administrators -------------------------------------------------------------------------


@bp.route("/admin/bonds")
@roles(Role.ADMIN)
def admin_products():
    return render_template("bonds/admin_products.html",
                           products=services.products(include_retired=True),
                           retire_form=ButtonForm(prefix="retire"))


@bp.route("/admin/bonds/products/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def admin_product_new():
    form = ProductForm()
    if form.validate_on_submit():
        services.add_product(provider=form.provider.data, cover_pence=form.cover.pence,
                             term_months=int(form.term_months.data),
                             premium_pence=form.premium.pence, terms=form.terms.data or "",
                             actor=current_user)
        flash("Product added.", "success")
        return redirect(url_for("bonds.admin_products"))
    return render_template("bonds/admin_product_form.html", form=form)


@bp.route("/admin/bonds/products/<id:product_id>/retire", methods=["POST"])
@roles(Role.ADMIN)
def admin_product_retire(product_id: int):
    found = services.product(product_id)
    require(found is not None)
    if ButtonForm(prefix="retire").validate_on_submit():
        services.retire_product(found, actor=current_user)
        flash("Retired. It is no longer offered; bonds already bought keep it.", "success")
    return redirect(url_for("bonds.admin_products"))


@bp.route("/admin/bonds/ledger")
@roles(Role.ADMIN)
def admin_ledger():
    entries = services.ledger()
    return render_template("bonds/admin_ledger.html", entries=entries,
                           totals=services.totals(entries))


@bp.route("/admin/bonds/claims")
@roles(Role.ADMIN)
def admin_claims():
    return render_template("bonds/admin_claims.html", claims=services.claims())


@bp.route("/admin/bonds/invoices")
@roles(Role.ADMIN)
def admin_invoices():
    return render_template("bonds/admin_invoices.html", bonds=services.awaiting_invoice(),
                           form=ButtonForm(prefix="paid"))


@bp.route("/admin/bonds/<id:bond_id>/paid", methods=["POST"])
@roles(Role.ADMIN)
def admin_invoice_paid(bond_id: int):
    found = services.bond(bond_id)
    require(found is not None)
    if ButtonForm(prefix="paid").validate_on_submit():
        try:
            services.mark_invoice_paid(found.id, actor=current_user)
        except services.BondError as error:
            flash(str(error), "info")
        else:
            flash(f"Bond {found.reference} is paid and active.", "success")
    return redirect(url_for("bonds.admin_invoices"))


# --- Stripe ---------------------------------------------------------------------------------


@bp.route("/stripe/webhook", methods=["POST"])
@public
def stripe_webhook():
    """Stripe's events, signed with STRIPE_WEBHOOK_SECRET. Exempt from CSRF (the signature is
    the proof of origin); anything unsigned, wrongly signed, stale or tampered is a 400 and
    changes nothing."""
    if not stripe_api.card_payments_set_up():
        return _plain("Card payments are not set up.", 400)
    try:
        outcome = services.handle_webhook(request.get_data(cache=False),
                                          request.headers.get("Stripe-Signature"))
    except stripe.SignatureVerificationError:
        return _plain("The signature is missing, wrong or too old.", 400)
    except (services.BadEvent, UnicodeDecodeError):
        return _plain("That is not a Stripe event.", 400)
    return _plain(outcome, 200)


def _plain(text: str, status: int):
    return text, status, {"Content-Type": "text/plain; charset=utf-8"}
