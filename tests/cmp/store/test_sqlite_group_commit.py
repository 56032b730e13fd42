"""Group commit on SQLite: writes from many threads share transactions, yet each caller is answered
only once its own write is committed, and with its own outcome."""

import gc
import multiprocessing
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from cmp.errors import StorageError
from cmp.store import store_from_url
from cmp.store.base import Hit
from cmp.store.sqlite_commit import GroupCommit, WriterLock
from cmp.store.sqlite_db import Database

from .test_contract import record

SCHEMA = "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY);"


@pytest.fixture
def db(sqlite_url):
    database = Database(sqlite_url, SCHEMA)
    database.connection()
    yield database
    database.close()


def insert(*keys):
    return lambda conn: sum(conn.execute("INSERT INTO t (k) VALUES (?)", (key,)).rowcount for key in keys)


def keys(db):
    with sqlite3.connect(db.path) as conn:  # another connection: sees committed rows only
        return sorted(k for (k,) in conn.execute("SELECT k FROM t"))


def wait_until(condition):
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the writers never queued"
        time.sleep(0.001)


class Writers:
    """Threads each calling ``submit(fn)`` once; ``outcomes[name]`` is ("ok", result) or ("error", exc)."""

    def __init__(self):
        self.outcomes = {}
        self.threads = []

    def start(self, name, submit, fn):
        def run():
            try:
                self.outcomes[name] = ("ok", submit(fn))
            except Exception as exc:
                self.outcomes[name] = ("error", exc)

        self.threads.append(threading.Thread(target=run))
        self.threads[-1].start()

    def join(self):
        for thread in self.threads:
            thread.join()


def queued_behind_a_held_lock(db, writes):
    """Submit ``writes`` ({name: fn}) while another writer holds the lock file, so that they all
    queue and go in one batch once it is released; the batches each transaction held."""
    batches = []
    run_batch = db._group._run_batch
    db._group._run_batch = lambda fns: batches.append(len(fns)) or run_batch(fns)
    other = WriterLock(db.path)
    writers = Writers()
    with other:
        for queued, (name, fn) in enumerate(writes.items(), start=1):
            writers.start(name, db.transaction, fn)
            wait_until(lambda n=queued: len(db._group) == n)
    writers.join()
    other.close()
    return writers.outcomes, batches


def three_writers_in_one_batch(lock, group):
    """Queue three writers on ``group`` while ``lock`` is held, so that they go in one batch once
    it is released; their outcomes."""
    writers = Writers()
    with lock:
        for i in range(3):
            writers.start(f"w{i}", group.submit, i)
            wait_until(lambda n=i + 1: len(group) == n)
    writers.join()
    return writers.outcomes


def test_writes_queued_together_share_one_transaction_and_each_gets_its_result(db):
    outcomes, batches = queued_behind_a_held_lock(db, {f"w{i}": insert(f"k{i}") for i in range(6)})
    assert batches == [6]
    assert outcomes == {f"w{i}": ("ok", 1) for i in range(6)}
    assert keys(db) == [f"k{i}" for i in range(6)]


@pytest.mark.parametrize("failing", [0, 2, 5])
def test_a_failing_write_fails_only_its_own_caller(db, failing):
    db.transaction(insert("taken"))
    # The failing write's first insert succeeds, its second breaks the key: both are undone.
    writes = {f"w{i}": insert(f"k{i}", "taken") if i == failing else insert(f"k{i}") for i in range(6)}
    outcomes, batches = queued_behind_a_held_lock(db, writes)
    assert batches == [6]
    kind, error = outcomes.pop(f"w{failing}")
    assert (kind, type(error)) == ("error", sqlite3.IntegrityError)
    assert outcomes == {f"w{i}": ("ok", 1) for i in range(6) if i != failing}
    assert keys(db) == sorted(["taken"] + [f"k{i}" for i in range(6) if i != failing])


