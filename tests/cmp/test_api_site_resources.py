"""The banner configuration and the policy's cookie table, served from the inventory."""

import json

import pytest

from cmp import banner
from inventory.loader import load_dir

from .helpers import AMEX


def test_the_banner_gives_categories_services_and_texts_in_the_asked_language(client):
    body = client.get(f"/v1/sites/{AMEX}/banner?lang=en").get_json()
    assert body["lang"] == "en"
    assert body["banner"]["title"] == "Your cookie choices"
    assert [c["id"] for c in body["categories"]] == ["necessary", "audience", "performance", "advertising"]
    necessary = body["categories"][0]
    assert necessary["required"] is True and necessary["label"] == "Navigation cookies"
    assert necessary["services"] == ["cmp", "azure-app-service", "aspnet"]
    assert body["categories"][1]["exempt"] is True
    piwik = next(s for s in body["services"] if s["id"] == "piwik-pro")
    # No "domain" (nor a service's "policy_url") when the inventory declares none.
    assert piwik["items"][0] == {
        "name": "_pk_id.*",
        "kind": "cookie",
        "purpose": piwik["items"][0]["purpose"],
        "retention": "12 months",
    }
    assert "policy_url" not in piwik
    assert body["cookie"] == {"name": "cmp_consent", "domain": None}
    assert body["consent_max_age_days"] == 180


def test_the_banner_falls_back_to_the_sites_default_language(client):
    assert client.get(f"/v1/sites/{AMEX}/banner?lang=de").get_json()["lang"] == "fr"
    assert client.get(f"/v1/sites/{AMEX}/banner").get_json()["banner"]["title"] == "Vos choix en matière de cookies"


def test_the_revision_is_the_same_in_every_language_and_the_text_version_is_not(client):
    fr = client.get(f"/v1/sites/{AMEX}/banner?lang=fr").get_json()
    en = client.get(f"/v1/sites/{AMEX}/banner?lang=en").get_json()
    assert fr["revision"] == en["revision"]
    assert fr["text_version"] != en["text_version"]


def test_the_banner_carries_the_widgets_own_words_in_its_language_only(client):
    fr = client.get(f"/v1/sites/{AMEX}/banner?lang=fr").get_json()
    en = client.get(f"/v1/sites/{AMEX}/banner?lang=en").get_json()
    assert (fr["ui"]["accept"], fr["ui"]["items"]) == ("Tout accepter", "Traceurs de {name} ({n})")
    assert (en["ui"]["accept"], en["ui"]["items"]) == ("Accept all", "Trackers of {name} ({n})")
    assert set(fr["ui"]) == set(en["ui"])
    assert "Accept all" not in json.dumps(fr) and "Tout accepter" not in json.dumps(en)


def test_the_text_version_covers_the_widgets_own_words(monkeypatch):
    site = load_dir()[AMEX]
    before = banner._build(site, "fr")["text_version"]
    monkeypatch.setitem(banner.UI_STRINGS, "fr", dict(banner.UI_STRINGS["fr"], accept="J'accepte"))
    assert banner._build(site, "fr")["text_version"] != before


def test_the_banner_is_cacheable_and_revalidates_with_its_etag(client):
    first = client.get(f"/v1/sites/{AMEX}/banner")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get(f"/v1/sites/{AMEX}/banner", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_an_unknown_site_has_no_banner(client):
    response = client.get("/v1/sites/unknown/banner")
    assert response.status_code == 404
    assert response.get_json()["error"] == "unknown_site"


def test_the_cookie_table_uses_the_policys_french_columns(client):
    response = client.get(f"/v1/sites/{AMEX}/cookie-table?lang=fr")
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for column in ("Prestataires", "Nom du cookie", "Finalité", "Durée de conservation", "Responsable du traitement"):
        assert f'<th scope="col">{column}</th>' in html
    assert "<td>_pk_ses.*</td>" in html
    assert "<td>ppms_webstorage (stockage local)</td>" in html
    assert "<td>12 mois</td>" in html
    assert "INSERER" not in html
    assert response.headers["ETag"]


def test_the_cookie_table_in_english(client):
    html = client.get(f"/v1/sites/{AMEX}/cookie-table?lang=en").get_data(as_text=True)
    assert '<th scope="col">Retention period</th>' in html
    assert "<td>1 year</td>" in html


@pytest.mark.parametrize(
    "origin, allowed",
    [
        ("https://amex.europ-assistance.fr", True),
        ("https://evil.example", False),
        ("https://milleis.gconcierges.com", False),
    ],
)
def test_cors_is_granted_only_to_the_sites_own_origins(client, origin, allowed):
    response = client.get(f"/v1/sites/{AMEX}/banner", headers={"Origin": origin})
    assert (response.headers.get("Access-Control-Allow-Origin") == origin) is allowed
    assert "Origin" in response.headers["Vary"]


def test_a_preflight_from_an_allowed_origin_may_post_json_with_a_token(client):
    response = client.options(
        f"/v1/sites/{AMEX}/consents",
        headers={
            "Origin": "https://amex.europ-assistance.fr",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://amex.europ-assistance.fr"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type, Authorization"


def test_healthz_reports_the_store_and_sites(client):
    body = client.get("/healthz").get_json()
    assert body == {"status": "ok", "store": "sqlite", "sites": ["amex-portal", "milleis"]}


@pytest.mark.parametrize("encoding, decode", [("br", "brotli"), ("gzip", "gzip")])
def test_the_banner_is_sent_compressed_when_the_client_accepts_it(client, encoding, decode):
    import importlib

    plain = client.get(f"/v1/sites/{AMEX}/banner?lang=fr")
    packed = client.get(f"/v1/sites/{AMEX}/banner?lang=fr", headers={"Accept-Encoding": f"{encoding}, deflate"})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert importlib.import_module(decode).decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get(
        f"/v1/sites/{AMEX}/banner?lang=fr",
        headers={"Accept-Encoding": encoding, "If-None-Match": packed.headers["ETag"]},
    )
    assert again.status_code == 304


def test_the_demo_portals_are_served_only_when_turned_on(make_app):
    assert make_app().test_client().get("/demo/amex-portal/").status_code == 404
    assert make_app().test_client().get("/").get_json()["error"] == "not_found"
    assert make_app(DEMO=True).test_client().get("/demo/amex-portal/").status_code == 200
