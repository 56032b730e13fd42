"""What ``cmpctl scan --enqueue`` does once the options are checked: record the scan and queue it."""

import contextlib
from pathlib import Path

import click

from .common import fail, load_settings


@contextlib.contextmanager
def scan_index(values):
    """The scan index beside the store the settings name, closed after the block. A configuration
    or storage error, opening it or in the block, exits 2 with its message."""
    from cmp.errors import CMPError
    from jobs import runtime

    try:
        index = runtime.open_index(values)
    except CMPError as exc:
        fail(str(exc))
    try:
        yield index
    except CMPError as exc:
        fail(str(exc))
    finally:
        index.close()


def enqueue_scan(site, options):
    from jobs import submit

    values = load_settings()
    try:
        text = Path(site.source).read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"{site.source}: cannot be read: {exc}")
    with scan_index(values) as index:
        try:
            scan_id = submit.enqueue(values, index, submit.new_record(site, options.url, options, text))
        except ImportError as exc:
            fail(f"queued scans on Redis need the redis extra: pip install 'cmp-consent[redis]' ({exc})")
    click.echo(f"queued scan of {options.url} for site {site.id}; follow it with: cmpctl scans show {scan_id}")
    click.echo(scan_id)
