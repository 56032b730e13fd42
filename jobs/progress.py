"""A running scan's progress and heartbeat: what the scanner reports (phase, pages done) is kept
in memory and written every heartbeat to the scan index and, under RQ, to the job's meta."""

import threading

from cmp import clock


class JobProgress:
    """Takes the scanner's progress calls (the interface of :class:`scanner.progress.Progress`)."""

    def __init__(self):
        self._pages = {}  # phase -> (done, queued)
        self._items = set()
        self.phase = "starting"
        self._lock = threading.Lock()

    def observation(self, obs):
        if obs.write is None or not obs.write.deletes:
            with self._lock:
                self._items.add((obs.kind, obs.name, obs.domain))

    def pages(self, phase, done, queued):
        with self._lock:
            self._pages[phase] = (done, queued)
            self.phase = phase

    def page_line(self, entry):
        """One line per page is for a terminal; a job keeps counts only."""

    def close(self):
        """Nothing to redraw."""

    def snapshot(self):
        with self._lock:
            return {
                "phase": self.phase,
                "pages_done": sum(d for d, _ in self._pages.values()),
                "pages_queued": sum(q for _, q in self._pages.values()),
                "pages_by_phase": {p: {"done": d, "queued": q} for p, (d, q) in self._pages.items()},
                "items": len(self._items),
            }


class Heartbeat:
    """A thread that, every ``interval_s``, writes the progress, says the scan is alive and keeps
    the site's lock; started and stopped around the scan (``with Heartbeat(…):``)."""

    def __init__(self, index, record, progress, interval_s, job=None):
        self.index, self.record, self.progress, self.interval_s, self.job = index, record, progress, interval_s, job
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat {record.id}", daemon=True)

    def beat(self):
        progress = self.progress.snapshot()
        self.index.update(self.record.id, heartbeat_at=clock.iso(clock.now()), progress=progress)
        self.index.claim_site(self.record.site, self.record.id, ttl_s=lock_ttl_s(self.interval_s))
        if self.job is not None:
            self.job.meta["progress"] = progress
            self.job.save_meta()

    def _run(self):
        while not self._stop.wait(self.interval_s):
            try:
                self.beat()
            except Exception:  # a missed beat is reported by the next one, or by readers
                continue

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def lock_ttl_s(interval_s):
    """A site's lock outlives a lost worker by as long as its scan takes to read as failed."""
    from cmp.store.scans import MISSED_BEATS

    return MISSED_BEATS * interval_s
