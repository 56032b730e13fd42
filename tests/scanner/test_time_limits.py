"""A scan keeps its time bounds: --timeout for each network wait (a site that never answers ends
the scan after about one timeout), --deadline for the whole scan; the reports say what ran out
of time, in which phase and at which step."""

import json
import socket
import time

import pytest
from click.testing import CliRunner

from cmpctl.cli import main
from tests.support.processes import free_port

from .fixture_site.app import HANGING_PAGES
from .fixture_site.server import FixtureSite
from .helpers import FIXTURE_INVENTORY

pytestmark = [pytest.mark.browser, pytest.mark.slow]
# Beyond the bound: Playwright's driver and Chromium starting, the browser closing, the reports,
# on a 2-core machine that runs other tests (or benchmarks) at the same time. Generous, yet well
# below the 30 s that a scan not held to its bound would take (the default --timeout, and the
# default deadline of 10 timeouts); what ran out of time, and why, is asserted from the report.
MARGIN_S = 15.0


@pytest.fixture
def never_answers():
    """A server that accepts TCP connections (the kernel completes them) and never reads or writes."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", free_port()))
        listener.listen(64)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"


def timed_scan(tmp_path, url, *options):
    out = tmp_path / "out"
    args = ["scan", url, "--inventory", str(FIXTURE_INVENTORY), "--out", str(out), *options]
    started = time.monotonic()
    result = CliRunner().invoke(main, args)
    elapsed = time.monotonic() - started
    return result, elapsed, out


def test_a_site_that_never_answers_ends_the_scan_after_one_timeout_and_the_reports_say_where(never_answers, tmp_path):
    result, elapsed, out = timed_scan(tmp_path, never_answers, "--timeout", "3")
    assert elapsed < 3 + MARGIN_S
    assert result.exit_code == 2  # the start page loaded in no phase: the scan could not run
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["error"] == f"{never_answers} could not be loaded: timed out after 3 s (--timeout)"
    assert report["summary"]["verdict"] == "error"
    # The sitemap and the three phases' start page wait side by side: one timeout each, at once.
    timeouts = [(t["step"], t["phase"] or "", t["url"], t["limit"], t["after_s"]) for t in report["limits"]["timeouts"]]
    assert sorted(timeouts) == [
        ("banner", "accept", never_answers, "timeout", 3.0),
        ("banner", "refuse", never_answers, "timeout", 3.0),
        ("page", "before", never_answers, "timeout", 3.0),
        ("sitemap", "", never_answers + "sitemap.xml", "timeout", 3.0),
    ]
    assert report["limits"]["deadline_reached"] is False
    # The start page is not loaded a second time in a phase where answering its banner timed out.
    assert [(p["phase"], p["url"], p["error"]) for p in report["pages"]] == [
        ("before", never_answers, "timed out after 3 s (--timeout)"),
        ("refuse", never_answers, "timed out after 3 s (--timeout)"),
        ("accept", never_answers, "timed out after 3 s (--timeout)"),
    ]
    assert report["findings"] == []  # nothing seen says nothing about the inventory
    sitemap_line = f"sitemap {never_answers}sitemap.xml: no answer within 3 s (--timeout)"
    assert f"  timed out: {sitemap_line}\n" in result.stdout
    assert f"  timed out: [refuse] banner {never_answers}: no answer within 3 s (--timeout)\n" in result.stdout
    assert result.stderr.splitlines()[-1] == f"cmpctl: scan of {never_answers} failed: {report['error']}"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<b>The scan could not run:</b>" in html
    assert f"<li>{sitemap_line}</li>" in html


def test_the_deadline_bounds_a_scan_whose_pages_never_answer_and_what_was_left_is_counted(tmp_path):
    with FixtureSite() as site:
        start = site.url + "hangs"
        # Six pages that never answer, four at a time: the second four start after one timeout,
        # and the deadline comes before they could end (or before the last ones could start),
        # with room for Chromium to start and load the first page on a loaded machine.
        result, elapsed, out = timed_scan(
            tmp_path, start, "--timeout", "5", "--deadline", "10", "--depth", "1", "--format", "json"
        )
    assert elapsed < 10 + MARGIN_S
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    limits = report["limits"]
    assert (limits["timeout_s"], limits["deadline_s"], limits["deadline_reached"]) == (5.0, 10.0, True)
    hanging = {f"{site.url}hang/{n}" for n in range(1, HANGING_PAGES + 1)}
    # Only the pages that never answer ran out of their own timeout; any page may be cut short
    # by the deadline.
    assert {t["url"] for t in limits["timeouts"] if t["limit"] == "timeout"} <= hanging
    # On a loaded machine the deadline may come before any page's own timeout: then every
    # hanging page is either cut by the deadline or listed as not visited, which the loop checks.
    assert {t["step"] for t in limits["timeouts"]} <= {"page"}
    for phase in ("before", "refuse", "accept"):
        tried = {p["url"] for p in report["pages"] if p["phase"] == phase}
        assert tried.isdisjoint(limits["not_visited"][phase])
        assert hanging <= tried | set(limits["not_visited"][phase])  # each tried, or listed as left
    assert report["summary"]["deadline_reached"] is True
    assert "Time limits: " in result.stdout and "the scan's deadline (10 s) was reached" in result.stdout
