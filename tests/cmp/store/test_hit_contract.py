"""``save(record, counts, hit)``: the rate-limit hit counted in the decision's own write. Part of
the store contract; SQLite runs it here until every backend's ``save`` takes ``hit``."""

import sqlite3

import pytest

from cmp import clock
from cmp.store import store_from_url
from cmp.store.base import Hit

from .test_contract import record


@pytest.fixture(params=["sqlite"])
def store(request):
    s = store_from_url(request.getfixturevalue(f"{request.param}_url"))
    yield s
    s.close()


def at_window_start(window_s):
    """Move the clock to the first second of a ``window_s`` window, so a test fits in it."""
    window_ms = window_s * 1000
    clock.travel((window_ms - clock.to_ms(clock.now()) % window_ms + 1000) / 1000)


def test_saves_are_written_while_the_window_holds_at_most_the_limit(store):
    at_window_start(60)
    hit = Hit("w:ip-a", 3, 60)
    answers = [store.save(record(visitor=f"visitor-{i:013d}"), ("decisions",), hit=hit) for i in range(5)]
    assert answers == [True, True, True, False, False]
    assert [store.get("amex-portal", f"visitor-{i:013d}") is not None for i in range(5)] == [True] * 3 + [False] * 2


def test_a_refused_save_writes_nothing_of_the_decision(store):
    at_window_start(60)
    hit = Hit("w:ip-a", 1, 60)
    assert store.save(record(visitor="visitor-0000000001"), ("decisions",), hit=hit) is True
    refused = record(visitor="visitor-0000000002")
    assert store.save(refused, ("decisions",), hit=hit) is False
    assert store.get("amex-portal", refused.visitor_id) is None
    assert store.history("amex-portal", refused.visitor_id) == []
    assert store.counters.read("amex-portal", clock.utc_day(refused.decided_at), clock.utc_day(refused.decided_at)) == {
        clock.utc_day(refused.decided_at): {"decisions": 1}
    }


def test_each_key_has_its_own_count(store):
    at_window_start(60)
    assert store.save(record(visitor="visitor-0000000001"), hit=Hit("w:ip-a", 1, 60)) is True
    assert store.save(record(visitor="visitor-0000000002"), hit=Hit("w:ip-b", 1, 60)) is True
    assert store.save(record(visitor="visitor-0000000003"), hit=Hit("w:ip-a", 1, 60)) is False


def test_windows_are_fixed_and_a_new_one_starts_from_zero(store):
    at_window_start(60)
    hit = Hit("w:ip-a", 2, 60)
    assert [store.save(record(visitor=f"visitor-a{i:012d}"), hit=hit) for i in range(3)] == [True, True, False]
    clock.travel(57)  # still the same window: refused hits count too
    assert store.save(record(visitor="visitor-b000000000001"), hit=hit) is False
    clock.travel(2)  # the next window
    assert [store.save(record(visitor=f"visitor-c{i:012d}"), hit=hit) for i in range(3)] == [True, True, False]


def test_without_a_hit_nothing_is_counted_and_save_returns_true(store):
    assert store.save(record()) is True


def test_sqlite_keeps_the_hit_in_the_rate_limit_table_until_its_window_ends(sqlite_url):
    store = store_from_url(sqlite_url)
    at_window_start(60)
    window_end = (clock.to_ms(clock.now()) // 60_000 + 1) * 60_000
    store.save(record(), hit=Hit("w:ip-a", 5, 60))
    conn = sqlite3.connect(store.db.path)
    assert conn.execute("SELECT key, hits, expires_at FROM rate_limits").fetchall() == [("w:ip-a", 1, window_end)]
    store.close()


def test_sqlite_deletes_expired_windows_when_a_window_starts(sqlite_url):
    store = store_from_url(sqlite_url)
    at_window_start(60)
    store.save(record(visitor="visitor-0000000001"), hit=Hit("w:ip-a", 5, 60))
    clock.travel(60)
    store.save(record(visitor="visitor-0000000002"), hit=Hit("w:ip-b", 5, 60))
    conn = sqlite3.connect(store.db.path)
    assert [key for (key,) in conn.execute("SELECT key FROM rate_limits")] == ["w:ip-b"]
    store.close()
