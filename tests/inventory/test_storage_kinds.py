"""The inventory declares every kind of storage the scanner sees, and the cookie table names it."""

import json
from pathlib import Path

import pytest

import inventory
from inventory.errors import InventoryError
from inventory.model import KINDS
from inventory.table import render

STORAGE_SHOP = Path(__file__).parents[1] / "scanner" / "storage-shop.yaml"


def test_indexeddb_and_service_worker_declarations_load_and_are_named_in_the_table():
    site = inventory.load_file(STORAGE_SHOP)
    kinds = {item.name: item.kind for service in site.services for item in service.items}
    assert (kinds["pref"], kinds["shopdb"], kinds["/sw.js"]) == ("cookie", "indexedDB", "serviceWorker")
    table = render(site, "fr", "md")
    assert "shopdb (base IndexedDB)" in table
    assert "/sw.js (service worker)" in table


def test_an_unknown_kind_is_refused_with_the_kinds_allowed():
    text = STORAGE_SHOP.read_text(encoding="utf-8").replace("kind: indexedDB", "kind: webSQL")
    with pytest.raises(InventoryError) as caught:
        inventory.parse_site(text, "storage-shop.yaml")
    assert "'webSQL' is not one of ['cookie', 'localStorage', 'sessionStorage', 'indexedDB', 'cacheStorage', " in str(
        caught.value
    )


def test_the_schema_allows_exactly_the_kinds_the_model_names():
    schema = json.loads((Path(inventory.__file__).parent / "schema.json").read_text(encoding="utf-8"))
    kinds = {
        tuple(node["enum"])
        for node in _nodes(schema)
        if isinstance(node, dict) and node.keys() >= {"enum"} and "cookie" in node["enum"]
    }
    assert kinds == {KINDS}


def _nodes(value):
    yield value
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        yield from _nodes(child)
