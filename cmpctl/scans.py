"""``cmpctl scans list|show|diff``: the scan history kept in the scan index."""

import json

import click

from .common import fail, load_settings
from .queued import scan_index


def _listing(record):
    """A scan as ``scans list --json`` shows it (a stable format, documented in docs/scans.md)."""
    return {
        "id": record.id,
        "site": record.site,
        "url": record.url,
        "status": record.status,
        "created_at": record.created_at,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "inventory_revision": record.inventory_revision,
        "summary": record.summary,
        "progress": record.progress,
        "error": record.error,
        "attempts": record.attempts,
        "schedule_id": record.schedule_id,
        "previous_scan_id": record.previous_scan_id,
        "changes": record.changes,
    }


@click.group("scans")
def scans_group():
    """List, show and compare past scans of the sites."""


@scans_group.command("list", short_help="List a site's scans, newest first.")
@click.option("--site", "site_id", help="Site id whose scans to list (required).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000), help="How many scans to list.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of scans instead of a table.")
def scans_list(site_id, limit, as_json):
    """List the scans of a site, newest first, with their status and counts."""
    if not site_id:
        fail("--site is required: the site whose scans to list")
    with scan_index(load_settings()) as index:
        records = [r.current() for r in index.list(site_id, limit=limit)]
    if as_json:
        click.echo(json.dumps([_listing(r) for r in records], indent=2, ensure_ascii=False))
        return
    if not records:
        click.echo(f"no scans of {site_id}")
        return
    for r in records:
        click.echo(f"{r.id}  {r.status:<8}  {r.url}  {_counts(r)}")


def _counts(record):
    if record.summary:
        s = record.summary
        errors = s.get("by_severity", {}).get("error", 0)
        return f"{s.get('items', 0)} items, {s.get('undeclared', 0)} undeclared, {errors} error finding(s)"
    if record.status in ("queued", "running"):
        p = record.progress or {}
        return f"{p.get('phase', 'waiting')}: {p.get('pages_done', 0)}/{p.get('pages_queued', 0)} pages"
    return record.error or ""


@scans_group.command("show", short_help="Show one scan: status, progress, counts, alerts.")
@click.argument("scan_id")
@click.option("--json", "as_json", is_flag=True, help="The scan, its report and its alert deliveries as JSON.")
@click.option("--html", "as_html", is_flag=True, help="The scan's HTML report.")
def scans_show(scan_id, as_json, as_html):
    """Show the scan SCAN_ID: status, progress while it runs, counts and findings once finished, and
    the alerts sent about it."""
    if as_json and as_html:
        fail("give at most one of --json and --html")
    with scan_index(load_settings()) as index:
        record = index.get(scan_id)
        if record is None:
            fail(f"no scan {scan_id!r}; `cmpctl scans list --site SITE` lists them")
        record = record.current()
        report = index.report(scan_id)
        deliveries = index.deliveries(scan_id)
    if as_html:
        if report is None:
            fail(f"scan {scan_id} has no report yet (status {record.status})")
        from scanner import report_html

        click.echo(report_html.render(report, {}), nl=False)
        return
    if as_json:
        body = {**_listing(record), "alerts": deliveries, "report": report}
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    click.echo(_text(record, report, deliveries))


def _text(record, report, deliveries):
    lines = [
        f"scan {record.id} of {record.url} (site {record.site}, inventory revision {record.inventory_revision})",
        f"status: {record.status}" + (f" ({record.error})" if record.error else ""),
        f"created {record.created_at}, started {record.started_at or '-'}, finished {record.finished_at or '-'}"
        f", attempts {record.attempts}",
    ]
    if record.progress:
        p = record.progress
        lines.append(
            f"progress: {p.get('phase')}, {p.get('pages_done', 0)}/{p.get('pages_queued', 0)} pages, "
            f"{p.get('items', 0)} items"
        )
    if report is not None:
        lines.append(f"counts: {_counts(record)}; verdict {report['summary']['verdict']}")
        for f in report["findings"]:
            lines.append(f"  {f['severity']:<7} {f['rule']:<18} {f['kind']} {f['item']} ({f['domain']}): {f['detail']}")
    if record.changes:
        c = record.changes
        lines.append(
            f"since {record.previous_scan_id}: "
            + ", ".join(f"{len(v) if isinstance(v, list) else v} {k.replace('_', ' ')}" for k, v in c.items())
        )
    for d in deliveries:
        lines.append(f"alert: attempt {d.get('attempt')} at {d.get('at')}: {d.get('outcome')}")
    return "\n".join(lines)


@scans_group.command("diff", short_help="Show what changed between two scans.")
@click.argument("old_id")
@click.argument("new_id")
@click.option("--json", "as_json", is_flag=True, help="A JSON object of added, removed, changed, new and resolved.")
def scans_diff(old_id, new_id, as_json):
    """Show what changed from scan OLD_ID to scan NEW_ID: items added and removed, items whose
    lifetime, party or phases changed, and findings new and resolved."""
    from scanner import diff

    with scan_index(load_settings()) as index:
        reports = []
        for which, scan_id in (("OLD", old_id), ("NEW", new_id)):
            report = index.report(scan_id)
            if report is None:
                known = index.get(scan_id)
                why = "no such scan" if known is None else f"it has no report (status {known.current().status})"
                fail(f"{which} {scan_id!r}: {why}")
            reports.append(report)
    changes = diff.diff(*reports)
    if as_json:
        click.echo(json.dumps(changes, indent=2, ensure_ascii=False))
    else:
        click.echo(diff.render_text(changes, old_id, new_id))
