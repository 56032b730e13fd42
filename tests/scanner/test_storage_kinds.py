"""The scanner sees every kind of storage: cookies by name, domain and path (the same name on `/`
and on `/compte` is two items), IndexedDB databases, Cache Storage caches and service workers,
and matches them against the inventory's declarations of those kinds."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask, make_response

from cmpctl.cli import main
from scanner.setcookie import default_path, parse
from tests.jobs.sites import Served

INVENTORY = Path(__file__).parent / "storage-shop.yaml"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Storage</title></head><body>
<a href="/compte/profil">Compte</a>
<script>
  indexedDB.open("shopdb", 1);
  caches.open("shop-assets");
  navigator.serviceWorker.register("/sw.js");
</script></body></html>"""


def storage_app():
    app = Flask("storage_site")

    @app.get("/")
    def home():
        response = make_response(PAGE)
        response.set_cookie("pref", "site", max_age=86400, path="/")
        return response

    @app.get("/compte/profil")
    def account():
        response = make_response("<!doctype html><html><body><h1>Compte</h1></body></html>")
        response.set_cookie("pref", "account", max_age=86400, path="/compte")
        return response

    @app.get("/sw.js")
    def worker():
        return "self.addEventListener('fetch', () => {});", 200, {"Content-Type": "text/javascript"}

    return app


@pytest.mark.parametrize(
    "url_path, expected", [(None, "/"), ("", "/"), ("/", "/"), ("/a", "/"), ("/compte/profil", "/compte")]
)
def test_a_cookie_without_a_path_gets_the_default_path_of_its_url(url_path, expected):
    assert default_path(url_path) == expected
    assert parse("a=1", "shop.example", 0, url_path=url_path).path == expected
    assert parse("a=1; Path=/x", "shop.example", 0, url_path=url_path).path == "/x"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("storage-scan")
    with Served(storage_app()) as site:
        result = CliRunner().invoke(
            main, ["scan", site.url, "--inventory", str(INVENTORY), "--out", str(out), "--quiet", "--grace", "1.5"]
        )
    assert result.exit_code == 0, result.output
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.mark.browser
def test_the_same_cookie_name_on_two_paths_is_two_items(report):
    cookies = sorted(
        (i["name"], i["path"], i["declared"] is not None) for i in report["items"] if i["kind"] == "cookie"
    )
    assert cookies == [("pref", "/", True), ("pref", "/compte", True)]


@pytest.mark.browser
def test_indexeddb_cache_storage_and_service_workers_are_collected_and_matched(report):
    found = {(i["kind"], i["name"]): i for i in report["items"] if i["kind"] != "cookie"}
    assert sorted(found) == [("cacheStorage", "shop-assets"), ("indexedDB", "shopdb"), ("serviceWorker", "/sw.js")]
    assert found[("indexedDB", "shopdb")]["declared"]["service"] == "shop"
    assert found[("serviceWorker", "/sw.js")]["declared"]["service"] == "shop"
    assert found[("cacheStorage", "shop-assets")]["declared"] is None
    assert found[("indexedDB", "shopdb")]["set_by"] == "js"
    assert {i["path"] for i in found.values()} == {None}
    undeclared = [(f["kind"], f["item"]) for f in report["findings"] if f["rule"] == "undeclared"]
    assert undeclared == [("cacheStorage", "shop-assets")]
    assert report["summary"]["items_by_kind"] == {
        "cookie": 2,
        "localStorage": 0,
        "sessionStorage": 0,
        "indexedDB": 1,
        "cacheStorage": 1,
        "serviceWorker": 1,
    }
