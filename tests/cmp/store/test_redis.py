"""What only the Redis backend does: key names with hash tags, TTLs as a backstop to purge, trimming old
history, rate counters beside the store (the write hits' scope on one server and on a cluster)."""

import datetime as dt

import limits
import pytest
import redis
from redis.crc import key_slot

from cmp import clock
from cmp.errors import StorageError
from cmp.store import keys, limiter_from_url, store_from_url
from cmp.store.base import Hit
from tests.support.processes import free_port

from .test_contract import at_window_start, record

pytestmark = pytest.mark.redis


@pytest.fixture
def raw(redis_url):
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def store(redis_url):
    s = store_from_url(redis_url, log_retention_days=400)
    yield s
    s.close()


def test_a_visitors_keys_share_one_cluster_hash_slot(store, raw):
    store.save(record())
    names = sorted(k.decode() for k in raw.keys("cmp:*"))
    day = clock.now().date().isoformat()
    assert names == [
        f"cmp:{{amex-portal/{day}}}:log",
        "cmp:{amex-portal/visitor-0000000001}:consent",
        "cmp:{amex-portal/visitor-0000000001}:history",
    ]
    assert key_slot(keys.consent("amex-portal", "visitor-0000000001").encode()) == key_slot(
        keys.history("amex-portal", "visitor-0000000001").encode()
    )


def test_keys_outlive_the_moment_purge_deletes_them_by_a_week_of_grace(store, raw):
    store.save(record(days=180))
    week = 7 * 86400
    assert 187 * 86400 - 5 <= raw.ttl(keys.consent("amex-portal", "visitor-0000000001")) <= 187 * 86400
    assert 400 * 86400 + week - 5 <= raw.ttl(keys.history("amex-portal", "visitor-0000000001")) <= 400 * 86400 + week
    assert 401 * 86400 + week - 5 <= raw.ttl(keys.log("amex-portal", clock.now().date())) <= 401 * 86400 + week


def test_purge_trims_history_entries_older_than_the_retention_and_counts_them_once(store, raw):
    store.save(record())
    clock.travel(dt.timedelta(days=401))
    store.save(record())
    assert raw.llen(keys.history("amex-portal", "visitor-0000000001")) == 2
    assert store.purge() == {"consents": 0, "proofs": 1}
    assert raw.llen(keys.history("amex-portal", "visitor-0000000001")) == 1
    assert len(raw.keys("cmp:*:log")) == 1


def test_purge_leaves_rate_limit_counters_to_their_ttl(store, raw, redis_url):
    limiter = limiter_from_url(redis_url, limits.parse("3/minute"))
    limiter.hit("ip-a")
    assert store.purge() == {"consents": 0, "proofs": 0}
    assert [k.decode().startswith(keys.RATE_PREFIX + ":") for k in raw.keys("*")] == [True]
    limiter.close()


def test_an_unreachable_server_is_a_storage_error_for_the_store_and_the_limiter():
    url = f"redis://127.0.0.1:{free_port()}/0"
    with pytest.raises(StorageError, match="Redis store"):
        store_from_url(url).ping()
    with pytest.raises(StorageError, match="rate limiter redis"):
        limiter_from_url(url, limits.parse("3/minute")).hit("ip-a")


def test_a_write_hit_counter_is_one_key_per_client_and_window_that_expires_at_the_windows_end(store, raw):
    at_window_start(60)
    clock.travel(15)
    window = clock.to_ms(clock.now()) // 60_000
    store.save(record(), hit=Hit("w:client-a", 3, 60))
    key = keys.write_hits("w:client-a", window)
    assert [k.decode() for k in raw.keys(f"{keys.RATE_PREFIX}:*")] == [key]
    assert raw.get(key) == b"1"
    assert 44_000 <= raw.pttl(key) <= 45_000


def test_on_one_server_a_clients_write_hits_count_across_sites(store):
    at_window_start(60)
    hit = Hit("w:client-a", 1, 60)
    assert store.save(record(site="amex-portal"), hit=hit) is True
    assert store.save(record(site="milleis"), hit=hit) is False


def test_on_a_cluster_a_clients_write_hits_count_per_site_in_the_slot_of_the_days_log(redis_cluster_url):
    cluster = store_from_url(redis_cluster_url)
    at_window_start(60)
    hit = Hit("w:client-a", 1, 60)
    try:
        answers = [
            cluster.save(record(site=site, visitor=f"{site}-visitor-01"), hit=hit)
            for site in ("amex-portal", "milleis")
        ]
        answers.append(cluster.save(record(site="milleis", visitor="milleis-visitor-02"), hit=hit))
    finally:
        cluster.close()
    assert answers == [True, True, False]
    day, window = clock.utc_day(clock.now()), clock.to_ms(clock.now()) // 60_000
    assert key_slot(keys.write_hits("w:client-a", window, "milleis", day).encode()) == key_slot(
        keys.log("milleis", day).encode()
    )
