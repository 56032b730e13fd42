"""The site inventories the running service knows, loaded once at start-up."""

from flask import current_app

import inventory

from .errors import NotFound
from .http import allow_cors_for


def get_site(site_id):
    site = current_app.extensions["cmp.sites"].get(site_id)
    if site is None:
        raise NotFound(f"unknown site '{site_id}'", field="site", code="unknown_site")
    return site


def _mark_cors(endpoint, values):
    if values and "site" in values:
        site = current_app.extensions["cmp.sites"].get(values["site"])
        if site is not None:
            allow_cors_for(site)


def init_app(app, directory):
    """Load every inventory of ``directory``; a broken file stops start-up (InventoryError)."""
    app.extensions["cmp.sites"] = inventory.load_dir(directory or None)
    app.url_value_preprocessor(_mark_cors)
