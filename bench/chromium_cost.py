"""What Chromium costs the machine for one visitor's first page: a new browser context, its page,
and a small local page loaded in it (then loaded again), as the widget's tests and each phase of a
scan do. Measured as the machine's busy CPU time (``/proc/stat``), because Chromium's renderer and
utility processes are not children the Python process could account for.

    python bench/chromium_cost.py --contexts 10
    python bench/chromium_cost.py --contexts 10 --flag=--disable-site-isolation-trials

Run it on a quiet machine: whatever else runs is counted too. Prints one JSON line: CPU seconds for
launching the browser, then per step summed over the contexts.
"""

import argparse
import http.server
import json
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scanner.browser import LAUNCH_ARGS, chromium_path  # noqa: E402

PAGE = (
    b"<!doctype html><html lang=fr><head><title>Portail</title></head><body><h1>Bonjour</h1>"
    + b"<p>texte </p>" * 200
    + b"<script>document.cookie = 'seen=1'; localStorage.setItem('k', '1')</script></body></html>"
)


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


def busy_s():
    """CPU seconds the whole machine has spent busy since boot (every core, user + system + irq)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields) - idle - iowait) / 100


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contexts", type=int, default=10)
    parser.add_argument("--flag", action="append", default=[], help="an extra Chromium flag (repeatable)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    spent = {}
    with sync_playwright() as playwright:
        before = busy_s()
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=[*LAUNCH_ARGS, *args.flag])
        spent["launch"] = busy_s() - before

        def load(page):
            page.goto(url)
            return page

        steps = [
            ("new_context", lambda _: browser.new_context()),
            ("new_page", lambda context: context.new_page()),
            ("first_load", load),
            ("second_load", load),
        ]
        pages = [None] * args.contexts  # after the first step contexts, then pages
        for name, step in steps:
            before = busy_s()
            pages = [step(thing) for thing in pages]
            spent[name] = busy_s() - before
        before = busy_s()
        for page in pages:
            page.context.close()
        spent["close"] = busy_s() - before
        browser.close()
    server.shutdown()
    print(
        json.dumps(
            {
                "contexts": args.contexts,
                "flags": args.flag,
                **{f"{name}_cpu_s": round(value, 2) for name, value in spent.items()},
                "per_visitor_cpu_s": round(
                    sum(spent[k] for k in ("new_context", "new_page", "first_load")) / args.contexts, 3
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
