"""A scan's time budget: ``--timeout`` for each network wait, ``--deadline`` for the whole scan,
and the record of what ran out of time, for the report."""

import time

# Default deadline of a scan, in units of its --timeout: room for a normal crawl of a slow site,
# yet a scan left unattended (CI) always ends.
DEFAULT_DEADLINE_TIMEOUTS = 10
# After the deadline, steps that wait on something else than the network (a script that never
# yields, a screenshot) are cancelled after this margin; closing the browser and writing the
# reports come on top (about a second).
HARD_STOP_MARGIN_S = 2.0


def deadline_for(timeout_s, deadline_s=None):
    """The scan's deadline in seconds: ``--deadline``, else :data:`DEFAULT_DEADLINE_TIMEOUTS` timeouts."""
    return deadline_s if deadline_s is not None else DEFAULT_DEADLINE_TIMEOUTS * timeout_s


class Deadline:
    """``timeout_s`` bounds each wait; every wait also ends at ``deadline_s`` after the start."""

    def __init__(self, timeout_s, deadline_s=None, clock=time.monotonic):
        self.timeout_s = timeout_s
        self.deadline_s = deadline_for(timeout_s, deadline_s)
        self._clock = clock
        self.ends = clock() + self.deadline_s
        self.timeouts = []  # what timed out, in the order it happened (report.json's limits.timeouts)

    def remaining_s(self):
        return max(0.0, self.ends - self._clock())

    def wait_s(self, limit_s=None):
        """Seconds the next wait may take: ``limit_s`` (default: the timeout), cut at the deadline."""
        return min(self.timeout_s if limit_s is None else limit_s, self.remaining_s())

    def wait_ms(self, limit_s=None):
        # Playwright reads a timeout of 0 as "no timeout": never hand it one.
        return max(1.0, self.wait_s(limit_s) * 1000)

    def timed_out(self, step, phase, url, allowed_s=None):
        """Record that ``step`` (``sitemap``, ``banner``, ``page``) of ``phase`` on ``url`` ran out of
        the ``allowed_s`` seconds it was given: the limit it hit is ``timeout``, or ``deadline`` when
        that came first. Without ``allowed_s``, the deadline stopped a step that was not waiting on
        the network (``after_s`` is then null)."""
        limit = "timeout" if allowed_s is not None and allowed_s >= self.timeout_s else "deadline"
        after = round(allowed_s, 1) if allowed_s is not None else None
        self.timeouts.append({"step": step, "phase": phase, "url": url, "limit": limit, "after_s": after})
