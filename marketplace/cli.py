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
    @click.option("--scale", type=int, default=None, metavar="N",
                  help="Also add N candidates and N/5 opportunities (with organisations, "
                       "applications, nominations and convictions) for measuring at scale. Their "
                       "search index entries get random unit vectors, not embeddings. Refused "
                       "when scaled data is already loaded.")
    def demo(seed: int, scale: int | None):
        """Create the demo data set (idempotent) and print the demo sign-ins."""
        from marketplace import demo as demo_data

        if app.config["ENV"] == "production":
            # Demo accounts share one published password: in production they are a way in.
            raise click.ClickException(
                "The demo data is not for production: its accounts share a published password. "
                "Unset MARKETPLACE_ENV=production to load it into a development database.")
        demo_data.run(seed=seed, echo=click.echo)
        if scale is not None:
            from marketplace import demo_scale

            click.echo(f"Adding {scale:,} candidates and {scale // 5:,} opportunities; the "
                       "search indices get random unit vectors for them, not embeddings.")
            try:
                made = demo_scale.run(scale, seed=seed, echo=click.echo)
            except demo_scale.ScaleError as error:
                raise click.ClickException(str(error)) from error
            click.echo(f"Added {made.candidates:,} candidates, {made.opportunities:,} "
                       f"opportunities, {made.organisations:,} organisations, {made.users:,} "
                       f"accounts, {made.applications:,} applications and {made.convictions:,} "
                       f"conviction records in {made.seconds} s.")

    init_index_commands(app)
    from marketplace.bonds import commands as bond_commands

    bond_commands.init_app(app)
    from marketplace.privacy import commands as privacy_commands

    privacy_commands.init_app(app)


def main() -> None:
    from marketplace import create_app

    FlaskGroup(create_app=create_app)()


def init_index_commands(app: Flask) -> None:
    @app.cli.group("index")
    def index_group():
        """The search indices: rebuild, status and retry."""

    @index_group.command("rebuild")
    def index_rebuild():
        """Embed every opportunity and candidate (reusing cached vectors) and swap in fresh
        indices. Safe to run again after a crash: finished batches are not embedded twice."""
        search = app.extensions["search"]
        bars: dict[str, object] = {}

        def progress(name: str, done: int, total: int) -> None:
            bar = bars.get(name)
            if bar is None:
                bar = bars[name] = click.progressbar(length=max(total, 1),
                                                     label=f"Embedding {name}")
                bar.__enter__()
            bar.update(done - bar.pos)
            if done >= total:
                bar.__exit__(None, None, None)

        result = search.rebuild(progress)
        for name in ("opportunities", "candidates"):
            counts = result[name]
            click.echo(f"{name}: {counts['documents']:,} documents "
                       f"({counts['embedded']:,} embedded, {counts['reused']:,} reused)")
        click.echo(f"Done in {result['seconds']} s.")

    @index_group.command("status")
    def index_status():
        """Documents, model (loaded here, with how long it took), last build, how many are
        stale and how many failed to update."""
        search = app.extensions["search"]
        report = search.status()
        click.echo(f"Back end: {report['backend']}. Model: {report['model']}.")
        # Loading it here proves it loads, and says how long a server's start spends on it.
        seconds = search.preload()
        preload = ("servers load it as they start" if app.config["PRELOAD_MODEL"] else
                   "PRELOAD_MODEL is off: the first search in each server process loads it")
        click.echo(f"Model loaded in {seconds:.1f} s ({preload}).")
        for name in ("opportunities", "candidates"):
            stats = report[name]
            failed = (f"{stats['failed']:,} failed to update (last error: {stats['last_error']})"
                      if stats["failed"] else "0 failed")
            if not stats.get("built"):
                click.echo(f"{name}: not built, {failed}. Run: flask index rebuild")
                continue
            click.echo(f"{name}: {stats['documents']:,} documents, built {stats['built_at']}, "
                       f"{stats['stale']:,} stale, {failed}")
        if any(report[name]["failed"] for name in ("opportunities", "candidates")):
            click.echo("Run: flask index retry")

    @index_group.command("retry")
    def index_retry():
        """Index again every document whose update failed after a change was saved. Exits
        with status 1 while any still fail (the log has each error)."""
        result = app.extensions["search"].sync({}, retry_limit=None)
        for name in ("opportunities", "candidates"):
            counts = result[name]
            click.echo(f"{name}: {counts['fixed']:,} fixed, {counts['failing']:,} still failing")
        if any(result[name]["failing"] for name in ("opportunities", "candidates")):
            raise SystemExit(1)
