"""Fidelity bonds: products an administrator offers, bonds employers buy for a hire, the money
that moved (the ledger), claims, and the Stripe events already processed.

Every change of state and every sum of money is decided in marketplace/bonds/services.py; these
are only the rows. Amounts are whole pence.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.clock import utc_now
from marketplace.models.accounts import Organisation, User
from marketplace.models.applications import Application
from marketplace.models.base import Base, TimestampMixin, enum_column
from marketplace.types import BondStatus, LedgerKind, PaymentMethod


class BondProduct(TimestampMixin, Base):
    """Cover a provider offers. Retired products are not offered again; bonds keep theirs."""

    __tablename__ = "bond_products"

    provider: Mapped[str] = mapped_column(sa.String(200))
    cover_pence: Mapped[int]
    term_months: Mapped[int]
    premium_pence: Mapped[int]
    terms: Mapped[str] = mapped_column(sa.Text)
    retired_at: Mapped[dt.datetime | None]

    __table_args__ = (
        sa.CheckConstraint("cover_pence > 0", name="cover_positive"),
        sa.CheckConstraint("premium_pence > 0", name="premium_positive"),
        sa.CheckConstraint("term_months BETWEEN 1 AND 60", name="term_in_range"),
    )


class Bond(TimestampMixin, Base):
    """One bond on one hire. The product's price, cover and term are copied when it is chosen,
    so changing or retiring the product later never changes what was bought."""

    __tablename__ = "bonds"

    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("bond_products.id", ondelete="RESTRICT"))
    bought_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[BondStatus] = mapped_column(enum_column(BondStatus), index=True)
    method: Mapped[PaymentMethod | None] = mapped_column(enum_column(PaymentMethod))
    premium_pence: Mapped[int]
    cover_pence: Mapped[int]
    term_months: Mapped[int]
    # Each card payment attempt has its own PaymentIntent (and idempotency key).
    attempt: Mapped[int] = mapped_column(default=0)
    payment_intent_id: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    failure_reason: Mapped[str | None] = mapped_column(sa.Text)
    starts_on: Mapped[dt.date | None]
    ends_on: Mapped[dt.date | None]  # the last day covered
    cancelled_on: Mapped[dt.date | None]
    refund_pence: Mapped[int | None]
    refund_id: Mapped[str | None] = mapped_column(sa.String(255), unique=True)

    application: Mapped[Application] = relationship()
    organisation: Mapped[Organisation] = relationship()
    product: Mapped[BondProduct] = relationship()
    bought_by: Mapped[User] = relationship()
    claims: Mapped[list["BondClaim"]] = relationship(
        back_populates="bond", order_by="(BondClaim.created_at, BondClaim.id)")

    __table_args__ = (
        sa.CheckConstraint("status NOT IN ('active', 'expired', 'claimed', 'cancelling', "
                           "'cancelled') OR method = 'invoice' OR payment_intent_id IS NOT NULL "
                           "OR starts_on IS NULL", name="card_cover_has_payment"),
        sa.CheckConstraint("status <> 'active' OR (starts_on IS NOT NULL AND ends_on IS NOT NULL)",
                           name="active_has_dates"),
        sa.CheckConstraint("status NOT IN ('cancelling', 'cancelled') OR cancelled_on IS NOT NULL "
                           "OR starts_on IS NULL", name="cancelled_has_date"),
        sa.CheckConstraint("refund_pence IS NULL OR refund_pence >= 0", name="refund_not_negative"),
    )


class BondClaim(TimestampMixin, Base):
    """A loss the employer reports against a bond. The provider handles the claim itself."""

    __tablename__ = "bond_claims"

    bond_id: Mapped[int] = mapped_column(sa.ForeignKey("bonds.id", ondelete="RESTRICT"),
                                         index=True)
    loss_on: Mapped[dt.date]
    amount_pence: Mapped[int]
    description: Mapped[str] = mapped_column(sa.Text)
    reported_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    bond: Mapped[Bond] = relationship(back_populates="claims")
    reported_by: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("amount_pence > 0", name="amount_positive"),)


class LedgerEntry(TimestampMixin, Base):
    """Money that moved: a payment confirmed (by Stripe, or an invoice marked paid) or a refund
    confirmed. Written once, never changed. `stripe_id` is the PaymentIntent of a card payment
    or the Refund of a card refund; invoice entries have none."""

    __tablename__ = "bond_ledger"

    bond_id: Mapped[int] = mapped_column(sa.ForeignKey("bonds.id", ondelete="RESTRICT"),
                                         index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[LedgerKind] = mapped_column(enum_column(LedgerKind))
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    amount_pence: Mapped[int]
    stripe_id: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    stripe_charge_id: Mapped[str | None] = mapped_column(sa.String(255))
    at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    bond: Mapped[Bond] = relationship()
    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (
        sa.CheckConstraint("amount_pence > 0", name="amount_positive"),
        sa.CheckConstraint("method = 'invoice' OR stripe_id IS NOT NULL",
                           name="card_has_stripe_id"),
    )


class StripeEvent(Base):
    """A Stripe webhook event already processed. The primary key is Stripe's event id, and the
    row is written in the same transaction as the change the event makes: a second delivery of
    the event, even at the same moment, fails on the key and changes nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(100))
    received_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    outcome: Mapped[str] = mapped_column(sa.String(200))
