"""One SQLite database file, as the consent store and the rate limiter both open it: the URL rule,
one connection per thread with the durability settings, and the write transaction (group-committed,
see :mod:`.sqlite_commit`).

URLs follow SQLAlchemy: ``sqlite:///relative/path.db`` is relative to the working directory the
service starts in, ``sqlite:////absolute/path.db`` (four slashes) is absolute. The folder must
exist: a typo in a path should stop the service, not create a database nobody backs up.
"""

import os
import sqlite3
import threading
from pathlib import Path

from ..errors import ConfigError
from .sqlite_commit import GroupCommit, WriterLock

PREFIX = "sqlite:///"
URL_RULE = "sqlite:///relative/path.db (from the working directory) or sqlite:////absolute/path.db"


def path_from_url(url):
    """The absolute path a ``sqlite:///`` URL names; a :class:`ConfigError` for anything else."""
    if not url.startswith(PREFIX) or len(url) == len(PREFIX):
        raise ConfigError(f"CMP_STORE_URL={url!r}: expected {URL_RULE}")
    path = url[len(PREFIX) :]
    if path == ":memory:":
        raise ConfigError(f"CMP_STORE_URL={url!r}: an in-memory database would not be shared by workers; use a file")
    path = Path(path).absolute()  # resolved once, so a later chdir cannot move the database
    if not path.parent.is_dir():
        raise ConfigError(f"CMP_STORE_URL={url!r}: the folder {path.parent} does not exist; create it first")
    return path


class Database:
    """Connections to one file, each thread its own; ``schema`` runs once, on the first."""

    def __init__(self, url, schema):
        self.path = path_from_url(url)
        self._schema = schema
        self._local = threading.local()
        self._lock = threading.Lock()
        self._ready = False
        self._writer = WriterLock(self.path)
        self._group = GroupCommit(self._writer, self._run_batch, self._sync_log)

    def connection(self):
        """This thread's connection; raises ``sqlite3.Error`` or ``OSError`` if the file cannot be opened."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        # WAL lets readers run beside the writer; FULL syncs every commit, so an answered write
        # survives a power cut. Every worker process opens the file the same way. (Transactions
        # of :meth:`transaction` commit with NORMAL and sync the log themselves, see there.)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        with self._lock:
            if not self._ready:
                conn.executescript(self._schema)
                self._ready = True
        self._local.conn = conn
        return conn

    def durability(self):
        """What this thread's connection really runs with: ``{"journal_mode", "synchronous"}``,
        the level of writes outside :meth:`transaction` (which sync the log themselves).

        Read back from SQLite rather than from our own constants, so ops and tests see a
        weakened setting (a commit acknowledged before it is on disk) for what it is.
        """
        conn = self.connection()
        synchronous = conn.execute("PRAGMA synchronous").fetchone()[0]
        return {
            "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
            "synchronous": {0: "off", 1: "normal", 2: "full", 3: "extra"}.get(synchronous, str(synchronous)),
        }

    def transaction(self, fn):
        """Run ``fn(conn)`` in a write transaction, committed before returning its result.

        The transaction may hold other threads' writes too (group commit): ``fn`` must not commit,
        roll back or open a transaction itself, and sees the writes committed or queued before it.
        The COMMIT runs with ``synchronous=NORMAL`` (it writes the log, without waiting for the
        disk) and the log is synced once the write lock is free, before this returns: as durable
        as FULL, while the next writer already runs (:mod:`.sqlite_commit`).
        """
        self.connection()  # opens the file and creates the schema here, where a failure is this caller's
        return self._group.submit(fn)

    def _run_batch(self, fns):
        """Run ``fns`` in one transaction; ``[(error, result)]``, each error its own write's."""
        conn = self.connection()
        conn.execute("PRAGMA synchronous=NORMAL")  # the log is synced after the lock is released
        # IMMEDIATE takes the write lock up front: two workers never both read, then both write.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if len(fns) == 1:  # alone: a failure rolls the transaction back, no savepoint needed
                outcomes = [(None, fns[0](conn))]
            else:
                outcomes = [_in_savepoint(conn, fn) for fn in fns]
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            if not conn.in_transaction:
                conn.execute("PRAGMA synchronous=FULL")
        return outcomes

    def _sync_log(self):
        """Sync the write-ahead log: every commit written to it so far, by any process, is on disk
        after this (an automatic checkpoint syncs the log before, and the database after, it
        copies pages back, so a commit already moved to the database file is on disk too).
        Opened each time: a descriptor kept open would go on syncing a deleted log once SQLite
        removes and recreates the file (when the last connection to it closes)."""
        fd = os.open(f"{self.path}-wal", os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fdatasync(fd)
        finally:
            os.close(fd)

    def close(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        self._writer.close()


def _in_savepoint(conn, fn):
    conn.execute("SAVEPOINT write")
    try:
        result = fn(conn)
    except Exception as exc:
        if not conn.in_transaction:
            raise  # the error ended the whole transaction (disk full, I/O …): the batch fails
        conn.execute("ROLLBACK TO write")  # undo this write only; the others in the transaction stay
        conn.execute("RELEASE write")
        return exc, None
    conn.execute("RELEASE write")
    return None, result
