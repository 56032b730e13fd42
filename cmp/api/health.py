"""Liveness with a store check, and the OpenAPI description of the API."""

import json
from importlib import resources

from flask import Blueprint, current_app, jsonify

from ..http import cacheable

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    store = current_app.extensions["cmp.store"]
    store.ping()
    return jsonify({"status": "ok", "store": store.url.split(":", 1)[0],
                    "sites": sorted(current_app.extensions["cmp.sites"])})


def openapi_document():
    return json.loads((resources.files("cmp") / "openapi.json").read_text(encoding="utf-8"))


@bp.get("/v1/openapi.json")
def openapi():
    return cacheable(jsonify(openapi_document()), 3600)
