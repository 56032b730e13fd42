"""The rate limiter: at most N events per key and window, counted where the consent store keeps
its data (the same Redis server or cluster, the same SQLite file), so every worker shares a count.

Built on the ``limits`` library: its Redis storages, and ours for SQLite (:mod:`.sqlite_limits`).
Failures surface as :class:`cmp.errors.StorageError`, as the consent store's do.
"""

from limits.errors import ConfigurationError
from limits.errors import StorageError as LimitsStorageError
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from ..errors import ConfigError
from . import keys, sqlite_limits
from .base import storage_errors

REDIS_OPTIONS = {"key_prefix": keys.RATE_PREFIX, "socket_timeout": 2, "socket_connect_timeout": 2}


def _limits_url(url):
    # limits spells a Redis socket redis+unix://; redis-py (and the consent store) unix://.
    return "redis+unix://" + url[len("unix://") :] if url.startswith("unix://") else url


class RateLimiter:
    """Counts events per key against one rule (a ``limits`` item such as ``limits.parse("120/minute")``)."""

    def __init__(self, url, rule):
        self.rule = rule
        self._label = f"rate limiter {url.partition('://')[0]}"
        self._backend_errors = (LimitsStorageError,)  # what limits makes of the storage's own errors
        options = {}
        if not url.startswith("sqlite:"):
            from redis.exceptions import RedisClusterException, RedisError

            # Building a cluster client already talks to the cluster, outside what limits wraps.
            self._backend_errors += (RedisError, RedisClusterException)
            options = REDIS_OPTIONS
        try:
            with storage_errors(self._label, *self._backend_errors):
                self._storage = storage_from_string(_limits_url(url), wrap_exceptions=True, **options)
        except (ConfigurationError, ValueError) as exc:
            raise ConfigError(f"CMP_STORE_URL={url!r}: {exc}") from None
        # Fixed window: one counter per key and window, one atomic increment per hit (a Lua script
        # on Redis, one transaction on SQLite). A moving window keeps a timestamp per hit, up to N
        # per client, for a smoothness this abuse guard does not need; the price of the fixed
        # window is that a client can fit up to 2N hits around a window boundary.
        self._strategy = FixedWindowRateLimiter(self._storage)

    @property
    def limit(self):
        return self.rule.amount

    @property
    def window_s(self):
        return self.rule.get_expiry()

    def hit(self, key):
        """Count one event for ``key``; True while at most :attr:`limit` fell in the current window."""
        with storage_errors(self._label, *self._backend_errors):
            return self._strategy.hit(self.rule, key)

    def test(self, key):
        """True while ``key`` may still have one more event in the current window (counts nothing)."""
        with storage_errors(self._label, *self._backend_errors):
            return self._strategy.test(self.rule, key)

    def close(self):
        if isinstance(self._storage, sqlite_limits.SQLiteStorage):
            self._storage.close()
        else:
            self._storage.get_connection().close()