def test_a_writer_is_answered_only_after_the_commit_that_holds_its_write(db):
    inside, release = threading.Event(), threading.Event()

    def slow(conn):  # the second write of the batch, holding the transaction open
        inside.set()
        release.wait()
        return insert("k-slow")(conn)

    other = WriterLock(db.path)
    writers = Writers()
    with other:
        writers.start("first", db.transaction, insert("k-first"))
        wait_until(lambda: len(db._group) == 1)
        writers.start("slow", db.transaction, slow)
        wait_until(lambda: len(db._group) == 2)
    inside.wait()
    # The first write ran in this transaction, but is not committed: its caller must still wait.
    assert writers.outcomes == {}
    assert keys(db) == []
    release.set()
    writers.join()
    assert writers.outcomes == {"first": ("ok", 1), "slow": ("ok", 1)}
    assert keys(db) == ["k-first", "k-slow"]


def test_when_the_transaction_fails_every_writer_in_it_fails_and_none_gets_a_result():
    lock = threading.Lock()

    def run_batch(fns):
        raise sqlite3.OperationalError("disk I/O error")

    group = GroupCommit(lock, run_batch, sync=lambda: None)
    outcomes = three_writers_in_one_batch(lock, group)
    assert {name: (kind, str(error)) for name, (kind, error) in outcomes.items()} == {
        f"w{i}": ("error", "disk I/O error") for i in range(3)
    }
    assert len(group) == 0


def test_writes_of_a_later_batch_wait_for_the_earlier_commit_and_keep_their_order():
    lock, order = threading.Lock(), []

    def run_batch(fns):
        order.append(list(fns))
        return [(None, fn) for fn in fns]

    group = GroupCommit(lock, run_batch, sync=lambda: None)
    assert group.submit("alone") == "alone"
    writers = Writers()
    with lock:
        for i in range(4):
            writers.start(f"w{i}", group.submit, f"w{i}")
            wait_until(lambda n=i + 1: len(group) == n)
    writers.join()
    assert order == [["alone"], ["w0", "w1", "w2", "w3"]]
    assert writers.outcomes == {f"w{i}": ("ok", f"w{i}") for i in range(4)}


def test_a_batch_is_answered_after_its_sync_while_the_next_batch_commits_meanwhile():
    lock, committed, syncs = threading.Lock(), [], []
    syncing, synced = threading.Event(), threading.Event()

    def run_batch(fns):
        committed.append(list(fns))
        return [(None, fn) for fn in fns]

    def sync():  # the first sync waits for the test; the later ones return at once
        syncs.append(len(committed))
        if len(syncs) == 1:
            syncing.set()
            synced.wait()

    group = GroupCommit(lock, run_batch, sync)
    writers = Writers()
    writers.start("first", group.submit, "first")
    syncing.wait()
    # Committed, its sync under way: the first writer has no answer yet, and the write lock is
    # free, so a second writer commits without waiting for that sync.
    assert (committed, writers.outcomes) == ([["first"]], {})
    assert group.submit("second") == "second"
    assert (committed, writers.outcomes) == ([["first"], ["second"]], {})
    synced.set()
    writers.join()
    assert writers.outcomes == {"first": ("ok", "first")}
    assert syncs == [1, 2]  # each batch synced after its own commit


def test_when_the_sync_fails_every_writer_of_the_batch_fails():
    lock = threading.Lock()

    def sync():
        raise OSError(5, "Input/output error")

    group = GroupCommit(lock, lambda fns: [(None, fn) for fn in fns], sync)
    outcomes = three_writers_in_one_batch(lock, group)
    assert {name: (kind, type(error), str(error)) for name, (kind, error) in outcomes.items()} == {
        f"w{i}": ("error", OSError, "[Errno 5] Input/output error") for i in range(3)
    }
    assert len(group) == 0


def test_a_saved_consent_is_in_the_synced_log_before_save_returns(sqlite_url, monkeypatch):
    # The commit itself only writes the write-ahead log (synchronous=NORMAL, so that the next
    # writer need not wait for the disk); the store syncs the log before it answers. NORMAL alone
    # would let an acknowledged consent vanish on a power cut while every kill -9 test passes.
    syncs = []
    real_fdatasync = os.fdatasync

    def fdatasync(fd):
        real_fdatasync(fd)
        syncs.append((os.readlink(f"/proc/self/fd/{fd}"), os.fstat(fd).st_size))

    store = store_from_url(sqlite_url)
    try:
        store.save(record(visitor="first"))  # creates the file, the schema and the log
        monkeypatch.setattr(os, "fdatasync", fdatasync)
        wal = Path(f"{store.db.path}-wal")
        size_before = wal.stat().st_size
        assert store.save(record(visitor="second")) is True
        # Synced once, after the commit had written its pages, and nothing written since.
        assert syncs == [(str(wal), wal.stat().st_size)]
        assert syncs[0][1] > size_before
    finally:
        store.close()


