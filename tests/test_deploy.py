"""The shipped Redis configuration keeps every acknowledged consent: checked on a real
redis-server started with it, not by reading the file."""

import pytest
import redis

pytestmark = pytest.mark.redis


def test_the_shipped_redis_configuration_fsyncs_every_write_and_never_evicts(redis_server):
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    try:
        settings = {name: client.config_get(name)[name] for name in ("appendonly", "appendfsync", "maxmemory-policy")}
    finally:
        client.close()
    assert settings == {"appendonly": "yes", "appendfsync": "always", "maxmemory-policy": "noeviction"}
