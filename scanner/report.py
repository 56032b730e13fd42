"""The scan report as plain data: the stable ``report.json`` format documented in docs/scanner.md.
The HTML report and the console summary are rendered from this same dictionary."""

import json
from datetime import UTC, datetime

from .deadline import deadline_for
from .items import KINDS, PHASES
from .rules import RULES

FORMAT = "cmp-scan-report/1"


def _iso(epoch):
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def banner_detail(entry):
    """One sentence a reader understands: how the banner was handled in this phase."""
    if entry.get("error"):
        return f"the start page could not be loaded to answer the banner: {entry['error']}"
    where = " in a shadow root" if entry.get("in_shadow_root") else ""
    if entry.get("frame_url") and entry["method"] == "button-text":
        where += f" (frame {entry['frame_url']})"
    if entry["action"] is None:
        if entry["method"] == "none":
            return "no decision in this phase; no banner was found"
        if entry["method"] == "widget-api":
            return "no decision in this phase; the project's widget (window.CMP) is present"
        return f"no decision in this phase; a banner was found: button '{entry['clicked']}'{where}"
    if entry["method"] == "none":
        return f"no banner was found to {entry['action']} all: the crawl went on without a decision"
    if entry["method"] == "widget-api":
        return f"answered through the project's widget: {entry['clicked']}"
    by = "the given selector" if entry["method"] == "selector" else "its text"
    return f"clicked '{entry['clicked']}'{where}, found by {by}"


def verdict(findings, error=None):
    """``error`` when the scan could not run (whatever it found), else from the findings."""
    if error:
        return "error"
    severities = {RULES[f.rule] for f in findings}
    return "fail" if "error" in severities else "warn" if "warning" in severities else "pass"


def timeout_line(entry):
    """One timeout for a reader: ``[refuse] banner http://…/: no answer within 3 s (--timeout)``."""
    where = f"[{entry['phase']}] " if entry["phase"] else ""
    if entry["after_s"] is None:
        return f"{where}{entry['step']} {entry['url']}: stopped at the scan's deadline"
    limit = "--timeout" if entry["limit"] == "timeout" else "the scan's --deadline"
    return f"{where}{entry['step']} {entry['url']}: no answer within {entry['after_s']:g} s ({limit})"


def limits_detail(limits):
    """One sentence on the scan's time limits, or None when nothing ran out of time."""
    if not limits or not (limits["timeouts"] or limits["deadline_reached"]):
        return None
    parts = []
    if limits["timeouts"]:
        parts.append(f"{len(limits['timeouts'])} step(s) ran out of time")
    if limits["deadline_reached"]:
        left = sum(len(u) for u in limits["not_visited"].values())
        per_phase = ", ".join(f"{phase} {len(u)}" for phase, u in limits["not_visited"].items())
        deadline = f"the scan's deadline ({limits['deadline_s']:g} s) was reached"
        parts.append(f"{deadline}, {left} queued page(s) not visited ({per_phase})")
    return "; ".join(parts)


def bounds_detail(bounds, pages):
    """One sentence on what the crawl's bounds left out (a page limit, a depth, heavy pages,
    redirect loops), or None when they left nothing out."""
    parts = []
    over_pages = max(bounds.get("links_over_page_limit", {}).values(), default=0)
    if over_pages:
        parts.append(f"the page limit (--max-pages {bounds['max_pages']}) left {over_pages} more link(s) unvisited")
    over_depth = max(bounds.get("links_over_depth", {}).values(), default=0)
    if over_depth:
        parts.append(f"the depth limit (--depth {bounds['depth']}) left {over_depth} deeper link(s) unvisited")
    for page in bounds.get("large_pages", []):
        parts.append(f"[{page['phase']}] {page['url']} weighs {page['bytes'] / 1e6:.1f} MB")
    loops = sorted({p["url"] for p in pages if (p.get("error") or "").startswith("redirect loop")})
    if loops:
        parts.append(f"redirect loop at {', '.join(loops)}")
    return "; ".join(parts) or None


def item_dict(item, rules_by_item):
    return {
        "name": item.name,
        "kind": item.kind,
        "domain": item.domain,
        "path": item.path,
        "party": item.party,
        "phases": item.phases,
        "first_seen_url": item.first_seen_url,
        "set_by": item.set_by,
        "initiator": item.initiator,
        "requested_lifetime_s": item.requested_lifetime_s,
        "stored_lifetime_s": item.stored_lifetime_s,
        "secure": item.secure,
        "http_only": item.http_only,
        "same_site": item.same_site,
        "stored": item.stored,
        "blocked_reasons": item.blocked_reasons,
        "declared": item.declared.as_report() if item.declared else None,
        "findings": rules_by_item.get(item.key, []),
    }


def build(result, site, items, findings, options, screenshots):
    """``screenshots`` maps phase -> file name written beside the report (or None)."""
    rules_by_item = {}
    for f in findings:
        rules = rules_by_item.setdefault((f.kind, f.item, f.domain, f.path), [])
        if f.rule not in rules:
            rules.append(f.rule)
    pages = [p for phase in result.phases for p in phase.pages]
    banner = {}
    for phase in result.phases:
        entry = dict(phase.banner)
        entry.pop("phase", None)
        banner[phase.phase] = {**entry, "detail": banner_detail(entry), "screenshot": screenshots.get(phase.phase)}
    by_rule = {rule: sum(1 for f in findings if f.rule == rule) for rule in RULES}
    limits = result.limits or {  # a result assembled by hand (tests): nothing ran out of time
        "timeout_s": options.page_timeout_s,
        "deadline_s": deadline_for(options.page_timeout_s, options.deadline_s),
        "deadline_reached": False,
        "timeouts": [],
        "not_visited": {phase: [] for phase in PHASES},
    }
    return {
        "format": FORMAT,
        "target": result.target,
        "site": site.id,
        "started_at": _iso(result.started_at),
        "finished_at": _iso(result.finished_at),
        "duration_s": round(result.finished_at - result.started_at, 1),
        "options": {
            "max_pages": options.max_pages,
            "depth": options.depth,
            "concurrency": options.concurrency,
            "block_third_party": options.block_third_party,
            "timeout_s": limits["timeout_s"],
            "deadline_s": limits["deadline_s"],
        },
        "pages": pages,
        "banner": banner,
        "items": [item_dict(i, rules_by_item) for i in items],
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "item": f.item,
                "kind": f.kind,
                "domain": f.domain,
                "path": f.path,
                "phase": f.phase,
                "detail": f.detail,
            }
            for f in findings
        ],
        "summary": {
            "verdict": verdict(findings, result.error),
            "pages": {phase: sum(1 for p in pages if p["phase"] == phase) for phase in PHASES},
            "items": len(items),
            "items_by_kind": {k: sum(1 for i in items if i.kind == k) for k in KINDS},
            "third_party": sum(1 for i in items if i.party == "third"),
            "undeclared": sum(1 for i in items if i.declared is None),
            "findings": by_rule,
            "by_severity": {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")},
            "timeouts": len(limits["timeouts"]),
            "deadline_reached": limits["deadline_reached"],
        },
        "limits": {
            **limits,
            "timeouts": [{**t, "detail": timeout_line(t)} for t in limits["timeouts"]],
            "detail": limits_detail(limits),
        },
        "bounds": {
            **(result.bounds or {"max_pages": options.max_pages, "depth": options.depth}),
            "detail": bounds_detail(result.bounds or {}, pages),
        },
        "error": result.error,
    }


def write_json(report, path):
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
