"""The ``cmpctl`` entry point: one group, each subcommand in its own module."""

import click

from .demo import demo_data
from .inventories import inventory_group
from .scan import scan
from .scans import scans_group
from .schedules import schedule_group
from .service import purge, serve, settings_cmd
from .users import user_group
from .worker import worker


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cmp-consent", prog_name="cmpctl")
def main():
    """Cookie consent management platform: run the consent service, check and render site
    inventories, scan sites (now or as queued jobs, on schedules), manage the console's users and
    purge expired data."""


for _command in (
    serve,
    purge,
    settings_cmd,
    inventory_group,
    scan,
    scans_group,
    schedule_group,
    worker,
    user_group,
    demo_data,
):
    main.add_command(_command)
