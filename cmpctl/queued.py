"""What ``cmpctl scan --enqueue`` does once the options are checked: record the scan and queue it."""

from pathlib import Path

import click

from .common import fail, load_settings


def open_index(values):
    """The scan index beside the store the settings name; exits 2 on a configuration error."""
    from cmp.errors import CMPError
    from jobs import runtime

    try:
        return runtime.open_index(values)
    except CMPError as exc:
        fail(str(exc))


def enqueue_scan(site, options):
    from cmp.errors import CMPError
    from jobs import submit

    values = load_settings()
    try:
        text = Path(site.source).read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"{site.source}: cannot be read: {exc}")
    index = open_index(values)
    try:
        scan_id = submit.enqueue(values, index, submit.new_record(site, options.url, options, text))
    except CMPError as exc:
        fail(str(exc))
    except ImportError as exc:
        fail(f"queued scans on Redis need the redis extra: pip install 'cmp-consent[redis]' ({exc})")
    finally:
        index.close()
    click.echo(f"queued scan of {options.url} for site {site.id}; follow it with: cmpctl scans show {scan_id}")
    click.echo(scan_id)
