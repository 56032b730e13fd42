"""Run ``cmpctl`` as a user does (a subprocess with its environment) and wait for scans to end."""

# The test sites set every cookie and storage item as their pages load, none on a timer: the
# scans need no --grace after each load (the scanner's own tests cover cookies set late).

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.support.processes import ROOT

INVENTORY = Path(__file__).parent / "changing-shop.yaml"
ENDED = ("finished", "failed")


def cmpctl(env, *args, timeout=120, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "cmpctl", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"cmpctl {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result


def enqueue(env, url, *extra):
    """Queue a scan of ``url`` with the changing site's inventory; its id (the last line printed)."""
    args = ["scan", url, "--inventory", str(INVENTORY), "--enqueue", "--timeout", "10", "--grace", "0", *extra]
    out = cmpctl(env, *args).stdout
    return out.strip().splitlines()[-1]


def show(env, scan_id):
    return json.loads(cmpctl(env, "scans", "show", scan_id, "--json").stdout)


def record(env, scan_id):
    """The scan as the index holds it now, read in this process: cheap enough to poll (a ``cmpctl``
    process per look would cost the machine more than the scan being waited for)."""
    from cmp.store.scans import scan_index_from_url

    index = scan_index_from_url(env["CMP_STORE_URL"])
    try:
        found = index.get(scan_id)
    finally:
        index.close()
    if found is None:
        raise AssertionError(f"no scan {scan_id}")
    return found.current()


def wait_for_status(env, scan_id, statuses=ENDED, timeout=90):
    """Wait until the scan is in one of ``statuses``; then what ``cmpctl scans show --json`` says."""
    deadline = time.monotonic() + timeout
    while record(env, scan_id).status not in statuses:
        if time.monotonic() > deadline:
            raise AssertionError(f"scan {scan_id} still {record(env, scan_id)} after {timeout}s")
        time.sleep(0.1)
    return show(env, scan_id)
