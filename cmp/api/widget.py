"""Serve the consent widget, precompressed (brotli, gzip) in memory at start-up.

Two URLs, same bytes. ``/widget.js`` is what portals embed: a stable tag they never have to
edit, cached 5 minutes and then revalidated with a content-hash ETag (a 304 costs no body), so
a release reaches every portal within minutes. ``/widget.<hash>.js`` is immutable, cached for a
year, for hosts that prefer to pin a version. A tiny loader that redirects to the versioned
file was rejected: it would add a round trip before the banner on every first visit.
"""

from importlib import resources

from flask import Blueprint, Response, current_app, request

from widget.build import digest

from ..errors import NotFound
from ..http import best_encoding, compress

bp = Blueprint("widget", __name__)

SHORT_CACHE = "public, max-age=300, stale-while-revalidate=86400"
IMMUTABLE = "public, max-age=31536000, immutable"


class Bundle:
    """The widget file in every encoding the service offers, with its version (content hash)."""

    def __init__(self, data):
        self.version = digest(data)
        self.bodies = {encoding: compress(data, encoding) for encoding in ("br", "gzip", "identity")}

    @classmethod
    def load(cls):
        source = resources.files("widget") / "widget.min.js"
        try:
            return cls(source.read_bytes())
        except FileNotFoundError:
            raise RuntimeError("widget/widget.min.js is missing: run `python -m widget.build`") from None


def _bundle():
    return current_app.extensions["cmp.widget"]


@bp.record_once
def _load(state):
    state.app.extensions["cmp.widget"] = Bundle.load()


def _serve(cache_control):
    bundle = _bundle()
    encoding = best_encoding()
    response = Response(bundle.bodies[encoding], mimetype="text/javascript")
    response.charset = "utf-8"
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    # One strong ETag per encoding: the bytes differ, so the validators must too.
    response.set_etag(f"{bundle.version}-{encoding}")
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response.make_conditional(request)


@bp.get("/widget.js")
def script():
    return _serve(SHORT_CACHE)


@bp.get("/widget.<version>.js")
def versioned(version):
    if version != _bundle().version:
        raise NotFound(f"no widget version '{version}'; the current one is /widget.{_bundle().version}.js",
                       field="version", code="unknown_version")
    return _serve(IMMUTABLE)
