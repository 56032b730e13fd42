"""``cmpctl serve``, ``cmpctl purge`` and ``cmpctl settings``: the consent service's commands."""

import json

import click

from .common import fail, load_settings


def _settings_epilog():
    from cmp import settings

    lines = ["\b", "Environment (see also `cmpctl settings`):"]  # \b: click keeps these lines as they are
    lines += [f"  {settings.env_name(s)}" for s in settings.SETTINGS]
    return "\n".join(lines)


@click.command(epilog=_settings_epilog(), short_help="Run the consent service.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address or host name to listen on (0.0.0.0 for every IPv4 interface).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port to listen on.")
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes of the production server (Granian); about 1.5 per core.",
)
@click.option(
    "--threads", default=2, show_default=True, type=click.IntRange(1, 256), help="Threads per worker running the app."
)
@click.option(
    "--debug",
    is_flag=True,
    help="Run Flask's development server (one process, tracebacks in the browser, no reload) and allow "
    "a missing CMP_SECRET_KEY.",
)
def serve(host, port, workers, threads, debug):
    """Run the consent service until interrupted.

    Refuses to start when the port is already in use, or when a setting is invalid.
    """
    from cmp import create_app
    from cmp.errors import CMPError
    from cmp.server import check_address
    from inventory.errors import InventoryError

    try:
        address = check_address(host, port)
        app = create_app({"DEBUG": True} if debug else None)
    except (CMPError, InventoryError) as exc:
        fail(str(exc))
    if debug:
        app.run(host=address, port=port, debug=True, use_reloader=False)
        return
    from cmp.server import run

    run(address, port, workers, threads)


@click.command(short_help="Delete expired consents and old proof entries.")
def purge():
    """Delete expired consents and proof entries older than the log retention, and say how many."""
    from cmp import clock
    from cmp.app import open_store
    from cmp.errors import CMPError

    values = load_settings()
    clock.set_offset(values["CLOCK_OFFSET_S"])
    try:
        deleted = open_store(values).purge()
    except CMPError as exc:
        fail(str(exc))
    # One figure per kind of data the store holds, e.g. "purged consents: 3, proofs: 0".
    click.echo("purged " + ", ".join(f"{kind.replace('_', ' ')}: {count}" for kind, count in deleted.items()))


@click.command("settings", short_help="List every setting with its default.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
    help="Plain text, the README's Markdown table, or JSON.",
)
def settings_cmd(fmt):
    """List every setting with its environment variable, default and help."""
    from cmp import settings

    rows = [(settings.env_name(s), s.default, s.help) for s in settings.SETTINGS]
    if fmt == "json":
        click.echo(json.dumps([{"env": e, "default": d, "help": h} for e, d, h in rows], indent=2))
    elif fmt == "md":
        click.echo(settings.markdown_table())
    else:
        for env, default, help_ in rows:
            click.echo(f"{env}  (default: {default!r})\n    {help_}")
