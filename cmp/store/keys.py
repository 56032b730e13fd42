"""Every Redis key the service uses, named in one place.

Keys carry a hash tag (``{…}``) so that what one command touches lives in one Cluster slot:
a visitor's current decision and history share ``{site/visitor}``; the proof log is one stream
per site and day, ``{site/YYYY-MM-DD}``, so a big site spreads over slots and days; the day's
analytics counters are one hash beside it, in its slot. Console users are one hash and the
audit log one stream, under ``cmp:console:``, outside what purge walks. Rate-limit
counters live under :data:`RATE_PREFIX`, one key per client and window: the consent writes'
(:func:`write_hits`, counted by the save script) and the others, named by the ``limits`` library.
The scan index lives under :data:`SCANS_PREFIX`, outside what consent purge walks: one slot per
scan (its record, report and alert deliveries), one per site's list of scans.
"""

import datetime as dt

PREFIX = "cmp"
RATE_PREFIX = f"{PREFIX}:rate"

CONSENT_SUFFIX = ":consent"
HISTORY_SUFFIX = ":history"
LOG_SUFFIX = ":log"
# What purge walks: the consent-store keys, not the rate counters beside them.
STORE_PATTERN = f"{PREFIX}:{{*"


def consent(site, visitor_id):
    return f"{PREFIX}:{{{site}/{visitor_id}}}{CONSENT_SUFFIX}"


def history(site, visitor_id):
    return f"{PREFIX}:{{{site}/{visitor_id}}}{HISTORY_SUFFIX}"


def log(site, day):
    """``day`` is a date; one stream per site and UTC day."""
    return f"{PREFIX}:{{{site}/{day.isoformat()}}}{LOG_SUFFIX}"


def log_day(key):
    """The day of a :func:`log` key (``str``): the ten characters before ``}:log``."""
    return dt.date.fromisoformat(key[-len(LOG_SUFFIX) - 11 : -len(LOG_SUFFIX) - 1])


def counters(site, day):
    """The analytics counters of ``site`` on ``day`` (a date): a hash, in the day's log slot."""
    return f"{PREFIX}:{{{site}/{day.isoformat()}}}:counts"


def write_hits(key, window, site=None, day=None):
    """A client's consent writes in one fixed window (see :class:`cmp.store.base.Hit`): per
    client across sites on one server; with ``site`` and ``day`` (a cluster), in the slot of the
    site's day log, which the save script writes with it, so there the count is per site and client."""
    if site is None:
        return f"{RATE_PREFIX}:{{{key}}}:{window}"
    return f"{RATE_PREFIX}:{{{site}/{day.isoformat()}}}:{key}:{window}"


USERS = f"{PREFIX}:console:{{users}}"  # hash: e-mail -> user record
AUDIT = f"{PREFIX}:console:{{audit}}"  # stream: the console's audit log


def shown(site, version):
    """What visitors of ``site`` were shown under ``version`` (see cmp.banner)."""
    return f"{PREFIX}:{{{site}/shown/{version}}}:doc"


SCANS_PREFIX = f"{PREFIX}:scans"


def scan(scan_id):
    """A scan's record (a hash of JSON fields); its report and deliveries share the hash tag."""
    return f"{SCANS_PREFIX}:{{{scan_id}}}:record"


def scan_report(scan_id):
    return f"{SCANS_PREFIX}:{{{scan_id}}}:report"


def scan_deliveries(scan_id):
    return f"{SCANS_PREFIX}:{{{scan_id}}}:deliveries"


def site_scans(site):
    """A sorted set of the site's scan ids, scored by creation time (ms)."""
    return f"{SCANS_PREFIX}:{{site/{site}}}:index"


def scan_schedules():
    """Every schedule, one hash field per schedule id (a handful per site: one slot is enough)."""
    return f"{SCANS_PREFIX}:{{schedules}}:all"


def site_lock(site):
    """Held by the scan of ``site`` that is running, so two never run at once."""
    return f"{SCANS_PREFIX}:{{site/{site}}}:lock"
