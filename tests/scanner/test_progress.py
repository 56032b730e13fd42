"""Progress on stderr: a bar redrawn in place on a terminal, plain lines in logs."""

import io

from scanner.progress import Progress

from .helpers import storage, write


def test_without_a_terminal_each_page_is_one_log_line():
    out = io.StringIO()
    progress = Progress(out, tty=False)
    progress.pages("before", 0, 3)
    progress.observation(write("a=1"))
    progress.observation(write("a=1"))
    progress.observation(storage("k"))
    progress.pages("before", 1, 3)
    progress.page_line({"url": "http://s/", "phase": "before", "status": 200, "depth": 0})
    progress.page_line({"url": "http://s/x", "phase": "before", "status": None, "depth": 1, "error": "net::ERR"})
    progress.close()
    assert out.getvalue() == (
        "scan: [before] 200 depth 0 http://s/ (1/3 pages, 2 items)\n"
        "scan: [before] error: net::ERR depth 1 http://s/x (1/3 pages, 2 items)\n"
    )


def test_on_a_terminal_a_bar_shows_pages_done_and_queued_per_phase_and_items():
    out = io.StringIO()
    progress = Progress(out, tty=True)
    progress.observation(write("a=1"))
    progress.pages("refuse", 1, 4)
    progress.pages("before", 3, 4)  # redrawn at most ten times a second
    progress.page_line({"url": "http://s/", "phase": "before", "status": 200, "depth": 0})
    progress.close()
    text = out.getvalue()
    assert "\n" not in text[:-1] and text.endswith("\n")
    assert text.split("\r")[1].rstrip() == "[######..................] 1/4 pages (refuse 1/4), 1 items"
    assert text.split("\r")[-1] == "[############............] 4/8 pages (before 3/4, refuse 1/4), 1 items\n"


def test_a_deletion_is_not_counted_as_an_item_found():
    progress = Progress(io.StringIO(), tty=False)
    progress.observation(write("a=; Max-Age=0"))
    assert progress.items_found == 0


def test_quiet_prints_nothing():
    out = io.StringIO()
    progress = Progress(out, tty=True, enabled=False)
    progress.pages("before", 1, 2)
    progress.close()
    progress = Progress(out, tty=False, enabled=False)
    progress.page_line({"url": "http://s/", "phase": "before", "status": 200, "depth": 0})
    assert out.getvalue() == ""
