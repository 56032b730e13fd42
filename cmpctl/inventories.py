"""``cmpctl inventory check`` and ``cmpctl inventory table``: the declarations, without the service."""

import sys
from pathlib import Path

import click

from .common import ExitStatus, fail, load_settings, load_site_option


@click.group("inventory")
def inventory_group():
    """Check and render site inventories."""


@inventory_group.command("check", short_help="Validate inventory files.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def inventory_check(files):
    """Validate inventory FILES (default: every site of the inventory folder).

    Prints one line per problem (file:line: field: message) and exits 1 when any is found; a
    missing file or an empty folder exits 2.
    """
    import inventory
    from inventory.errors import InventoryError
    from inventory.loader import site_files

    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        fail(f"{missing[0]}: no such file")
    try:
        paths = list(files) or site_files(load_settings()["INVENTORY_DIR"] or inventory.default_dir())
    except InventoryError as exc:  # no folder, or nothing in it: nothing was checked
        fail(str(exc))
    try:
        sites = inventory.load_files(paths)
    except InventoryError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found", err=True)
        sys.exit(int(ExitStatus.FINDINGS))
    for site in sites.values():
        long_lived = [
            f"{s.id}/{i.name}"
            for s in site.services
            for i in s.items
            if i.retention.seconds and i.retention.seconds > inventory.THIRTEEN_MONTHS_S
        ]
        note = f"; declares more than 13 months for {', '.join(long_lived)}" if long_lived else ""
        click.echo(
            f"{site.source}: ok ({site.id}, revision {site.revision}, {len(site.categories)} categories, "
            f"{len(site.services)} services, {sum(len(s.items) for s in site.services)} items){note}"
        )


@inventory_group.command("table", short_help="Print the policy's cookie table for a site.")
@click.option("--site", "site_id", help="Site id in the inventory folder.")
@click.option("--inventory", "inventory_file", type=click.Path(dir_okay=False), help="An inventory file instead.")
@click.option("--lang", default=None, help="Language (default: the site's first).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help="An HTML fragment or a Markdown table.",
)
def inventory_table(site_id, inventory_file, lang, fmt):
    """Print the policy's cookie table for a site."""
    from inventory.table import render

    site = load_site_option(site_id, inventory_file)
    if lang is not None and lang not in site.languages:
        fail(f"--lang {lang!r}: site '{site.id}' has texts in {', '.join(site.languages)}")
    click.echo(render(site, lang or site.default_language, fmt), nl=False)
