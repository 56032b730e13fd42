"""Schedules: per-site recurring scans kept as data, run by RQ's scheduler on Redis and by the
worker's loop on SQLite, never two scans of one site at once."""

import datetime as dt
import json
import shutil
import time

import pytest

from cmp import clock
from cmp.store.scans import parse_time, scan_index_from_url

from .helpers import INVENTORY, cmpctl, show, wait_for_status
from .sites import Served, changing_app


@pytest.fixture
def env(tmp_path):
    folder = tmp_path / "sites"
    folder.mkdir()
    shutil.copy(INVENTORY, folder / INVENTORY.name)
    return {
        "CMP_STORE_URL": f"sqlite:///{tmp_path / 'cmp.db'}",
        "CMP_INVENTORY_DIR": str(folder),
        "CMP_SCAN_HEARTBEAT_S": "1",
    }


def schedules(env):
    return json.loads(cmpctl(env, "schedule", "list", "--json").stdout)


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "cmpctl: give exactly one of --every INTERVAL or --cron EXPRESSION\n"),
        (
            ["--every", "1d", "--cron", "0 3 * * *"],
            "cmpctl: give exactly one of --every INTERVAL or --cron EXPRESSION\n",
        ),
        (["--every", "3 days"], "cmpctl: --every '3 days': expected a number and a unit: 90s, 30m, 6h, 1d or 1w\n"),
        (
            ["--cron", "0 25 * * *"],
            "cmpctl: --cron '0 25 * * *': expected five fields: minute hour day-of-month month day-of-week, "
            "e.g. '0 3 * * *'\n",
        ),
    ],
)
def test_a_schedule_needs_one_valid_interval_or_cron_expression(env, args, message):
    result = cmpctl(env, "schedule", "add", "changing-shop", "https://shop.example/", *args, check=False)
    assert (result.returncode, result.stderr) == (2, message)
    assert schedules(env) == []


def test_an_unknown_site_is_refused(env):
    result = cmpctl(env, "schedule", "add", "nope", "https://shop.example/", "--every", "1d", check=False)
    assert (result.returncode, result.stderr) == (2, "cmpctl: --site 'nope': no such site; known: changing-shop\n")


def test_schedules_are_added_listed_and_removed(env):
    added = cmpctl(env, "schedule", "add", "changing-shop", "https://shop.example/", "--cron", "0 3 * * *").stdout
    schedule_id = added.strip().splitlines()[-1]
    [listed] = schedules(env)
    assert (listed["id"], listed["site"], listed["url"], listed["cron"]) == (
        schedule_id,
        "changing-shop",
        "https://shop.example/",
        "0 3 * * *",
    )
    due = parse_time(listed["next_at"])
    assert (due.hour, due.minute) == (3, 0)
    assert dt.timedelta(0) < due - clock.now() <= dt.timedelta(days=1)
    assert cmpctl(env, "schedule", "remove", schedule_id).stdout == f"removed schedule {schedule_id}\n"
    assert schedules(env) == []
    again = cmpctl(env, "schedule", "remove", schedule_id, check=False)
    assert (again.returncode, again.stderr) == (
        2,
        f"cmpctl: no schedule {schedule_id!r}; `cmpctl schedule list` lists them\n",
    )


def test_a_due_run_is_skipped_while_another_scan_holds_the_site(env):
    cmpctl(env, "schedule", "add", "changing-shop", "https://shop.example/", "--every", "1h")
    index = scan_index_from_url(env["CMP_STORE_URL"])
    assert index.claim_site("changing-shop", "a-scan-already-running", ttl_s=60)
    # Due a second ago (schedules are data): no sleeping, and an interval long enough that the
    # next run falls after the skip however slowly the worker gets there.
    [added] = index.schedules()
    index.save_schedule({**added, "next_at": clock.iso(clock.now() - dt.timedelta(seconds=1))})
    cmpctl(env, "worker", "--burst")
    [schedule] = schedules(env)
    assert schedule["last_skipped_at"] is not None
    assert schedule["last_scan_id"] is None
    assert index.list("changing-shop") == []
    assert parse_time(schedule["next_at"]) > parse_time(schedule["last_skipped_at"])
    index.close()


@pytest.mark.browser
def test_on_sqlite_the_workers_loop_starts_a_due_schedules_scan(env):
    with Served(changing_app({"version": 1})) as site:
        # --depth 0: the schedule's run is what is tested here, not the crawl (tests/scanner's).
        cmpctl(env, "schedule", "add", "changing-shop", site.url, "--every", "1s", "--timeout", "10", "--depth", "0")
        time.sleep(1.2)
        cmpctl(env, "worker", "--burst")
        [schedule] = schedules(env)
        scan = wait_for_status(env, schedule["last_scan_id"])
    assert (scan["status"], scan["schedule_id"], scan["url"]) == ("finished", schedule["id"], site.url)


@pytest.mark.redis
@pytest.mark.browser
def test_on_redis_rqs_scheduler_runs_a_due_schedule_and_queues_its_next_run(env, redis_url):
    import redis
    from rq import Queue
    from rq.registry import ScheduledJobRegistry

    env = {**env, "CMP_STORE_URL": redis_url}
    with Served(changing_app({"version": 1})) as site:
        cmpctl(env, "schedule", "add", "changing-shop", site.url, "--every", "2s", "--timeout", "10", "--depth", "0")
        time.sleep(2.5)
        cmpctl(env, "worker", "--burst", timeout=180)
        [schedule] = schedules(env)
        scan = show(env, schedule["last_scan_id"])
    assert (scan["status"], scan["schedule_id"]) == ("finished", schedule["id"])
    connection = redis.Redis.from_url(redis_url)
    queued = ScheduledJobRegistry(queue=Queue("cmp-scans", connection=connection)).get_job_ids()
    connection.close()
    assert queued == [f"schedule-{schedule['id']}-{clock.to_ms(parse_time(schedule['next_at']))}"]
