"""The consent-store interface every backend implements, and the record it stores.

A store keeps, per (site, visitor), the current decision until it expires, and an append-only
proof log of every decision (refusals and withdrawals too) for the log retention period.
Backend failures surface as :class:`cmp.errors.StorageError` and nothing else.
"""

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, fields

from .. import clock

DEFAULT_LOG_RETENTION_DAYS = 1826  # five years


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
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_json(self):
        data = self._fields()
        data["decided_at"] = clock.iso(self.decided_at)
        data["expires_at"] = clock.iso(self.expires_at)
        return data

    def dumps(self):
        data = self._fields()
        data["decided_at"] = clock.to_ms(self.decided_at)
        data["expires_at"] = clock.to_ms(self.expires_at)
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def loads(cls, raw):
        data = json.loads(raw)
        data["decided_at"] = clock.from_ms(data["decided_at"])
        data["expires_at"] = clock.from_ms(data["expires_at"])
        return cls(**data)

    def is_expired(self, at=None):
        return (at or clock.now()) >= self.expires_at


class ConsentStore(ABC):
    """What the API needs from a consent store. Times come from :mod:`cmp.clock`."""

    url = ""
    log_retention_days = DEFAULT_LOG_RETENTION_DAYS

    @abstractmethod
    def save(self, record):
        """Make ``record`` the visitor's current decision and append it to the proof log.

        Returns only once both are durable (committed / acknowledged by the server).
        """

    @abstractmethod
    def get(self, site, visitor_id):
        """The visitor's current, unexpired decision, or None."""

    @abstractmethod
    def history(self, site, visitor_id):
        """Every logged decision of the visitor on the site, oldest first."""

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
    def hit(self, key, window_s):
        """Count one event for ``key`` in the current fixed window of ``window_s`` seconds;
        returns the count so far (rate limiting shared by every worker)."""

    @abstractmethod
    def purge(self):
        """Delete expired decisions and proof entries older than ``log_retention_days``; returns
        ``{"consents": n, "proofs": m}`` (what was deleted, where the backend can count it)."""

    @abstractmethod
    def ping(self):
        """Raise StorageError unless the store answers."""

    def close(self):
        """Release connections; the store may be used again afterwards."""
