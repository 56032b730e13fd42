"""Per-site recurring scans. A schedule is data in the scan index (site, URL, an interval or a cron
expression in UTC, the scan options, when it is next due); what runs it is RQ's own scheduler on
Redis (each due run is a job queued with ``enqueue_at``, which queues the next) and, on the
embedded SQLite default, the loop of ``cmpctl worker``. The site's lock keeps two scans of one
site from running at once: a run that finds its site busy is skipped, and the skip recorded."""

import datetime as dt
import logging
import re
import secrets
import time

from cmp import clock
from cmp.store.scans import parse_time

from . import runtime
from .progress import lock_ttl_s

log = logging.getLogger("jobs")
RUN_DUE = "jobs.schedules.run_due"
EVERY = re.compile(r"^([1-9][0-9]*)(s|m|h|d|w)$")
UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
LOCAL_POLL_S = 1.0


def parse_every(text):
    """``30m``, ``6h``, ``1d``, ``1w`` (or ``90s``) → seconds; ValueError otherwise."""
    found = EVERY.match(text.strip())
    if not found:
        raise ValueError("expected a number and a unit: 90s, 30m, 6h, 1d or 1w")
    return int(found.group(1)) * UNIT_S[found.group(2)]


def check_cron(expression):
    from croniter import croniter

    if not croniter.is_valid(expression) or len(expression.split()) != 5:
        raise ValueError("expected five fields: minute hour day-of-month month day-of-week, e.g. '0 3 * * *'")


def parse_timing(text):
    """What a schedule form gives: an interval (``12h``, ``1d``) or a five-field cron expression
    (UTC) → ``(every_s, cron)``, one of them None; ValueError otherwise."""
    text = text.strip()
    if EVERY.match(text):
        return parse_every(text), None
    check_cron(text)
    return None, text


def next_run(schedule, after):
    """When ``schedule`` is next due, strictly after ``after`` (a UTC datetime)."""
    if schedule.get("every_s"):
        return after + dt.timedelta(seconds=schedule["every_s"])
    from croniter import croniter

    return croniter(schedule["cron"], after.astimezone(dt.UTC)).get_next(dt.datetime)


def new_schedule(site, url, inventory_text, options, every_s=None, cron=None):
    now = clock.now()
    schedule = {
        "id": f"{site.id}-{secrets.token_hex(3)}",
        "site": site.id,
        "url": url,
        "every_s": every_s,
        "cron": cron,
        "created_at": clock.iso(now),
        "request": {"options": options, "inventory": inventory_text, "inventory_source": site.source},
        "last_scan_id": None,
        "last_skipped_at": None,
    }
    schedule["next_at"] = clock.iso(next_run(schedule, now))
    return schedule


def describe(schedule):
    return f"every {schedule['every_s']} s" if schedule.get("every_s") else f"cron '{schedule['cron']}' (UTC)"


def add(values, index, schedule):
    """Keep ``schedule`` and, on Redis, queue its first run: what ``cmpctl schedule add`` and the
    console both do."""
    queue_url = runtime.queue_url(values)
    index.save_schedule(schedule)
    if queue_url is not None:
        arm(runtime.rq_queue(queue_url), values, schedule)


def remove(values, index, schedule):
    """Forget ``schedule`` and, on Redis, its queued next run; a scan it started runs to its end."""
    index.delete_schedule(schedule["id"])
    queue_url = runtime.queue_url(values)
    if queue_url is not None:
        disarm(runtime.rq_queue(queue_url), schedule)


# On Redis: RQ's scheduler ----------------------------------------------------------------------


def _job_id(schedule):
    # One id per schedule and due time: arming twice (two workers starting) queues one run.
    return f"schedule-{schedule['id']}-{clock.to_ms(parse_time(schedule['next_at']))}"


def arm(queue, values, schedule):
    """Queue the schedule's next run with RQ's scheduler, unless it is already queued."""
    from rq.job import Job

    job_id = _job_id(schedule)
    if Job.exists(job_id, connection=queue.connection):
        return job_id
    queue.enqueue_at(
        parse_time(schedule["next_at"]),
        RUN_DUE,
        schedule["id"],
        schedule["next_at"],
        job_id=job_id,
        job_timeout=values["SCAN_JOB_TIMEOUT_S"],
        result_ttl=86400,
        failure_ttl=7 * 86400,
        description=f"scheduled scan {schedule['id']} due {schedule['next_at']}",
    )
    return job_id


