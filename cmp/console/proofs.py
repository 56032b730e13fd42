"""Proof of consent in the console: one visitor's record (current decision, history and the
exact banner each decision was shown) and the export of a site's proofs for a date range,
streamed. Both are for editors and admins, and both are written to the audit log."""

import datetime as dt
import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from .. import clock
from ..api.admin import CSV_COLUMNS, csv_row
from ..decisions import VISITOR_ID
from .audit import record
from .auth import login_required
from .forms import VisitorForm
from .pages import _site

bp = Blueprint("proofs", __name__, url_prefix="/console/sites/<site_id>")


def _store():
    return current_app.extensions["cmp.store"]


@bp.get("/visitors")
@login_required
def find(site_id):
    site = _site(site_id, "visitors")
    form = VisitorForm(request.args)
    if form.validate():
        return redirect(url_for(".visitor", site_id=site.id, visitor_id=form.visitor_id.data))
    today = clock.utc_day(clock.now())
    error = form.visitor_id.errors[0] if form.visitor_id.errors else None
    return _tools(site, today, visitor_error=error, visitor_value=request.args.get("visitor_id", ""))


def _tools(site, today, **errors):
    first = today - dt.timedelta(days=29)
    return render_template("console/tools.html", site=site, first=first, last=today, **errors), 400


@bp.get("/visitors/<visitor_id>")
@login_required
def visitor(site_id, visitor_id):
    site = _site(site_id, "visitors")
    if not VISITOR_ID.match(visitor_id):
        abort(404)
    store = _store()
    current = store.get(site.id, visitor_id)
    history = store.history(site.id, visitor_id)
    shown = {version: store.archived(site.id, version) for version in {r.text_version for r in history}}
    record("visitor_lookup", site=site.id, visitor_id=visitor_id)
    return render_template(
        "console/visitor.html", site=site, visitor_id=visitor_id, current=current, history=history, shown=shown
    )


@bp.get("/proofs")
@login_required
def export(site_id):
    site = _site(site_id, "export")
    today = clock.utc_day(clock.now())
    try:
        first = dt.date.fromisoformat(request.args.get("from", ""))
        last = dt.date.fromisoformat(request.args.get("to", ""))
    except ValueError:
        first = last = None
    fmt = request.args.get("format", "csv")
    if first is None or last < first or fmt not in ("csv", "ndjson"):
        return _tools(site, today, export_error="from / to: YYYY-MM-DD, from ≤ to; format: csv or ndjson")
    since = dt.datetime.combine(first, dt.time(), dt.UTC)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC)
    records = store_export = _store().export(site.id, since, until)
    head = next(store_export, None)  # a store failure is an error page here, before streaming starts
    record("proof_export", site=site.id, range=f"{first}..{last}", format=fmt)

    def generate():
        if fmt == "csv":
            yield ",".join(CSV_COLUMNS) + "\r\n"
        item = head
        while item is not None:
            yield csv_row(item) if fmt == "csv" else json.dumps(item.to_json(), ensure_ascii=False) + "\n"
            item = next(records, None)

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv" if fmt == "csv" else "application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{site.id}-proofs-{first}-{last}.{fmt}"'},
    )
