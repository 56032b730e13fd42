"""Per-client limits, counted beside the consent store so every worker shares them: consent
writes per IP, banner displays per IP (the widget's beacon), failed console logins per account
and per IP.

A consent write's hit is counted by the store's own ``save``, in the same write as the decision
(:class:`cmp.store.base.Hit`: one round trip); the others by a ``limits`` limiter beside it.
"""

import copy
import hashlib

from flask import current_app

from .errors import RateLimited
from .http import client_ip
from .store import limiter_from_url
from .store.base import Hit

LOGIN_IP_FACTOR = 4  # one address may try a few accounts (an office behind one NAT)


def _sharing(limiter, rule):
    """Another limiter counting against ``rule`` in the same storage as ``limiter``."""
    other = copy.copy(limiter)
    other.rule = rule
    return other


def init_app(app, store_url, values):
    """Limiters for the rules the settings give (a ``limits`` item each, None when off), all
    counting where ``store_url`` points, in one storage."""
    write = values["RATE_LIMIT"]
    app.extensions["cmp.write_limit"] = None if write is None else (write.amount, write.get_expiry())
    login = values["CONSOLE_LOGIN_LIMIT"]
    rules = {
        "cmp.shown_limiter": values["SHOWN_RATE_LIMIT"],
        "cmp.login_limiter": login,
        "cmp.login_ip_limiter": None if login is None else type(login)(login.amount * LOGIN_IP_FACTOR, login.multiples),
    }
    first = None
    for name, rule in rules.items():
        if rule is None:
            app.extensions[name] = None
            continue
        app.extensions[name] = first = limiter_from_url(store_url, rule) if first is None else _sharing(first, rule)


def _key(prefix, value):
    # A digest: the rate counters never hold a raw address or e-mail.
    return prefix + hashlib.blake2b(value.encode(), digest_size=8).hexdigest()


def close(app):
    """Close the limiters' storage (they share one)."""
    for name in ("cmp.shown_limiter", "cmp.login_limiter"):
        if app.extensions[name] is not None:
            app.extensions[name].close()
            return


def write_hit(ip):
    """This consent write's :class:`Hit` for ``ConsentStore.save`` from the client at ``ip``, or
    None when writes are not limited."""
    limit = current_app.extensions["cmp.write_limit"]
    return None if limit is None else Hit(_key("w:", ip), *limit)


def write_refused(hit):
    """The error for a consent write ``save`` refused for ``hit``."""
    return _refused(hit.limit, hit.window_s, "consent writes")


def check_shown_limit():
    limiter = current_app.extensions["cmp.shown_limiter"]
    if limiter is not None and not limiter.hit(_key("s:", client_ip())):
        raise _refused(limiter.limit, limiter.window_s, "banner displays")


def _refused(limit, window_s, what):
    return RateLimited(
        f"more than {limit} {what} in {window_s} s from this address; slow down",
        headers={"Retry-After": str(window_s)},
    )


def login_allowed(email):
    """False when ``email`` or this client's address has used up its failed logins for now."""
    account, address = current_app.extensions["cmp.login_limiter"], current_app.extensions["cmp.login_ip_limiter"]
    if account is None:
        return True
    return account.test(_key("la:", email)) and address.test(_key("li:", client_ip()))


def count_failed_login(email):
    account, address = current_app.extensions["cmp.login_limiter"], current_app.extensions["cmp.login_ip_limiter"]
    if account is not None:
        account.hit(_key("la:", email))
        address.hit(_key("li:", client_ip()))
