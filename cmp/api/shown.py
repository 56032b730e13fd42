"""The widget's "banner shown" beacon: one anonymous count per display of a site's banner, for
the consent rate's denominator. Nothing identifies the visitor: no body, no identifier, no cookie
read or set; a per-address limit (a digest of it, kept for one window) bounds what one client
can add."""

from flask import Blueprint, current_app

from .. import clock, outcomes
from ..ratelimit import check_shown_limit
from ..sites import get_site

bp = Blueprint("shown", __name__, url_prefix="/v1/sites/<site>/shown")


@bp.post("")
def count(site):
    site = get_site(site)
    check_shown_limit()
    counters = current_app.extensions["cmp.store"].counters
    counters.add(site.id, clock.utc_day(clock.now()), outcomes.shown_counters(site))
    return "", 204, {"Cache-Control": "no-store"}
