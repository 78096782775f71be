"""Fidelity bonds: the one module that owns bond states and money.

A bond's life, and who moves it:

    (employer chooses cover) -> pending_payment
    pending_payment: card -> PaymentIntent created and confirmed with the card Stripe.js
        tokenised; then payment_intent.succeeded -> active,
        or payment_intent.payment_failed (or the card refused at once) -> payment_failed
    payment_failed: try again -> pending_payment (a new attempt, a new PaymentIntent)
    pending_payment or payment_failed: pay by invoice -> awaiting_invoice;
        an administrator marks it paid -> active
    active: cancel -> cancelling (Stripe Refund created); charge.refunded -> cancelled
        (nothing to refund, or paid by invoice: straight to cancelled)
    active: the term ends (`flask bonds expire`) -> expired
    active: the employer reports a loss -> claimed

A bond becomes active only from Stripe's signed webhook (or an administrator's record that an
invoice was paid), never from what the browser says. Webhook events are processed exactly once:
each event's id is inserted, as a primary key, in the same transaction as the change it makes.

Amounts are whole pence (GBP). Every function flushes and never commits: the request (or the
CLI command) commits once, so a change, its ledger row and its audit row are saved together.
"""

import calendar
import datetime as dt
import json
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
import stripe
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from marketplace import audit, clock, jobs, notify
from marketplace.bonds import stripe_api
from marketplace.extensions import db
from marketplace.models import (
    Application,
    Bond,
    BondClaim,
    BondProduct,
    LedgerEntry,
    Opportunity,
    Organisation,
    StripeEvent,
    User,
)
from marketplace.types import ApplicationStatus, BondStatus, LedgerKind, PaymentMethod

log = logging.getLogger(__name__)

S = BondStatus
CURRENCY = "gbp"
# Cover can be bought once the hire is certain (DOMAIN.md: offer confirmed, then started).
HIRED = (ApplicationStatus.OFFER_CONFIRMED, ApplicationStatus.STARTED)
# A bond in one of these stands in the way of choosing another for the same hire.
LIVE = (S.PENDING_PAYMENT, S.AWAITING_INVOICE, S.PAYMENT_FAILED, S.ACTIVE, S.CANCELLING)
MAX_CLAIM_PENCE = 100_000_000  # £1,000,000: far above any cover on offer


class BondError(Exception):
    """A step that cannot be taken now; the message says why, in words for the person."""


class BadEvent(ValueError):
    """A webhook body that is signed but is not a Stripe event we can read."""


# --- money ----------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (the month's last day where it is shorter:
    31 January + 1 month is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cover_dates(starts_on: dt.date, term_months: int) -> tuple[dt.date, dt.date]:
    """First and last day covered: a 12-month bond from 5 March covers to 4 March next year."""
    return starts_on, add_months(starts_on, term_months) - dt.timedelta(days=1)


def unused_whole_months(bond: Bond, on: dt.date) -> int:
    """Whole calendar months of cover left after `on`, the day cover is cancelled: the most n
    with `on` + n months no later than the day after the last day covered."""
    if bond.starts_on is None or bond.ends_on is None:
        return 0
    on = max(on, bond.starts_on)
    end = bond.ends_on + dt.timedelta(days=1)
    months = 0
    while months < bond.term_months and add_months(on, months + 1) <= end:
        months += 1
    return months


def refund_due(bond: Bond, on: dt.date) -> int:
    """The premium for the unused whole months, pro rata, rounded down to the penny."""
    return bond.premium_pence * unused_whole_months(bond, on) // bond.term_months


# --- reading -------------------------------------------------------------------------------


def products(*, include_retired: bool = False) -> list[BondProduct]:
    query = sa.select(BondProduct)
    if not include_retired:
        query = query.where(BondProduct.retired_at.is_(None))
    return list(db.session.scalars(query.order_by(BondProduct.premium_pence, BondProduct.id)))


def product(product_id: int) -> BondProduct | None:
    return db.session.get(BondProduct, product_id)


