"""Scans as jobs, measured: 20 local sites queued on a real Redis, run by 1, 2 and 4 real
`cmpctl worker --burst` processes (one Chromium each).

    python bench/scan_workers.py --sites 20 --workers 1,2,4

Serves 20 copies of the jobs tests' changing site (3 pages, a cookie and a localStorage key) in
this process, each on its own port and with its own site id (two scans of one site never run at
once), starts a redis-server on a free port, then for each worker
count: empties Redis, queues the 20 scans with `cmpctl scan --enqueue`, starts the workers at
once and waits for them to drain the queue. Prints one JSON line per worker count: wall time
from the workers' start to the last scan's end, throughput, and the longest and median scan.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmp.store.scans import parse_time, scan_index_from_url  # noqa: E402
from tests.jobs.helpers import INVENTORY  # noqa: E402
from tests.jobs.sites import Served, changing_app  # noqa: E402
from tests.support.processes import RedisServer  # noqa: E402


def cmpctl(env, *args):
    done = subprocess.run([sys.executable, "-m", "cmpctl", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"cmpctl {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def inventories(folder, count):
    """``count`` copies of the changing site's inventory, each with a site id of its own."""
    text = INVENTORY.read_text(encoding="utf-8")
    paths = []
    for n in range(count):
        path = Path(folder) / f"bench-site-{n:02d}.yaml"
        path.write_text(text.replace("id: changing-shop", f"id: bench-site-{n:02d}"), encoding="utf-8")
        paths.append(path)
    return paths


def run(env, urls, files, workers):
    import redis

    client = redis.Redis.from_url(env["CMP_STORE_URL"])
    client.flushall()
    client.close()
    ids = [
        cmpctl(env, "scan", url, "--inventory", str(file), "--enqueue").split()[-1]
        for url, file in zip(urls, files, strict=True)
    ]
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "cmpctl", "worker", "--burst"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    for proc in procs:
        proc.wait()
    wall = time.monotonic() - started
    index = scan_index_from_url(env["CMP_STORE_URL"])
    records = [index.get(scan_id) for scan_id in ids]
    index.close()
    durations = [
        (parse_time(r.finished_at) - parse_time(r.started_at)).total_seconds() for r in records if r.finished_at
    ]
    return {
        "workers": workers,
        "scans": len(ids),
        "finished": sum(1 for r in records if r.status == "finished"),
        "wall_s": round(wall, 1),
        "scans_per_min": round(len(ids) / wall * 60, 1),
        "longest_scan_s": round(max(durations), 1),
        "median_scan_s": round(statistics.median(durations), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--workers", default="1,2,4", help="Comma-separated worker counts.")
    args = parser.parse_args()
    redis_server = RedisServer().start()
    sites = [Served(changing_app({"version": 1})).__enter__() for _ in range(args.sites)]
    env = {**os.environ, "CMP_STORE_URL": redis_server.url, "CMP_SCAN_RETRIES": "0"}
    folder = tempfile.mkdtemp(prefix="cmp-bench-sites-")
    files = inventories(folder, args.sites)
    try:
        for workers in [int(w) for w in args.workers.split(",")]:
            print(json.dumps(run(env, [s.url for s in sites], files, workers)), flush=True)
    finally:
        for site in sites:
            site.__exit__(None, None, None)
        redis_server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
