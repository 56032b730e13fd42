"""How the service delivers the widget and the demo portals: compressed, versioned, cached,
within the size budget, built reproducibly from widget/src; the per-site script, the same
bundle after the site's banner configuration, safe to embed; demo pages that embed the widget
as a portal does, under a strict CSP, with fake trackers held to the inventory."""

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import brotli
import pytest

from cmp.api.widget import inline_prefix
from cmp.http import accepted_encodings
from inventory.model import THIRTEEN_MONTHS_S
from widget.build import OUTPUT, digest

from .conftest import write_site

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 8 * 1024
PREFIX = b"window.__cmpConfig="


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
    assert unknown.get_json() == {
        "error": "unknown_version",
        "field": "version",
        "message": f"no widget version '000000000000'; the current one is /widget.{version}.js",
    }


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


def inline_config(script):
    """The configuration a per-site script assigns before the bundle, and the bundle."""
    prefix, newline, bundle = script.partition(b";\n")
    assert prefix.startswith(PREFIX) and newline
    # The literal is JSON too: its only escapes (\u003c, \u2028…) mean the same in both.
    return json.loads(prefix[len(PREFIX) :]), bundle


@pytest.mark.parametrize("site", ["amex-portal", "milleis"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_site_script_is_the_sites_banner_configuration_then_the_same_widget_bundle(client, site, lang):
    config, bundle = inline_config(client.get(f"/v1/sites/{site}/widget.js?lang={lang}").data)
    assert config == client.get(f"/v1/sites/{site}/banner?lang={lang}").get_json()
    assert (config["site"], config["lang"]) == (site, lang)
    assert bundle == OUTPUT.read_bytes()


def test_the_site_script_is_compressed_cached_five_minutes_and_revalidated_per_encoding(client):
    url = "/v1/sites/amex-portal/widget.js?lang=fr"
    br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    plain = client.get(url)
    assert (br.headers["Content-Encoding"], gz.headers["Content-Encoding"]) == ("br", "gzip")
    assert "Content-Encoding" not in plain.headers
    assert brotli.decompress(br.data) == gzip.decompress(gz.data) == plain.data
    version = digest(plain.data)
    for response, encoding in ((br, "br"), (gz, "gzip"), (plain, "identity")):
        assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
        assert response.headers["Vary"] == "Accept-Encoding"
        assert response.headers["Cache-Control"] == "public, no-cache"  # revalidated: never a stale revision
        assert response.headers["ETag"] == f'"{version}-{encoding}"'
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": br.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    assert client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": br.headers["ETag"]}).status_code == 200
    other_lang = client.get("/v1/sites/amex-portal/widget.js?lang=en", headers={"Accept-Encoding": "br"})
    other_site = client.get("/v1/sites/milleis/widget.js?lang=fr", headers={"Accept-Encoding": "br"})
    assert len({br.headers["ETag"], other_lang.headers["ETag"], other_site.headers["ETag"]}) == 3


def test_the_site_script_falls_back_to_the_sites_default_language_like_the_banner(client):
    french = client.get("/v1/sites/amex-portal/widget.js?lang=fr").data
    assert client.get("/v1/sites/amex-portal/widget.js?lang=de").data == french
    assert client.get("/v1/sites/amex-portal/widget.js").data == french


def test_an_unknown_site_has_no_site_script(client):
    response = client.get("/v1/sites/nowhere/widget.js?lang=fr")
    assert response.status_code == 404
    assert response.get_json() == {"error": "unknown_site", "field": "site", "message": "unknown site 'nowhere'"}


def test_the_inline_configuration_escapes_what_could_end_a_script_or_a_line():
    assert inline_prefix({"text": "</script><!-- a & b\u2028c\u2029 é"}) == (
        b'window.__cmpConfig={"text":"\\u003c/script\\u003e\\u003c!-- a \\u0026 b\\u2028c\\u2029 '
        + "é".encode()
        + b'"};\n'
    )


