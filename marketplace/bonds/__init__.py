"""Fidelity bonds: employers buy cover for a bond-backed hire and pay through Stripe (or by
invoice); administrators keep the products, the ledger, invoices and claims; Stripe's signed
webhook is the only thing that makes card-paid cover active.

All states and money are in services.py; routes.py has the pages and the webhook endpoint,
the one route in the app that is exempt from CSRF protection (Stripe signs it instead)."""

from flask import Blueprint

from marketplace.extensions import csrf

bp = Blueprint("bonds", __name__)

WEBHOOK_VIEW = "marketplace.bonds.routes.stripe_webhook"
csrf.exempt(WEBHOOK_VIEW)


@bp.app_context_processor
def bond_helpers():
    """For other areas' templates: whether a hire can have cover bought, its bond, and what the
    person hired may be told. (Templates ask; no area's Python imports this one.)"""
    from marketplace.bonds import services

    return {"bond_can_buy_cover": services.can_buy_cover,
            "bond_live": services.live_bond,
            "bond_cover_note": services.cover_note}


from marketplace.bonds import routes  # noqa: E402,F401
