"""The Redis side's ceiling for a consent write: redis-benchmark (Debian's) calling the real save
script (``cmp.store.redis.SAVE_SCRIPT``, by EVALSHA) with a realistic record, rate-limit hit and
counters, against a throwaway redis-server with AOF and the fsync policy of ``deploy/redis.conf``.

    python bench/redis_script.py --clients 32 --requests 200000
    python bench/redis_script.py --counts per-name   # counters as before issue #11, one field per name

Every call is a new visitor (redis-benchmark's ``__rand_int__`` in the visitor's keys). Prints
one JSON line per run: calls/s and latency percentiles as redis-benchmark reports them, and the
server's CPU time per call (from INFO, user + system: fsync waits apart, the figure that moves
least with the machine's load). No Python runs per call: what the API adds on top is its own work.
"""

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import inventory  # noqa: E402
from cmp import clock, decisions, outcomes  # noqa: E402
from cmp.store import keys  # noqa: E402
from cmp.store.base import Hit, window  # noqa: E402
from cmp.store.redis import SAVE_SCRIPT, RedisStore  # noqa: E402
from tests.support.processes import RedisServer  # noqa: E402

SITE = "amex-portal"
VISITOR = "bench-visitor-__rand_int__"  # redis-benchmark puts a random number there on each call


def fsync_policy():
    conf = (ROOT / "deploy" / "redis.conf").read_text().splitlines()
    return next((line.split()[1] for line in conf if line.startswith("appendfsync ")), "everysec")


def evalsha_args(sha, counts):
    """The EVALSHA command :meth:`RedisStore.save` sends for a first decision with a write limit."""
    site = inventory.load_dir(None)[SITE]
    choices, services = decisions.resolve(site, {c.id: False for c in site.categories if c.refusable})
    record = decisions.build_record(
        site, VISITOR, choices, services, "banner", "fr", user_agent="Mozilla/5.0 (bench)", ip="198.51.100.0"
    )
    names = {
        "combined": outcomes.decision_counts(site, record),
        "per-name": outcomes.decision_counters(site, record),
        "none": (),
    }[counts]
    store = RedisStore.__new__(RedisStore)  # only for its TTL rule: no connection
    store.log_retention_days = 1826
    now_ms = clock.to_ms(clock.now())
    hit = Hit("w:0123456789abcdef", 1_000_000_000, 60)
    index, left_ms = window(hit, now_ms)
    day = clock.utc_day(record.decided_at)
    script_keys = [
        keys.log(SITE, day),
        keys.consent(SITE, VISITOR),
        keys.history(SITE, VISITOR),
        keys.counters(SITE, day),
        keys.write_hits(hit.key, index),
    ]
    args = [record.dumps(), *store._ttls_ms(record, now_ms), hit.limit, left_ms, *names]
    return ["EVALSHA", sha, str(len(script_keys)), *script_keys, *map(str, args)]


def cpu_s(port):
    """The server's CPU time so far, user + system, in seconds."""
    info = subprocess.run(["redis-cli", "-p", str(port), "INFO", "cpu"], capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return float(fields["used_cpu_user"]) + float(fields["used_cpu_sys"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--counts", choices=["combined", "per-name", "none"], default="combined")
    parser.add_argument("--appendfsync", default=fsync_policy(), help="default: deploy/redis.conf's")
    args = parser.parse_args()
    if shutil.which("redis-benchmark") is None:
        sys.exit("redis-benchmark is not installed: apt-get install redis-tools")
    tmp = Path(tempfile.mkdtemp(prefix="cmp-bench-script-"))
    server = RedisServer(directory=tmp)
    server.extra_args = ["--appendonly", "yes", "--appendfsync", args.appendfsync, "--save", ""]
    server.start()
    try:
        load = subprocess.run(
            ["redis-cli", "-p", str(server.port), "SCRIPT", "LOAD", SAVE_SCRIPT], capture_output=True, text=True
        )
        sha = load.stdout.strip()
        command = ["redis-benchmark", "-p", str(server.port), "-c", str(args.clients), "-n", str(args.requests)]
        command += ["-r", "100000000", "--csv", *evalsha_args(sha, args.counts)]
        started, cpu = time.perf_counter(), cpu_s(server.port)
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()
        elapsed, cpu = time.perf_counter() - started, cpu_s(server.port) - cpu
        # The first column repeats the command, record and all, unquoted: the figures are the last seven.
        header = next(csv.reader(out[:1]))[1:]
        values = [value.strip('"') for value in out[-1].rsplit(",", len(header))[1:]]
        figures = dict(zip(header, values, strict=True))
        print(
            json.dumps(
                {
                    "counts": args.counts,
                    "appendfsync": args.appendfsync,
                    "clients": args.clients,
                    "calls": args.requests,
                    "calls_per_s": float(figures["rps"]),
                    "p50_ms": float(figures["p50_latency_ms"]),
                    "p99_ms": float(figures["p99_latency_ms"]),
                    "server_cpu_us_per_call": round(cpu / args.requests * 1e6, 1),
                    "elapsed_s": round(elapsed, 1),
                }
            )
        )
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
