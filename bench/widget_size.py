"""What a visitor downloads to see the banner: the widget script and the site's banner
configuration (its texts), raw and compressed, against the 8 KiB brotli budget.

    python bench/widget_size.py

Asks the service's own app (no server needed) for /widget.js and for /v1/sites/<site>/banner
(each language) in each encoding the service serves them in, and counts the bytes sent; prints
one JSON line per site and language.
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
        return {encoding: len(client.get(url, headers={"Accept-Encoding": encoding}).data)
                for encoding in ("br", "gzip", "identity")}

    script = sizes("/widget.js")
    failed = False
    for site in sorted(sites):
        for lang in sites[site].languages:
            config = sizes(f"/v1/sites/{site}/banner?lang={lang}")
            total_br = script["br"] + config["br"]
            failed |= total_br > BUDGET
            print(json.dumps({
                "site": site, "lang": lang,
                "script": {"raw": script["identity"], "gzip": script["gzip"], "br": script["br"]},
                "config": {"raw": config["identity"], "gzip": config["gzip"], "br": config["br"]},
                "total_br": total_br,
                "total_gzip": script["gzip"] + config["gzip"],
                "budget": BUDGET,
                "within_budget": total_br <= BUDGET,
            }))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
