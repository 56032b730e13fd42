"""Serve the consent widget, precompressed (brotli, gzip) in memory.

Two URLs, same bytes. ``/widget.js`` is what portals embed: a stable tag they never have to
edit, cached 5 minutes and then revalidated with a content-hash ETag (a 304 costs no body), so
a release reaches every portal within minutes. ``/widget.<hash>.js`` is immutable, cached for a
year, for hosts that prefer to pin a version. A tiny loader that redirects to the versioned
file was rejected: it would add a round trip before the banner on every first visit.

A third, ``/v1/sites/<site>/widget.js?lang=fr``, is the same bundle preceded by that site's
banner configuration in that language, so the widget shows the banner without asking the API:
the round trip that the generic tag spends on ``/v1/sites/<site>/banner`` after the script has
run is what delayed the banner past the page's first paint on first visits.
"""

import hashlib
import json
from importlib import resources

from flask import Blueprint, Response, current_app, request

from ..banner import banner_config
from ..errors import NotFound
from ..http import Encoded, send_encoded
from ..sites import get_site

bp = Blueprint("widget", __name__)

SHORT_CACHE = "public, max-age=300, stale-while-revalidate=86400"
IMMUTABLE = "public, max-age=31536000, immutable"
# Revalidated on every use (a 304 while unchanged): a visitor must not keep a copy whose revision
# the API has moved past, which would have every decision refused (409 stale_revision).
SITE_CACHE = "public, no-cache"

# The one global the per-site script sets; widget/src/config.js reads it and deletes it in the
# same script execution, so no other script ever sees it. A global rather than an expando on
# document.currentScript: currentScript is null for a script inside a shadow tree, and the
# per-site tag may have no data-site, so the configuration would be the only way to know the site.
INLINE_GLOBAL = "__cmpConfig"

# JSON is a JavaScript expression, but these must not appear raw: "</script" or "<!--" would end
# or confuse a copy of the file pasted into a page, and U+2028/U+2029 end lines in older parsers.
# '<', '>' and '&' occur only inside strings in JSON, where the \u escapes mean the same text.
_JS_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def digest(data):
    """The content hash in the versioned URL, /widget.<hash>.js."""
    return hashlib.sha256(data).hexdigest()[:12]


def load_bundle():
    """The built widget in every encoding, versioned by the hash in /widget.<hash>.js."""
    source = resources.files("widget") / "widget.min.js"
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise RuntimeError("widget/widget.min.js is missing: run `python -m widget.build`") from None
    return Encoded(data, digest(data))


def inline_prefix(config):
    """``window.__cmpConfig={…};`` with ``config`` as a JavaScript literal, safe in any context.

    An object literal, not JSON.parse of a string: same values, no double escaping. The one
    difference from JSON.parse, a "__proto__" key setting the prototype, cannot occur: the only
    object whose keys come from the inventory is consent_mode, and its schema lists them.
    """
    text = json.dumps(config, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _JS_ESCAPES:
        text = text.replace(char, escape)
    return f"window.{INLINE_GLOBAL}={text};\n".encode()


class SiteScripts:
    """The per-site scripts, each built and compressed on its first request, then kept: the
    inventories and the bundle are loaded once at start-up and never change in a process."""

    def __init__(self, bundle):
        self.bundle = bundle
        self._built = {}  # (site id, lang) -> Encoded; at most sites x languages entries

    def get(self, site, lang):
        key = (site.id, lang)
        if key not in self._built:
            # Two threads may build the same one at once: same bytes, the last one is kept.
            data = inline_prefix(banner_config(site, lang)) + self.bundle.bodies["identity"]
            self._built[key] = Encoded(data, digest(data))
        return self._built[key]


def _bundle():
    return current_app.extensions["cmp.widget"]


@bp.record_once
def _load(state):
    bundle = load_bundle()
    state.app.extensions["cmp.widget"] = bundle
    state.app.extensions["cmp.widget.sites"] = SiteScripts(bundle)


def _serve(bundle, cache_control):
    response = Response(mimetype="text/javascript")
    response.charset = "utf-8"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return send_encoded(response, bundle, cache_control)


@bp.get("/widget.js")
def script():
    return _serve(_bundle(), SHORT_CACHE)


@bp.get("/widget.<version>.js")
def versioned(version):
    if version != _bundle().version:
        raise NotFound(
            f"no widget version '{version}'; the current one is /widget.{_bundle().version}.js",
            field="version",
            code="unknown_version",
        )
    return _serve(_bundle(), IMMUTABLE)


@bp.get("/v1/sites/<site>/widget.js")
def site_script(site):
    site = get_site(site)
    # The language as /banner picks it: the one asked for if the site offers it, else its default.
    lang = site.pick_language(request.args.get("lang", ""))
    return _serve(current_app.extensions["cmp.widget.sites"].get(site, lang), SITE_CACHE)
