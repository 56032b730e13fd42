"""What a consent save costs the API's own process on Redis: the record built, the save script
sent by ``EVALSHA`` (rate-limit hit and counters included) and its answer read, in a loop of first
decisions, against a throwaway redis-server with the shipped configuration (``deploy/redis.conf``,
AOF with its fsync policy).

    python bench/redis_client_cpu.py --threads 1 --saves 3000
    python bench/redis_client_cpu.py --threads 6 --saves 3000   # as many as the server's app threads

Prints one JSON line: saves/s, and this process's CPU per save (user and system, from
``getrusage``). No HTTP and no Flask: the figure is the store's share of a consent write, on top
of the framework's (``bench/framework_ceiling.py``) and of redis-server's own (``bench/redis_script.py``).
"""

import argparse
import json
import resource
import shutil
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import inventory  # noqa: E402
from cmp import decisions, outcomes  # noqa: E402
from cmp.store import store_from_url  # noqa: E402
from cmp.store.base import Hit  # noqa: E402
from tests.support.processes import RedisServer  # noqa: E402

SITE = "amex-portal"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--saves", type=int, default=3000, help="per thread")
    args = parser.parse_args()
    site = inventory.load_dir(None)[SITE]
    choices, services = decisions.resolve(site, {c.id: False for c in site.categories if c.refusable})
    hit = Hit("w:bench", 10**9, 60)
    tmp = Path(tempfile.mkdtemp(prefix="cmp-bench-client-"))
    server = RedisServer(directory=tmp)
    server.start()
    store = store_from_url(server.url)
    try:

        def save_many():
            for _ in range(args.saves):
                record = decisions.build_record(
                    site, uuid.uuid4().hex, choices, services, "banner", "fr", user_agent="bench", ip="198.51.100.0"
                )
                store.save(record, outcomes.decision_counts(site, record), hit)

        threads = [threading.Thread(target=save_many) for _ in range(args.threads)]
        before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        after, elapsed = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - started
        n = args.saves * args.threads
        print(
            json.dumps(
                {
                    "threads": args.threads,
                    "saves": n,
                    "saves_per_s": round(n / elapsed),
                    "user_us_per_save": round((after.ru_utime - before.ru_utime) / n * 1e6),
                    "system_us_per_save": round((after.ru_stime - before.ru_stime) / n * 1e6),
                }
            )
        )
    finally:
        store.close()
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
