"""The scan index: every scan of every site (its record, report and alert deliveries), the sites'
recurring scan schedules, and the per-site lock that keeps two scans of a site from running at once.

Chosen by the store URL like the consent store (:func:`scan_index_from_url`), with a SQLite and a
Redis backend. The service only reads it (and may create queued scans); scan jobs write it.
Backend failures surface as :class:`cmp.errors.StorageError` and nothing else.
"""

import dataclasses
import datetime as dt
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from .. import clock

STATUSES = ("queued", "running", "finished", "failed")
# A running scan that missed this many heartbeats in a row is reported failed: its worker is gone.
MISSED_BEATS = 3
DEFAULT_SCAN_RETENTION_DAYS = 365


def new_scan_id(at=None):
    """Sortable and readable: ``20260301T030000Z-3f9a1c`` (creation time, then 24 random bits)."""
    moment = (at or clock.now()).astimezone(dt.UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class ScanRecord:
    """One scan as the index keeps it. Times are ISO 8601 strings (UTC, ``…Z``) or None."""

    id: str
    site: str
    url: str
    status: str = "queued"
    created_at: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    inventory_revision: str = ""
    summary: dict | None = None  # report.json's summary once finished
    progress: dict = field(default_factory=dict)  # {"phase", "pages_done", "pages_queued", "items"}
    error: str | None = None
    heartbeat_at: str | None = None
    heartbeat_s: int | None = None  # how often the running scan promised a heartbeat
    attempts: int = 0
    schedule_id: str | None = None
    previous_scan_id: str | None = None  # the site's scan the diff was taken against
    changes: dict | None = None  # counts of the diff against previous_scan_id
    request: dict = field(default_factory=dict)  # what the job needs: scan options, the inventory

    def to_json(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data):
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def current(self, now=None):
        """This record as readers should see it: a running scan whose heartbeats stopped (its worker
        was killed, its machine lost) is ``failed``, whatever the worker last wrote."""
        if self.status != "running" or not self.heartbeat_at or not self.heartbeat_s:
            return self
        silent_s = ((now or clock.now()) - parse_time(self.heartbeat_at)).total_seconds()
        if silent_s <= MISSED_BEATS * self.heartbeat_s:
            return self
        return self.replace(
            status="failed",
            error=f"the scan stopped answering (no heartbeat since {self.heartbeat_at}): its worker was lost",
        )


def parse_time(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


class ScanIndex(ABC):
    """What scan jobs, the command line and the console need to keep and read scans."""

    def __init__(self, url):
        self.url = url

    # Scans --------------------------------------------------------------------------------------

    @abstractmethod
    def create(self, record):
        """Add a new scan (normally ``queued``); its id must be new."""

    @abstractmethod
    def update(self, scan_id, **changes):
        """Change some fields of a scan; returns the updated record, or None for an unknown id."""

    @abstractmethod
    def get(self, scan_id):
        """The scan as written (see :meth:`ScanRecord.current` for how readers see it), or None."""

    @abstractmethod
    def list(self, site, limit=100):
        """The site's scans, newest first (creation time, then id)."""

    @abstractmethod
    def save_report(self, scan_id, report):
        """Keep a scan's ``report.json`` document (a JSON-able dict), replacing any earlier one."""

    @abstractmethod
    def report(self, scan_id):
        """The scan's report, or None."""

    @abstractmethod
    def add_delivery(self, scan_id, delivery):
        """Append one alert delivery attempt (a JSON-able dict) to the scan's record of them."""

    @abstractmethod
    def deliveries(self, scan_id):
        """The scan's alert delivery attempts, oldest first."""

    @abstractmethod
    def purge(self, site, before):
        """Delete the site's scans created before ``before`` (a datetime), with their reports and
        deliveries; returns how many scans went."""

    # Schedules ----------------------------------------------------------------------------------

    @abstractmethod
    def save_schedule(self, schedule):
        """Add or replace a schedule: a JSON-able dict with at least ``id`` and ``site``."""

    @abstractmethod
    def schedules(self, site=None):
        """Every schedule (of ``site``), sorted by id."""

    @abstractmethod
    def delete_schedule(self, schedule_id):
        """Remove a schedule; True when it existed."""

    # The per-site lock --------------------------------------------------------------------------

    @abstractmethod
    def claim_site(self, site, holder, ttl_s):
        """Hold ``site`` for ``holder`` for ``ttl_s`` seconds; True when it is now ``holder``'s
        (free, expired or already its own: claiming again extends it), False when another holds it."""

    @abstractmethod
    def release_site(self, site, holder):
        """Let go of ``site`` if ``holder`` holds it."""

    @abstractmethod
    def ping(self):
        """Raise StorageError unless the index answers."""

    @abstractmethod
    def close(self):
        """Release connections."""

    def schedule(self, schedule_id):
        return next((s for s in self.schedules() if s["id"] == schedule_id), None)

    def previous_finished(self, record):
        """The site's latest finished scan created before ``record``, or None: what a diff compares to."""
        for other in self.list(record.site, limit=1000):
            if (other.created_at, other.id) < (record.created_at, record.id) and other.status == "finished":
                return other
        return None


def scan_index_from_url(url):
    """The scan index kept where the consent store at ``url`` keeps its data."""
    from . import _backend

    if _backend(url) == "sqlite":
        from .scans_sqlite import SQLiteScanIndex

        return SQLiteScanIndex(url)
    from .scans_redis import RedisScanIndex

    return RedisScanIndex(url)


__all__ = ["STATUSES", "ScanIndex", "ScanRecord", "new_scan_id", "scan_index_from_url"]
