"""A site's scans in the console: the history, one scan (summary, findings, items, alert
deliveries, its report), the diff of two scans, starting a scan and the site's schedules.

The service reads the scan index itself but never imports ``jobs/`` or the scanner: starting a
scan, keeping a schedule and comparing reports go through the module named by ``CMP_SCAN_JOBS``,
loaded by name when asked for, so they take the command line's own paths.
"""

import importlib
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for

from .audit import record
from .auth import login_required
from .forms import RemoveScheduleForm, ScanForm, ScheduleForm
from .i18n import gettext as _
from .pages import _site
from .scan_index import scan_index

bp = Blueprint("scans", __name__, url_prefix="/console/sites/<site_id>")
HISTORY = 100
NO_JOBS = "Scans cannot be started by this service: the scanner is not installed (pip install 'cmp-consent[scanner]')."
BAD_URL = "must be an http:// or https:// address on one of the site's origins"
BAD_TIMING = "must be an interval (90s, 30m, 12h, 1d, 1w) or a cron expression of five fields in UTC, e.g. 0 3 * * *"


def _jobs():
    """The scan jobs' console module, or None where the scanner is not installed."""
    try:
        return importlib.import_module(current_app.config["SCAN_JOBS"])
    except ImportError:
        return None


def _on_site(site, url):
    # Only the site's own origins: an editor must not make the server's browser fetch any address.
    parts = urlsplit(url or "")
    origin = f"{parts.scheme}://{parts.netloc}"
    return parts.scheme in ("http", "https") and origin in site.origins


def _refused(site, form, name, jobs_field):
    """``(jobs, None)`` when ``form`` (the page's ``name`` form) is valid, its URL on the site's
    origins and scans can run here; else ``(None, the history page saying why)``: 400, or 503
    without the scanner, the reason on ``jobs_field``."""
    page = {name: form}
    if not form.validate():
        return None, _history_page(site, **page, status=400)
    if not _on_site(site, form.url.data):
        form.url.errors.append(BAD_URL)
        return None, _history_page(site, **page, status=400)
    jobs = _jobs()
    if jobs is None:
        getattr(form, jobs_field).errors.append(NO_JOBS)
        return None, _history_page(site, **page, status=503)
    return jobs, None


def _scan(site, scan_id):
    found = scan_index().get(scan_id)
    if found is None or found.site != site.id:  # another site's scan is, here, no scan
        abort(404)
    return found.current()


def _history_page(site, scan_form=None, schedule_form=None, status=200):
    index = scan_index()
    first_origin = site.origins[0] if site.origins else ""
    schedules = index.schedules(site.id)
    return render_template(
        "console/scans.html",
        site=site,
        scans=[r.current() for r in index.list(site.id, limit=HISTORY)],
        schedules=schedules,
        scan_form=scan_form or ScanForm(formdata=None, url=first_origin),
        schedule_form=schedule_form or ScheduleForm(formdata=None, url=first_origin, prefix="schedule"),
        removals={s["id"]: RemoveScheduleForm(formdata=None, schedule_id=s["id"]) for s in schedules},
    ), status


@bp.get("/scans")
@login_required
def history(site_id):
    return _history_page(_site(site_id, "scans"))


@bp.post("/scans")
@login_required
def start(site_id):
    site = _site(site_id, "scan")
    form = ScanForm()
    jobs, refusal = _refused(site, form, "scan_form", "url")
    if refusal is not None:
        return refusal
    scan_id = jobs.start_scan(current_app.config, scan_index(), site, form.url.data)
    record("scan_start", site=site.id, scan_id=scan_id, url=form.url.data)
    flash(_("Scan queued."), "info")
    return redirect(url_for(".scan", site_id=site.id, scan_id=scan_id))


@bp.get("/scans/<scan_id>")
@login_required
def scan(site_id, scan_id):
    site = _site(site_id, "scans")
    found = _scan(site, scan_id)
    index = scan_index()
    return render_template(
        "console/scan.html",
        site=site,
        scan=found,
        report=index.report(found.id),
        deliveries=index.deliveries(found.id),
    )


@bp.get("/scans/<scan_id>/report.json")
@login_required
def report(site_id, scan_id):
    site = _site(site_id, "scans")
    found = _scan(site, scan_id)
    document = scan_index().report(found.id)
    if document is None:
        abort(404)
    return Response(
        current_app.json.dumps(document),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{site.id}-scan-{found.id}.json"'},
    )


@bp.get("/scans/<old_id>/diff/<new_id>")
@login_required
def diff(site_id, old_id, new_id):
    site = _site(site_id, "scans")
    old, new = _scan(site, old_id), _scan(site, new_id)
    index = scan_index()
    old_report, new_report = index.report(old.id), index.report(new.id)
    if old_report is None or new_report is None:
        abort(404)
    jobs = _jobs()
    changes = jobs.diff(old_report, new_report) if jobs is not None else None
    return render_template("console/scan_diff.html", site=site, old=old, new=new, changes=changes, no_jobs=NO_JOBS)


@bp.post("/schedules")
@login_required
def add_schedule(site_id):
    site = _site(site_id, "scan")
    form = ScheduleForm(prefix="schedule")
    jobs, refusal = _refused(site, form, "schedule_form", "timing")
    if refusal is not None:
        return refusal
    try:
        every_s, cron = jobs.parse_timing(form.timing.data)
    except ValueError:
        form.timing.errors.append(BAD_TIMING)
        return _history_page(site, schedule_form=form, status=400)
    schedule = jobs.add_schedule(current_app.config, scan_index(), site, form.url.data, every_s, cron)
    record("schedule_add", site=site.id, schedule_id=schedule["id"], url=schedule["url"], timing=form.timing.data)
    flash(_("Schedule added."), "info")
    return redirect(url_for(".history", site_id=site.id))


@bp.post("/schedules/remove")
@login_required
def remove_schedule(site_id):
    site = _site(site_id, "scan")
    form = RemoveScheduleForm()
    schedule = scan_index().schedule(form.schedule_id.data) if form.validate() else None
    if schedule is None or schedule["site"] != site.id:
        abort(404)
    jobs = _jobs()
    if jobs is None:
        flash(_(NO_JOBS), "error")
        return redirect(url_for(".history", site_id=site.id))
    jobs.remove_schedule(current_app.config, scan_index(), schedule)
    record("schedule_remove", site=site.id, schedule_id=schedule["id"])
    flash(_("Schedule removed."), "info")
    return redirect(url_for(".history", site_id=site.id))
