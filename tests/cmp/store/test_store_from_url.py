"""Choosing a backend by URL: unknown schemes and a missing Redis client are configuration errors."""

import sys

import limits
import pytest

from cmp.errors import ConfigError
from cmp.store import limiter_from_url, store_from_url

EXTRA = "pip install 'cmp-consent[redis]'"


def test_an_unknown_scheme_is_a_configuration_error_naming_the_setting():
    with pytest.raises(ConfigError, match="CMP_STORE_URL='mongodb://x'.*unknown store scheme 'mongodb'"):
        store_from_url("mongodb://x")
    with pytest.raises(ConfigError, match="CMP_STORE_URL='mongodb://x'.*unknown store scheme 'mongodb'"):
        limiter_from_url("mongodb://x", limits.parse("3/minute"))


@pytest.mark.parametrize("url", ["redis://127.0.0.1:1/0", "redis+cluster://127.0.0.1:1", "unix:///tmp/redis.sock"])
def test_a_redis_url_without_the_redis_extra_names_the_extra(monkeypatch, url):
    monkeypatch.setitem(sys.modules, "redis", None)  # what `import redis` meets when it is not installed
    with pytest.raises(ConfigError) as store_error:
        store_from_url(url)
    assert str(store_error.value) == f"CMP_STORE_URL={url!r}: the Redis store needs the redis extra: {EXTRA}"
    with pytest.raises(ConfigError) as limiter_error:
        limiter_from_url(url, limits.parse("3/minute"))
    assert str(limiter_error.value) == str(store_error.value)
