"""report.html read in a 1280 px wide browser window: nothing is cut off on the right, however
long the names, URLs and details the scan found."""

import pytest
from playwright.sync_api import sync_playwright

from scanner import report_html
from scanner.browser import chromium_path
from scanner.phases import PhaseResult, ScanOptions, ScanResult
from scanner.run import finish

from .helpers import T0, fixture_site, write

pytestmark = pytest.mark.browser
URL = "http://127.0.0.1/"
LONG = "x" * 180


def long_report(tmp_path):
    host = dict(host="127.0.0.1", page=URL + "a/" + LONG, initiator=URL + "static/" + LONG + ".js")
    observations = [write(f"{LONG}_{n}=1; Max-Age=63072000", **host) for n in range(3)] + [
        write("tracking_" + "y" * 120 + "=1", **host)
    ]
    banner = {"method": "none", "action": None, "clicked": None, "frame_url": None, "in_shadow_root": False}
    pages = [{"url": URL + "a/" + LONG, "phase": "before", "status": 200, "depth": 0}]
    result = ScanResult(
        URL, T0, T0 + 1, [PhaseResult("before", pages, {"phase": "before", **banner}, None, observations)]
    )
    return finish(result, fixture_site(), ScanOptions(URL), tmp_path, ["json"], echo=lambda _: None)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_html_report_fits_a_1280_px_window(tmp_path, lang):
    html = report_html.render(long_report(tmp_path), {}, lang)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_content(html)
            widths = page.evaluate(
                """() => ({
                  page: document.documentElement.scrollWidth,
                  findings: document.querySelector('#findings').getBoundingClientRect().right,
                  items: document.querySelector('#items').getBoundingClientRect().right,
                })"""
            )
        finally:
            browser.close()
    assert widths["page"] <= 1280
    assert widths["findings"] <= 1280 and widths["items"] <= 1280
