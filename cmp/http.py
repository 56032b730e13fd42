"""HTTP plumbing shared by every blueprint: JSON errors, strict JSON bodies, the client's
address, and cacheable responses. (CORS is per site: :mod:`cmp.sites`.)"""

import gzip
import hashlib
import ipaddress
import json
import logging
import re

import brotli
import flask
from flask import current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from . import jsonio
from .errors import APIError, BadRequest, StorageError, UnsupportedMediaType

log = logging.getLogger("cmp")

_HTTP_CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
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
    return error_response(
        503, "store_unavailable", "the consent store is unavailable; try again shortly", headers={"Retry-After": "5"}
    )


def _http_error(exc):
    status = exc.code or 500
    # Pages (the console) answer with a page of their own; the API always with JSON.
    page = current_app.extensions.get("cmp.error_page", lambda status: None)(status)
    if page is not None:
        return page
    message = _HTTP_MESSAGES.get(status, exc.description or exc.name)
    message = message.format(limit=current_app.config.get("MAX_CONTENT_LENGTH"))
    response = error_response(status, _HTTP_CODES.get(status, "error"), message)
    if status == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _unexpected(exc):
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(500, "internal", "internal error; it has been logged")


def json_body():
    """The request's JSON object, strictly: right content type, valid JSON, an object."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("the body must be JSON sent as Content-Type: application/json", field="Content-Type")
    raw = request.get_data(cache=True)
    try:
        data = jsonio.loads(raw)
    except jsonio.DecodeError:
        # What orjson refuses, the standard library decides, so that what is accepted and every
        # message stay as they were (NaN, a lone surrogate, deep nesting, UTF-16, 1e400...).
        return _json_body_slowly(raw)
    # orjson never yields a lone surrogate (it refuses them): nothing to walk.
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object", code="invalid_json")
    return data


def _json_body_slowly(raw):
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}", code="invalid_json")
    except RecursionError:
        # The parser recurses once per level: a few KiB of "[" reach Python's limit.
        raise BadRequest("the body nests arrays or objects too deeply", code="invalid_json") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object", code="invalid_json")
    _reject_lone_surrogates(data)
    return data


def _reject_constant(name):
    raise ValueError(f"{name} is not allowed in JSON")


def _reject_lone_surrogates(data):
    """JSON may escape half a UTF-16 pair ("\\ud800"); Python keeps it as a character that no
    UTF-8 encoder takes, so an error message or a stored record quoting it would fail later."""
    pending = [data]
    while pending:  # a loop, not recursion: the body may be as deep as the parser allows
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise BadRequest(
                    "the body has a string with an unpaired UTF-16 surrogate (\\ud800 to \\udfff), which is not text",
                    code="invalid_json",
                ) from None


def only_query(*names):
    """Refuse a query parameter not in ``names``: on the admin API a misspelt ``form=`` would
    otherwise export another range than the one asked for, without a word."""
    for name in request.args:
        if name not in names:
            raise BadRequest(f"unknown query parameter; this endpoint takes {', '.join(names) or 'none'}", field=name)


def client_ip():
    """The caller's IP address, in canonical form, or "".

    With trusted proxies, ProxyFix puts whatever X-Forwarded-For says in ``remote_addr``. Only an
    IP address is taken from it (a port dropped: some proxies, Azure App Service's among them, add
    one); any other text would become the rate-limit key and the proof's IP, so the peer counts.
    """
    forwarded = _ip_address(request.remote_addr)
    if forwarded is not None:
        return forwarded
    peer = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR")
    return _ip_address(peer) or ""


# An address with a port, as some proxies forward it: "[2001:db8::1]:443" or "203.0.113.5:50123".
_WITH_PORT = re.compile(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](?::\d{1,5})?|(?P<v4>[0-9.]+):\d{1,5}", re.ASCII)


def _ip_address(value):
    """``value`` as a canonical IP address (a port dropped), or None if it is not one."""
    value = (value or "").strip()
    match = _WITH_PORT.fullmatch(value)
    try:
        address = ipaddress.ip_address((match["v6"] or match["v4"]) if match else value)
    except ValueError:
        return None
    # A scope ("fe80::1%eth0") names an interface of this host, never a client behind a proxy.
    return None if getattr(address, "scope_id", None) else str(address)


def truncate_ip(address):
    """The network part only: /24 for IPv4, /48 for IPv6 (what the proof log keeps)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    host_bits = ip.max_prefixlen - (24 if ip.version == 4 else 48)
    # The host bits cleared on the integer: what ip_network(…, strict=False) gives, without
    # parsing the address a second time on every consent write.
    return str(type(ip)(int(ip) >> host_bits << host_bits))


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


class Encoded:
    """One resource in every encoding the service sends (brotli, gzip, plain), compressed once,
    with the version its ETags derive from (a content hash unless given)."""

    ENCODINGS = ("br", "gzip", "identity")

    def __init__(self, data, version=None):
        self.version = version or hashlib.sha256(data).hexdigest()[:32]
        self.bodies = {encoding: compress(data, encoding) for encoding in self.ENCODINGS}


def send_encoded(response, encoded, cache_control):
    """Fill ``response`` with the best encoding the client accepts, a strong ETag per encoding
    (the bytes differ, so must the validators) and ``cache_control``; 304 when it has it."""
    encoding = best_encoding()
    response.set_data(encoded.bodies[encoding])
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{encoded.version}-{encoding}")
    response.headers["Cache-Control"] = cache_control
    return response.make_conditional(request)


# Cacheable bodies by content hash: they change only with the inventory, so each is compressed
# once per process. Bounded in case of many sites and languages.
_ENCODED = {}
_ENCODED_MAX = 256


def cacheable(response, max_age):
    """Send ``response`` compressed as accepted, with an ETag and ``max_age`` of public caching."""
    body = response.get_data()
    key = hashlib.sha256(body).hexdigest()[:32]
    if key not in _ENCODED:
        if len(_ENCODED) >= _ENCODED_MAX:
            _ENCODED.clear()
        _ENCODED[key] = Encoded(body, key)
    return send_encoded(response, _ENCODED[key], f"public, max-age={max_age}")


class Response(flask.Response):
    """Flask's response, but a body already in memory goes back to the server as a one-item
    list, not an iterator: Granian sends a list in one piece from Rust, and pulls an iterator
    item by item (measured, a do-nothing JSON endpoint: about 5 % less server CPU per request).
    A streamed body (the proof exports) or a file keeps its iterator."""

    def __call__(self, environ, start_response):
        if not self.is_sequence:
            return super().__call__(environ, start_response)
        app_iter, status, headers = self.get_wsgi_response(environ)
        start_response(status, headers)
        body = b"".join(app_iter)  # empty for HEAD, 1xx, 204 and 304, as the iterator would be
        app_iter.close()  # what the server would do once the body is sent
        return [body]


def init_app(app):
    app.response_class = Response
    app.register_error_handler(APIError, _api_error)
    app.register_error_handler(StorageError, _storage_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
