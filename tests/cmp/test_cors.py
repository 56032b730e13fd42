"""CORS: a site's visitor-facing API answers the origins its inventory lists; nothing else
(admin API, demo pages, unknown sites, the generic widget) answers any origin."""

import pytest

from .helpers import AMEX

ORIGIN = "https://amex.europ-assistance.fr"
ADMIN = {"Authorization": "Bearer test-admin-key"}
PREFLIGHT = {
    "Origin": ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type, authorization",
}


def cors_headers(response):
    return {name: value for name, value in response.headers if name.startswith("Access-Control-")}


@pytest.fixture
def client(make_app):
    return make_app(DEMO=True).test_client()


def test_a_preflight_states_the_methods_headers_and_max_age_of_the_public_api(client):
    response = client.options(f"/v1/sites/{AMEX}/consents", headers=PREFLIGHT)
    assert response.status_code == 200
    assert cors_headers(response) == {
        "Access-Control-Allow-Origin": ORIGIN,
        "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Authorization",
        "Access-Control-Expose-Headers": "ETag, Location, Retry-After",
        "Access-Control-Max-Age": "600",
    }
    assert response.headers["Vary"] == "Origin"


def test_a_request_from_a_listed_origin_may_read_the_response_and_its_exposed_headers(client):
    response = client.get(f"/v1/sites/{AMEX}/widget.js", headers={"Origin": ORIGIN})
    assert cors_headers(response) == {
        "Access-Control-Allow-Origin": ORIGIN,
        "Access-Control-Expose-Headers": "ETag, Location, Retry-After",
    }


def test_an_error_answered_to_a_listed_origin_is_readable_by_it(client):
    response = client.post(
        f"/v1/sites/{AMEX}/consents", data="{", content_type="application/json", headers={"Origin": ORIGIN}
    )
    assert (response.status_code, response.get_json()["error"]) == (400, "invalid_json")
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_a_request_without_origin_gets_no_cors_headers(client):
    assert cors_headers(client.get(f"/v1/sites/{AMEX}/banner")) == {}


def test_another_sites_origin_is_refused_on_every_public_resource(client):
    origin = {"Origin": "https://milleis.gconcierges.com"}
    for path in ("banner", "cookie-table", "widget.js", "consents"):
        response = client.options(f"/v1/sites/{AMEX}/{path}", headers={**PREFLIGHT, **origin})
        assert cors_headers(response) == {}, path
        assert response.headers["Vary"] == "Origin", path


@pytest.mark.parametrize(
    "path",
    [f"/v1/admin/sites/{AMEX}/proofs", f"/v1/admin/sites/{AMEX}/visitors/unknown-visitor-0001"],
)
def test_admin_requests_get_no_cors_headers_even_from_a_listed_origin(client, path):
    response = client.get(path, headers={**ADMIN, "Origin": ORIGIN})
    assert response.status_code == 200
    assert cors_headers(response) == {}


def test_an_admin_preflight_gets_no_cors_headers_even_from_a_listed_origin(client):
    headers = {**PREFLIGHT, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}
    response = client.options(f"/v1/admin/sites/{AMEX}/proofs", headers=headers)
    assert cors_headers(response) == {}


@pytest.mark.parametrize("path", [f"/demo/{AMEX}/", "/v1/sites/unknown/banner", "/widget.js", "/v1/openapi.json"])
def test_routes_of_no_site_get_no_cors_headers(client, path):
    assert cors_headers(client.get(path, headers={"Origin": ORIGIN})) == {}
