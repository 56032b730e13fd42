"""What a visitor downloads to see the banner, raw and compressed, against the 8 KiB brotli
budget: with the generic tag, the widget script and the site's banner configuration (its
texts); with the per-site script, that one file (the same script, configuration inlined).

    python bench/widget_size.py

Asks the service's own app (no server needed) for /widget.js, /v1/sites/<site>/banner and
/v1/sites/<site>/widget.js (each language) in each encoding the service serves them in, and
counts the bytes sent; prints one JSON line per site and language.
"""

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cmp import create_app  # noqa: E402

BUDGET = 8 * 1024


def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "STORE_URL": f"sqlite:///{tmp}/bench.db"}, environ={})
        try:
            return measure(app.test_client(), app.extensions["cmp.sites"])
        finally:
            app.extensions["cmp.store"].close()


def measure(client, sites):
    def sizes(url):
        """Bytes on the wire for each encoding the service serves ``url`` in."""
        return {
            encoding: len(client.get(url, headers={"Accept-Encoding": encoding}).data)
            for encoding in ("br", "gzip", "identity")
        }

    script = sizes("/widget.js")
    failed = False
    for site in sorted(sites):
        for lang in sites[site].languages:
            config = sizes(f"/v1/sites/{site}/banner?lang={lang}")
            site_script = sizes(f"/v1/sites/{site}/widget.js?lang={lang}")
            total_br = script["br"] + config["br"]
            failed |= max(total_br, site_script["br"]) > BUDGET
            print(
                json.dumps(
                    {
                        "site": site,
                        "lang": lang,
                        "script": {"raw": script["identity"], "gzip": script["gzip"], "br": script["br"]},
                        "config": {"raw": config["identity"], "gzip": config["gzip"], "br": config["br"]},
                        "total_br": total_br,
                        "total_gzip": script["gzip"] + config["gzip"],
                        "site_script": {
                            "raw": site_script["identity"],
                            "gzip": site_script["gzip"],
                            "br": site_script["br"],
                        },
                        "budget": BUDGET,
                        "within_budget": max(total_br, site_script["br"]) <= BUDGET,
                    }
                )
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
