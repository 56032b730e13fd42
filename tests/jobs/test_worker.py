"""Scans as RQ jobs on a real Redis, run by real `cmpctl worker` processes driving real Chromium:
queued, run with progress, and never left "running" by a worker killed mid-scan."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.support.processes import ROOT, wait_for

from .helpers import cmpctl, enqueue, record, show, wait_for_status
from .sites import Served, changing_app, slow_app

pytestmark = [pytest.mark.redis, pytest.mark.browser]


@pytest.fixture
def env(redis_url):
    return {"CMP_STORE_URL": redis_url, "CMP_SCAN_HEARTBEAT_S": "1", "CMP_SCAN_RETRIES": "1"}


def test_a_queued_scan_waits_for_a_worker_which_runs_it_and_keeps_its_report(env):
    with Served(changing_app({"version": 1})) as site:
        scan_id = enqueue(env, site.url)
        assert show(env, scan_id)["status"] == "queued"
        cmpctl(env, "worker", "--burst", timeout=180)
        scan = show(env, scan_id)
    assert scan["status"] == "finished", scan
    assert scan["attempts"] == 1
    assert scan["progress"]["pages_done"] >= 3
    assert scan["summary"]["items"] == 2
    assert scan["report"]["target"] == site.url


def test_the_job_carries_a_timeout_bounded_retries_and_its_progress_in_meta(env):
    import redis
    from rq.job import Job

    with Served(changing_app({"version": 1})) as site:
        scan_id = enqueue(env, site.url)
        connection = redis.Redis.from_url(env["CMP_STORE_URL"])
        job = Job.fetch(scan_id, connection=connection)
        assert job.func_name == "jobs.scan.run_scan"
        assert job.args == (scan_id,)
        assert job.timeout == 1800
        assert job.retries_left == 1
        cmpctl(env, "worker", "--burst", timeout=180)
    job = Job.fetch(scan_id, connection=connection)
    assert job.get_status() == "finished"
    assert job.get_meta()["progress"]["pages_done"] >= 3
    connection.close()


def kill_session(leader):
    """kill -9 of every process of the worker's session: the worker, the work horse RQ forked for
    the job (in a process group of its own) and its browser, as when a machine dies."""
    listed = subprocess.run(["ps", "-o", "pid=", "-s", str(leader)], capture_output=True, text=True).stdout
    for pid in [int(p) for p in listed.split()]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.slow
def test_a_worker_killed_mid_scan_leaves_a_failed_or_retried_job_never_a_running_one(env):
    import redis
    from rq.job import Job
    from rq.registry import StartedJobRegistry

    with Served(slow_app(delay_s=1.0)) as site:
        scan_id = enqueue(env, site.url, "--max-pages", "40")
        worker = subprocess.Popen(
            [sys.executable, "-m", "cmpctl", "worker", "--burst"],
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(lambda: record(env, scan_id).progress.get("pages_done", 0) >= 2, timeout=60, what="scan")
            assert show(env, scan_id)["status"] == "running"
        finally:
            kill_session(worker.pid)
            worker.wait()
        scan = wait_for_status(env, scan_id, timeout=20)
    assert scan["status"] == "failed"
    assert "its worker was lost" in scan["error"]
    # Later, a worker's maintenance finds the job abandoned: RQ retries it (one retry left) or fails it.
    connection = redis.Redis.from_url(env["CMP_STORE_URL"])
    job = Job.fetch(scan_id, connection=connection)
    StartedJobRegistry(job.origin, connection=connection).cleanup(timestamp=time.time() + 3600)
    assert job.get_status(refresh=True) in ("scheduled", "queued", "failed")
    connection.close()
