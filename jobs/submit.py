"""Put a scan on the queue: record it in the scan index as ``queued``, then hand its id to RQ or,
on the embedded default, to a local background process. What ``cmpctl scan --enqueue`` and the
schedules use; the console enqueues the job by its name, :data:`RUN_SCAN`, the same way."""

from cmp import clock
from cmp.store.scans import ScanRecord, new_scan_id

from . import runtime

RUN_SCAN = "jobs.scan.run_scan"
# Between retries of a scan that failed to run: a site or a browser that was briefly down.
RETRY_INTERVALS_S = [60, 300, 900]
RESULT_TTL_S = 7 * 86400


def new_record(site, url, options, inventory_text, schedule_id=None):
    """A queued scan of ``url`` for ``site`` (an inventory Site), ready for :func:`enqueue`."""
    from .scan import request_options

    now = clock.now()
    return ScanRecord(
        id=new_scan_id(now),
        site=site.id,
        url=url,
        status="queued",
        created_at=clock.iso(now),
        inventory_revision=site.revision,
        schedule_id=schedule_id,
        request={
            "options": request_options(options),
            "inventory": inventory_text,
            "inventory_source": site.source,
        },
    )


def enqueue(values, index, record):
    """Record ``record`` and start it on the queue the settings name; returns its id."""
    index.create(record)
    url = runtime.queue_url(values)
    if url is None:
        from . import local

        local.start(record.id)
    else:
        enqueue_rq(runtime.rq_queue(url), values, record.id)
    return record.id


def enqueue_rq(queue, values, scan_id):
    from rq import Retry

    retries = max(0, values["SCAN_RETRIES"])
    return queue.enqueue(
        RUN_SCAN,
        scan_id,
        job_id=scan_id,  # one id for the scan and its job: `cmpctl scans show` finds both
        job_timeout=values["SCAN_JOB_TIMEOUT_S"],
        retry=Retry(max=retries, interval=RETRY_INTERVALS_S[:retries] or [60]) if retries else None,
        result_ttl=RESULT_TTL_S,
        failure_ttl=RESULT_TTL_S,
        description=f"scan {scan_id}",
    )
