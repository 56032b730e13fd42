"""Per-client-IP limit on consent writes, counted beside the consent store so every worker shares it."""

import hashlib

from flask import current_app

from .errors import RateLimited
from .http import client_ip
from .store import limiter_from_url


def init_app(app, store_url, rule):
    """Count consent writes against ``rule`` (a ``limits`` item, None when off) where ``store_url`` points."""
    app.extensions["cmp.limiter"] = None if rule is None else limiter_from_url(store_url, rule)


def check_write_limit():
    limiter = current_app.extensions["cmp.limiter"]
    if limiter is None:
        return
    # The key is a digest: the rate counters never hold a raw address.
    key = "w:" + hashlib.blake2b(client_ip().encode(), digest_size=8).hexdigest()
    if not limiter.hit(key):
        raise RateLimited(
            f"more than {limiter.limit} consent writes in {limiter.window_s} s from this address; slow down",
            headers={"Retry-After": str(limiter.window_s)},
        )
