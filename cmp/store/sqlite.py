"""SQLite consent store: the embedded default. One file, WAL, committed before answering.

``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db`` (SQLAlchemy's convention).
Each thread has its own connection; writers wait for each other (busy timeout).
"""

import json
import sqlite3
import threading
from pathlib import Path

from .. import clock
from ..errors import ConfigError, StorageError
from .base import DEFAULT_LOG_RETENTION_DAYS, ConsentRecord, ConsentStore

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
CREATE TABLE IF NOT EXISTS rate_windows (
    key TEXT PRIMARY KEY,
    window INTEGER NOT NULL,
    count INTEGER NOT NULL
) WITHOUT ROWID;
"""


def path_from_url(url):
    prefix = "sqlite:///"
    if not url.startswith(prefix) or len(url) == len(prefix):
        raise ConfigError(f"CMP_STORE_URL={url!r}: expected sqlite:///relative/path.db or sqlite:////absolute/path.db")
    path = url[len(prefix) :]
    if path == ":memory:":
        raise ConfigError(f"CMP_STORE_URL={url!r}: an in-memory database would not be shared by workers; use a file")
    return Path(path)


class SQLiteStore(ConsentStore):
    def __init__(self, url, log_retention_days=DEFAULT_LOG_RETENTION_DAYS):
        self.url = url
        self.log_retention_days = log_retention_days
        self.path = path_from_url(url)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._ready = False

    def _connect(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            with self._lock:
                if not self._ready:
                    conn.executescript(SCHEMA)
                    self._ready = True
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(f"SQLite store {self.path}: {exc}") from exc
        self._local.conn = conn
        return conn

    def _run(self, fn):
        try:
            return fn(self._connect())
        except sqlite3.Error as exc:
            raise StorageError(f"SQLite store {self.path}: {exc}") from exc

    def _transaction(self, fn):
        """Run ``fn(conn)`` in one write transaction (committed before returning) and return its result."""

        def run(conn):
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return result

        return self._run(run)

    def save(self, record):
        raw = record.dumps()

        def write(conn):
            conn.execute(
                "INSERT INTO consents (site, visitor_id, expires_at, record) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (site, visitor_id) DO UPDATE SET expires_at = excluded.expires_at, record = excluded.record",
                (record.site, record.visitor_id, clock.to_ms(record.expires_at), raw),
            )
            conn.execute(
                "INSERT INTO proofs (site, visitor_id, decided_at, record) VALUES (?, ?, ?, ?)",
                (record.site, record.visitor_id, clock.to_ms(record.decided_at), raw),
            )

        self._transaction(write)

    def get(self, site, visitor_id):
        row = self._run(
            lambda conn: conn.execute(
                "SELECT record FROM consents WHERE site = ? AND visitor_id = ? AND expires_at > ?",
                (site, visitor_id, clock.to_ms(clock.now())),
            ).fetchone()
        )
        return ConsentRecord.loads(row[0]) if row else None

    def history(self, site, visitor_id):
        rows = self._run(
            lambda conn: conn.execute(
                "SELECT record FROM proofs WHERE site = ? AND visitor_id = ? ORDER BY seq", (site, visitor_id)
            ).fetchall()
        )
        return [ConsentRecord.loads(r[0]) for r in rows]

    def export(self, site, since, until):
        # Fetch in pages so a large export streams without holding the whole log in memory.
        last_seq = 0
        while True:
            rows = self._run(
                lambda conn: conn.execute(
                    "SELECT seq, record FROM proofs WHERE site = ? AND decided_at >= ? AND decided_at < ? AND seq > ? "
                    "ORDER BY seq LIMIT 1000",
                    (site, clock.to_ms(since), clock.to_ms(until), last_seq),
                ).fetchall()
            )
            if not rows:
                return
            for seq, raw in rows:
                last_seq = seq
                yield ConsentRecord.loads(raw)

    def archive(self, site, version, document):
        raw = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        self._run(
            lambda conn: conn.execute(
                "INSERT INTO shown (site, version, document) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (site, version, raw),
            )
        )

    def archived(self, site, version):
        row = self._run(
            lambda conn: conn.execute(
                "SELECT document FROM shown WHERE site = ? AND version = ?", (site, version)
            ).fetchone()
        )
        return json.loads(row[0]) if row else None

    def hit(self, key, window_s):
        window = int(clock.now().timestamp()) // window_s * window_s  # the window's start, in seconds
        row = self._run(
            lambda conn: conn.execute(
                "INSERT INTO rate_windows (key, window, count) VALUES (?, ?, 1) ON CONFLICT (key) DO UPDATE SET "
                "count = CASE WHEN window = excluded.window THEN count + 1 ELSE 1 END, window = excluded.window "
                "RETURNING count",
                (f"{window_s}:{key}", window),
            ).fetchone()
        )
        return row[0]

    def purge(self):
        now = clock.now()
        cutoff = clock.to_ms(now) - self.log_retention_days * 86400 * 1000

        def delete(conn):
            consents = conn.execute("DELETE FROM consents WHERE expires_at <= ?", (clock.to_ms(now),)).rowcount
            proofs = conn.execute("DELETE FROM proofs WHERE decided_at < ?", (cutoff,)).rowcount
            conn.execute("DELETE FROM rate_windows WHERE window < ?", (int(now.timestamp()) - 2 * 3600,))
            return {"consents": consents, "proofs": proofs}

        return self._transaction(delete)

    def ping(self):
        self._run(lambda conn: conn.execute("SELECT 1").fetchone())

    def close(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
