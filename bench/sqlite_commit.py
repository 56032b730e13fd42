"""Consent writes per second on the SQLite store alone, without HTTP: P processes x T threads each
calling the store's ``save`` (a first decision of a new visitor, its counters and a rate-limit hit)
as fast as it returns, as the API's workers do.

    python bench/sqlite_commit.py --processes 3 --threads 2 --seconds 10
    python bench/sqlite_commit.py --hit limiter   # the hit as its own transaction (the limits storage)

Prints one JSON line: saves/s, latency percentiles, commits/s (how many saves share a commit).
"""

import argparse
import datetime as dt
import json
import multiprocessing
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmp import clock  # noqa: E402
from cmp.store import ConsentRecord, limiter_from_url, store_from_url  # noqa: E402

COUNTS = ("decisions", "refused_all", "source:banner", "lang:fr")


def record(site="amex-portal"):
    now = clock.now()
    return ConsentRecord(
        site=site,
        visitor_id=uuid.uuid4().hex,
        choices={"necessary": True, "audience": False, "performance": False, "advertising": False},
        services={"cmp": True, "piwik-pro": False, "app-insights": False},
        revision="r" * 16,
        decided_at=now,
        expires_at=now + dt.timedelta(days=180),
        source="banner",
        lang="fr",
        text_version="t" * 16,
        user_agent="bench-browser/1.0",
        ip="127.0.0.0",
    )


def writer(url, hit_mode, seconds, threads, out, autocheckpoint):
    import limits

    store = store_from_url(url)
    commits = []  # (saves in the commit, seconds from BEGIN to COMMIT returned)
    group = getattr(store.db, "_group", None)  # None: a store without group commit (to compare)
    if group is not None:
        run_batch = group._run_batch

        def counted(fns):
            start = time.perf_counter()
            try:
                return run_batch(fns)
            finally:
                commits.append((len(fns), time.perf_counter() - start))

        group._run_batch = counted
    limiter = None
    if hit_mode == "limiter":
        limiter = limiter_from_url(url, limits.parse("100000000/minute"))
    hit = None
    if hit_mode == "save":
        from cmp.store.base import Hit

        hit = Hit("w:bench", 100_000_000, 60)
    latencies = []
    deadline = time.monotonic() + seconds

    def run():
        if autocheckpoint is not None:
            store.db.connection().execute(f"PRAGMA wal_autocheckpoint={autocheckpoint}")
        mine = []
        while time.monotonic() < deadline:
            rec = record()
            start = time.perf_counter()
            if limiter is not None:
                limiter.hit("w:bench")
            if hit is not None:
                store.save(rec, COUNTS, hit=hit)
            else:
                store.save(rec, COUNTS)
            mine.append(time.perf_counter() - start)
        latencies.extend(mine)

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put((latencies, commits))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--hit", choices=["save", "limiter", "none"], default="save")
    parser.add_argument("--wal-autocheckpoint", type=int, default=None, help="pages; 0: never (default: SQLite's)")
    parser.add_argument("--dir", default=None, help="folder for the database (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        store_from_url(url).ping()  # create the schema once, before the writers race
        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        procs = [
            ctx.Process(target=writer, args=(url, args.hit, args.seconds, args.threads, out, args.wal_autocheckpoint))
            for _ in range(args.processes)
        ]
        for p in procs:
            p.start()
        latencies, commits = [], []
        for _ in procs:
            mine, theirs = out.get()
            latencies.extend(mine)
            commits.extend(theirs)
        for p in procs:
            p.join()
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000, 2)

    print(
        json.dumps(
            {
                "processes": args.processes,
                "threads": args.threads,
                "hit": args.hit,
                "saves_per_s": round(len(latencies) / args.seconds),
                "p50_ms": pct(50),
                "p90_ms": pct(90),
                "p99_ms": pct(99),
                "max_ms": round(latencies[-1] * 1000, 2),
                "store_commits_per_s": round(len(commits) / args.seconds),
                "saves_per_commit": round(sum(n for n, _ in commits) / max(1, len(commits)), 2),
                "commit_ms_mean": round(sum(s for _, s in commits) / max(1, len(commits)) * 1000, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
