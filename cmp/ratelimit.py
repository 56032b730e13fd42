"""Per-client-IP limit on consent writes, counted in the consent store so every worker shares it."""

import hashlib

from flask import current_app

from .errors import RateLimited
from .http import client_ip


def check_write_limit():
    rule = current_app.config["RATE_LIMIT"]
    if rule is None:
        return
    limit, window_s = rule
    # The key is a digest: the rate table never holds a raw address.
    key = "w:" + hashlib.blake2b(client_ip().encode(), digest_size=8).hexdigest()
    if current_app.extensions["cmp.store"].hit(key, window_s) > limit:
        raise RateLimited(
            f"more than {limit} consent writes in {window_s} s from this address; slow down",
            headers={"Retry-After": str(window_s)},
        )
