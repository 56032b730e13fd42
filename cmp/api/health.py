"""Liveness with a store check, and the OpenAPI description of the API."""

from flask import Blueprint, current_app, jsonify

from ..http import cacheable
from ..openapi import document

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    store = current_app.extensions["cmp.store"]
    store.ping()
    return jsonify(
        {"status": "ok", "store": store.url.split(":", 1)[0], "sites": sorted(current_app.extensions["cmp.sites"])}
    )


@bp.get("/v1/openapi.json")
def openapi():
    return cacheable(jsonify(document(current_app.extensions["cmp.sites"])), 3600)
