"""Consent stores, chosen by URL scheme: ``sqlite:///path``, ``redis://host:port/db`` or
``redis+cluster://host:port`` (any node of a Redis Cluster)."""

from urllib.parse import urlsplit

from ..errors import ConfigError
from .base import DEFAULT_LOG_RETENTION_DAYS, ConsentRecord, ConsentStore

SCHEMES = ("sqlite", "redis", "rediss", "unix", "redis+cluster")


def store_from_url(url, log_retention_days=DEFAULT_LOG_RETENTION_DAYS):
    """Build the store a URL names; an unknown scheme is a :class:`ConfigError`."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        from .sqlite import SQLiteStore

        return SQLiteStore(url, log_retention_days)
    if scheme in ("redis", "rediss", "unix", "redis+cluster"):
        from .redis import RedisStore

        return RedisStore(url, log_retention_days)
    raise ConfigError(
        f"CMP_STORE_URL={url!r}: unknown store scheme {scheme!r}; expected sqlite:///…, redis://… or redis+cluster://…"
    )


__all__ = ["ConsentRecord", "ConsentStore", "store_from_url", "SCHEMES"]
