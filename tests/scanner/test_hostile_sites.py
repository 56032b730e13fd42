"""Hostile sites stay bounded: a redirect loop, a page of 10,000 links, an endless calendar and a
20 MB page each end the scan within its limits, with a clear note in the report and the usual
exit code (a server that never answers is tests/scanner/test_time_limits.py's)."""

import json
import time

import pytest
from click.testing import CliRunner
from flask import Flask, redirect

from cmpctl.cli import main
from tests.jobs.sites import Served

from .helpers import FIXTURE_INVENTORY

pytestmark = pytest.mark.browser
BIG_PAGE_BYTES = 20 * 1024 * 1024
PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>{}</body></html>'


def hostile_app():
    app = Flask("hostile_site")
    big = PAGE.format("<p>Gros</p><!--" + "x" * BIG_PAGE_BYTES + "-->")

    @app.get("/")
    def home():
        return PAGE.format(
            '<a href="/loop">L</a> <a href="/links">N</a> <a href="/cal/2026/1">C</a> <a href="/big">B</a>'
        )

    @app.get("/loop")
    def loop():
        return redirect("/loop-again")

    @app.get("/loop-again")
    def loop_again():
        return redirect("/loop")

    @app.get("/links")
    def links():
        return PAGE.format(" ".join(f'<a href="/item/{i}">{i}</a>' for i in range(10_000)))

    @app.get("/item/<int:n>")
    def item(n):
        return PAGE.format(f"<p>{n}</p>")

    @app.get("/cal/<int:year>/<int:month>")
    def calendar(year, month):
        following = (year + month // 12, month % 12 + 1)
        days = " ".join(f'<a href="/cal/{year}/{month}/{d}">{d}</a>' for d in range(1, 29))
        return PAGE.format(f'<a href="/cal/{following[0]}/{following[1]}">suivant</a> {days}')

    @app.get("/cal/<int:year>/<int:month>/<int:day>")
    def day(year, month, day):
        return PAGE.format(f'<a href="/cal/{year}/{month}/{day}/9">9h</a>')

    @app.get("/cal/<int:year>/<int:month>/<int:day>/<int:hour>")
    def slot(year, month, day, hour):
        return PAGE.format(f"<p>créneau de {hour}</p>")

    @app.get("/big")
    def big_page():
        return big

    return app


def scan(tmp_path_factory, path, *options):
    out = tmp_path_factory.mktemp("hostile")
    with Served(hostile_app()) as site:
        started = time.monotonic()
        result = CliRunner().invoke(
            main,
            ["scan", site.url + path, "--inventory", str(FIXTURE_INVENTORY), "--out", str(out), "--quiet"]
            + ["--timeout", "10", "--deadline", "60", "--grace", "0", *options],
        )
        took = time.monotonic() - started
    return result, json.loads((out / "report.json").read_text(encoding="utf-8")), took


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    return scan(tmp_path_factory, "", "--max-pages", "30", "--depth", "3")


@pytest.fixture(scope="module")
def calendar(tmp_path_factory):
    return scan(tmp_path_factory, "cal/2026/1", "--max-pages", "50", "--depth", "1")


def test_the_scan_ends_within_its_deadline_with_the_usual_exit_code(scanned):
    result, report, took = scanned
    assert result.exit_code == 0, result.output
    assert took < 60 + 10
    assert report["error"] is None
    assert all(n <= 30 for n in report["summary"]["pages"].values())


def test_a_redirect_loop_is_named_in_the_pages_and_the_note(scanned):
    _, report, _ = scanned
    loop = [p for p in report["pages"] if p["url"].endswith("/loop")]
    assert loop and all(p["error"].startswith("redirect loop (the browser gave up after 20 redirects)") for p in loop)
    assert "redirect loop at " in report["bounds"]["detail"]


def test_ten_thousand_links_stop_at_the_page_limit(scanned):
    _, report, _ = scanned
    bounds = report["bounds"]
    assert min(bounds["links_over_page_limit"].values()) > 9_000
    assert "the page limit (--max-pages 30) left " in bounds["detail"]


def test_an_endless_calendar_stops_at_the_depth_limit(calendar):
    result, report, took = calendar
    assert (result.exit_code, report["error"]) == (0, None)
    assert report["summary"]["pages"] == {"before": 30, "refuse": 30, "accept": 30}  # the month and its 29 links
    # The next month's page links a month and 28 days further; each day links one time slot.
    assert report["bounds"]["links_over_depth"] == {"before": 57, "refuse": 57, "accept": 57}
    assert "the depth limit (--depth 1) left 57 deeper link(s) unvisited" in report["bounds"]["detail"]


def test_a_20_mb_page_is_weighed_and_named(scanned):
    result, report, _ = scanned
    heavy = {(p["phase"], p["url"].rsplit("/", 1)[-1]) for p in report["bounds"]["large_pages"]}
    assert ("before", "big") in heavy
    assert all(p["bytes"] >= BIG_PAGE_BYTES for p in report["bounds"]["large_pages"])
    assert "/big weighs 21.0 MB" in report["bounds"]["detail"]
    assert "Crawl bounds: " in result.output
