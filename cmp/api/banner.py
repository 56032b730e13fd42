"""Read-only, cacheable site resources: the banner configuration and the policy's cookie table."""

from flask import Blueprint, jsonify, make_response, request

from inventory.table import render_html

from ..banner import banner_config
from ..http import cacheable
from ..sites import get_site

bp = Blueprint("banner", __name__, url_prefix="/v1/sites/<site>")

MAX_AGE_S = 300


def _lang(site):
    return site.pick_language(request.args.get("lang", ""))


@bp.get("/banner")
def banner(site):
    site = get_site(site)
    return cacheable(jsonify(banner_config(site, _lang(site))), MAX_AGE_S)


@bp.get("/cookie-table")
def cookie_table(site):
    site = get_site(site)
    response = make_response(render_html(site, _lang(site)))
    response.mimetype = "text/html"
    return cacheable(response, MAX_AGE_S)
