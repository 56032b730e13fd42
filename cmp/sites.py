"""The site inventories the running service knows, loaded once at start-up, and the browser
origins each site's public API answers (CORS, through flask-cors)."""

import re

from flask import current_app, request
from flask_cors import CORS

import inventory

from .errors import NotFound

# Everything under a site's prefix is its visitor-facing API (banner, cookie table, consents,
# per-site widget.js) and answers that site's origins. Nothing else sends CORS headers: the admin
# API (/v1/admin/) is outside it, so no script on a portal's page can read an admin answer.
PUBLIC_API = "/v1/sites/"  # followed by "<site>/"

ALLOW_HEADERS = "Content-Type, Authorization"
CORS_OPTIONS = {
    # Strings, not lists: flask-cors sends a string as given, a list sorted.
    "methods": "GET, POST, DELETE, OPTIONS",
    "allow_headers": ALLOW_HEADERS.split(", "),
    "expose_headers": "ETag, Location, Retry-After",
    "max_age": 600,
    # Its defaults would list every allowed origin to a request that sent none, and add
    # Vary: Origin only when it grants; _vary_and_allow_headers below sets Vary for every origin.
    "always_send": False,
    "vary_header": False,
    # Error responses pass through after_request like any other: nothing to wrap.
    "intercept_exceptions": False,
}


def get_site(site_id):
    site = current_app.extensions["cmp.sites"].get(site_id)
    if site is None:
        raise NotFound(f"unknown site '{site_id}'", field="site", code="unknown_site")
    return site


def cors_resources(sites):
    """flask-cors resources: each site's public API, allowed to that site's origins.

    Origins depend on the URL's site, and flask-cors takes only fixed origin lists; but the
    inventories never change in a running process, so one resource per site says it exactly.
    The schema restricts origins to scheme, host and port, so flask-cors compares them as
    literal strings, never as regular expressions.
    """
    return {
        re.compile(re.escape(f"{PUBLIC_API}{site.id}/")): {"origins": list(site.origins)} for site in sites.values()
    }


def _vary_and_allow_headers(response):
    if "Origin" in request.headers and request.path.startswith(PUBLIC_API):
        # The answer depends on the origin even when it is refused: caches must keep them apart.
        response.vary.add("Origin")
    if "Access-Control-Allow-Methods" in response.headers:
        # flask-cors echoes the requested headers it allows, as the browser spelled them; the
        # list we allow is the same answer for every preflight.
        response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
    return response


def init_app(app, directory):
    """Load every inventory of ``directory``; a broken file stops start-up (InventoryError)."""
    sites = inventory.load_dir(directory or None)
    app.extensions["cmp.sites"] = sites
    # Registered before flask-cors's own hook so that it runs after it (Flask runs them in reverse).
    app.after_request(_vary_and_allow_headers)
    CORS(app, resources=cors_resources(sites), **CORS_OPTIONS)
