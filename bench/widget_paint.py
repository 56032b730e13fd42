"""When the banner appears relative to the page's first paint, and whether anything shifts.

    python bench/widget_paint.py --runs 30

Starts the service (``cmpctl serve``, SQLite) and Chromium. Each run is a first visit (fresh
browser context, empty cache) of a demo portal page, then a second page of the same portal
without deciding (the banner again, script and configuration now in the HTTP cache). Both
embeds are measured, their runs interleaved so that both see the same machine load: the
per-site script (/v1/sites/<site>/widget.js?lang=fr, configuration inlined; the demo's
default) and the generic tag (/widget.js with data-site, configuration fetched after the
script has run; the demo pages with ?embed=generic). In the page, PerformanceObservers record
the paint timings and every layout shift; the widget marks 'cmp:banner' when it inserts the
banner, and the banner is painted in the animation frame that follows that mark. Prints one
JSON line per page, embed and visit (median, 95th percentile, maximum), then the machine's
load average before and after the runs.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.processes import ServiceProcess  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = (("/demo/amex-portal/", "/demo/amex-portal/services"), ("/demo/milleis/", "/demo/milleis/contact"))
EMBEDS = {"per-site": "", "generic": "?embed=generic"}  # query string of the demo pages

# Installed before the page's own scripts. performance.mark is wrapped so that the frame is
# requested synchronously with the mark (an observer callback would come a task later).
PROBE = """
window.__bench = {paint: {}, cls: 0, mark: null, frame: null};
new PerformanceObserver(list => {
  for (const e of list.getEntries()) __bench.paint[e.name] = e.startTime;
}).observe({type: 'paint', buffered: true});
new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) __bench.cls += e.value;
}).observe({type: 'layout-shift', buffered: true});
const mark = performance.mark.bind(performance);
performance.mark = (name, options) => {
  const entry = mark(name, options);
  if (name === 'cmp:banner') {
    __bench.mark = entry.startTime;
    requestAnimationFrame(t => { __bench.frame = t; });
  }
  return entry;
};
"""


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def measure(page, url):
    page.goto(url)
    page.wait_for_function("() => window.__bench.frame !== null && window.__bench.paint['first-paint']")
    page.wait_for_timeout(500)  # let any late layout shift be recorded
    probe = page.evaluate("window.__bench")
    first_paint = probe["paint"]["first-paint"]
    return {
        "first_paint_ms": first_paint,
        "banner_frame_ms": probe["frame"],
        "delay_after_first_paint_ms": max(0.0, probe["frame"] - first_paint),
        "cls": probe["cls"],
    }


def run_once(browser, first, second):
    """(first visit, next page) measurements in one fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    try:
        page = context.new_page()
        page.add_init_script(PROBE)
        return measure(page, first), measure(page, second)
    finally:
        context.close()


def report(embed, visit, path, results):
    return {
        "page": path,
        "embed": embed,
        "visit": visit,
        "runs": len(results),
        "first_paint_ms": summary([r["first_paint_ms"] for r in results]),
        "banner_frame_ms": summary([r["banner_frame_ms"] for r in results]),
        "delay_after_first_paint_ms": summary([r["delay_after_first_paint_ms"] for r in results]),
        "banner_in_first_paint": sum(r["delay_after_first_paint_ms"] == 0 for r in results),
        "cls_max": max(r["cls"] for r in results),
    }


def summary(values):
    return {
        "median": round(statistics.median(values), 2),
        "p95": round(percentile(values, 95), 2),
        "max": round(max(values), 4),
    }


def main(argv=None):
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        service = ServiceProcess(
            env={
                "CMP_SECRET_KEY": "bench",
                "CMP_STORE_URL": f"sqlite:///{tmp}/bench.db",
                "CMP_RATE_LIMIT": "off",
                "CMP_DEMO": "true",
            }
        ).start()
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                load_before = os.getloadavg()
                for query in EMBEDS.values():  # warm the server (and its per-site caches) and Chromium
                    run_once(browser, *(service.url + p + query for p in PAGES[0]))
                for first, second in PAGES:
                    runs = {embed: [] for embed in EMBEDS}
                    for _ in range(args.runs):
                        for embed, query in EMBEDS.items():
                            runs[embed].append(
                                run_once(browser, service.url + first + query, service.url + second + query)
                            )
                    for embed, query in EMBEDS.items():
                        for visit, path, results in (
                            ("first visit", first + query, [r[0] for r in runs[embed]]),
                            ("next page", second + query, [r[1] for r in runs[embed]]),
                        ):
                            print(json.dumps(report(embed, visit, path, results)), flush=True)
                print(
                    json.dumps(
                        {
                            "load_average_1min": {
                                "before": round(load_before[0], 2),
                                "after": round(os.getloadavg()[0], 2),
                            }
                        }
                    )
                )
                browser.close()
        finally:
            service.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
