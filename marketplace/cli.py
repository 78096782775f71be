"""Command-line tasks: `flask --app marketplace <command>` or the `marketplace` script."""

import click
from flask import Flask
from flask.cli import FlaskGroup

from marketplace.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.group("reference")
    def reference_group():
        """Reference data: postcode districts and prisons."""

    @reference_group.command("load")
    def reference_load():
        """Load (or refresh) postcode districts and prisons from the bundled CSV files."""
        from marketplace.reference import services

        districts, prisons = services.load()
        db.session.commit()
        click.echo(f"Loaded {districts:,} postcode districts and {prisons} prisons.")

    @app.cli.command("demo")
    @click.option("--seed", default=2026, show_default=True, help="Random seed.")
    def demo(seed: int):
        """Create the demo data set (idempotent) and print the demo sign-ins."""
        from marketplace import demo as demo_data

        demo_data.run(seed=seed, echo=click.echo)


def main() -> None:
    from marketplace import create_app

    FlaskGroup(create_app=create_app)()
