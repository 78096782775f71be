"""`flask bonds expire` (run daily) and `flask bonds reconcile`."""

import click
from flask import Flask

from marketplace.bonds import services, stripe_api
from marketplace.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.group("bonds")
    def bonds_group():
        """Fidelity bonds: expire those past their term, reconcile the ledger with Stripe."""

    @bonds_group.command("expire")
    def expire():
        """Expire active bonds whose last covered day has passed (UK dates). Run it daily."""
        expired = services.expire()
        db.session.commit()
        click.echo(f"Expired {len(expired)} bond{'s' if len(expired) != 1 else ''}"
                   + (": " + ", ".join(b.reference for b in expired) if expired else "."))

    @bonds_group.command("reconcile")
    def reconcile():
        """List differences between the ledger and Stripe's records of bond payments and
        refunds. Exits 1 when there are any."""
        if not stripe_api.card_payments_set_up():
            raise click.ClickException("Card payments are not set up: set STRIPE_SECRET_KEY, "
                                       "STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET.")
        differences = services.reconcile()
        for line in differences:
            click.echo(line)
        if differences:
            raise click.exceptions.Exit(1)
        click.echo("The ledger and Stripe agree.")
