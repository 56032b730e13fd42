"""The one clock: every part of the service asks ``now()`` for the time.

Tests move it with :func:`travel` instead of sleeping (the 180-day rule is tested that way).
The offset can also come from the ``CMP_CLOCK_OFFSET_S`` setting so a served test instance
can be started "in the future".
"""

import datetime as _dt

_offset = _dt.timedelta(0)


def now():
    """Current UTC time (timezone-aware, millisecond precision, as stored), shifted by the test offset."""
    moment = _dt.datetime.now(_dt.UTC) + _offset
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def travel(delta):
    """Move the clock by ``delta`` (a timedelta or seconds); returns the new offset."""
    global _offset
    if not isinstance(delta, _dt.timedelta):
        delta = _dt.timedelta(seconds=delta)
    _offset += delta
    return _offset


def set_offset(seconds):
    global _offset
    _offset = _dt.timedelta(seconds=seconds)


def reset():
    set_offset(0)


def to_ms(moment):
    return int(moment.timestamp() * 1000)


def from_ms(ms):
    return _dt.datetime.fromtimestamp(ms / 1000, _dt.UTC)


def iso(moment):
    """ISO 8601 with millisecond precision and a Z suffix."""
    return moment.astimezone(_dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_day(moment):
    """The UTC date of ``moment``: the day a decision made then is counted (and logged) under."""
    return moment.astimezone(_dt.UTC).date()
