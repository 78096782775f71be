"""`flask privacy retention`: delete the conviction records and disclosure statements of people
who have not used the service for a while (the privacy page states the period)."""

import click
from flask import Flask

from marketplace.extensions import db
from marketplace.privacy import services


def init_app(app: Flask) -> None:
    @app.cli.group("privacy")
    def privacy_group():
        """Data rights: the retention rule for criminal offence data."""

    @privacy_group.command("retention")
    @click.option("--years", type=click.IntRange(1, 20), default=services.RETENTION_YEARS,
                  show_default=True, envvar="CONVICTION_RETENTION_YEARS",
                  help="Delete after this many years with nothing in progress and no activity "
                       "(env CONVICTION_RETENTION_YEARS).")
    @click.option("--apply", "apply_", is_flag=True,
                  help="Delete. Without it, only print what would be deleted.")
    def retention(years: int, apply_: bool):
        """Conviction records and disclosure statements of people with no activity for YEARS
        (their last application ended, or their profile last changed). A dry run unless
        --apply is given."""
        due = services.retention_due(years=years)
        verb = "Deleting" if apply_ else "Would delete"
        for expired in due:
            click.echo(f"{verb} {expired.convictions} conviction record(s)"
                       f"{' and a disclosure statement' if expired.has_statement else ''} "
                       f"of person {expired.candidate.id} (last active {expired.last_active}).")
        if apply_:
            services.apply_retention(due)
            db.session.commit()
            click.echo(f"Deleted the records of {len(due)} people.")
        else:
            click.echo(f"{len(due)} people due. Nothing deleted: run again with --apply.")
