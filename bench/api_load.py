"""Load benchmark of the consent API: writes (first decisions), reads (current decision with
a token) and the banner configuration (what the generic widget tag fetches), served by the
production server (`cmpctl serve`, Granian), driven by wrk.

    python bench/api_load.py --store redis --workers 4 --connections 32 --duration 15

Prints one JSON line per scenario: requests/s, latency percentiles, errors.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.processes import RedisServer, ServiceProcess  # noqa: E402

SITE = "amex-portal"


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output):
    result = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        result[f"p{pct}_ms"] = round(_ms(*m.groups()), 2)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    result["socket_errors"] = sum(map(int, socket_errors.groups())) if socket_errors else 0
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    return result


def service_rss_mib(service):
    """Resident memory of each process of the server's session (the Granian main process and its
    workers), in MiB, largest first."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            pid = int(status.parent.name)
            if os.getsid(pid) != service.proc.pid:
                continue
            kb = next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmRSS:"))
        except (OSError, StopIteration, ValueError):
            continue
        sizes.append(round(kb / 1024, 1))
    return sorted(sizes, reverse=True)


def wrk(url, script, connections, duration, threads, env):
    completed = subprocess.run(
        ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "-s", script, url],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    return parse_wrk(completed.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["redis", "sqlite"], default="redis")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="app threads per worker")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--wrk-threads", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="cmp-bench-"))
    redis_server = None
    if args.store == "redis":
        redis_server = RedisServer(directory=tmp).start()
        store_url = redis_server.url
    else:
        store_url = f"sqlite:///{tmp}/consents.db"
    # The write limit stays on (counted in the save script, part of the cost) but high enough
    # that one load generator on one address is never limited.
    env = {"CMP_SECRET_KEY": "bench-secret", "CMP_STORE_URL": store_url, "CMP_RATE_LIMIT": "100000000/minute"}
    service = ServiceProcess(env, workers=args.workers, threads=args.threads).start()
    try:
        with urllib.request.urlopen(f"{service.url}/v1/sites/{SITE}/banner") as r:
            revision = json.loads(r.read())["revision"]
        body = json.dumps(
            {
                "choices": {"audience": True, "performance": False, "advertising": False},
                "revision": revision,
                "source": "banner",
                "lang": "fr",
            }
        )
        request = urllib.request.Request(
            f"{service.url}/v1/sites/{SITE}/consents", data=body.encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request) as r:
            created = json.loads(r.read())
        common = {
            "store": args.store,
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "duration_s": args.duration,
        }
        scenarios = (
            ("write", "/consents", "api_write.lua", {"BENCH_BODY": body}),
            ("read", f"/consents/{created['visitor_id']}", "api_read.lua", {"BENCH_TOKEN": created["token"]}),
            ("banner", "/banner?lang=fr", "api_get.lua", {}),
        )
        for name, path, script, env in scenarios:
            url, lua = f"{service.url}/v1/sites/{SITE}{path}", str(ROOT / "bench" / script)
            result = wrk(url, lua, args.connections, args.duration, args.wrk_threads, env)
            print(json.dumps({"scenario": name, **common, **result}))
        sizes = service_rss_mib(service)
        memory = {"server_rss_mib": round(sum(sizes), 1), "process_rss_mib": sizes}
        print(json.dumps({"scenario": "memory", **common, **memory}))
    finally:
        service.stop()
        if redis_server:
            redis_server.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
