"""Alerts end to end: a site gains an undeclared tracker between two scans run by real workers; a
signed webhook names it, is retried until delivered, and every attempt is kept beside the scan."""

import hashlib
import hmac
import json
import time

import pytest

from .helpers import cmpctl, enqueue, show, wait_for_status
from .sites import Served, WebhookReceiver, changing_app

pytestmark = pytest.mark.browser
SECRET = "webhook-secret"


def alert_env(receiver, store_url):
    return {
        "CMP_STORE_URL": store_url,
        "CMP_SCAN_HEARTBEAT_S": "1",
        "CMP_ALERT_WEBHOOK_URL": receiver.url,
        "CMP_ALERT_WEBHOOK_SECRET": SECRET,
        "CMP_ALERT_RETRY_S": "1",
        "CMP_SCAN_REPORT_URL": "https://cmp.example/console/sites/{site}/scans/{scan_id}",
    }


def verified(received):
    """The alert's JSON body, once its signature is checked against the raw body."""
    headers, body = received
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Cmp-Signature"], expected)
    assert headers["Content-Type"] == "application/json"
    return json.loads(body)


@pytest.mark.redis
def test_a_new_undeclared_tracker_sends_a_signed_alert_retried_until_delivered(redis_url):
    state = {"version": 1}
    with Served(changing_app(state)) as site, WebhookReceiver(statuses=[500]) as receiver:
        env = alert_env(receiver, redis_url)
        first = enqueue(env, site.url)
        cmpctl(env, "worker", "--burst", timeout=180)
        assert show(env, first)["status"] == "finished"
        assert receiver.received == []  # nothing new on the site's first, clean scan
        state["version"] = 2
        second = enqueue(env, site.url)
        cmpctl(env, "worker", "--burst", timeout=180)  # the scan, then the alert's first attempt (500)
        assert len(receiver.received) == 1
        time.sleep(1.5)  # RQ retries the alert after CMP_ALERT_RETRY_S
        cmpctl(env, "worker", "--burst", timeout=60)
        scan = show(env, second)
    assert len(receiver.received) == 2
    alert = verified(receiver.received[1])
    assert receiver.received[0][1] == receiver.received[1][1]  # the same alert, sent again
    assert (alert["site"], alert["scan_id"], alert["previous_scan_id"], alert["status"]) == (
        "changing-shop",
        second,
        first,
        "finished",
    )
    assert alert["report_url"] == f"https://cmp.example/console/sites/changing-shop/scans/{second}"
    assert sorted((f["rule"], f["item"]) for f in alert["new_findings"]) == [
        ("after-refusal", "_trk"),
        ("exceeds-declared", "sid"),
        ("pre-consent", "_trk"),
        ("undeclared", "_trk"),
    ]
    assert alert["resolved_findings"] == []
    assert [(a["attempt"], a["status"], a["outcome"], a["signed"]) for a in scan["alerts"]] == [
        (1, 500, "HTTP 500", True),
        (2, 204, "delivered", True),
    ]
    text = cmpctl(env, "scans", "show", second).stdout
    assert "alert: attempt 2 at " in text and text.rstrip().endswith(": delivered")


def test_a_failed_scan_is_alerted_too_on_the_embedded_default(tmp_path):
    from tests.support.processes import free_port

    with WebhookReceiver() as receiver:
        env = {**alert_env(receiver, f"sqlite:///{tmp_path / 'cmp.db'}"), "CMP_SCAN_RETRIES": "0"}
        scan_id = enqueue(env, f"http://127.0.0.1:{free_port()}/")  # nothing listens there
        scan = wait_for_status(env, scan_id)
        for _ in range(20):
            if receiver.received:
                break
            time.sleep(0.5)
    assert scan["status"] == "failed"
    alert = verified(receiver.received[0])
    assert (alert["scan_id"], alert["status"], alert["new_findings"]) == (scan_id, "failed", [])
    assert "could not be loaded" in alert["error"]
