"""The framework's ceiling: do-nothing Flask endpoints (``bench/ceiling_app.py``) served by
Granian with the consent API's own server settings (:func:`cmp.server.run`), driven by wrk with
the load of ``../shared/bench/api_vs_c15t.sh`` (2 wrk threads, 32 connections, a POST of a
first decision's body to the consent write's URL).

    python bench/framework_ceiling.py --workers 3 --threads 2 --duration 20

Prints one JSON line per app: requests/s, latency percentiles, errors. No store is involved:
the distance between these figures and the consent write's is our own per-request work.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.api_load import wrk  # noqa: E402

BODY = {
    "choices": {"audience": False, "performance": False, "advertising": False},
    "revision": "r1",
    "source": "banner",
    "lang": "fr",
}
APPS = ("flask_app", "flask_json")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target, port, workers, threads):
    """Start Granian the way ``cmpctl serve`` does, on ``target``; returns the process (its own session)."""
    code = (
        "from pathlib import Path; from cmp.server import run; "
        f"run('127.0.0.1', {port}, {workers}, {threads}, target={target!r}, working_dir=Path({str(BENCH)!r}))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    sys.exit(f"{target} did not start on port {port}")


def stop(proc):
    os.killpg(proc.pid, 15)
    proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="app threads per worker")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--wrk-threads", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    for app in APPS:
        port = free_port()
        proc = serve(f"ceiling_app:{app}", port, args.workers, args.threads)
        try:
            result = wrk(
                f"http://127.0.0.1:{port}/v1/sites/amex-portal/consents",
                str(BENCH / "api_write.lua"),
                args.connections,
                args.duration,
                args.wrk_threads,
                {"BENCH_BODY": json.dumps(BODY)},
            )
        finally:
            stop(proc)
        print(json.dumps({"app": app, "workers": args.workers, "threads": args.threads, **result}))


if __name__ == "__main__":
    main()
