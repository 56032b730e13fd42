"""What only the Redis scan index does: key names with hash tags, errors as StorageError."""

import pytest
import redis
from redis.crc import key_slot

from cmp.errors import StorageError
from cmp.store import keys
from cmp.store.scans import scan_index_from_url
from tests.support.processes import free_port

from .test_scans_contract import scan

pytestmark = pytest.mark.redis


def test_a_scans_record_report_and_deliveries_share_one_slot_apart_from_consent_keys(redis_url):
    index = scan_index_from_url(redis_url)
    created = scan()
    index.create(created)
    index.save_report(created.id, {"items": []})
    index.add_delivery(created.id, {"attempt": 1})
    client = redis.Redis.from_url(redis_url)
    names = sorted(k.decode() for k in client.keys("cmp:*"))
    client.close()
    index.close()
    assert names == [
        f"cmp:scans:{{{created.id}}}:deliveries",
        f"cmp:scans:{{{created.id}}}:record",
        f"cmp:scans:{{{created.id}}}:report",
        "cmp:scans:{site/amex-portal}:index",
    ]
    assert len({key_slot(n.encode()) for n in names[:3]}) == 1
    assert not any(n.startswith(keys.STORE_PATTERN.rstrip("*")) for n in names)  # consent purge walks past them


def test_an_unreachable_redis_is_a_storage_error():
    index = scan_index_from_url(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(StorageError, match="Redis scan index"):
        index.list("amex-portal")
