"""Where jobs run: the settings, the scan index, and the queue (RQ on Redis, or local processes
on the embedded SQLite default)."""

from urllib.parse import urlsplit

from cmp import settings
from cmp.app import store_url
from cmp.errors import ConfigError
from cmp.store.scans import scan_index_from_url

QUEUE_NAME = "cmp-scans"
RQ_SCHEMES = ("redis", "rediss", "unix")


def load_settings():
    return settings.load()


def open_index(values):
    return scan_index_from_url(store_url(values))


def queue_url(values):
    """The Redis URL RQ runs on, or None when scans run as local processes (SQLite store)."""
    if values["QUEUE_URL"]:
        if urlsplit(values["QUEUE_URL"]).scheme not in RQ_SCHEMES:
            raise ConfigError(f"CMP_QUEUE_URL={values['QUEUE_URL']!r}: expected redis://host:port/db")
        return values["QUEUE_URL"]
    scheme = urlsplit(values["STORE_URL"]).scheme
    if scheme in RQ_SCHEMES:
        return values["STORE_URL"]
    if scheme == "redis+cluster":
        raise ConfigError(
            "CMP_QUEUE_URL is needed with a redis+cluster store: RQ runs on one Redis server (redis://host:port/db)"
        )
    return None


def rq_queue(url):
    """The scans' RQ queue on ``url``."""
    import redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis.Redis.from_url(url))
