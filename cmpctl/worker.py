"""``cmpctl worker``: run scan jobs (and the schedules) until stopped, or until the queue is empty."""

import click

from .common import fail, load_settings


@click.command("worker", short_help="Run queued and scheduled scans.")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty instead of waiting for more work.")
def worker(burst):
    """Run queued and scheduled scans: an RQ worker on Redis (one browser at a time; start as many as
    you like, on as many machines), or the local schedule loop on the embedded SQLite default.

    Stops on Ctrl-C or SIGTERM, after the scan it is running.
    """
    from cmp.errors import CMPError
    from jobs import worker as jobs_worker

    values = load_settings()
    try:
        jobs_worker.work(values, burst=burst)
    except CMPError as exc:
        fail(str(exc))
    except ImportError as exc:
        fail(f"a worker on Redis needs the redis extra: pip install 'cmp-consent[redis]' ({exc})")
