"""Group commit for one SQLite file: the writes that threads of a process submit while another
commit is under way share the next transaction, hence its one fsync; and a lock file beside the
database makes writers of every process queue for the write lock instead of polling for it.

Why: with ``synchronous=FULL`` each commit waits for an fsync, and writers that find the file
locked sleep in SQLite's busy handler (1, 2, 5 … 100 ms) however soon the lock is free, so a few
writers spend most of their time asleep while the disk is idle. Here a writer blocks in ``flock``
and wakes the moment the previous commit released it.

A caller is answered only after the COMMIT that holds its write returned. Each write runs in its
own SAVEPOINT, so one that raises is rolled back alone and fails only its own caller.
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

    def __init__(self, lock, run_batch):
        self._lock = lock  # held around each batch: the writer lock shared with other processes
        self._run_batch = run_batch  # ([fn]) -> [(error, result)], or raises: the whole batch failed
        self._queue = collections.deque()
        self._changed = threading.Condition(threading.Lock())

    def __len__(self):
        """Writes queued or being committed."""
        with self._changed:
            return len(self._queue)

    def submit(self, fn):
        """``fn(conn)``'s result once the transaction that ran it is committed; or its error."""
        mine = _Write(fn)
        with self._changed:
            self._queue.append(mine)
            while not mine.done and self._queue[0] is not mine:
                self._changed.wait()
        if not mine.done:
            self._commit()
        if mine.error is not None:
            raise mine.error
        return mine.result

    def _commit(self):
        """As the head of the queue: commit the head's write and every one queued behind it."""
        batch = []
        try:
            with self._lock:
                # Taken once the lock is ours: writes queued while another process committed
                # join this batch. The batch stays in the queue until it is done.
                with self._changed:
                    batch = [self._queue[i] for i in range(min(len(self._queue), MAX_BATCH))]
                outcomes = self._run_batch([write.fn for write in batch])
        except BaseException as exc:  # nothing of the batch is committed: every writer in it fails
            batch = batch or [self._queue[0]]
            outcomes = [(exc if i == 0 else copy.copy(exc), None) for i in range(len(batch))]
        with self._changed:
            for write, (error, result) in zip(batch, outcomes, strict=True):
                write.error, write.result, write.done = error, result, True
                self._queue.popleft()
            self._changed.notify_all()
