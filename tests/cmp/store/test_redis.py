"""What only the Redis backend does: key names with hash tags, TTLs, trimming old history."""

import datetime as dt

import pytest
import redis
from redis.crc import key_slot

from cmp import clock
from cmp.store import keys, store_from_url

from .test_contract import record

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


def test_the_current_decision_expires_by_ttl_and_the_log_after_the_retention(store, raw):
    store.save(record(days=180))
    assert 180 * 86400 - 5 <= raw.ttl(keys.consent("amex-portal", "visitor-0000000001")) <= 180 * 86400
    assert 399 * 86400 <= raw.ttl(keys.history("amex-portal", "visitor-0000000001")) <= 400 * 86400
    assert raw.ttl(keys.log("amex-portal", clock.now().date())) > 400 * 86400


def test_purge_trims_history_entries_older_than_the_retention(store, raw):
    store.save(record())
    clock.travel(dt.timedelta(days=401))
    store.save(record())
    assert raw.llen(keys.history("amex-portal", "visitor-0000000001")) == 2
    assert store.purge() == {"consents": 0, "proofs": 1}
    assert raw.llen(keys.history("amex-portal", "visitor-0000000001")) == 1


def test_an_unreachable_server_is_a_storage_error():
    from cmp.errors import StorageError
    from tests.support.processes import free_port

    store = store_from_url(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(StorageError, match="Redis store"):
        store.ping()
