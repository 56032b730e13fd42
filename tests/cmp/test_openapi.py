"""The OpenAPI document describes every API route, and real responses match its schemas."""

import re
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from cmp.openapi import document

from .helpers import AMEX, CHOICES_ALL, bearer, decide

ADMIN = {"Authorization": "Bearer test-admin-key"}


def _validator_for(name, doc=None):
    resource = Resource.from_contents(doc or document(), default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:cmp:openapi", resource)
    schema = {"$ref": f"urn:cmp:openapi#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def _api_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/v1/", "/healthz")):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_api_route_is_described_and_nothing_else(app):
    described = {(path, method) for path, item in document()["paths"].items() for method in item}
    assert described == _api_routes(app)


def test_the_document_is_valid_openapi_3_1(app, client):
    from openapi_spec_validator import validate

    served = client.get("/v1/openapi.json").get_json()
    assert served == document(app.extensions["cmp.sites"])
    validate(served)
    validate(document())


def test_the_served_document_has_one_path_per_site_and_nothing_generic(client):
    paths = client.get("/v1/openapi.json").get_json()["paths"]
    assert not any("{site}" in path for path in paths)
    for site in ("amex-portal", "milleis"):
        assert f"/v1/sites/{site}/consents" in paths
        assert f"/v1/admin/sites/{site}/proofs" in paths
        assert {p["name"] for p in paths[f"/v1/sites/{site}/consents/{{visitor_id}}"]["get"]["parameters"]} == {
            "visitor_id"
        }


def test_each_sites_decision_schema_is_as_strict_as_the_service(app, client):
    served = client.get("/v1/openapi.json").get_json()
    validator = _validator_for(f"DecisionRequest.{AMEX}", served)
    body = {"choices": CHOICES_ALL, "revision": "r", "source": "banner", "lang": "fr"}
    validator.validate(body)
    assert decide(client, CHOICES_ALL).status_code == 201
    refused_with_a_granted_service = {
        **body,
        "choices": {**CHOICES_ALL, "performance": False},
        "services": {"application-insights": True},
    }
    for invalid in (
        {**body, "choices": {"audience": True}},  # a category left undecided
        {**body, "choices": {**CHOICES_ALL, "marketing": True}},  # not a category of this site
        {**body, "services": {"unknown-service": True}},
        {**body, "lang": "de"},  # not a language of this site
        refused_with_a_granted_service,
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(invalid)
        assert client.post(f"/v1/sites/{AMEX}/consents", json=invalid).status_code == 400


def test_a_recorded_decision_matches_the_decision_schema(client):
    created = decide(client).get_json()
    _validator_for("Decision").validate(created)
    current = client.get(f"/v1/sites/{AMEX}/consents/{created['visitor_id']}", headers=bearer(created["token"]))
    _validator_for("Decision").validate(current.get_json())


def test_history_and_admin_proof_match_their_schemas(client):
    created = decide(client, CHOICES_ALL).get_json()
    history = client.get(
        f"/v1/sites/{AMEX}/consents/{created['visitor_id']}/history", headers=bearer(created["token"])
    ).get_json()
    _validator_for("History").validate(history)
    proof = client.get(f"/v1/admin/sites/{AMEX}/visitors/{created['visitor_id']}", headers=ADMIN).get_json()
    _validator_for("VisitorProof").validate(proof)


@pytest.mark.parametrize("site", ["amex-portal", "milleis"])
def test_the_banner_matches_its_schema(client, site):
    _validator_for("Banner").validate(client.get(f"/v1/sites/{site}/banner").get_json())


def test_a_banner_declaring_every_kind_of_storage_matches_its_schema(make_app, tmp_path):
    shop = Path(__file__).parents[1] / "scanner" / "storage-shop.yaml"
    (tmp_path / "storage-shop.yaml").write_text(shop.read_text(encoding="utf-8"), encoding="utf-8")
    client = make_app(INVENTORY_DIR=str(tmp_path)).test_client()
    banner = client.get("/v1/sites/storage-shop/banner").get_json()
    assert {item["kind"] for service in banner["services"] for item in service["items"]} >= {
        "indexedDB",
        "serviceWorker",
    }
    _validator_for("Banner").validate(banner)


def test_errors_match_the_error_schema(client):
    _validator_for("Error").validate(client.post(f"/v1/sites/{AMEX}/consents", json={}).get_json())
    _validator_for("Error").validate(client.get("/v1/sites/x/banner").get_json())


def test_a_valid_request_body_matches_the_request_schema(client):
    body = {"choices": CHOICES_ALL, "revision": "r", "source": "banner", "lang": "fr"}
    _validator_for("DecisionRequest").validate(body)
    _validator_for("DecisionRequest").validate({**body, "source": "placeholder", "placeholder": "piwik-pro"})
    with pytest.raises(jsonschema.ValidationError):
        _validator_for("DecisionRequest").validate({**body, "source": "popup"})


def test_health_matches_its_schema(client):
    _validator_for("Health").validate(client.get("/healthz").get_json())
