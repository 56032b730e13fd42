"""What every ``cmpctl`` subcommand shares: exit codes, failing with one line, settings and the
``--site``/``--inventory`` option pair."""

import enum
import sys

import click


class ExitStatus(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # a check or scan found what it was asked to fail on
    ERROR = 2  # usage error, bad configuration, a run that could not complete


def fail(message, status=ExitStatus.ERROR):
    """Print ``cmpctl: message`` on standard error and exit (2 unless told otherwise)."""
    click.echo(f"cmpctl: {message}", err=True)
    sys.exit(int(status))


def load_settings(**overrides):
    """Every ``CMP_*`` setting, or exit 2 naming the bad variable."""
    from cmp import settings
    from cmp.errors import ConfigError

    try:
        return settings.load(overrides=overrides or None)
    except ConfigError as exc:
        fail(str(exc))


def load_site_option(site_id, inventory_file):
    """The site named by ``--site`` (inventory folder) or ``--inventory FILE``; exits 2 otherwise."""
    import inventory
    from inventory.errors import InventoryError

    if bool(site_id) == bool(inventory_file):
        fail("give exactly one of --site ID or --inventory FILE")
    try:
        if inventory_file:
            return inventory.load_file(inventory_file)
        sites = inventory.load_dir(load_settings()["INVENTORY_DIR"] or None)
    except InventoryError as exc:
        fail(str(exc))
    if site_id not in sites:
        fail(f"--site {site_id!r}: no such site; known: {', '.join(sorted(sites))}")
    return sites[site_id]
