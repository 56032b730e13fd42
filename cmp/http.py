"""HTTP plumbing shared by every blueprint: JSON errors, strict JSON bodies, CORS per site,
the client's address, and cacheable responses."""

import gzip
import hashlib
import ipaddress
import json
import logging

import brotli

from flask import current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .errors import APIError, BadRequest, StorageError, UnsupportedMediaType

log = logging.getLogger("cmp")

_HTTP_CODES = {
    400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 413: "too_large", 415: "unsupported_media_type", 429: "rate_limited",
}
_HTTP_MESSAGES = {
    404: "no such resource",
    405: "method not allowed on this resource",
    413: "the request body is larger than {limit} bytes",
}


def error_response(status, code, message, field=None, headers=None):
    body = {"error": code, "message": message}
    if field is not None:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _api_error(exc):
    return error_response(exc.status, exc.code, exc.message, exc.field, exc.headers)


def _storage_error(exc):
    log.warning("consent store unavailable: %s", exc)
    return error_response(503, "store_unavailable", "the consent store is unavailable; try again shortly",
                          headers={"Retry-After": "5"})


def _http_error(exc):
    status = exc.code or 500
    message = _HTTP_MESSAGES.get(status, exc.description or exc.name)
    message = message.format(limit=current_app.config.get("MAX_CONTENT_LENGTH"))
    response = error_response(status, _HTTP_CODES.get(status, "error"), message)
    if status == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _unexpected(exc):
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(500, "internal", "internal error; it has been logged")


def json_body(max_depth=4):
    """The request's JSON object, strictly: right content type, valid JSON, an object."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("the body must be JSON sent as Content-Type: application/json",
                                   field="Content-Type")
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}", code="invalid_json")
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object", code="invalid_json")
    return data


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed in JSON")


def client_ip():
    """The caller's address (after ProxyFix when proxies are trusted)."""
    return request.remote_addr or ""


def truncate_ip(address):
    """The network part only: /24 for IPv4, /48 for IPv6 (what the proof log keeps)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def accepted_encodings(header):
    """Encodings the client accepts (q > 0), from an Accept-Encoding header."""
    accepted = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if name and q > 0:
            accepted.add(name.strip().lower())
    return accepted


def best_encoding():
    """``br``, ``gzip`` or ``identity``: the best the current request accepts."""
    accepted = accepted_encodings(request.headers.get("Accept-Encoding", ""))
    return next((e for e in ("br", "gzip") if e in accepted), "identity")


def compress(data, encoding):
    if encoding == "br":
        return brotli.compress(data, quality=11, mode=brotli.MODE_TEXT)
    if encoding == "gzip":
        return gzip.compress(data, compresslevel=9, mtime=0)
    return data


# Compressed bodies of cacheable resources, by (ETag, encoding): they change only with the
# inventory, so each is compressed once per process. Bounded in case of many sites and languages.
_COMPRESSED = {}
_COMPRESSED_MAX = 512


def cacheable(response, max_age):
    """Compress (brotli or gzip, as accepted), add a strong ETag per encoding and Cache-Control,
    and answer 304 when the client has it."""
    body = response.get_data()
    etag = hashlib.sha256(body).hexdigest()[:32]
    encoding = best_encoding()
    if encoding != "identity":
        key = (etag, encoding)
        if key not in _COMPRESSED:
            if len(_COMPRESSED) >= _COMPRESSED_MAX:
                _COMPRESSED.clear()
            _COMPRESSED[key] = compress(body, encoding)
        response.set_data(_COMPRESSED[key])
        response.headers["Content-Encoding"] = encoding
        etag = f"{etag}-{encoding}"  # the bytes differ per encoding, so must the validator
    response.vary.add("Accept-Encoding")
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response.make_conditional(request)


def _cors(response):
    origin = request.headers.get("Origin")
    site = g.get("cors_site")
    if origin and site is not None and origin in site.origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Location, Retry-After"
        response.headers["Access-Control-Max-Age"] = "600"
    if origin:
        response.vary.add("Origin")
    return response


def allow_cors_for(site):
    """Mark the current request as belonging to ``site`` so its origins get CORS headers."""
    g.cors_site = site


def init_app(app):
    app.register_error_handler(APIError, _api_error)
    app.register_error_handler(StorageError, _storage_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.after_request(_cors)
