"""The application factory: defaults, then the environment, then the caller's overrides."""

import logging
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import clock, http, ratelimit, settings, sites
from .errors import ConfigError
from .jsonio import JSONProvider
from .store import store_from_url
from .tokens import TokenSigner

log = logging.getLogger("cmp")


def instance_path():
    """Flask's instance folder for this package, where the default SQLite store lives."""
    return Flask(__name__, instance_relative_config=True).instance_path


def store_url(values, instance=None):
    """The store URL the settings name (default: ``consents.db`` in the instance folder, created here)."""
    if values["STORE_URL"]:
        return values["STORE_URL"]
    default = Path(instance or instance_path()) / "consents.db"
    default.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{default}"


def open_store(values, instance=None):
    """The consent store the settings name."""
    return store_from_url(store_url(values, instance), values["LOG_RETENTION_DAYS"])


def create_app(config=None, environ=None):
    """Build the service. ``config`` maps setting names (see :mod:`cmp.settings`) to values."""
    app = Flask(__name__, instance_relative_config=True)
    values = settings.load(environ=environ, overrides=config)
    app.config.update(values)
    app.config["MAX_CONTENT_LENGTH"] = values["MAX_BODY_BYTES"]
    app.json = JSONProvider(app)  # keys in the order written, text unescaped
    app.url_map.merge_slashes = False  # an API answers "//" with a JSON 404, not an HTML redirect

    if not values["SECRET_KEY"]:
        if not values["DEBUG"]:
            raise ConfigError("CMP_SECRET_KEY is required outside debug mode (comma-separated keys, newest first)")
        log.warning("CMP_SECRET_KEY is not set: using a random key (debug mode); tokens die with the process")
        values["SECRET_KEY"] = [secrets.token_urlsafe(32)]
    if values["CLOCK_OFFSET_S"]:
        clock.set_offset(values["CLOCK_OFFSET_S"])

    url = store_url(values, app.instance_path)
    app.extensions["cmp.store"] = store_from_url(url, values["LOG_RETENTION_DAYS"])
    app.extensions["cmp.store_url"] = url  # the scan index lives beside the store (the console reads it)
    ratelimit.init_app(app, url, values)  # counts beside the store, in the same place
    app.extensions["cmp.signer"] = TokenSigner(values["SECRET_KEY"])
    app.extensions["cmp.archived"] = set()  # (site, text version) archived by this process
    if values["TRUSTED_PROXIES"]:
        n = values["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    http.init_app(app)
    sites.init_app(app, values["INVENTORY_DIR"])

    from . import console
    from .api import admin, banner, consents, demo, health, shown, stats, widget

    for module in (banner, consents, shown, admin, stats, health, widget) + ((demo,) if values["DEMO"] else ()):
        app.register_blueprint(module.bp)
    console.init_app(app, values["SECRET_KEY"])
    return app
