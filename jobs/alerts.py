"""Alerts: when a finished scan has findings its site's previous scan did not have (or a scan
fails), POST a JSON alert to ``CMP_ALERT_WEBHOOK_URL``, signed with HMAC-SHA256 of the body under
``CMP_ALERT_WEBHOOK_SECRET`` (``X-CMP-Signature: sha256=<hex>``), retried with a growing pause.
Every attempt is recorded in the scan index, beside the scan."""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from cmp import clock

from . import runtime

log = logging.getLogger("jobs")
DELIVER = "jobs.alerts.deliver"
RETRIES = 4
BACKOFF = 4  # each pause is this many times the one before
TIMEOUT_S = 10
SIGNATURE_HEADER = "X-CMP-Signature"
# What is worth waking someone for: "info" findings (declared but not seen) stay in the report.
ALERTED_SEVERITIES = ("error", "warning")


def sign(secret, body):
    """The signature header's value for ``body`` (bytes): ``sha256=<hex>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def pauses_s(values):
    return [values["ALERT_RETRY_S"] * BACKOFF**i for i in range(RETRIES)]


def payload(index, values, record):
    """The alert about ``record`` (a scan that ended), or None when there is nothing to say."""
    from scanner import diff

    report = index.report(record.id)
    new, resolved = [], []
    if record.status == "finished" and report is not None:
        previous = index.report(record.previous_scan_id) if record.previous_scan_id else None
        if previous is None:
            new = report["findings"]  # the site's first scan: every finding is news
        else:
            changes = diff.diff(previous, report)
            new, resolved = changes["new_findings"], changes["resolved_findings"]
        new = [f for f in new if f["severity"] in ALERTED_SEVERITIES]
        resolved = [f for f in resolved if f["severity"] in ALERTED_SEVERITIES]
        if not new:
            return None
    template = values["SCAN_REPORT_URL"]
    return {
        "site": record.site,
        "scan_id": record.id,
        "previous_scan_id": record.previous_scan_id,
        "status": record.status,
        "error": record.error,
        "url": record.url,
        "new_findings": new,
        "resolved_findings": resolved,
        "report_url": template.format(site=record.site, scan_id=record.id) if template else None,
    }


def after_scan(index, values, scan_id):
    """Send the alert about the scan ``scan_id`` if it has one: a job of its own under RQ (retried
    by RQ), here and now with pauses on the embedded default."""
    if not values["ALERT_WEBHOOK_URL"]:
        return None
    body = payload(index, values, index.get(scan_id))
    if body is None:
        return None
    queue_url = runtime.queue_url(values)
    if queue_url is None:
        return deliver_with_retries(index, values, scan_id, body)
    from rq import Retry

    return runtime.rq_queue(queue_url).enqueue(
        DELIVER, scan_id, body, retry=Retry(max=RETRIES, interval=pauses_s(values)), job_timeout=TIMEOUT_S * 3
    )


def deliver(scan_id, body):
    """The RQ job: one delivery attempt; raises when it failed, so that RQ tries again later."""
    values = runtime.load_settings()
    index = runtime.open_index(values)
    try:
        attempt = len(index.deliveries(scan_id)) + 1
        if not attempt_delivery(index, values, scan_id, body, attempt):
            raise AlertNotDelivered(f"alert for scan {scan_id}: attempt {attempt} failed")
    finally:
        index.close()


class AlertNotDelivered(Exception):
    """The webhook did not accept the alert (an error status or no answer)."""


def deliver_with_retries(index, values, scan_id, body, sleep=time.sleep):
    for attempt, pause in enumerate([*pauses_s(values), None], start=1):
        if attempt_delivery(index, values, scan_id, body, attempt):
            return True
        if pause is not None:
            sleep(pause)
    return False


def attempt_delivery(index, values, scan_id, body, attempt):
    """POST the alert once and record how it went; True when the webhook answered 2xx."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "cmp-alerts/1"}
    if values["ALERT_WEBHOOK_SECRET"]:
        headers[SIGNATURE_HEADER] = sign(values["ALERT_WEBHOOK_SECRET"], raw)
    request = urllib.request.Request(values["ALERT_WEBHOOK_URL"], data=raw, headers=headers, method="POST")
    status, outcome = None, None
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            status, outcome = response.status, f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        status, outcome = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        outcome = f"no answer: {getattr(exc, 'reason', exc)}"
    delivered = status is not None and 200 <= status < 300
    index.add_delivery(
        scan_id,
        {
            "attempt": attempt,
            "at": clock.iso(clock.now()),
            "webhook": values["ALERT_WEBHOOK_URL"],
            "status": status,
            "outcome": "delivered" if delivered else outcome,
            "signed": SIGNATURE_HEADER in headers,
            "new_findings": len(body["new_findings"]),
        },
    )
    if not delivered:
        log.warning("alert for scan %s, attempt %d: %s", scan_id, attempt, outcome)
    return delivered
