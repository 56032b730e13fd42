"""``cmpctl``: run the service, check and render inventories, purge expired data, scan sites."""

import enum
import json
import sys

import click

from . import settings as settings_mod
from .errors import CMPError, ConfigError, InventoryError


class ExitStatus(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # a check or scan found what it was asked to fail on
    ERROR = 2  # usage error, bad configuration, a run that could not complete


class Context:
    """Shared by subcommands: builds the app (and so the store and sites) only when needed."""

    def __init__(self):
        self._app = None

    def app(self, **overrides):
        if self._app is None:
            from .app import create_app

            self._app = create_app(overrides or None)
        return self._app


pass_context = click.make_pass_decorator(Context, ensure=True)


def fail(message, status=ExitStatus.ERROR):
    click.echo(f"cmpctl: {message}", err=True)
    sys.exit(int(status))


def _settings_epilog():
    lines = ["Environment (see also `cmpctl settings`):"]
    lines += [f"  {settings_mod.env_name(s)}" for s in settings_mod.SETTINGS]
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cmp-consent", prog_name="cmpctl")
@click.pass_context
def main(ctx):
    """Cookie consent management platform: consent service, inventories and scanner."""
    ctx.obj = Context()


@main.command(epilog=_settings_epilog())
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes of the production server (Granian); about 1.5 per core.")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 256),
              help="Threads per worker running the app.")
@click.option("--debug", is_flag=True, help="Flask's development server with reload; allows no secret key.")
@pass_context
def serve(ctx, host, port, workers, threads, debug):
    """Run the consent service."""
    try:
        app = ctx.app(**({"DEBUG": True} if debug else {}))
    except CMPError as exc:
        fail(str(exc))
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from .server import run

    run(host, port, workers, threads)


@main.command()
@pass_context
def purge(ctx):
    """Delete expired consents and proof entries older than the log retention."""
    try:
        app = ctx.app()
        deleted = app.extensions["cmp.store"].purge()
    except CMPError as exc:
        fail(str(exc))
    click.echo(f"purged {deleted['consents']} expired consent(s) and {deleted['proofs']} old proof entr"
               f"{'y' if deleted['proofs'] == 1 else 'ies'}")


@main.command("settings")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
def settings_cmd(fmt):
    """List every setting with its environment variable, default and help."""
    rows = [(settings_mod.env_name(s), s.default, s.help) for s in settings_mod.SETTINGS]
    if fmt == "json":
        click.echo(json.dumps([{"env": e, "default": d, "help": h} for e, d, h in rows], indent=2))
    elif fmt == "md":
        click.echo(settings_markdown())
    else:
        for env, default, help_ in rows:
            click.echo(f"{env}  (default: {default!r})\n    {help_}")


def settings_markdown():
    lines = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for s in settings_mod.SETTINGS:
        default = f"`{s.default}`" if s.default not in ("", None) else "(empty)"
        lines.append(f"| `{settings_mod.env_name(s)}` | {default} | {s.help} |")
    return "\n".join(lines)


@main.group("inventory")
def inventory_group():
    """Check and render site inventories."""


def _inventory_dir():
    try:
        return settings_mod.load()["INVENTORY_DIR"] or None
    except ConfigError as exc:
        fail(str(exc))


@inventory_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def inventory_check(files):
    """Validate inventory FILES (default: every site of the inventory folder).

    Prints one line per problem (file:line: field: message) and exits 1 when any is found.
    """
    import inventory
    from inventory.loader import site_files

    try:
        paths = list(files) or site_files(_inventory_dir() or inventory.default_dir())
        sites = inventory.load_files(paths)
    except InventoryError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found", err=True)
        sys.exit(int(ExitStatus.FINDINGS))
    for site in sites.values():
        long_lived = [f"{s.id}/{i.name}" for s in site.services for i in s.items
                      if i.retention.seconds and i.retention.seconds > inventory.THIRTEEN_MONTHS_S]
        note = f"; declares more than 13 months for {', '.join(long_lived)}" if long_lived else ""
        click.echo(f"{site.source}: ok ({site.id}, revision {site.revision}, {len(site.categories)} categories, "
                   f"{len(site.services)} services, {sum(len(s.items) for s in site.services)} items){note}")


@inventory_group.command("table")
@click.option("--site", "site_id", help="Site id in the inventory folder.")
@click.option("--inventory", "inventory_file", type=click.Path(dir_okay=False), help="An inventory file instead.")
@click.option("--lang", default=None, help="Language (default: the site's first).")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True)
def inventory_table(site_id, inventory_file, lang, fmt):
    """Print the policy's cookie table for a site."""
    from inventory.table import render

    site = load_site_option(site_id, inventory_file)
    if lang is not None and lang not in site.languages:
        fail(f"--lang {lang!r}: site '{site.id}' has texts in {', '.join(site.languages)}")
    click.echo(render(site, lang or site.default_language, fmt), nl=False)


def load_site_option(site_id, inventory_file):
    """The site named by ``--site`` (inventory folder) or ``--inventory FILE``; exits 2 otherwise."""
    import inventory

    if bool(site_id) == bool(inventory_file):
        fail("give exactly one of --site ID or --inventory FILE")
    try:
        if inventory_file:
            return inventory.load_file(inventory_file)
        sites = inventory.load_dir(_inventory_dir())
    except InventoryError as exc:
        fail(str(exc))
    if site_id not in sites:
        fail(f"--site {site_id!r}: no such site; known: {', '.join(sorted(sites))}")
    return sites[site_id]


from scanner.cli import scan  # noqa: E402 - registered last; imports only click until it runs

main.add_command(scan)


if __name__ == "__main__":  # pragma: no cover
    main()
