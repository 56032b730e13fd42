"""Every Redis key the service uses, named in one place.

Keys carry a hash tag (``{…}``) so that what one command touches lives in one Cluster slot:
a visitor's current decision and history share ``{site/visitor}``; the proof log is one stream
per site and day, ``{site/YYYY-MM-DD}``, so a big site spreads over slots and days; the day's
analytics counters are one hash beside it, in its slot. Console users are one hash and the
audit log one stream, under ``cmp:console:``, outside what purge walks. Rate-limit
counters are named by the ``limits`` library under :data:`RATE_PREFIX` (one key per counter).
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


USERS = f"{PREFIX}:console:{{users}}"  # hash: e-mail -> user record
AUDIT = f"{PREFIX}:console:{{audit}}"  # stream: the console's audit log


def shown(site, version):
    """What visitors of ``site`` were shown under ``version`` (see cmp.banner)."""
    return f"{PREFIX}:{{{site}/shown/{version}}}:doc"
