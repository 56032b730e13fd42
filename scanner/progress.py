"""Progress of a running scan on stderr: a one-line bar redrawn in place on a terminal (pages
done / queued per phase, items found), one plain log line per page otherwise (CI logs)."""

import sys
import time

from .items import PHASES

BAR_WIDTH = 24
REDRAW_EVERY_S = 0.1


class Progress:
    def __init__(self, stream=None, tty=None, enabled=True):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.enabled = enabled
        self._pages = {}  # phase -> (done, queued)
        self._items = set()
        self._drawn = 0.0
        self._line_len = 0

    @property
    def items_found(self):
        return len(self._items)

    def observation(self, obs):
        if obs.write is None or not obs.write.deletes:
            self._items.add((obs.kind, obs.name, obs.domain))

    def pages(self, phase, done, queued):
        self._pages[phase] = (done, queued)
        if self.tty:
            self._draw()

    def page_line(self, entry):
        if not self.enabled or self.tty:
            return
        status = entry["status"] if entry["status"] is not None else f"error: {entry.get('error', '')}"
        done = sum(d for d, _ in self._pages.values())
        queued = sum(q for _, q in self._pages.values())
        self.stream.write(
            f"scan: [{entry['phase']}] {status} depth {entry['depth']} {entry['url']} "
            f"({done}/{queued} pages, {self.items_found} items)\n"
        )
        self.stream.flush()

    def _draw(self, force=False):
        now = time.monotonic()
        if not self.enabled or (not force and now - self._drawn < REDRAW_EVERY_S):
            return
        self._drawn = now
        done = sum(d for d, _ in self._pages.values())
        queued = max(1, sum(q for _, q in self._pages.values()))
        filled = round(BAR_WIDTH * done / queued)
        ordered = sorted(self._pages.items(), key=lambda kv: PHASES.index(kv[0]))
        phases = ", ".join(f"{p} {d}/{q}" for p, (d, q) in ordered)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        line = f"[{bar}] {done}/{queued} pages ({phases}), {self.items_found} items"
        self.stream.write("\r" + line.ljust(self._line_len))
        self._line_len = len(line)
        self.stream.flush()

    def close(self):
        if self.enabled and self.tty and self._line_len:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
