"""The console's reading pages: the overview of a user's sites, one site's consent analytics,
and its inventory with the history of its revisions."""

import datetime as dt

from flask import Blueprint, Response, abort, current_app, g, render_template, request

from .. import clock, revisions, stats
from ..errors import NotFound
from ..sites import get_site
from . import access, charts
from .audit import record
from .auth import login_required, require
from .i18n import gettext as _
from .scan_index import latest

bp = Blueprint("pages", __name__, url_prefix="/console", template_folder="templates", static_folder="static")

REVISION_LOOKBACK_DAYS = 400


def _store():
    return current_app.extensions["cmp.store"]


def _site(site_id, permission):
    require(permission, site_id)
    try:
        return get_site(site_id)
    except NotFound:  # a page, like a site not open to the user
        abort(404)


@bp.get("/")
@login_required
def overview():
    today = clock.utc_day(clock.now())
    rows = []
    for site in access.visible_sites(g.user, current_app.extensions["cmp.sites"]):
        figures = stats.report(_store().counters, site, today - dt.timedelta(days=29), today)
        rows.append(
            {
                "site": site,
                "decisions": stats.decisions(figures["totals"]),
                "rate": stats.consent_rate(figures["totals"]),
                "scan": latest(site.id),
            }
        )
    return render_template("console/overview.html", rows=rows)


def _range(today):
    chosen, error = stats.parse_range(request.args, today)
    if error:
        return (today - dt.timedelta(days=29), today), error
    return chosen, None


@bp.get("/sites/<site_id>")
@login_required
def site(site_id):
    site = _site(site_id, "analytics")
    today = clock.utc_day(clock.now())
    (first, last), error = _range(today)
    figures = stats.report(_store().counters, site, first, last)
    if request.args.get("format") == "csv":
        record("stats_export", site=site.id, range=f"{first}..{last}")
        return Response(
            stats.to_csv(figures),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{site.id}-stats-{first}-{last}.csv"'},
        )
    names = {c.id: site.text(c.label, g.lang) for c in site.categories}
    return render_template(
        "console/site.html",
        site=site,
        figures=figures,
        first=first,
        last=last,
        error=error and (error[0], _(error[1])),
        days_chart=charts.stacked_days(figures["days"]),
        category_chart=charts.category_rates(figures["categories"], names),
        category_names=names,
        revisions=figures["revisions"],  # in the order they first appear in the range
        rate=stats.consent_rate,
        decisions=stats.decisions,
        opt_in=stats.opt_in_rate,
        outcome_labels=OUTCOME_LABELS,
    )


OUTCOME_LABELS = {
    "shown": "Banner shown",
    "accept_all": "Accept all",
    "refuse_all": "Refuse all",
    "custom": "Custom",
    "withdrawn": "Withdrawn",
}


@bp.get("/sites/<site_id>/inventory")
@login_required
def inventory(site_id):
    site = _site(site_id, "inventory")
    store = _store()
    revisions.archive(store, site)
    today = clock.utc_day(clock.now())
    counted = store.counters.read(site.id, today - dt.timedelta(days=REVISION_LOOKBACK_DAYS), today)
    first_seen = {}
    for day in sorted(counted):
        for name in counted[day]:
            if name.startswith("rev:"):
                first_seen.setdefault(name[4:].rpartition(":")[0], day)
    first_seen.setdefault(site.revision, today)
    history, previous = [], None
    for revision, day in sorted(first_seen.items(), key=lambda item: item[1]):
        document = revisions.archived(store, site.id, revision)
        if document is None:
            changed = None
        elif previous is None:
            changed = []
        else:
            changed = revisions.changes(previous, document)
        history.append({"revision": revision, "first_seen": day, "changes": changed, "first": previous is None})
        previous = document or previous
    return render_template("console/inventory.html", site=site, history=history[::-1])
