"""SQLite consent store: the embedded default. One file, WAL, committed before answering.

Expired decisions and old proofs stay in the file until :meth:`SQLiteStore.purge` (``cmpctl purge``).
"""

import sqlite3

from .. import clock
from .base import (
    DEFAULT_LOG_RETENTION_DAYS,
    ConsentRecord,
    ConsentStore,
    dump_document,
    load_document,
    storage_errors,
    window,
)
from .sqlite_console import SCHEMA as CONSOLE_SCHEMA
from .sqlite_console import SQLiteAudit, SQLiteCounters, SQLiteUsers, add_counts
from .sqlite_db import Database
from .sqlite_limits import SCHEMA as LIMITS_SCHEMA
from .sqlite_limits import count_window_hit

SCHEMA = """
CREATE TABLE IF NOT EXISTS consents (
    site TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (site, visitor_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS consents_expiry ON consents (expires_at);
CREATE TABLE IF NOT EXISTS proofs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    decided_at INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS proofs_site_time ON proofs (site, decided_at);
CREATE INDEX IF NOT EXISTS proofs_visitor ON proofs (site, visitor_id, seq);
CREATE TRIGGER IF NOT EXISTS proofs_append_only BEFORE UPDATE ON proofs
BEGIN SELECT RAISE(ABORT, 'the proof-of-consent log is append-only'); END;
CREATE TABLE IF NOT EXISTS shown (
    site TEXT NOT NULL,
    version TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (site, version)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS shown_append_only BEFORE UPDATE ON shown
BEGIN SELECT RAISE(ABORT, 'archived texts never change'); END;
"""

UPSERT_CONSENT = (
    "INSERT INTO consents (site, visitor_id, expires_at, record) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (site, visitor_id) DO UPDATE SET expires_at = excluded.expires_at, record = excluded.record"
)
EXPORT_PAGE = (
    "SELECT seq, record FROM proofs WHERE site = ? AND decided_at >= ? AND decided_at < ? AND seq > ? "
    "ORDER BY seq LIMIT 1000"
)


class SQLiteStore(ConsentStore):
    def __init__(self, url, log_retention_days=DEFAULT_LOG_RETENTION_DAYS):
        super().__init__(url, log_retention_days)
        self.db = Database(url, SCHEMA + CONSOLE_SCHEMA + LIMITS_SCHEMA)
        self.counters = SQLiteCounters(self.db, self._errors)
        self.users = SQLiteUsers(self.db, self._errors)
        self.audit = SQLiteAudit(self.db, self._errors)

    def _errors(self):
        return storage_errors(f"SQLite store {self.db.path}", sqlite3.Error, OSError)

    def save(self, record, counts=(), hit=None):
        raw = record.dumps()
        if hit is not None:
            now = clock.to_ms(clock.now())
            window_end = now + window(hit, now)[1]

        def write(conn):
            # The hit shares the decision's transaction (one commit, one fsync per request) and
            # its rate_limits table with the limiter (:mod:`.sqlite_limits`).
            if hit is not None and count_window_hit(conn, hit.key, window_end, now) > hit.limit:
                return False
            conn.execute(UPSERT_CONSENT, (record.site, record.visitor_id, clock.to_ms(record.expires_at), raw))
            conn.execute(
                "INSERT INTO proofs (site, visitor_id, decided_at, record) VALUES (?, ?, ?, ?)",
                (record.site, record.visitor_id, clock.to_ms(record.decided_at), raw),
            )
            if counts:
                add_counts(conn, record.site, clock.utc_day(record.decided_at), counts)
            return True

        with self._errors():
            return self.db.transaction(write)

    def get(self, site, visitor_id):
        with self._errors():
            row = (
                self.db.connection()
                .execute(
                    "SELECT record FROM consents WHERE site = ? AND visitor_id = ? AND expires_at > ?",
                    (site, visitor_id, clock.to_ms(clock.now())),
                )
                .fetchone()
            )
        return ConsentRecord.loads(row[0]) if row else None

    def history(self, site, visitor_id):
        with self._errors():
            rows = (
                self.db.connection()
                .execute("SELECT record FROM proofs WHERE site = ? AND visitor_id = ? ORDER BY seq", (site, visitor_id))
                .fetchall()
            )
        return [ConsentRecord.loads(raw) for (raw,) in rows]

    def export(self, site, since, until):
        # Fetch in pages so a large export streams without holding the whole log in memory.
        last_seq = 0
        while True:
            with self._errors():
                rows = (
                    self.db.connection()
                    .execute(EXPORT_PAGE, (site, clock.to_ms(since), clock.to_ms(until), last_seq))
                    .fetchall()
                )
            if not rows:
                return
            for _, raw in rows:
                yield ConsentRecord.loads(raw)
            last_seq = rows[-1][0]

    def archive(self, site, version, document):
        with self._errors():
            self.db.connection().execute(
                "INSERT INTO shown (site, version, document) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (site, version, dump_document(document)),
            )

    def archived(self, site, version):
        with self._errors():
            row = (
                self.db.connection()
                .execute("SELECT document FROM shown WHERE site = ? AND version = ?", (site, version))
                .fetchone()
            )
        return load_document(row[0] if row else None)

    def purge(self):
        now = clock.now()

        def delete(conn):
            consents = conn.execute("DELETE FROM consents WHERE expires_at <= ?", (clock.to_ms(now),)).rowcount
            proofs = conn.execute(
                "DELETE FROM proofs WHERE decided_at < ?", (clock.to_ms(self.retention_cutoff(now)),)
            ).rowcount
            return {"consents": consents, "proofs": proofs}

        with self._errors():
            return self.db.transaction(delete)

    def ping(self):
        with self._errors():
            self.db.connection().execute("SELECT 1").fetchone()

    def durability(self):
        """The journal mode and sync level commits run with (see :meth:`Database.durability`)."""
        with self._errors():
            return self.db.durability()

    def close(self):
        self.db.close()
