"""Compliance endpoints (bearer admin key): export a site's proof-of-consent log, answer
"prove this visitor consented" with one visitor's full history and what it was shown, and
produce the archived texts behind any proof's text_version."""

import csv
import datetime as dt
import hmac
import io
import json

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from .. import clock
from ..decisions import check_visitor_id
from ..errors import BadRequest, Forbidden, NotFound, Unauthorized
from ..http import only_query
from ..sites import get_site

bp = Blueprint("admin", __name__, url_prefix="/v1/admin")

CSV_COLUMNS = (
    "decided_at",
    "site",
    "visitor_id",
    "action",
    "source",
    "revision",
    "text_version",
    "lang",
    "choices",
    "services",
    "expires_at",
    "ip",
    "user_agent",
)


@bp.before_request
def require_admin_key():
    expected = current_app.config["ADMIN_API_KEY"]
    if not expected:
        raise Forbidden("the admin API is disabled: set CMP_ADMIN_API_KEY", code="admin_disabled")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise Unauthorized(
            "a valid admin key is required as 'Authorization: Bearer <key>'",
            field="Authorization",
            code="admin_key_required",
        )


# The years a query's moments may name. The log starts after 1970, and a date's whole day must
# still be a datetime: "to=9999-12-31" would need the first instant of year 10000. Checked on
# the year as written, before any offset applies, so the rule is the one OpenAPI describes
# (cmp/openapi.py YEAR) and converting to UTC can never overflow.
FIRST_YEAR, LAST_YEAR = 1970, 9998


def _moment(name, default):
    """A query parameter as a UTC datetime: YYYY-MM-DD (start of day) or full ISO 8601."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = dt.datetime.fromisoformat(raw if len(raw) == 10 else raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest("must be a date (YYYY-MM-DD) or an ISO 8601 time", field=name)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise BadRequest(f"must be between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31", field=name)
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _range():
    now = clock.now()
    since = _moment("from", now - dt.timedelta(days=current_app.config["LOG_RETENTION_DAYS"]))
    # By default everything up to now, included: a decision made in this very millisecond counts.
    until = _moment("to", now + dt.timedelta(milliseconds=1))
    raw_to = request.args.get("to")
    if raw_to is not None and len(raw_to) == 10:
        until += dt.timedelta(days=1)  # a date includes its whole day
    # An inverted range is empty, not an error: [from, to) holds no decision, and the rule that
    # 'to' must follow 'from' could not be stated in the OpenAPI description of the parameters.
    return since, max(since, until)


def csv_row(record):
    data = record.to_json()
    data["choices"] = json.dumps(data["choices"], sort_keys=True)
    data["services"] = json.dumps(data["services"], sort_keys=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([data[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


@bp.get("/sites/<site>/proofs")
def export(site):
    only_query("from", "to", "format")
    site = get_site(site)
    since, until = _range()
    fmt = request.args.get("format", "ndjson")
    if fmt not in ("ndjson", "csv"):
        raise BadRequest("must be 'ndjson' or 'csv'", field="format")
    records = current_app.extensions["cmp.store"].export(site.id, since, until)
    first = next(records, None)  # a store failure becomes a 503 here, before streaming starts

    def generate():
        if fmt == "csv":
            yield ",".join(CSV_COLUMNS) + "\r\n"
        record = first
        while record is not None:
            yield csv_row(record) if fmt == "csv" else json.dumps(record.to_json(), ensure_ascii=False) + "\n"
            record = next(records, None)

    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    filename = f"{site.id}-proofs-{since.date()}-{(until - dt.timedelta(microseconds=1)).date()}.{fmt}"
    return Response(
        stream_with_context(generate()),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.get("/sites/<site>/visitors/<visitor_id>")
def visitor(site, visitor_id):
    only_query()
    site = get_site(site)
    check_visitor_id(visitor_id)
    store = current_app.extensions["cmp.store"]
    current = store.get(site.id, visitor_id)
    history = store.history(site.id, visitor_id)
    versions = sorted({r.text_version for r in history})
    return jsonify(
        {
            "site": site.id,
            "visitor_id": visitor_id,
            "current": current.to_json() if current else None,
            "decisions": [r.to_json() for r in history],
            # What the visitor was shown, by the text_version each decision keeps.
            "shown": {version: store.archived(site.id, version) for version in versions},
        }
    )


@bp.get("/sites/<site>/shown/<version>")
def shown(site, version):
    """The banner and panel content visitors were shown under ``version`` (a proof's text_version)."""
    only_query()
    site = get_site(site)
    document = current_app.extensions["cmp.store"].archived(site.id, version)
    if document is None:
        raise NotFound(f"nothing was archived under text version '{version}'", field="version", code="unknown_version")
    return jsonify(document)
