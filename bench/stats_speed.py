"""Consent analytics cost: reading a year of one site's stats with many decisions stored, and
what counting adds to a consent write.

    python bench/stats_speed.py --store sqlite --decisions 1000000
    python bench/stats_speed.py --store redis --decisions 1000000

Seeds the store with ``--decisions`` decisions over the last 365 days through the store's real
``save`` (proof entry, current decision, counters; SQLite seeded with synchronous=OFF to save
time, then read as usual), then times ``stats.report`` for 365 days (``--reads`` times: p50,
p95), then times ``save`` with and without its counters, interleaved, on a fresh store, and a
whole consent write through the service's app (test client, no HTTP server) the same way.
Prints one JSON line per measurement.
"""

import argparse
import datetime as dt
import itertools
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import inventory  # noqa: E402
from cmp import clock, decisions, outcomes, stats  # noqa: E402
from cmp.store import store_from_url  # noqa: E402
from tests.support.processes import RedisServer  # noqa: E402

SITE = "amex-portal"
LANGS = ("fr", "en")
SOURCES = ("banner", "panel", "gpc")


def records(site, count, days, today):
    """``count`` decisions of ``site`` spread evenly over the ``days`` before ``today`` (new
    visitors), cycling through every combination of the refusable categories, both languages and
    three sources: 48 distinct counter combinations a day once a day holds 48 decisions, as a
    busy site would have (reading costs grow with the combinations, not the decisions)."""
    refusable = [c.id for c in site.categories if c.refusable]
    mixes = [
        decisions.resolve(site, dict(zip(refusable, granted, strict=True)))
        for granted in itertools.product((True, False), repeat=len(refusable))
    ]
    variants = [(mix, lang, source) for source in SOURCES for lang in LANGS for mix in mixes]
    start = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(), dt.UTC)
    step = dt.timedelta(days=days) / count
    base = decisions.build_record(site, "bench-visitor-00000000", *mixes[0], "banner", "fr")
    for n in range(count):
        at = start + n * step
        (choices, services), lang, source = variants[n % len(variants)]
        yield base.__class__(
            **{
                **base.__dict__,
                "visitor_id": f"bench-{n:016d}",
                "choices": choices,
                "services": services,
                "lang": lang,
                "source": source,
                "decided_at": at,
                "expires_at": at + dt.timedelta(days=180),
            }
        )


def seed(store, site, count, today, threads=1):
    """Save ``count`` decisions, from ``threads`` threads at once (Redis answers them in
    parallel; one save at a time spends most of its time waiting for the round trip)."""
    stream = iter(records(site, count, 365, today))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                record = next(stream, None)
            if record is None:
                return
            store.save(record, outcomes.decision_counts(site, record))

    started = time.perf_counter()
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


def time_reads(store, site, today, reads):
    first = today - dt.timedelta(days=364)
    timings = []
    for _ in range(reads):
        started = time.perf_counter()
        figures = stats.report(store.counters, site, first, today)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return figures, {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
    }


def time_writes(store, site, today, rounds, batch):
    """Mean ms per save without and with counters, in interleaved batches; medians of the batches."""
    plain, counted = [], []
    stream = records(site, rounds * batch * 2, 1, today + dt.timedelta(days=1))
    for _ in range(rounds):
        for counts, into in ((False, plain), (True, counted)):
            chunk = [next(stream) for _ in range(batch)]
            started = time.perf_counter()
            for record in chunk:
                store.save(record, outcomes.decision_counts(site, record) if counts else ())
            into.append((time.perf_counter() - started) * 1000 / batch)
    without, with_ = statistics.median(plain), statistics.median(counted)
    return {
        "save_ms_without_counters": round(without, 4),
        "save_ms_with_counters": round(with_, 4),
        "overhead_pct": round((with_ / without - 1) * 100, 1),
    }


def time_api_writes(url, rounds, batch):
    """Mean ms per consent write through the service's app (``POST …/consents``, a first
    decision: validation, record, store, token, answer; no HTTP server), with and without its
    counters, in interleaved batches; medians of the batches."""
    from cmp.app import create_app

    app = create_app({"SECRET_KEY": "bench-secret-0123456789", "STORE_URL": url, "RATE_LIMIT": "100000000/minute"})
    client = app.test_client()
    banner = client.get(f"/v1/sites/{SITE}/banner?lang=fr").get_json()
    body = {
        "choices": {c["id"]: False for c in banner["categories"]},
        "revision": banner["revision"],
        "source": "banner",
        "lang": "fr",
    }
    counting = outcomes.decision_counts
    plain, counted = [], []
    try:
        for _ in range(rounds):
            for counts, into in ((False, plain), (True, counted)):
                outcomes.decision_counts = counting if counts else (lambda site, record: ())
                started = time.perf_counter()
                for _ in range(batch):
                    assert client.post(f"/v1/sites/{SITE}/consents", json=body).status_code == 201
                into.append((time.perf_counter() - started) * 1000 / batch)
    finally:
        outcomes.decision_counts = counting
    without, with_ = statistics.median(plain), statistics.median(counted)
    return {
        "write_ms_without_counters": round(without, 4),
        "write_ms_with_counters": round(with_, 4),
        "overhead_pct": round((with_ / without - 1) * 100, 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", choices=["sqlite", "redis"], required=True)
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--seed-threads", type=int, default=1, help="Threads saving the seed decisions.")
    parser.add_argument("--write-rounds", type=int, default=10)
    parser.add_argument("--write-batch", type=int, default=200)
    args = parser.parse_args()
    site = inventory.load_dir(None)[SITE]
    today = clock.utc_day(clock.now())
    tmp = Path(tempfile.mkdtemp(prefix="cmp-bench-stats-"))
    server = None
    try:
        if args.store == "redis":
            server = RedisServer(directory=tmp).start()
            url = fresh = server.url
        else:
            url, fresh = f"sqlite:///{tmp}/seeded.db", f"sqlite:///{tmp}/fresh.db"
        store = store_from_url(url)
        if args.store == "sqlite":
            store.db.connection().execute("PRAGMA synchronous=OFF")  # seeding only; reads are unaffected
        seconds = seed(store, site, args.decisions, today, args.seed_threads)
        print(json.dumps({"store": args.store, "seeded_decisions": args.decisions, "seed_s": round(seconds, 1)}))
        store.close()
        store = store_from_url(url)
        figures, timing = time_reads(store, site, today, args.reads)
        counted = stats.decisions(figures["totals"]) + figures["totals"]["withdrawn"]
        print(json.dumps({"store": args.store, "read": "365 days", "decisions_counted": counted, **timing}))
        store.close()
        if args.store == "redis":
            import redis

            redis.Redis.from_url(url).flushall()
        writes = store_from_url(fresh)
        print(
            json.dumps(
                {
                    "store": args.store,
                    "write": "save",
                    **time_writes(writes, site, today, args.write_rounds, args.write_batch),
                }
            )
        )
        writes.close()
        api = time_api_writes(fresh, args.write_rounds, args.write_batch)
        print(json.dumps({"store": args.store, "write": "API consent write", **api}))
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
