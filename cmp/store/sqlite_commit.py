"""Group commit for one SQLite file: the writes that threads of a process submit while another
commit is under way share the next transaction; a lock file beside the database makes writers of
every process queue for the write lock instead of polling for it; and the log is synced after
the lock is released, so that the syncs of several processes overlap.

Why: a sync (fsync) costs more than the transaction it makes durable. Syncing inside the write
lock (SQLite's ``synchronous=FULL``) lets one commit at a time wait for the disk, and writers that
find the file locked sleep in SQLite's busy handler (1, 2, 5 … 100 ms) however soon the lock is
free. Here a writer blocks in ``flock`` and wakes the moment the previous commit released it, the
commit itself only writes the log (``synchronous=NORMAL``), and the writer syncs the log once the
lock is free: the next process is already writing while the disk flushes, and a sync covers every
commit written before it, other processes' included.

A caller is answered only after the COMMIT that holds its write returned *and* a sync of the log
that started after it returned: nothing acknowledged is lost on a power cut. Each write runs in
its own SAVEPOINT, so one that raises is rolled back alone and fails only its own caller.
"""

import collections
import copy
import fcntl
import os
import threading

MAX_BATCH = 64  # bounds how long the first writer of a batch waits for the others' statements


class WriterLock:
    """An exclusive ``flock`` on ``<database>-writer``, held around each write transaction.

    Each thread opens the file once, as it has its own connection: ``flock`` excludes every other
    open file, in this process or another, and the kernel drops the lock when a killed process's
    descriptors close. Reopened after a fork: an inherited descriptor would share the parent's lock.
    """

    def __init__(self, path):
        self.path = f"{path}-writer"
        self._local = threading.local()

    def _fd(self):
        if getattr(self._local, "pid", None) != os.getpid():
            # Read-only is enough for flock, so a lock file another user created (a cmpctl run as
            # root) does not lock the service out. A file object, so that the descriptor of a
            # thread that ends (servers retire idle threads) is closed with its thread-locals.
            fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
            self._local.file = os.fdopen(fd, "rb", buffering=0)
            self._local.pid = os.getpid()
        return self._local.file.fileno()

    def __enter__(self):
        fcntl.flock(self._fd(), fcntl.LOCK_EX)  # releases the GIL while it waits
        return self

    def __exit__(self, *exc):
        fcntl.flock(self._local.file.fileno(), fcntl.LOCK_UN)

    def close(self):
        """Close this thread's descriptor (it reopens on the next write)."""
        if getattr(self._local, "pid", None) == os.getpid():
            self._local.file.close()
        self._local.pid = None


class _Write:
    __slots__ = ("fn", "done", "result", "error")

    def __init__(self, fn):
        self.fn = fn
        self.done = False
        self.result = self.error = None


class GroupCommit:
    """Writers queue; the one at the head commits everything queued so far, then wakes the others.

    No extra thread: the head of the queue is a caller, so a lone writer commits at once, and the
    next head is whoever queued while that commit ran (leader and followers, as in LevelDB).
    """

    def __init__(self, lock, run_batch, sync):
        self._lock = lock  # held around each batch: the writer lock shared with other processes
        self._run_batch = run_batch  # ([fn]) -> [(error, result)], or raises: the whole batch failed
        self._sync = sync  # () -> None: makes what was committed so far durable, or raises
        self._queue = collections.deque()
        self._changed = threading.Condition(threading.Lock())

    def __len__(self):
        """Writes queued or being committed (not those committed and waiting for their sync)."""
        with self._changed:
            return len(self._queue)

    def submit(self, fn):
        """``fn(conn)``'s result once the transaction that ran it is committed and synced; or its error."""
        mine = _Write(fn)
        with self._changed:
            self._queue.append(mine)
            while not mine.done and not (self._queue and self._queue[0] is mine):
                self._changed.wait()
        if not mine.done:
            self._commit()
        if mine.error is not None:
            raise mine.error
        return mine.result

    def _commit(self):
        """As the head of the queue: commit the head's write and every one queued behind it, let
        the next head begin, sync, then answer the batch."""
        batch = []
        try:
            with self._lock:
                # Taken once the lock is ours: writes queued while another process committed
                # join this batch.
                with self._changed:
                    batch = [self._queue[i] for i in range(min(len(self._queue), MAX_BATCH))]
                outcomes = self._run_batch([write.fn for write in batch])
        except BaseException as exc:  # nothing of the batch is committed: every writer in it fails
            batch = batch or [self._queue[0]]
            self._leave(batch)
            self._answer(batch, _failed(exc, len(batch)))
            return
        self._leave(batch)  # committed, not yet durable: the next head may start its transaction
        try:
            self._sync()
        except BaseException as exc:  # committed, but not known to be on disk: nobody is told it is
            outcomes = _failed(exc, len(batch))
        self._answer(batch, outcomes)

    def _leave(self, batch):
        with self._changed:
            for _ in batch:
                self._queue.popleft()
            self._changed.notify_all()

    def _answer(self, batch, outcomes):
        with self._changed:
            for write, (error, result) in zip(batch, outcomes, strict=True):
                write.error, write.result, write.done = error, result, True
            self._changed.notify_all()


def _failed(exc, n):
    """``exc`` for the first writer, copies for the others (a raised exception carries its traceback)."""
    return [(exc if i == 0 else copy.copy(exc), None) for i in range(n)]
