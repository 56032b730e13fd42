"""Consent stores and the rate limiter beside them, chosen by the store URL's scheme:
``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``, ``redis://host:port/db`` or
``redis+cluster://host:port`` (any node of a Redis Cluster)."""

from urllib.parse import urlsplit

from ..errors import ConfigError
from .base import DEFAULT_LOG_RETENTION_DAYS, ConsentRecord, ConsentStore

REDIS_SCHEMES = ("redis", "rediss", "unix", "redis+cluster")


def _backend(url):
    """``"sqlite"`` or ``"redis"`` for a store URL; a :class:`ConfigError` for anything else."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in REDIS_SCHEMES:
        try:
            import redis  # noqa: F401
        except ImportError:
            raise ConfigError(
                f"CMP_STORE_URL={url!r}: the Redis store needs the redis extra: pip install 'cmp-consent[redis]'"
            ) from None
        return "redis"
    raise ConfigError(
        f"CMP_STORE_URL={url!r}: unknown store scheme {scheme!r}; expected sqlite:///…, redis://… or redis+cluster://…"
    )


def store_from_url(url, log_retention_days=DEFAULT_LOG_RETENTION_DAYS):
    """Build the consent store a URL names."""
    if _backend(url) == "sqlite":
        from .sqlite import SQLiteStore

        return SQLiteStore(url, log_retention_days)
    from .redis import RedisStore

    return RedisStore(url, log_retention_days)


def limiter_from_url(url, rule):
    """Build a rate limiter for ``rule`` (a ``limits`` item) counting where the store at ``url`` lives."""
    _backend(url)
    from .limiter import RateLimiter

    return RateLimiter(url, rule)


__all__ = ["ConsentRecord", "ConsentStore", "limiter_from_url", "store_from_url"]
