"""Every Redis key the service uses, named in one place.

Keys carry a hash tag (``{…}``) so that what one command touches lives in one Cluster slot:
a visitor's current decision and history share ``{site/visitor}``; the proof log is one stream
per site and day, ``{site/YYYY-MM-DD}``, so a big site spreads over slots and days.
"""

PREFIX = "cmp"


def consent(site, visitor_id):
    return f"{PREFIX}:{{{site}/{visitor_id}}}:consent"


def history(site, visitor_id):
    return f"{PREFIX}:{{{site}/{visitor_id}}}:history"


def log(site, day):
    """``day`` is a date; one stream per site and UTC day."""
    return f"{PREFIX}:{{{site}/{day.isoformat()}}}:log"


def shown(site, version):
    """What visitors of ``site`` were shown under ``version`` (see cmp.banner)."""
    return f"{PREFIX}:{{{site}/shown/{version}}}:doc"


def rate(key, window_start):
    return f"{PREFIX}:{{rate/{key}}}:{window_start}"


HISTORY_PATTERN = f"{PREFIX}:*:history"
