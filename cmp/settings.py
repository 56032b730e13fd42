"""Every setting of the service, declared once: name, default, parser and one line of help.

Each is read from the environment as ``CMP_<NAME>``; the README's configuration table and
``cmpctl settings`` are checked against / generated from :data:`SETTINGS`.
"""

import os
from collections import namedtuple

import limits

from .errors import ConfigError

Setting = namedtuple("Setting", "name default parse help")


def _bool(value):
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("expected true or false")


def _int(value):
    return int(value)


def _keys(value):
    if isinstance(value, (list, tuple)):
        return [str(k) for k in value if str(k)]
    return [k.strip() for k in str(value).split(",") if k.strip()]


def _rate(value):
    """A rate in the ``limits`` notation (``"120/minute"``, ``"10 per 5 minutes"``) → a ``limits``
    item, or None for ``"off"``."""
    if isinstance(value, limits.RateLimitItem):
        return value
    if value is None or str(value).strip().lower() in ("off", "0", ""):
        return None
    try:
        rules = limits.parse_many(str(value))
    except ValueError:
        rules = []
    # One rule only: parse() would silently keep the first of "1/second; 50/hour".
    if len(rules) != 1 or rules[0].amount < 1:
        raise ValueError("expected '<n>/second', '<n>/minute', '<n>/hour', '<n> per <m> minutes' or 'off'")
    return rules[0]


def _str(value):
    return str(value)


SETTINGS = (
    Setting(
        "STORE_URL",
        "",
        _str,
        "Consent store: sqlite:///relative/path.db (from the working directory), sqlite:////absolute/path.db "
        "(the folder must exist), redis://host:port/db or redis+cluster://host:port (default: SQLite in the "
        "instance folder).",
    ),
    Setting("SECRET_KEY", "", _keys, "Comma-separated token signing keys, newest first; required outside debug mode."),
    Setting("ADMIN_API_KEY", "", _str, "Bearer key for the /v1/admin endpoints; empty disables them."),
    Setting(
        "INVENTORY_DIR",
        "",
        _str,
        "Folder of site inventories (<site>.yaml); default: the inventories shipped in the package.",
    ),
    Setting(
        "RATE_LIMIT",
        "120/minute",
        _rate,
        "Consent writes allowed per client IP, in a fixed window: '<n>/second', '<n>/minute', '<n>/hour', "
        "'<n> per <m> minutes' (the limits library's notation) or 'off'.",
    ),
    Setting("LOG_RETENTION_DAYS", 1826, _int, "How long the proof-of-consent log is kept (default five years)."),
    Setting("MAX_BODY_BYTES", 8192, _int, "Largest request body accepted (413 beyond)."),
    Setting(
        "TRUSTED_PROXIES",
        0,
        _int,
        "Number of reverse proxies in front whose X-Forwarded-For is trusted for the client IP.",
    ),
    Setting(
        "DEMO",
        False,
        _bool,
        "Serve the demo portals at / and /demo/<site>/ (`make demo` turns it on); off in production.",
    ),
    Setting("DEBUG", False, _bool, "Development mode: allows a missing secret key (a random one is used)."),
    Setting("CLOCK_OFFSET_S", 0, _int, "Shift the service clock by this many seconds (for tests and demos of expiry)."),
    Setting(
        "SHOWN_RATE_LIMIT",
        "30/minute",
        _rate,
        "Banner displays counted per client IP (the widget's anonymous beacon), in the same notation as "
        "CMP_RATE_LIMIT, or 'off'; displays beyond it are answered 429 and not counted.",
    ),
    Setting(
        "CONSOLE_SESSION_IDLE_MINUTES",
        30,
        _int,
        "A console session ends after this many minutes without a request (the session cookie is signed with a "
        "key derived from the first CMP_SECRET_KEY).",
    ),
    Setting(
        "CONSOLE_LOGIN_LIMIT",
        "5 per 15 minutes",
        _rate,
        "Failed console logins allowed per account, in a fixed window; each client IP gets four times as many.",
    ),
    Setting(
        "QUEUE_URL",
        "",
        _str,
        "Redis for scan jobs (RQ), redis://host:port/db; default: the store's own Redis when CMP_STORE_URL is "
        "redis://, local background processes on SQLite. Needed with redis+cluster (RQ runs on one server).",
    ),
    Setting("SCAN_RETENTION_DAYS", 365, _int, "How long a site's past scans and their reports are kept."),
    Setting("SCAN_JOB_TIMEOUT_S", 1800, _int, "Longest a scan job may run before its worker stops it (failed)."),
    Setting("SCAN_RETRIES", 1, _int, "How many times a failed or interrupted scan job is run again."),
    Setting(
        "SCAN_HEARTBEAT_S",
        10,
        _int,
        "A running scan says it is alive this often; three missed beats and it is reported failed.",
    ),
    Setting("ALERT_WEBHOOK_URL", "", _str, "Where scan alerts are POSTed as JSON; empty: no alerts."),
    Setting(
        "ALERT_WEBHOOK_SECRET",
        "",
        _str,
        "Key of the alerts' HMAC-SHA256 signature (X-CMP-Signature: sha256=<hex> of the body).",
    ),
    Setting(
        "ALERT_RETRY_S",
        30,
        _int,
        "Pause before an undelivered alert is sent again, four times as long at each of its four retries.",
    ),
    Setting(
        "SCAN_REPORT_URL",
        "",
        _str,
        "An alert's report_url, with {site} and {scan_id} replaced (e.g. the console's scan page); empty: null.",
    ),
    Setting(
        "SCAN_JOBS",
        "jobs.console",
        _str,
        "Module the console loads by name to start scans, keep schedules and compare reports.",
    ),
)

BY_NAME = {s.name: s for s in SETTINGS}


def env_name(setting):
    return f"CMP_{setting.name}"


def load(environ=None, overrides=None):
    """Defaults, then the environment, then ``overrides`` (a mapping of setting names).

    Returns a dict keyed by setting name; raises :class:`ConfigError` naming the variable.
    """
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        raw, source = setting.default, None
        if env_name(setting) in environ:
            raw, source = environ[env_name(setting)], env_name(setting)
        if overrides and setting.name in overrides:
            raw, source = overrides[setting.name], setting.name
        try:
            values[setting.name] = setting.parse(raw)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{source or env_name(setting)}={raw!r}: {exc}") from None
    unknown = set(overrides or ()) - set(BY_NAME)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return values


def markdown_table():
    """The README's configuration table (``cmpctl settings --format md``)."""
    lines = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default not in ("", None) else "(empty)"
        lines.append(f"| `{env_name(s)}` | {default} | {s.help} |")
    return "\n".join(lines)
