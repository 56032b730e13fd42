"""Consent analytics of a site, read from the per-day counters: for the admin key, or for a
console session whose user may see the site. JSON, or the days as CSV."""

import hmac

from flask import Blueprint, Response, current_app, jsonify, request

from .. import clock, stats
from ..console import access
from ..console.auth import current_user
from ..errors import BadRequest, NotFound, Unauthorized
from ..sites import get_site

bp = Blueprint("stats", __name__, url_prefix="/v1/admin/sites/<site>/stats")


def _authorize(site_id):
    """The admin key, or a console user who may see ``site_id`` (others get a 404: to them the
    site does not exist)."""
    header = request.headers.get("Authorization", "")
    if header:
        expected = current_app.config["ADMIN_API_KEY"]
        scheme, _, given = header.partition(" ")
        if expected and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode()):
            return
        raise Unauthorized("the admin key is not valid", field="Authorization", code="admin_key_required")
    user = current_user()
    if user is None:
        raise Unauthorized(
            "the admin key ('Authorization: Bearer <key>') or a console session is required",
            field="Authorization",
            code="admin_key_required",
        )
    if not access.may_see(user, site_id) or not access.can(user, "analytics"):
        raise NotFound(f"unknown site '{site_id}'", field="site", code="unknown_site")


@bp.get("")
def read(site):
    _authorize(site)
    site = get_site(site)
    chosen, error = stats.parse_range(request.args, clock.utc_day(clock.now()))
    if error:
        raise BadRequest(error[1], field=error[0])
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv"):
        raise BadRequest("must be 'json' or 'csv'", field="format")
    figures = stats.report(current_app.extensions["cmp.store"].counters, site, *chosen)
    if fmt == "csv":
        name = f"{site.id}-stats-{figures['from']}-{figures['to']}.csv"
        return Response(
            stats.to_csv(figures),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )
    response = jsonify(figures)
    response.headers["Cache-Control"] = "no-store"
    return response
