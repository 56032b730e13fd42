"""A ``limits`` storage in the consent store's SQLite file, registered for the ``sqlite`` scheme,
so that every worker process on the machine counts in the same table.

The consent store counts a decision's own hit in the same table, in the decision's transaction
(:func:`count_window_hit`). The storage implements what the fixed-window strategy needs. Windows
are timed by :mod:`cmp.clock`, like everything else kept in SQLite; Redis times its windows by key
TTLs on the server.
"""

import sqlite3

from limits.storage import Storage

from .. import clock
from .sqlite_db import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS rate_limits (
    key TEXT PRIMARY KEY,
    hits INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rate_limits_expiry ON rate_limits (expires_at);
DROP TABLE IF EXISTS rate_windows;
"""
# rate_windows held the counters when the consent store counted hits itself; nothing reads it now.

COUNT_HIT = (
    "INSERT INTO rate_limits (key, hits, expires_at) VALUES (?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET hits = hits + excluded.hits RETURNING hits"
)


def _now_ms():
    return clock.to_ms(clock.now())


COUNT_WINDOW_HIT = (
    "INSERT INTO rate_limits (key, hits, expires_at) VALUES (?, 1, ?) "
    "ON CONFLICT (key) DO UPDATE SET hits = CASE WHEN expires_at = excluded.expires_at THEN hits + 1 ELSE 1 END, "
    "expires_at = excluded.expires_at RETURNING hits"
)


def count_window_hit(conn, key, window_end_ms, now_ms):
    """Count one hit for ``key`` in the window ending at ``window_end_ms`` (windows aligned on the
    epoch), inside the caller's transaction; the window's count after it.

    One statement in the common case, as it runs while the writer lock is held: a row of an
    earlier window is reset in place, and expired rows are only deleted when a window starts.
    """
    hits = conn.execute(COUNT_WINDOW_HIT, (key, window_end_ms)).fetchone()[0]
    if hits == 1:
        conn.execute("DELETE FROM rate_limits WHERE expires_at <= ?", (now_ms,))
    return hits


class SQLiteStorage(Storage):
    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.db = Database(uri, SCHEMA)

    @property
    def base_exceptions(self):
        return (sqlite3.Error, OSError)

    def incr(self, key, expiry, amount=1):
        now = _now_ms()

        def count(conn):
            # Expired windows go first, in the same transaction: the upsert then only ever meets a
            # live window, and the table holds no more rows than there are active clients. The
            # expiry index makes this a single seek when nothing is due.
            conn.execute("DELETE FROM rate_limits WHERE expires_at <= ?", (now,))
            return conn.execute(COUNT_HIT, (key, amount, now + expiry * 1000)).fetchone()[0]

        return self.db.transaction(count)

    def get(self, key):
        row = (
            self.db.connection()
            .execute("SELECT hits FROM rate_limits WHERE key = ? AND expires_at > ?", (key, _now_ms()))
            .fetchone()
        )
        return row[0] if row else 0

    def get_expiry(self, key):
        now = _now_ms()
        row = (
            self.db.connection()
            .execute("SELECT expires_at FROM rate_limits WHERE key = ? AND expires_at > ?", (key, now))
            .fetchone()
        )
        return (row[0] if row else now) / 1000

    def check(self):
        try:
            self.db.connection().execute("SELECT 1").fetchone()
        except self.base_exceptions:
            return False
        return True

    def reset(self):
        return self.db.transaction(lambda conn: conn.execute("DELETE FROM rate_limits").rowcount)

    def clear(self, key):
        self.db.transaction(lambda conn: conn.execute("DELETE FROM rate_limits WHERE key = ?", (key,)))

    def close(self):
        self.db.close()
