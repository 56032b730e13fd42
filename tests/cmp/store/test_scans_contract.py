"""The scan-index contract: every backend (real SQLite, a real Redis, a real Redis Cluster) keeps
scans, reports, alert deliveries, schedules and the per-site lock the same way."""

import datetime as dt
import time

import pytest

from cmp import clock
from cmp.store.scans import ScanRecord, new_scan_id, scan_index_from_url


@pytest.fixture
def index(store_url):
    s = scan_index_from_url(store_url)
    yield s
    s.close()


def scan(site="amex-portal", **changes):
    now = clock.now()
    fields = dict(
        id=new_scan_id(now),
        site=site,
        url="https://amex.example/",
        created_at=clock.iso(now),
        inventory_revision="rev1",
        request={"options": {"max_pages": 5}, "inventory": "id: amex-portal\n"},
    )
    fields.update(changes)
    return ScanRecord(**fields)


def test_a_created_scan_is_read_back_with_every_field(index):
    created = scan(schedule_id="nightly-amex")
    index.create(created)
    assert index.get(created.id) == created
    assert index.get("no-such-scan") is None


def test_an_update_changes_only_the_fields_given_and_returns_the_record(index):
    created = scan()
    index.create(created)
    updated = index.update(created.id, status="running", progress={"phase": "accept", "pages_done": 2})
    assert updated == created.replace(status="running", progress={"phase": "accept", "pages_done": 2})
    assert index.get(created.id) == updated
    assert index.update("no-such-scan", status="failed") is None
    assert index.get("no-such-scan") is None


def test_a_sites_scans_are_listed_newest_first_and_kept_per_site(index):
    made = []
    for _ in range(3):
        made.append(scan())
        index.create(made[-1])
        clock.travel(60)
    index.create(scan(site="milleis"))
    assert [s.id for s in index.list("amex-portal")] == [s.id for s in reversed(made)]
    assert [s.id for s in index.list("amex-portal", limit=2)] == [made[2].id, made[1].id]
    assert index.list("unknown-site") == []


def test_the_previous_finished_scan_of_the_site_is_what_a_diff_compares_to(index):
    first, failed, latest = scan(status="finished"), None, None
    index.create(first)
    clock.travel(60)
    failed = scan(status="failed")
    index.create(failed)
    clock.travel(60)
    latest = scan(status="running")
    index.create(latest)
    assert index.previous_finished(latest) == first
    assert index.previous_finished(first) is None


def test_a_report_is_kept_beside_its_scan(index):
    created = scan()
    index.create(created)
    assert index.report(created.id) is None
    report = {"format": "cmp-scan-report/1", "items": [{"name": "_pk_id.1", "kind": "cookie"}], "note": "é"}
    index.save_report(created.id, report)
    assert index.report(created.id) == report


def test_alert_deliveries_are_appended_in_order(index):
    created = scan()
    index.create(created)
    index.add_delivery(created.id, {"attempt": 1, "status": 500})
    index.add_delivery(created.id, {"attempt": 2, "status": 204})
    assert index.deliveries(created.id) == [{"attempt": 1, "status": 500}, {"attempt": 2, "status": 204}]
    assert index.deliveries("no-such-scan") == []


def test_purge_deletes_a_sites_scans_created_before_the_cutoff_with_their_reports(index):
    old = scan()
    index.create(old)
    index.save_report(old.id, {"items": []})
    index.add_delivery(old.id, {"attempt": 1})
    clock.travel(dt.timedelta(days=10))
    recent = scan()
    index.create(recent)
    other_site = scan(site="milleis", created_at=old.created_at)
    index.create(other_site)
    assert index.purge("amex-portal", clock.now() - dt.timedelta(days=5)) == 1
    assert index.get(old.id) is None
    assert index.report(old.id) is None
    assert index.deliveries(old.id) == []
    assert [s.id for s in index.list("amex-portal")] == [recent.id]
    assert index.get(other_site.id) == other_site
    assert index.purge("amex-portal", clock.now() - dt.timedelta(days=5)) == 0


def test_schedules_are_added_replaced_listed_by_site_and_removed(index):
    nightly = {"id": "amex-nightly", "site": "amex-portal", "url": "https://amex.example/", "cron": "0 3 * * *"}
    hourly = {"id": "milleis-hourly", "site": "milleis", "url": "https://milleis.example/", "every_s": 3600}
    index.save_schedule(hourly)
    index.save_schedule(nightly)
    assert index.schedules() == [nightly, hourly]
    assert index.schedules(site="milleis") == [hourly]
    index.save_schedule({**nightly, "cron": "0 4 * * *"})
    assert index.schedule("amex-nightly")["cron"] == "0 4 * * *"
    assert index.delete_schedule("amex-nightly") is True
    assert index.delete_schedule("amex-nightly") is False
    assert index.schedules() == [hourly]
    assert index.schedule("amex-nightly") is None


def test_a_site_is_held_by_one_holder_at_a_time_until_released_or_expired(index):
    assert index.claim_site("amex-portal", "scan-a", ttl_s=30) is True
    assert index.claim_site("amex-portal", "scan-b", ttl_s=30) is False
    assert index.claim_site("amex-portal", "scan-a", ttl_s=30) is True  # its own: extended
    assert index.claim_site("milleis", "scan-b", ttl_s=30) is True
    index.release_site("amex-portal", "scan-b")  # not its lock: nothing happens
    assert index.claim_site("amex-portal", "scan-b", ttl_s=30) is False
    index.release_site("amex-portal", "scan-a")
    assert index.claim_site("amex-portal", "scan-b", ttl_s=0.3) is True
    time.sleep(0.5)  # real time: Redis expires keys by its own clock
    assert index.claim_site("amex-portal", "scan-c", ttl_s=30) is True


def test_a_running_scan_whose_heartbeats_stopped_reads_as_failed(index):
    created = scan(status="running", heartbeat_at=clock.iso(clock.now()), heartbeat_s=10)
    index.create(created)
    clock.travel(29)
    assert index.get(created.id).current().status == "running"
    clock.travel(2)
    seen = index.get(created.id).current()
    assert seen.status == "failed"
    assert "its worker was lost" in seen.error


def test_ping_succeeds_on_a_working_index(index):
    index.ping()
