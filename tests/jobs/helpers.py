"""Run ``cmpctl`` as a user does (a subprocess with its environment) and wait for scans to end."""

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
    out = cmpctl(env, "scan", url, "--inventory", str(INVENTORY), "--enqueue", "--timeout", "10", *extra).stdout
    return out.strip().splitlines()[-1]


def show(env, scan_id):
    return json.loads(cmpctl(env, "scans", "show", scan_id, "--json").stdout)


def wait_for_status(env, scan_id, statuses=ENDED, timeout=90):
    deadline = time.monotonic() + timeout
    while True:
        scan = show(env, scan_id)
        if scan["status"] in statuses:
            return scan
        if time.monotonic() > deadline:
            raise AssertionError(f"scan {scan_id} still {scan['status']} after {timeout}s: {scan}")
        time.sleep(0.5)
