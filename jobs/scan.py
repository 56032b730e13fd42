"""The scan job: run one scan recorded in the scan index, keep its report, compare it with the
site's previous scan and alert. Called by an RQ worker (``jobs.scan.run_scan``) or by the local
runner of the embedded default, with the scan's id as its only argument."""

import asyncio
import dataclasses
import datetime as dt
import logging

from cmp import clock

from . import runtime
from .progress import Heartbeat, JobProgress, lock_ttl_s

log = logging.getLogger("jobs")


class SiteBusy(Exception):
    """Another scan of the same site holds the site's lock."""


def scan_options(url, options):
    """:class:`scanner.phases.ScanOptions` from a scan request's JSON options."""
    from scanner.phases import ScanOptions

    known = {f.name for f in dataclasses.fields(ScanOptions)} - {"url"}
    values = {k: v for k, v in options.items() if k in known}
    values["cookies"] = tuple(tuple(pair) for pair in values.get("cookies", ()))
    return ScanOptions(url, **values)


def request_options(options):
    """The JSON-able form of ``options`` (a ScanOptions) kept in a scan's request."""
    data = dataclasses.asdict(options)
    data.pop("url")
    data["cookies"] = [list(pair) for pair in options.cookies]
    return data


def _current_job():
    try:
        from rq import get_current_job
    except ImportError:
        return None
    return get_current_job()


def run_scan(scan_id, retries_left=None):
    """Run the scan ``scan_id`` of the index; its record says what and how. Raises when the scan
    could not run, so that it is retried (the record says ``queued`` again) or ends ``failed``.
    ``retries_left``: how many runs remain after this one (default: the RQ job's own count)."""
    values = runtime.load_settings()
    index = runtime.open_index(values)
    try:
        record = index.get(scan_id)
        if record is None:
            log.warning("scan %s is not in the index (purged or never created): nothing to run", scan_id)
            return None
        job = _current_job()
        if retries_left is None:
            retries_left = (job.retries_left or 0) if job is not None else 0
        return run_prepared(index, values, record, job, retries_left)
    finally:
        index.close()


def run_prepared(index, values, record, job=None, retries_left=0):
    """Run ``record`` (a scan in the index) here and now; what :func:`run_scan` and schedules share."""
    from inventory import parse_site

    beat_s = max(1, values["SCAN_HEARTBEAT_S"])
    if not index.claim_site(record.site, record.id, ttl_s=lock_ttl_s(beat_s)):
        retry = retries_left > 0
        index.update(
            record.id,
            status="queued" if retry else "failed",
            error=f"another scan of {record.site} was running" + (" (will be retried)" if retry else ""),
        )
        raise SiteBusy(f"another scan of {record.site} is running")
    record = index.update(
        record.id,
        status="running",
        started_at=clock.iso(clock.now()),
        finished_at=None,
        heartbeat_at=clock.iso(clock.now()),
        heartbeat_s=beat_s,
        attempts=record.attempts + 1,
        error=None,
    )
    progress = JobProgress()
    try:
        site = parse_site(record.request["inventory"], record.request.get("inventory_source") or "<inventory>")
        options = scan_options(record.url, record.request.get("options", {}))
        with Heartbeat(index, record, progress, beat_s, job) as heartbeat:
            heartbeat.beat()
            report = _scan(site, options, progress)
        _finish(index, values, record, report, progress)
    except Exception as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        retry = retries_left > 0
        index.update(
            record.id,
            status="queued" if retry else "failed",
            finished_at=None if retry else clock.iso(clock.now()),
            error=f"{message} (will be retried)" if retry else message,
            progress=progress.snapshot(),
        )
        if not retry:
            _alert(index, values, record.id)
        raise
    finally:
        index.release_site(record.site, record.id)
    return record.id


def _scan(site, options, progress):
    from scanner import report as report_mod
    from scanner.phases import scan
    from scanner.run import analyse

    result = asyncio.run(scan(options, progress))
    items, findings = analyse(result, site)
    return report_mod.build(result, site, items, findings, options, {})


def _counts(changes):
    from scanner.diff import counts

    return counts(changes) if changes is not None else None


def _finish(index, values, record, report, progress):
    index.save_report(record.id, report)
    status = "failed" if report["error"] else "finished"
    previous = index.previous_finished(record)
    changes = None
    if previous is not None and status == "finished":
        from scanner import diff

        old = index.report(previous.id)
        changes = diff.diff(old, report) if old is not None else None
    index.update(
        record.id,
        status=status,
        finished_at=clock.iso(clock.now()),
        summary=report["summary"],
        progress=progress.snapshot(),
        error=report["error"],
        previous_scan_id=previous.id if previous else None,
        changes=_counts(changes),
    )
    index.purge(record.site, clock.now() - dt.timedelta(days=values["SCAN_RETENTION_DAYS"]))
    _alert(index, values, record.id)


def _alert(index, values, scan_id):
    from . import alerts

    try:
        alerts.after_scan(index, values, scan_id)
    except Exception as exc:  # an alert that cannot be sent never turns a scan into a failure
        log.warning("alert for scan %s not sent: %s", scan_id, exc)
