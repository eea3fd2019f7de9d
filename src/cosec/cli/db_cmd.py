"""`cosec db upgrade|status`."""

from __future__ import annotations

import typer

from cosec.cli.common import console, runtime

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_cmd(ctx: typer.Context) -> None:
    """Apply pending migrations (also done automatically on first use)."""
    from cosec.store.engine import make_engine, upgrade

    engine = make_engine(runtime(ctx).settings.effective_database_url())
    try:
        revisions = upgrade(engine)
    finally:
        engine.dispose()
    console.print(f"Database at {engine.url.render_as_string(hide_password=True)}")
    console.print(f"Schema revisions: {', '.join(revisions)}")


@app.command("status")
def status_cmd(ctx: typer.Context) -> None:
    """Show the schema revisions the database is at."""
    from cosec.store.engine import current_heads, make_engine

    engine = make_engine(runtime(ctx).settings.effective_database_url())
    try:
        heads = sorted(current_heads(engine))
    finally:
        engine.dispose()
    console.print(f"Schema revisions: {', '.join(heads) or 'none (run `cosec db upgrade`)'}")