def test_inventory_texts_cannot_break_out_of_the_site_script(make_app, tmp_path):
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    text = "</script><script>alert(1)</script> <!-- & \u2028 \u2029 -->"
    write_site(inventory, "hostile", banner={"title": {"fr": text, "en": text}, "text": {"fr": text, "en": text}})
    client = make_app(INVENTORY_DIR=str(inventory)).test_client()
    script = client.get("/v1/sites/hostile/widget.js?lang=fr").data
    config, _ = inline_config(script)
    assert config["banner"] == {"title": text, "text": text}
    prefix = script.partition(b";\n")[0].decode()
    assert [char for char in "<>&\u2028\u2029" if char in prefix] == []


@pytest.mark.parametrize("site", ["amex-portal", "milleis"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_site_script_alone_is_everything_needed_to_show_the_banner_within_8_kib_brotli(client, site, lang):
    script = client.get(f"/v1/sites/{site}/widget.js?lang={lang}", headers={"Accept-Encoding": "br"})
    assert script.headers["Content-Encoding"] == "br"
    assert len(script.data) <= BUDGET


def test_the_widget_script_carries_no_language_of_its_own_the_configuration_brings_its_words():
    bundle = OUTPUT.read_text(encoding="utf-8")
    for words in ("Tout accepter", "Accept all", "Enregistrer mes choix", "Save my choices"):
        assert words not in bundle


def test_the_committed_widget_is_built_from_the_current_sources_and_the_build_is_reproducible():
    check = subprocess.run([sys.executable, "-m", "widget.build", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    from widget.build import build

    assert build() == build()


def test_home_lists_every_demo_portal_with_both_embeds(client):
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/demo/amex-portal/">Portail AMEX</a>' in home
    assert '<a href="/demo/milleis/">Milleis Conciergerie</a>' in home
    assert '<a href="/demo/amex-portal/?embed=generic">balise générique / generic tag</a>' in home
    assert '<a href="/demo/milleis/?embed=generic">balise générique / generic tag</a>' in home
    assert client.get("/demo/").headers["Location"] == "/"


@pytest.mark.parametrize(
    "path, tag",
    [
        ("/demo/amex-portal/", '<script src="http://localhost/v1/sites/amex-portal/widget.js?lang=fr" defer></script>'),
        (
            "/demo/amex-portal/services",
            '<script src="http://localhost/v1/sites/amex-portal/widget.js?lang=fr" defer></script>',
        ),
        (
            "/demo/amex-portal/contact?embed=generic",
            '<script src="http://localhost/widget.js" data-site="amex-portal" defer></script>',
        ),
        ("/demo/milleis/", '<script src="http://localhost/v1/sites/milleis/widget.js?lang=fr" defer></script>'),
        (
            "/demo/milleis/services?lang=en",
            '<script src="http://localhost/v1/sites/milleis/widget.js?lang=en" defer></script>',
        ),
        (
            "/demo/milleis/contact?lang=en&embed=generic",
            '<script src="http://localhost/widget.js" data-site="milleis" defer></script>',
        ),
    ],
)
def test_demo_pages_embed_the_widget_as_a_portal_does_under_a_strict_csp(client, path, tag):
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert tag in page
    assert page.count("<script src=") == 2  # the widget, then the demo's own status box
    label = "Manage services" if "lang=en" in path else "Gestion des services"  # the page's language
    assert f'<a href="#gestion-des-services" data-cmp-open>{label}</a>' in page
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe" not in csp
    assert page.index("widget.js") < page.index('type="text/plain"')  # the widget comes before every tracker


def test_demo_links_keep_the_embed_and_the_language(client):
    page = client.get("/demo/milleis/services?lang=en&embed=generic").get_data(as_text=True)
    assert '<a href="/demo/milleis/contact?lang=en&amp;embed=generic">Contact</a>' in page
    assert '<a href="?lang=fr&amp;embed=generic" lang="fr">Français</a>' in page
    page = client.get("/demo/milleis/services").get_data(as_text=True)
    assert '<a href="/demo/milleis/contact">Contact</a>' in page
    assert '<a href="?lang=en" lang="en">English</a>' in page


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