def disarm(queue, schedule):
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry

    job_id = _job_id(schedule)
    if Job.exists(job_id, connection=queue.connection):
        ScheduledJobRegistry(queue=queue).remove(job_id, delete_job=True)


def arm_all(queue, values, index):
    """Make sure every schedule has its next run queued; one due while no worker ran runs now."""
    now = clock.now()
    for schedule in index.schedules():
        if parse_time(schedule["next_at"]) < now:
            schedule = {**schedule, "next_at": clock.iso(now)}
            index.save_schedule(schedule)
        arm(queue, values, schedule)


def run_due(schedule_id, due_at):
    """The RQ job of one due run: queue the next one, then scan (unless the site is busy)."""
    from rq import get_current_job

    values = runtime.load_settings()
    index = runtime.open_index(values)
    try:
        schedule = index.schedule(schedule_id)
        if schedule is None or schedule["next_at"] != due_at:
            return None  # removed, or replaced by a newer arming: not this run's turn
        schedule = _advance(index, schedule)
        arm(runtime.rq_queue(runtime.queue_url(values)), values, schedule)
        record = _claim_and_record(index, values, schedule)
        if record is None:
            return None
        from .scan import run_prepared

        return run_prepared(index, values, record, get_current_job())
    finally:
        index.close()


# Shared ------------------------------------------------------------------------------------------


def _advance(index, schedule):
    """Set the schedule's next due time after now (runs missed meanwhile are not made up)."""
    now = clock.now()
    following = next_run(schedule, max(parse_time(schedule["next_at"]), now))
    schedule = {**schedule, "next_at": clock.iso(following)}
    index.save_schedule(schedule)
    return schedule


def _site(values, schedule):
    """The site as the worker's inventory folder has it now, else as it was when scheduled."""
    import inventory
    from inventory.errors import InventoryError

    try:
        sites = inventory.load_dir(values["INVENTORY_DIR"] or None)
        if schedule["site"] in sites:
            site = sites[schedule["site"]]
            with open(site.source, encoding="utf-8") as handle:
                return site, handle.read()
    except (InventoryError, OSError):
        pass
    request = schedule["request"]
    return inventory.parse_site(request["inventory"], request.get("inventory_source") or "<inventory>"), request[
        "inventory"
    ]


def _claim_and_record(index, values, schedule):
    """A new running-to-be scan of the schedule holding its site's lock, or None (site busy: skipped)."""
    from .submit import new_record

    site, text = _site(values, schedule)
    options = _options(schedule)
    record = new_record(site, schedule["url"], options, text, schedule_id=schedule["id"])
    if not index.claim_site(site.id, record.id, ttl_s=lock_ttl_s(max(1, values["SCAN_HEARTBEAT_S"]))):
        log.info("schedule %s: %s is being scanned; this run is skipped", schedule["id"], site.id)
        index.save_schedule({**schedule, "last_skipped_at": clock.iso(clock.now())})
        return None
    index.create(record)
    index.save_schedule({**schedule, "last_scan_id": record.id})
    return record


def _options(schedule):
    from .scan import scan_options

    return scan_options(schedule["url"], schedule["request"].get("options", {}))


# On SQLite: the local loop -----------------------------------------------------------------------


def run_due_locally(values, index):
    """Start a local scan for every schedule now due; returns the ids of the scans started."""
    from . import local

    started = []
    now = clock.now()
    for schedule in index.schedules():
        if parse_time(schedule["next_at"]) > now:
            continue
        schedule = _advance(index, schedule)
        record = _claim_and_record(index, values, schedule)
        if record is not None:
            local.start(record.id)
            started.append(record.id)
    return started


def local_loop(values, burst=False):
    index = runtime.open_index(values)
    try:
        while True:
            for scan_id in run_due_locally(values, index):
                log.info("started scheduled scan %s", scan_id)
            if burst:
                return
            time.sleep(LOCAL_POLL_S)
    except KeyboardInterrupt:
        return  # Ctrl-C: the scans already started go on in their own processes
    finally:
        index.close()
