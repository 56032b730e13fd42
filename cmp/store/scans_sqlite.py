"""The scan index in the consent store's SQLite file: the embedded default."""

import json
import sqlite3

from .. import clock
from .base import storage_errors
from .scans import ScanIndex, ScanRecord
from .sqlite_db import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    created_at TEXT NOT NULL,
    record TEXT NOT NULL,
    report TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS scans_site_time ON scans (site, created_at, id);
CREATE TABLE IF NOT EXISTS scan_deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scan_id TEXT NOT NULL,
    delivery TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scan_deliveries_scan ON scan_deliveries (scan_id, seq);
CREATE TABLE IF NOT EXISTS scan_schedules (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    schedule TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scan_site_locks (
    site TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
"""


def _dump(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class SQLiteScanIndex(ScanIndex):
    def __init__(self, url):
        super().__init__(url)
        self.db = Database(url, SCHEMA)

    def _errors(self):
        return storage_errors(f"SQLite scan index {self.db.path}", sqlite3.Error, OSError)

    def _rows(self, sql, args=()):
        with self._errors():
            return self.db.connection().execute(sql, args).fetchall()

    def _write(self, fn):
        with self._errors():
            return self.db.transaction(fn)

    def create(self, record):
        self._write(
            lambda conn: conn.execute(
                "INSERT INTO scans (id, site, created_at, record) VALUES (?, ?, ?, ?)",
                (record.id, record.site, record.created_at, _dump(record.to_json())),
            )
        )

    def update(self, scan_id, **changes):
        def change(conn):
            row = conn.execute("SELECT record FROM scans WHERE id = ?", (scan_id,)).fetchone()
            if row is None:
                return None
            record = ScanRecord.from_json(json.loads(row[0])).replace(**changes)
            conn.execute("UPDATE scans SET record = ? WHERE id = ?", (_dump(record.to_json()), scan_id))
            return record

        return self._write(change)

    def get(self, scan_id):
        rows = self._rows("SELECT record FROM scans WHERE id = ?", (scan_id,))
        return ScanRecord.from_json(json.loads(rows[0][0])) if rows else None

    def list(self, site, limit=100):
        rows = self._rows(
            "SELECT record FROM scans WHERE site = ? ORDER BY created_at DESC, id DESC LIMIT ?", (site, limit)
        )
        return [ScanRecord.from_json(json.loads(raw)) for (raw,) in rows]

    def save_report(self, scan_id, report):
        self._write(lambda conn: conn.execute("UPDATE scans SET report = ? WHERE id = ?", (_dump(report), scan_id)))

    def report(self, scan_id):
        rows = self._rows("SELECT report FROM scans WHERE id = ?", (scan_id,))
        return json.loads(rows[0][0]) if rows and rows[0][0] is not None else None

    def add_delivery(self, scan_id, delivery):
        self._write(
            lambda conn: conn.execute(
                "INSERT INTO scan_deliveries (scan_id, delivery) VALUES (?, ?)", (scan_id, _dump(delivery))
            )
        )

    def deliveries(self, scan_id):
        rows = self._rows("SELECT delivery FROM scan_deliveries WHERE scan_id = ? ORDER BY seq", (scan_id,))
        return [json.loads(raw) for (raw,) in rows]

    def purge(self, site, before):
        cutoff = clock.iso(before)

        def delete(conn):
            conn.execute(
                "DELETE FROM scan_deliveries WHERE scan_id IN (SELECT id FROM scans WHERE site = ? AND created_at < ?)",
                (site, cutoff),
            )
            return conn.execute("DELETE FROM scans WHERE site = ? AND created_at < ?", (site, cutoff)).rowcount

        return self._write(delete)

    def save_schedule(self, schedule):
        self._write(
            lambda conn: conn.execute(
                "INSERT INTO scan_schedules (id, site, schedule) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET site = excluded.site, schedule = excluded.schedule",
                (schedule["id"], schedule["site"], _dump(schedule)),
            )
        )

    def schedules(self, site=None):
        if site is None:
            rows = self._rows("SELECT schedule FROM scan_schedules ORDER BY id")
        else:
            rows = self._rows("SELECT schedule FROM scan_schedules WHERE site = ? ORDER BY id", (site,))
        return [json.loads(raw) for (raw,) in rows]

    def delete_schedule(self, schedule_id):
        return bool(
            self._write(lambda conn: conn.execute("DELETE FROM scan_schedules WHERE id = ?", (schedule_id,)).rowcount)
        )

    def claim_site(self, site, holder, ttl_s):
        now = clock.to_ms(clock.now())

        def claim(conn):
            conn.execute("DELETE FROM scan_site_locks WHERE site = ? AND expires_at <= ?", (site, now))
            conn.execute(
                "INSERT INTO scan_site_locks (site, holder, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (site) DO UPDATE SET expires_at = excluded.expires_at WHERE holder = excluded.holder",
                (site, holder, now + int(ttl_s * 1000)),
            )
            row = conn.execute("SELECT holder FROM scan_site_locks WHERE site = ?", (site,)).fetchone()
            return row[0] == holder

        return self._write(claim)

    def release_site(self, site, holder):
        self._write(
            lambda conn: conn.execute("DELETE FROM scan_site_locks WHERE site = ? AND holder = ?", (site, holder))
        )

    def ping(self):
        self._rows("SELECT 1")

    def close(self):
        self.db.close()
