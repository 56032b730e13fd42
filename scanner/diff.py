"""What changed between two scan reports of a site: items added and removed, items whose lifetime,
party or phases changed, findings new and resolved. Works on ``report.json`` documents, so any two
reports kept in the scan history can be compared."""

from .rules import LIFETIME_TOLERANCE_S

# What, of an item, a compliance officer wants to hear has changed.
COMPARED = ("requested_lifetime_s", "party", "phases")
CHANGE_KINDS = ("added", "removed", "changed", "new_findings", "resolved_findings")


def item_ref(item):
    """What names an item: kind, name, domain, and for a cookie its path."""
    ref = {"kind": item["kind"], "name": item["name"], "domain": item["domain"]}
    if item.get("path") is not None:
        ref["path"] = item["path"]
    return ref


def _item_key(item):
    return item["kind"], item["name"], item["domain"], item.get("path")


def _finding_key(finding):
    return finding["rule"], finding["kind"], finding["item"], finding["domain"], finding.get("path")


def _same(field, old, new):
    if field == "requested_lifetime_s" and old is not None and new is not None:
        return abs(old - new) <= LIFETIME_TOLERANCE_S
    return old == new


def diff(old, new):
    """Changes from report ``old`` to report ``new``: a dict of :data:`CHANGE_KINDS`, each a list."""
    old_items = {_item_key(i): i for i in old["items"]}
    new_items = {_item_key(i): i for i in new["items"]}
    changed = []
    for key in sorted(old_items.keys() & new_items.keys(), key=str):
        before, after = old_items[key], new_items[key]
        fields = {
            f: {"old": before.get(f), "new": after.get(f)}
            for f in COMPARED
            if not _same(f, before.get(f), after.get(f))
        }
        if fields:
            changed.append({**item_ref(after), "changes": fields})
    old_findings = {_finding_key(f): f for f in old["findings"]}
    new_findings = {_finding_key(f): f for f in new["findings"]}
    return {
        "added": [_brief(new_items[k]) for k in sorted(new_items.keys() - old_items.keys(), key=str)],
        "removed": [_brief(old_items[k]) for k in sorted(old_items.keys() - new_items.keys(), key=str)],
        "changed": changed,
        "new_findings": [new_findings[k] for k in sorted(new_findings.keys() - old_findings.keys(), key=str)],
        "resolved_findings": [old_findings[k] for k in sorted(old_findings.keys() - new_findings.keys(), key=str)],
    }


def _brief(item):
    return {
        **item_ref(item),
        "party": item["party"],
        "phases": item["phases"],
        "requested_lifetime_s": item.get("requested_lifetime_s"),
        "declared": item.get("declared") is not None,
    }


def counts(changes):
    return {kind: len(changes[kind]) for kind in CHANGE_KINDS}


def render_text(changes, old_id, new_id):
    """The diff for a reader, one line per change."""
    lines = [f"changes from {old_id} to {new_id}:"]
    for i in changes["added"]:
        lines.append(f"  + {_name(i)} ({i['party']} party, {', '.join(i['phases'])})")
    for i in changes["removed"]:
        lines.append(f"  - {_name(i)}")
    for i in changes["changed"]:
        what = "; ".join(f"{f} {c['old']} -> {c['new']}" for f, c in i["changes"].items())
        lines.append(f"  ~ {_name(i)}: {what}")
    for f in changes["new_findings"]:
        lines.append(f"  new finding {f['rule']}: {f['kind']} {f['item']} ({f['domain']}): {f['detail']}")
    for f in changes["resolved_findings"]:
        lines.append(f"  resolved {f['rule']}: {f['kind']} {f['item']} ({f['domain']})")
    if len(lines) == 1:
        lines.append("  nothing changed")
    return "\n".join(lines)


def _name(item):
    path = f" path {item['path']}" if item.get("path") not in (None, "/") else ""
    return f"{item['kind']} {item['name']} on {item['domain']}{path}"