def test_writes_outside_a_transaction_keep_synchronous_full(sqlite_url):
    store = store_from_url(sqlite_url)
    try:
        store.save(record())
        assert store.durability() == {"journal_mode": "wal", "synchronous": "full"}
    finally:
        store.close()


def test_concurrent_saves_from_many_threads_all_land_once(sqlite_url):
    store = store_from_url(sqlite_url)
    hit = Hit("w:many", 10_000, 60)
    saved, answers = [[record(visitor=f"visitor-{t:02d}-{i:03d}") for i in range(40)] for t in range(8)], []

    def save_all(records):
        answers.extend(store.save(r, ("decisions",), hit=hit) for r in records)

    threads = [threading.Thread(target=save_all, args=(records,)) for records in saved]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [True] * 320
    conn = sqlite3.connect(store.db.path)
    assert conn.execute("SELECT count(*), count(DISTINCT visitor_id) FROM proofs").fetchone() == (320, 320)
    assert conn.execute("SELECT count(*) FROM consents").fetchone() == (320,)
    assert conn.execute("SELECT n FROM counters WHERE name = 'decisions'").fetchone() == (320,)
    assert conn.execute("SELECT hits FROM rate_limits WHERE key = 'w:many'").fetchone() == (320,)
    store.close()


def _save_in_a_process(url, prefix, n):
    store = store_from_url(url)
    for i in range(n):
        store.save(record(visitor=f"{prefix}-{i:04d}"), ("decisions",))
    store.close()


def test_saves_from_several_processes_all_land(sqlite_url):
    store_from_url(sqlite_url).ping()
    spawn = multiprocessing.get_context("spawn")
    processes = [spawn.Process(target=_save_in_a_process, args=(sqlite_url, f"p{p}", 100)) for p in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    assert [process.exitcode for process in processes] == [0, 0, 0]
    conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    assert conn.execute("SELECT count(*) FROM proofs").fetchone() == (300,)
    assert conn.execute("SELECT n FROM counters WHERE name = 'decisions'").fetchone() == (300,)


def _hold_the_lock_then_wait(path, locked):
    lock = WriterLock(path)
    lock.__enter__()
    locked.set()
    threading.Event().wait()  # until killed


def test_a_writer_killed_while_holding_the_lock_does_not_block_the_others(sqlite_url):
    store = store_from_url(sqlite_url)
    spawn = multiprocessing.get_context("spawn")
    locked = spawn.Event()
    holder = spawn.Process(target=_hold_the_lock_then_wait, args=(store.db.path, locked))
    holder.start()
    assert locked.wait(timeout=30)
    holder.kill()
    holder.join()
    assert store.save(record()) is True
    store.close()


def test_a_store_error_names_the_store_and_fails_only_that_save(sqlite_url):
    store = store_from_url(sqlite_url)
    store.db.transaction(
        lambda conn: conn.execute(
            "CREATE TRIGGER no_milleis BEFORE INSERT ON proofs "
            "WHEN NEW.site = 'milleis' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    )
    with pytest.raises(StorageError, match="refused"):
        store.save(record(site="milleis"))
    assert store.save(record()) is True
    store.close()


def _open_lock_files(path):
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == f"{path}-writer")


def test_a_thread_that_ends_leaves_no_lock_file_open(sqlite_url):
    # Servers retire idle threads: each thread's descriptor must go with its thread-locals.
    store = store_from_url(sqlite_url)
    for i in range(3):
        thread = threading.Thread(target=store.save, args=(record(visitor=f"visitor-{i:013d}"),))
        thread.start()
        thread.join()
    gc.collect()
    assert _open_lock_files(store.db.path) == 0
    store.close()
