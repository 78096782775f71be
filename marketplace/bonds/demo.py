"""Fidelity bonds in the demo data (`flask demo`): products, and bonds in several states, all
paid by invoice so that the demo needs no Stripe (and `flask bonds reconcile` against a fresh
localstripe has nothing of the demo's to disagree about). At least one of the featured
employer's bond-backed hires is left without cover, for buying it in the demo.

Everything goes through services.py, with the clock set to the day each step happened."""

import datetime as dt

import sqlalchemy as sa

from marketplace import clock
from marketplace.bonds import services
from marketplace.extensions import db
from marketplace.models import Application, Opportunity, User
from marketplace.types import Role

PROVIDER = "Second Chance Bonds Trust (underwritten by Mercia Mutual)"
TERMS = ("Covers the employer against loss of money, goods or property caused by a dishonest "
         "act of the employee named to the role, up to the cover, during the term. Report a "
         "loss within 30 days of finding it. The first £100 of each claim is not covered.")
PRODUCTS = [(500_000, 12, 9_500), (1_000_000, 12, 15_000), (2_500_000, 12, 29_000)]
RETIRED = (500_000, 6, 6_000)


def build(*, featured_employer: str) -> int:
    """Add the products and bonds; returns how many bonds were made."""
    admin = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN).order_by(User.id))
    made = [services.add_product(provider=PROVIDER, cover_pence=cover, term_months=term,
                                 premium_pence=premium, terms=TERMS, actor=admin)
            for cover, term, premium in PRODUCTS]
    retired = services.add_product(provider=PROVIDER, cover_pence=RETIRED[0],
                                   term_months=RETIRED[1], premium_pence=RETIRED[2],
                                   terms=TERMS, actor=admin)
    services.retire_product(retired, actor=admin)
    featured = db.session.scalar(sa.select(User).where(User.email == featured_employer))
    hires = list(db.session.scalars(
        sa.select(Application).join(Opportunity)
        .where(Opportunity.bond_backed, Application.status.in_(services.HIRED))
        .order_by(Application.id)))
    ours = [h for h in hires if featured and h.opportunity.organisation_id
            == featured.organisation_id]
    theirs = [h for h in hires if h not in ours]
    today = clock.uk_today()
    plans = [("active", made[1], 60), ("expired", made[0], 400)]
    # The featured employer's first hires get these; the others' the rest. One of the featured
    # employer's is always left uncovered when they have three or more.
    assigned = list(zip(ours[:2], plans, strict=False))
    others = [("cancelled", made[0], 150), ("awaiting_invoice", made[2], 3),
              ("claimed", made[1], 90), ("active", made[2], 20)]
    assigned += list(zip(theirs, others, strict=False))
    count = 0
    for application, (state, product, days_ago) in assigned:
        employer = _employer_of(application)
        if employer is None:
            continue
        _bond(application, product, state, today - dt.timedelta(days=days_ago), employer, admin)
        count += 1
    services.expire(today)
    db.session.flush()
    return count


def _employer_of(application: Application) -> User | None:
    return db.session.scalar(sa.select(User).where(
        User.role == Role.EMPLOYER,
        User.organisation_id == application.opportunity.organisation_id).order_by(User.id))


def _bond(application, product, state: str, bought_on: dt.date, employer: User, admin: User):
    with clock.frozen(bought_on):
        found = services.choose(application, product, actor=employer)
        services.pay_by_invoice(found.id, actor=employer)
        if state == "awaiting_invoice":
            return
        services.mark_invoice_paid(found.id, actor=admin)
    if state == "cancelled":
        with clock.frozen(bought_on + dt.timedelta(days=100)):
            services.cancel(found.id, actor=employer)
    elif state == "claimed":
        with clock.frozen(bought_on + dt.timedelta(days=45)):
            services.claim(found.id, loss_on=bought_on + dt.timedelta(days=40),
                           amount_pence=42_000, actor=employer,
                           description="Takings from two evening shifts were not banked.")