def application(application_id: int) -> Application | None:
    return db.session.get(Application, application_id)


def bond(bond_id: int) -> Bond | None:
    return db.session.get(Bond, bond_id)


def bonds_for_application(application: Application) -> list[Bond]:
    return list(db.session.scalars(
        sa.select(Bond).where(Bond.application_id == application.id)
        .order_by(Bond.created_at.desc(), Bond.id.desc())))


def live_bond(application: Application) -> Bond | None:
    return db.session.scalar(
        sa.select(Bond).where(Bond.application_id == application.id, Bond.status.in_(LIVE))
        .order_by(Bond.id.desc()).limit(1))


def bonds_of(organisation_id: int) -> list[Bond]:
    return list(db.session.scalars(
        sa.select(Bond).where(Bond.organisation_id == organisation_id)
        .options(joinedload(Bond.application).joinedload(Application.opportunity))
        .order_by(Bond.created_at.desc(), Bond.id.desc())))


def can_buy_cover(application: Application) -> bool:
    """A bond-backed role, a confirmed offer or a started placement, and no bond already
    under way for the hire."""
    return (application.opportunity.bond_backed and application.status in HIRED
            and live_bond(application) is None)


def cover_note(application: Application) -> str | None:
    """What the person hired may know: "active" while their job is covered, "claimed" once a
    claim was made against it. Never the claim's details, the price or the employer's other
    bonds."""
    statuses = set(db.session.scalars(
        sa.select(Bond.status).where(Bond.application_id == application.id)))
    if S.CLAIMED in statuses:
        return "claimed"
    if S.ACTIVE in statuses:
        return "active"
    return None


def awaiting_invoice() -> list[Bond]:
    return list(db.session.scalars(
        sa.select(Bond).where(Bond.status == S.AWAITING_INVOICE)
        .options(joinedload(Bond.organisation), joinedload(Bond.product))
        .order_by(Bond.created_at, Bond.id)))


def claims() -> list[BondClaim]:
    return list(db.session.scalars(
        sa.select(BondClaim)
        .options(joinedload(BondClaim.bond).joinedload(Bond.organisation),
                 joinedload(BondClaim.bond).joinedload(Bond.product))
        .order_by(BondClaim.created_at.desc(), BondClaim.id.desc())))


def ledger() -> list[LedgerEntry]:
    return list(db.session.scalars(
        sa.select(LedgerEntry).options(joinedload(LedgerEntry.organisation),
                                       joinedload(LedgerEntry.bond))
        .order_by(LedgerEntry.at.desc(), LedgerEntry.id.desc())))


@dataclass(frozen=True)
class Total:
    organisation: str
    month: str  # "2026-11"
    paid_pence: int
    refunded_pence: int

    @property
    def net_pence(self) -> int:
        return self.paid_pence - self.refunded_pence


