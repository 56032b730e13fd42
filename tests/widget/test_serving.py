"""How the service delivers the widget and the demo portals: compressed, versioned, cached,
within the size budget, built reproducibly from widget/src; demo pages that embed the widget
as a portal does, under a strict CSP, with fake trackers held to the inventory."""

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest

from cmp.http import accepted_encodings
from inventory.model import THIRTEEN_MONTHS_S
from widget.build import OUTPUT, digest

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 8 * 1024


@pytest.fixture
def client(make_app):
    return make_app(DEMO=True).test_client()


def test_widget_js_is_sent_with_brotli_when_accepted_else_gzip_else_plain(client):
    data = OUTPUT.read_bytes()
    br = client.get("/widget.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    gz = client.get("/widget.js", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/widget.js")
    assert (br.headers["Content-Encoding"], gz.headers["Content-Encoding"]) == ("br", "gzip")
    assert "Content-Encoding" not in plain.headers
    assert brotli.decompress(br.data) == gzip.decompress(gz.data) == plain.data == data
    for response in (br, gz, plain):
        assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
        assert response.headers["Vary"] == "Accept-Encoding"
        assert response.headers["Cache-Control"] == "public, max-age=300, stale-while-revalidate=86400"


def test_widget_js_revalidates_with_a_content_hash_etag_per_encoding(client):
    first = client.get("/widget.js", headers={"Accept-Encoding": "br"})
    assert first.headers["ETag"] == f'"{digest(OUTPUT.read_bytes())}-br"'
    again = client.get("/widget.js", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    other = client.get("/widget.js", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200


def test_the_versioned_url_is_immutable_and_an_unknown_version_is_a_clear_404(client):
    version = digest(OUTPUT.read_bytes())
    pinned = client.get(f"/widget.{version}.js", headers={"Accept-Encoding": "br"})
    assert pinned.status_code == 200
    assert pinned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    unknown = client.get("/widget.000000000000.js")
    assert unknown.status_code == 404
    assert unknown.get_json() == {"error": "unknown_version", "field": "version",
                                  "message": f"no widget version '000000000000'; the current one is "
                                             f"/widget.{version}.js"}


def test_accept_encoding_with_q_zero_refuses_that_encoding():
    assert accepted_encodings("br;q=0, gzip;q=0.5, identity") == {"gzip", "identity"}
    assert accepted_encodings("") == set()


@pytest.mark.parametrize("site", ["amex-portal", "milleis"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_everything_needed_to_show_the_banner_fits_in_8_kib_brotli_as_served(client, site, lang):
    br = {"Accept-Encoding": "br"}
    script = client.get("/widget.js", headers=br)
    config = client.get(f"/v1/sites/{site}/banner?lang={lang}", headers=br)
    assert script.headers["Content-Encoding"] == config.headers["Content-Encoding"] == "br"
    assert len(script.data) + len(config.data) <= BUDGET


def test_the_committed_widget_is_built_from_the_current_sources_and_the_build_is_reproducible():
    check = subprocess.run([sys.executable, "-m", "widget.build", "--check"], cwd=ROOT, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
    from widget.build import build

    assert build() == build()


def test_home_lists_every_demo_portal(client):
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/demo/amex-portal/">Portail AMEX</a>' in home
    assert '<a href="/demo/milleis/">Milleis Conciergerie</a>' in home
    assert client.get("/demo/").headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/demo/amex-portal/", "/demo/amex-portal/services", "/demo/amex-portal/contact",
                                  "/demo/milleis/", "/demo/milleis/services?lang=en", "/demo/milleis/contact"])
def test_demo_pages_embed_the_widget_as_a_portal_does_under_a_strict_csp(client, path):
    response = client.get(path)
    page = response.get_data(as_text=True)
    site = path.split("/")[2]
    assert f'<script src="http://localhost/widget.js" data-site="{site}" defer></script>' in page
    assert '<a href="#gestion-des-services" data-cmp-open>Gestion des services</a>' in page
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe" not in csp
    assert page.index("widget.js") < page.index('type="text/plain"')  # the widget comes before every tracker


def test_fake_trackers_may_set_only_declared_items_no_longer_than_declared(client, make_app):
    sites = make_app(DEMO=True).extensions["cmp.sites"]
    for site_id in ("amex-portal", "milleis"):
        page = client.get(f"/demo/{site_id}/").get_data(as_text=True)
        for service_id, allowed in re.findall(r'data-cmp-service="([^"]+)"[^>]*data-allowed=\'([^\']+)\'', page):
            service = sites[site_id].service(service_id)
            declared = {item.name: item.retention for item in service.items}
            for name, seconds in json.loads(allowed).items():
                retention = declared[name]
                assert seconds <= THIRTEEN_MONTHS_S
                assert seconds == 0 if retention.is_session else seconds <= (retention.seconds or THIRTEEN_MONTHS_S)


def test_an_unknown_demo_portal_or_page_is_a_404(client):
    assert client.get("/demo/nowhere/").status_code == 404
    assert client.get("/demo/amex-portal/nowhere").status_code == 404
