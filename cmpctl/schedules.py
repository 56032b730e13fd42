"""``cmpctl schedule add|list|remove``: per-site recurring scans, kept as data in the scan index."""

import json
from pathlib import Path

import click

from .common import fail, load_settings, load_site_option
from .queued import scan_index


@click.group("schedule")
def schedule_group():
    """Add, list and remove per-site recurring scans."""


@schedule_group.command("add", short_help="Scan a site on a recurring schedule.")
@click.argument("site_id", metavar="SITE")
@click.argument("url")
@click.option("--every", help="Interval between scans: 90s, 30m, 6h, 1d or 1w.")
@click.option("--cron", "cron", help="Cron expression in UTC, five fields (e.g. '0 3 * * *' for 03:00 every day).")
@click.option("--max-pages", default=50, show_default=True, type=click.IntRange(1, 10000), help="Pages per phase.")
@click.option("--depth", default=3, show_default=True, type=click.IntRange(0, 100), help="Clicks from the start page.")
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(1, 600),
    help="Seconds one network wait may take; the scan's deadline is ten times this.",
)
def schedule_add(site_id, url, every, cron, max_pages, depth, timeout):
    """Scan URL for SITE (a site of the inventory folder) every interval or on a cron expression.

    Prints the schedule's id on the last line. The inventory used is the worker's copy of the site
    at each run (the one read now when the worker has none).
    """
    from urllib.parse import urlsplit

    from jobs import schedules

    if bool(every) == bool(cron):
        fail("give exactly one of --every INTERVAL or --cron EXPRESSION")
    every_s = None
    try:
        if every:
            every_s = schedules.parse_every(every)
        else:
            schedules.check_cron(cron)
    except ValueError as exc:
        fail(f"--every {every!r}: {exc}" if every else f"--cron {cron!r}: {exc}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fail(f"URL {url!r}: must be an http:// or https:// address")
    site = load_site_option(site_id, None)
    try:
        text = Path(site.source).read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"{site.source}: cannot be read: {exc}")
    options = {"max_pages": max_pages, "depth": depth, "page_timeout_s": timeout}
    schedule = schedules.new_schedule(site, url, text, options, every_s=every_s, cron=cron)
    values = load_settings()
    with scan_index(values) as index:
        schedules.add(values, index, schedule)
    click.echo(f"scheduled {url} for site {site.id} {schedules.describe(schedule)}, next at {schedule['next_at']}")
    click.echo(schedule["id"])


@schedule_group.command("list", short_help="List the schedules.")
@click.option("--site", "site_id", help="Only this site's schedules.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of schedules instead of lines.")
def schedule_list(site_id, as_json):
    """List the schedules, with when each is next due and its last scan."""
    from jobs import schedules

    with scan_index(load_settings()) as index:
        found = index.schedules(site=site_id)
    if as_json:
        public = [{k: v for k, v in s.items() if k != "request"} for s in found]
        click.echo(json.dumps(public, indent=2, ensure_ascii=False))
        return
    for s in found:
        click.echo(
            f"{s['id']}  {s['site']}  {s['url']}  {schedules.describe(s)}  next {s['next_at']}"
            f"  last scan {s.get('last_scan_id') or '-'}"
        )
    if not found:
        click.echo("no schedules")


@schedule_group.command("remove", short_help="Remove a schedule.")
@click.argument("schedule_id")
def schedule_remove(schedule_id):
    """Remove the schedule SCHEDULE_ID; a scan it already started runs to its end."""
    from jobs import schedules

    values = load_settings()
    with scan_index(values) as index:
        schedule = index.schedule(schedule_id)
        if schedule is None:
            fail(f"no schedule {schedule_id!r}; `cmpctl schedule list` lists them")
        schedules.remove(values, index, schedule)
    click.echo(f"removed schedule {schedule_id}")