def totals(entries: list[LedgerEntry]) -> list[Total]:
    """Payments and refunds per employer and UK calendar month, newest month first."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for entry in entries:
        month = clock.uk_date(entry.at).strftime("%Y-%m")
        sums[(entry.organisation.name, month)][entry.kind is LedgerKind.REFUND] += \
            entry.amount_pence
    rows = [Total(org, month, paid, refunded) for (org, month), (paid, refunded) in sums.items()]
    return sorted(rows, key=lambda t: (t.month, t.organisation), reverse=True)


# --- products (administrators) --------------------------------------------------------------


def add_product(*, provider: str, cover_pence: int, term_months: int, premium_pence: int,
                terms: str, actor: User | None) -> BondProduct:
    found = BondProduct(provider=provider, cover_pence=cover_pence, term_months=term_months,
                        premium_pence=premium_pence, terms=terms)
    db.session.add(found)
    db.session.flush()
    audit.record("bond_product.added", actor=actor, subject=found)
    return found


def retire_product(found: BondProduct, *, actor: User | None) -> None:
    if found.retired_at is None:
        found.retired_at = clock.utc_now()
        audit.record("bond_product.retired", actor=actor, subject=found)
        db.session.flush()


# --- buying cover ---------------------------------------------------------------------------


def _locked(bond_id: int) -> Bond:
    """The bond, re-read under a row lock (PostgreSQL; SQLite's writers already take turns):
    a webhook and an employer's click on the same bond happen one after the other."""
    found = db.session.scalar(sa.select(Bond).where(Bond.id == bond_id).with_for_update()
                              .execution_options(populate_existing=True))
    if found is None:
        raise BondError("This bond no longer exists.")
    return found


def choose(application: Application, chosen: BondProduct, *, actor: User) -> Bond:
    """The employer picks cover for a hire: a bond waiting for payment."""
    db.session.scalar(sa.select(Application.id).where(Application.id == application.id)
                      .with_for_update())
    if chosen.retired_at is not None:
        raise BondError("That cover is no longer offered. Choose another.")
    if not application.opportunity.bond_backed:
        raise BondError("This role is not backed by a fidelity bond.")
    if application.status not in HIRED:
        raise BondError("You can buy cover once the offer is confirmed.")
    if live_bond(application) is not None:
        raise BondError("This hire already has a bond.")
    found = Bond(reference=_new_reference(), application_id=application.id,
                 organisation_id=application.opportunity.organisation_id, product_id=chosen.id,
                 bought_by_id=actor.id, status=S.PENDING_PAYMENT,
                 premium_pence=chosen.premium_pence, cover_pence=chosen.cover_pence,
                 term_months=chosen.term_months)
    db.session.add(found)
    db.session.flush()
    audit.record("bond.chosen", actor=actor, subject=found, premium_pence=found.premium_pence)
    return found


def _new_reference() -> str:
    # Unambiguous letters and digits (no 0/O, 1/I): it is read out on the phone to a provider.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "FB-" + "".join(secrets.choice(alphabet) for _ in range(8))


def idempotency_key(found: Bond, purpose: str) -> str:
    """One key per bond, attempt and purpose: a double submit or a network retry of the same
    step reaches Stripe with the same key, and Stripe answers it without charging again."""
    return f"bond-{found.id}-{found.reference}-{purpose}-{found.attempt}"


@dataclass(frozen=True)
class CardResult:
    outcome: str  # "processing", "declined" or "authenticate"
    message: str
    client_secret: str | None = None


def pay_by_card(bond_id: int, payment_method: str, *, actor: User) -> CardResult:
    """Create and confirm this attempt's PaymentIntent with the card the browser tokenised.

    The bond stays pending_payment whatever the answer: only the signed webhook activates it.
    A refusal is recorded at once (the webhook that follows changes nothing more), so the
    employer sees the reason on the next page. The bond row stays locked while Stripe is called,
    so a second submit waits and then finds the payment already made."""
    found = _locked(bond_id)
    if found.status is not S.PENDING_PAYMENT:
        raise BondError(f"This bond is {found.status.label.lower()}: there is nothing to pay.")
    if found.payment_intent_id is not None:
        raise BondError("This payment has already been sent. Wait for it to be confirmed.")
    if not (payment_method.startswith(("pm_", "card_", "src_")) and len(payment_method) <= 255):
        raise BondError("Enter your card details")
    application = found.application
    try:
        intent = stripe_api.client().v1.payment_intents.create(
            params={
                "amount": found.premium_pence, "currency": CURRENCY,
                "payment_method": payment_method, "confirm": True,
                "metadata": {"bond_id": str(found.id), "bond_reference": found.reference,
                             "attempt": str(found.attempt),
                             "application_id": str(application.id),
                             "organisation_id": str(found.organisation_id)},
            },
            options={"idempotency_key": idempotency_key(found, "payment")})
    except stripe.CardError as error:
        _fail(found, error.user_message or "Your card was declined.")
        audit.record("bond.card_declined", actor=actor, subject=found)
        return CardResult("declined", found.failure_reason)
    except stripe.StripeError as error:
        log.warning("Stripe refused or could not be reached for bond %s: %s", found.id, error)
        raise BondError("The card payment service did not answer. Nothing has been charged "
                        "that we know of. Try again in a few minutes.") from None
    found.payment_intent_id = intent.id
    found.method = PaymentMethod.CARD
    db.session.flush()
    audit.record("bond.card_submitted", actor=actor, subject=found, payment_intent=intent.id)
    if intent.status == "requires_action":
        return CardResult("authenticate", "Your bank needs you to confirm this payment.",
                          intent.client_secret)
    return CardResult("processing", "Thank you. Your payment is being confirmed. The cover "
                                    "starts as soon as Stripe confirms it.")


def waiting_for_bank(bond_id: int) -> str | None:
    """The PaymentIntent's client secret when the card's bank must check the payment first
    (3-D Secure): Stripe.js on the employer's page confirms it. None otherwise."""
    found = bond(bond_id)
    if found is None or found.status is not S.PENDING_PAYMENT or not found.payment_intent_id:
        return None
    intent = stripe_api.client().v1.payment_intents.retrieve(found.payment_intent_id)
    return intent.client_secret if intent.status == "requires_action" else None


def check_payment(bond_id: int, *, actor: User) -> Bond:
    """Ask Stripe how this bond's payment stands (after the bank's check in the browser) and
    record a failure Stripe reports, with its reason. It never makes cover active: only the
    signed webhook does that."""
    found = _locked(bond_id)
    if found.status is not S.PENDING_PAYMENT or not found.payment_intent_id:
        return found
    try:
        intent = stripe_api.client().v1.payment_intents.retrieve(found.payment_intent_id)
    except stripe.StripeError as error:
        log.warning("Could not read PaymentIntent of bond %s: %s", found.id, error)
        raise BondError("The card payment service did not answer. Try again in a few "
                        "minutes.") from None
    if intent.status in ("requires_payment_method", "canceled"):
        error = intent.last_payment_error
        _fail(found, (error.message if error else None) or "The payment was not completed.")
        audit.record("bond.payment_failed", actor=actor, subject=found)
    return found


def _fail(found: Bond, reason: str) -> None:
    if found.status is S.PENDING_PAYMENT:
        found.status = S.PAYMENT_FAILED
        found.failure_reason = reason[:500]
        db.session.flush()
        notify.bond_payment_failed(found, role_title(found))


def try_again(bond_id: int, *, actor: User) -> Bond:
    """After a refused card: a new attempt, with its own PaymentIntent and idempotency key."""
    found = _locked(bond_id)
    if found.status is not S.PAYMENT_FAILED:
        raise BondError("This payment has not failed.")
    found.status = S.PENDING_PAYMENT
    found.attempt += 1
    found.payment_intent_id = None
    found.failure_reason = None
    db.session.flush()
    audit.record("bond.payment_retried", actor=actor, subject=found)
    return found


def pay_by_invoice(bond_id: int, *, actor: User) -> Bond:
    found = _locked(bond_id)
    if found.status not in (S.PENDING_PAYMENT, S.PAYMENT_FAILED):
        raise BondError(f"This bond is {found.status.label.lower()}: there is nothing to pay.")
    if found.payment_intent_id is not None:
        raise BondError("A card payment for this bond is being confirmed.")
    found.status = S.AWAITING_INVOICE
    found.method = PaymentMethod.INVOICE
    found.failure_reason = None
    db.session.flush()
    audit.record("bond.invoice_requested", actor=actor, subject=found)
    return found


def mark_invoice_paid(bond_id: int, *, actor: User) -> Bond:
    """An administrator records that the invoice was paid: the cover starts today."""
    found = _locked(bond_id)
    if found.status is not S.AWAITING_INVOICE:
        raise BondError("This bond is not waiting for an invoice to be paid.")
    _activate(found, LedgerEntry(kind=LedgerKind.PAYMENT, method=PaymentMethod.INVOICE,
                                 amount_pence=found.premium_pence))
    audit.record("bond.invoice_paid", actor=actor, subject=found)
    return found


def _activate(found: Bond, entry: LedgerEntry) -> None:
    found.status = S.ACTIVE
    found.starts_on, found.ends_on = cover_dates(clock.uk_today(), found.term_months)
    found.failure_reason = None
    entry.bond_id, entry.organisation_id = found.id, found.organisation_id
    db.session.add(entry)
    db.session.flush()
    notify.bond_activated(found, role_title(found))


# --- after payment --------------------------------------------------------------------------


def cancel(bond_id: int, *, actor: User) -> Bond:
    """End cover today and refund the unused whole months. A card refund is asked of Stripe
    and the bond is cancelled when Stripe's charge.refunded event confirms it; an invoice
    refund (a credit note) is recorded at once; with nothing to refund it ends at once."""
    found = _locked(bond_id)
    if found.status is not S.ACTIVE:
        raise BondError(f"Only active cover can be cancelled. This bond is "
                        f"{found.status.label.lower()}.")
    today = clock.uk_today()
    amount = refund_due(found, today)
    found.cancelled_on, found.refund_pence = today, amount
    if amount and found.method is PaymentMethod.CARD:
        try:
            refund = stripe_api.client().v1.refunds.create(
                params={"payment_intent": found.payment_intent_id, "amount": amount,
                        "metadata": {"bond_id": str(found.id),
                                     "bond_reference": found.reference}},
                options={"idempotency_key": idempotency_key(found, "refund")})
        except stripe.StripeError as error:
            log.warning("Stripe refused the refund for bond %s: %s", found.id, error)
            raise BondError("The card payment service did not accept the refund, so the cover "
                            "has not been cancelled. Try again in a few minutes.") from None
        found.refund_id = refund.id
        found.status = S.CANCELLING
    else:
        if amount:
            db.session.add(LedgerEntry(bond_id=found.id, organisation_id=found.organisation_id,
                                       kind=LedgerKind.REFUND, method=PaymentMethod.INVOICE,
                                       amount_pence=amount))
        found.status = S.CANCELLED
    db.session.flush()
    audit.record("bond.cancelled", actor=actor, subject=found, refund_pence=amount)
    return found


def claim(bond_id: int, *, loss_on: dt.date, amount_pence: int, description: str,
          actor: User) -> BondClaim:
    found = _locked(bond_id)
    if found.status is not S.ACTIVE:
        raise BondError("You can only report a loss against active cover.")
    if not (found.starts_on <= loss_on <= min(found.ends_on, clock.uk_today())):
        raise BondError("The date of the loss must be while the cover was active, and not in "
                        "the future")
    if not 0 < amount_pence <= MAX_CLAIM_PENCE:
        raise BondError("Enter the amount lost")
    made = BondClaim(bond_id=found.id, loss_on=loss_on, amount_pence=amount_pence,
                     description=description, reported_by_id=actor.id)
    db.session.add(made)
    found.status = S.CLAIMED
    db.session.flush()
    audit.record("bond.claimed", actor=actor, subject=found, amount_pence=amount_pence)
    return made


def expire(today: dt.date | None = None) -> list[Bond]:
    """Active bonds whose last covered day has passed become expired (`flask bonds expire`,
    daily)."""
    today = today or clock.uk_today()
    due = list(db.session.scalars(
        sa.select(Bond).where(Bond.status == S.ACTIVE, Bond.ends_on < today)
        .with_for_update().order_by(Bond.id)))
    for found in due:
        found.status = S.EXPIRED
        audit.record("bond.expired", actor=None, subject=found)
    db.session.flush()
    return due


@jobs.daily
def expire_daily() -> int:
    """The daily job (`flask jobs daily`, or `flask bonds expire`): expire bonds past their
    term. A job is its own unit of work, so it commits, whether a worker runs it or
    `flask jobs daily` runs it at once (without Redis)."""
    expired = expire()
    db.session.commit()
    return len(expired)


# --- the webhook ----------------------------------------------------------------------------


def handle_webhook(payload: bytes, signature: str | None) -> str:
    """Verify, record and apply one Stripe event; returns what happened, for the log.

    Raises stripe.SignatureVerificationError (unsigned, wrongly signed, stale or tampered) or
    BadEvent (signed, but not an event): the caller answers 400 and nothing is stored.
    An event already processed raises nothing and changes nothing."""
    text = payload.decode("utf-8", errors="strict") if payload else ""
    stripe_api.verify_signature(text, signature)
    try:
        event = json.loads(text)
        event_id, kind, obj = event["id"], event["type"], event["data"]["object"]
    except (ValueError, KeyError, TypeError):
        raise BadEvent("Not a Stripe event") from None
    if not (isinstance(event_id, str) and isinstance(kind, str) and isinstance(obj, dict)
            and 0 < len(event_id) <= 255 and len(kind) <= 100):
        raise BadEvent("Not a Stripe event")
    record = StripeEvent(id=event_id, type=kind, outcome="received")
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        # Another delivery of this event got here first (perhaps at this very moment, and it
        # committed while we waited on its key): it made the change.
        return f"{event_id} already processed"
    handler = _HANDLERS.get(kind)
    outcome = handler(obj) if handler else "ignored: not an event bonds use"
    record.outcome = outcome[:200]
    db.session.flush()
    log.info("Stripe event %s (%s): %s", event_id, kind, outcome)
    return outcome


def _bond_of_intent(intent: dict) -> tuple[Bond | None, int | None]:
    metadata = intent.get("metadata") or {}
    try:
        bond_id, attempt = int(metadata["bond_id"]), int(metadata["attempt"])
    except (KeyError, TypeError, ValueError):
        return None, None
    if db.session.get(Bond, bond_id) is None:
        return None, None
    return _locked(bond_id), attempt


def _on_payment_succeeded(intent: dict) -> str:
    found, attempt = _bond_of_intent(intent)
    if found is None:
        return "ignored: not a bond payment"
    if intent.get("amount") != found.premium_pence or intent.get("currency") != CURRENCY:
        log.error("Bond %s: Stripe says %s %s was paid, the premium is %s pence", found.id,
                  intent.get("amount"), intent.get("currency"), found.premium_pence)
        return "ignored: the amount is not the premium"
    if attempt != found.attempt or found.status not in (S.PENDING_PAYMENT, S.PAYMENT_FAILED):
        log.error("Bond %s (%s, attempt %s) was paid by %s for attempt %s", found.id,
                  found.status, found.attempt, intent.get("id"), attempt)
        return "ignored: the bond is not waiting for this payment"
    charge = intent.get("latest_charge")
    charge_id = charge.get("id") if isinstance(charge, dict) else charge
    found.payment_intent_id = intent["id"]
    found.method = PaymentMethod.CARD
    _activate(found, LedgerEntry(kind=LedgerKind.PAYMENT, method=PaymentMethod.CARD,
                                 amount_pence=intent["amount"], stripe_id=intent["id"],
                                 stripe_charge_id=charge_id))
    audit.record("bond.activated", actor=None, subject=found, payment_intent=intent["id"])
    return f"bond {found.id} active"


def _on_payment_failed(intent: dict) -> str:
    found, attempt = _bond_of_intent(intent)
    if found is None:
        return "ignored: not a bond payment"
    if attempt != found.attempt or found.status is not S.PENDING_PAYMENT:
        return f"no change: bond {found.id} is {found.status.value}"
    error = intent.get("last_payment_error") or {}
    _fail(found, error.get("message") or "Your card was declined.")
    audit.record("bond.payment_failed", actor=None, subject=found)
    return f"bond {found.id} payment failed"


def _on_charge_refunded(charge: dict) -> str:
    intent_id = charge.get("payment_intent")
    if not isinstance(intent_id, str):
        return "ignored: not a bond payment"
    bond_id = db.session.scalar(sa.select(Bond.id).where(Bond.payment_intent_id == intent_id))
    if bond_id is None:
        return "ignored: not a bond payment"
    found = _locked(bond_id)
    if found.status is not S.CANCELLING or found.refund_id is None:
        return f"no change: bond {found.id} is {found.status.value}"
    # Ask Stripe for the refund itself: what matters is that our refund succeeded, for the
    # amount we asked (a charge's refund list is not in every API version's event).
    refund = stripe_api.client().v1.refunds.retrieve(found.refund_id)
    if refund.status != "succeeded":
        return f"no change: refund {refund.id} is {refund.status}"
    _confirm_refund(found, refund.id, refund.amount, charge.get("id"))
    return f"bond {found.id} cancelled"


def _confirm_refund(found: Bond, refund_id: str, amount: int, charge_id: str | None) -> None:
    db.session.add(LedgerEntry(bond_id=found.id, organisation_id=found.organisation_id,
                               kind=LedgerKind.REFUND, method=PaymentMethod.CARD,
                               amount_pence=amount, stripe_id=refund_id,
                               stripe_charge_id=charge_id))
    found.status = S.CANCELLED
    db.session.flush()
    audit.record("bond.refunded", actor=None, subject=found, refund=refund_id)


_HANDLERS = {
    "payment_intent.succeeded": _on_payment_succeeded,
    "payment_intent.payment_failed": _on_payment_failed,
    "charge.refunded": _on_charge_refunded,
}


# --- reconciliation -------------------------------------------------------------------------


def reconcile() -> list[str]:
    """Differences between the ledger and Stripe's own records of bond payments and refunds,
    one line each; an empty list when they agree (`flask bonds reconcile`).

    Stripe's side: every succeeded PaymentIntent whose metadata names a bond, and every refund
    of those. Ours: every card entry in the ledger. A difference is a payment or refund on one
    side only, or the same one with different amounts."""
    client = stripe_api.client()
    theirs: dict[str, tuple[str, int]] = {}
    intents = client.v1.payment_intents.list(params={"limit": 100})
    for intent in intents.auto_paging_iter():
        metadata = intent.metadata.to_dict() if intent.metadata else {}
        if intent.status != "succeeded" or "bond_id" not in metadata:
            continue
        theirs[intent.id] = (f"payment for bond {metadata['bond_id']}", intent.amount)
        refunds = client.v1.refunds.list(params={"payment_intent": intent.id, "limit": 100})
        for refund in refunds.auto_paging_iter():
            if refund.status == "succeeded":
                theirs[refund.id] = (f"refund for bond {metadata['bond_id']}", refund.amount)
    ours = {entry.stripe_id: entry for entry in db.session.scalars(
        sa.select(LedgerEntry).where(LedgerEntry.method == PaymentMethod.CARD)
        .order_by(LedgerEntry.id))}
    differences = []
    for stripe_id, (what, amount) in sorted(theirs.items()):
        entry = ours.get(stripe_id)
        if entry is None:
            differences.append(f"{stripe_id}: Stripe has a {what} of {_pounds(amount)}, "
                               "the ledger has nothing")
        elif entry.amount_pence != amount:
            differences.append(f"{stripe_id}: Stripe has a {what} of {_pounds(amount)}, the "
                               f"ledger {_pounds(entry.amount_pence)}")
    for stripe_id, entry in ours.items():
        if stripe_id not in theirs:
            differences.append(f"{stripe_id}: the ledger has a {entry.kind.value} of "
                               f"{_pounds(entry.amount_pence)} for bond {entry.bond_id}, "
                               "Stripe has no such succeeded one")
    return differences


def _pounds(pence: int) -> str:
    pounds, rest = divmod(pence, 100)
    return f"£{pounds:,}.{rest:02d}"


# --- for the employer's pages ---------------------------------------------------------------


def employer_bonds(organisation: Organisation) -> list[Bond]:
    return bonds_of(organisation.id)


def role_title(found: Bond) -> str:
    opportunity: Opportunity = found.application.opportunity
    return opportunity.title
