"""The consent-store interface every backend implements, the record it stores, and what the
backends share: the retention cutoff, the archived-document encoding, the error boundary.

A store keeps, per (site, visitor), the current decision until it expires, and an append-only
proof log of every decision (refusals and withdrawals too) for the log retention period. Beside
them, in the same place, each store has the smaller interfaces the console reads: ``counters``
(:class:`.counters.Counters`), ``users`` and ``audit`` (:mod:`.users`).
Backend failures surface as :class:`cmp.errors.StorageError` and nothing else.
"""

import contextlib
import datetime as dt
from abc import ABC, abstractmethod
from collections import namedtuple
from dataclasses import dataclass, field, fields

from .. import clock, jsonio
from ..errors import StorageError

DEFAULT_LOG_RETENTION_DAYS = 1826  # five years

# One hit of a fixed-window rate limit, counted by :meth:`ConsentStore.save` with the decision:
# at most ``limit`` hits per ``key`` in each window of ``window_s`` seconds (windows aligned on
# the clock's epoch: window n covers [n, n + 1) × window_s).
Hit = namedtuple("Hit", "key limit window_s")


def window(hit, now_ms):
    """``(index, ms left)`` of the fixed window of ``hit`` that ``now_ms`` falls in."""
    window_ms = hit.window_s * 1000
    index = now_ms // window_ms
    return index, (index + 1) * window_ms - now_ms


@dataclass(frozen=True)
class ConsentRecord:
    """One decision of one visitor on one site, as stored and as proven."""

    site: str
    visitor_id: str
    choices: dict
    services: dict
    revision: str
    decided_at: object  # datetime (UTC)
    expires_at: object  # datetime (UTC)
    source: str = "banner"
    action: str = "consent"  # consent | withdraw
    lang: str = ""
    text_version: str = ""
    user_agent: str = ""
    ip: str = ""
    extra: dict = field(default_factory=dict)

    def _fields(self):
        # A shallow dict: dataclasses.asdict deep-copies, which costs more than the whole write.
        return {name: getattr(self, name) for name in _RECORD_FIELDS}

    def to_json(self):
        data = self._fields()
        data["decided_at"] = clock.iso(self.decided_at)
        data["expires_at"] = clock.iso(self.expires_at)
        return data

    def dumps(self):
        data = self._fields()
        data["decided_at"] = clock.to_ms(self.decided_at)
        data["expires_at"] = clock.to_ms(self.expires_at)
        return jsonio.dumps(data)

    @classmethod
    def loads(cls, raw):
        data = jsonio.loads(raw)
        data["decided_at"] = clock.from_ms(data["decided_at"])
        data["expires_at"] = clock.from_ms(data["expires_at"])
        return cls(**data)

    def is_expired(self, at=None):
        return (at or clock.now()) >= self.expires_at


_RECORD_FIELDS = tuple(f.name for f in fields(ConsentRecord))  # dataclasses.fields() per call is slow


def dump_document(document):
    """An archived document as stored (compact JSON, text kept as written)."""
    return jsonio.dumps(document)


def load_document(raw):
    return None if raw is None else jsonio.loads(raw)


@contextlib.contextmanager
def storage_errors(label, *backend_errors):
    """Turn ``backend_errors`` raised inside the block into one :class:`StorageError` naming ``label``."""
    try:
        yield
    except backend_errors as exc:
        raise StorageError(f"{label}: {exc}") from exc


class ConsentStore(ABC):
    """What the API needs from a consent store. Times come from :mod:`cmp.clock`."""

    def __init__(self, url, log_retention_days=DEFAULT_LOG_RETENTION_DAYS):
        self.url = url
        self.log_retention_days = log_retention_days

    def retention_cutoff(self, now):
        """Proof entries decided before this moment are past the log retention."""
        return now - dt.timedelta(days=self.log_retention_days)

    counters = None  # Counters, set by each backend
    users = None  # UserStore
    audit = None  # AuditLog

    @abstractmethod
    def save(self, record, counts=(), hit=None):
        """Make ``record`` the visitor's current decision, append it to the proof log and add one
        to each counter named in ``counts`` for the record's site and UTC day (see
        :mod:`cmp.outcomes`), all in one write: the counters never disagree with the log.

        With ``hit`` (a :class:`Hit`), first count one event for ``hit.key`` in the current window,
        in the same write: if the window then holds more than ``hit.limit``, nothing of the
        decision is written (the hit stays counted, as a refused request still counts) and
        ``save`` returns False. Otherwise it returns True.

        Returns only once it is durable (committed / acknowledged by the server).
        """

    @abstractmethod
    def get(self, site, visitor_id):
        """The visitor's current, unexpired decision, or None."""

    @abstractmethod
    def history(self, site, visitor_id):
        """Every decision of the visitor on the site still in the proof log, oldest first."""

    @abstractmethod
    def export(self, site, since, until):
        """Iterate the proof log of ``site`` for decisions made in [since, until), oldest first."""

    @abstractmethod
    def archive(self, site, version, document):
        """Keep ``document`` (what visitors were shown, a JSON-able dict) under ``version``, once:
        the first document archived for a version stays. Archives are never purged: they hold no
        personal data and proofs point to them for as long as proofs are kept."""

    @abstractmethod
    def archived(self, site, version):
        """The document archived under ``version``, or None."""

    @abstractmethod
    def purge(self):
        """Delete expired decisions and proof entries decided before :meth:`retention_cutoff`;
        returns exactly how many of each were deleted: ``{"consents": n, "proofs": m}``."""

    @abstractmethod
    def ping(self):
        """Raise StorageError unless the store answers."""

    @abstractmethod
    def close(self):
        """Release connections; the store may be used again afterwards."""
