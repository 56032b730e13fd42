"""SQLite backends of the counters, the console users and the audit log, in the consent store's
file (see :mod:`.sqlite`, which adds a decision's counters in the decision's transaction)."""

import datetime as dt
import functools

from .counters import Counters, expand
from .users import AuditEntry, AuditLog, User, UserStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    site TEXT NOT NULL,
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (site, day, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users (
    email TEXT PRIMARY KEY,
    record TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


@functools.cache
def _count(n):
    return (
        "INSERT INTO counters (site, day, name, n) VALUES "
        + ", ".join(["(?, ?, ?, 1)"] * n)
        + " ON CONFLICT (site, day, name) DO UPDATE SET n = n + 1"
    )


def add_counts(conn, site, day, names):
    """Add one to each of ``names`` inside the caller's transaction (a name twice: two)."""
    # One statement for all names: a decision's write runs while the writer lock is held.
    day = day.isoformat()
    names = list(names)
    if names:
        conn.execute(_count(len(names)), [value for name in names for value in (site, day, name)])


class SQLiteCounters(Counters):
    def __init__(self, db, errors):
        self.db = db
        self._errors = errors

    def add(self, site, day, names):
        with self._errors():
            self.db.transaction(lambda conn: add_counts(conn, site, day, names))

    def read(self, site, first, last):
        with self._errors():
            rows = (
                self.db.connection()
                .execute(
                    "SELECT day, name, n FROM counters WHERE site = ? AND day >= ? AND day <= ?",
                    (site, first.isoformat(), last.isoformat()),
                )
                .fetchall()
            )
        by_day = {}
        for day, name, n in rows:
            by_day.setdefault(day, {})[name] = n
        return {dt.date.fromisoformat(day): expand(counts) for day, counts in by_day.items()}


class SQLiteUsers(UserStore):
    def __init__(self, db, errors):
        self.db = db
        self._errors = errors

    def add(self, user):
        with self._errors():
            cursor = self.db.connection().execute(
                "INSERT INTO users (email, record) VALUES (?, ?) ON CONFLICT DO NOTHING", (user.email, user.dumps())
            )
        return cursor.rowcount == 1

    def get(self, email):
        with self._errors():
            row = self.db.connection().execute("SELECT record FROM users WHERE email = ?", (email,)).fetchone()
        return User.loads(row[0]) if row else None

    def all(self):
        with self._errors():
            rows = self.db.connection().execute("SELECT record FROM users ORDER BY email").fetchall()
        return [User.loads(raw) for (raw,) in rows]

    def remove(self, email):
        with self._errors():
            cursor = self.db.connection().execute("DELETE FROM users WHERE email = ?", (email,))
        return cursor.rowcount == 1


class SQLiteAudit(AuditLog):
    def __init__(self, db, errors):
        self.db = db
        self._errors = errors

    def append(self, entry):
        with self._errors():
            self.db.connection().execute("INSERT INTO audit (record) VALUES (?)", (entry.dumps(),))

    def recent(self, limit=100):
        with self._errors():
            rows = (
                self.db.connection().execute("SELECT record FROM audit ORDER BY seq DESC LIMIT ?", (limit,)).fetchall()
            )
        return [AuditEntry.loads(raw) for (raw,) in rows]
