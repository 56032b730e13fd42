"""``--suggest FILE.yaml``: inventory entries for the items the inventory does not declare, as a
``services:`` list to review and merge into the site's file. Categories come from the knowledge
base, mapped onto the site's own categories; unknown items get the strictest category."""

import json
import re
from datetime import date

from inventory.model import UNIT_SECONDS

# Knowledge-base category -> the site category ids it may be filed under, best first.
SYNONYMS = {
    "audience": ["audience", "analytics", "statistics", "stats", "measurement", "mesure", "performance"],
    "analytics": [
        "analytics",
        "statistics",
        "stats",
        "behavioural",
        "behavioral",
        "measurement",
        "performance",
        "audience",
    ],
    "performance": ["performance", "monitoring", "analytics", "statistics", "audience"],
    "advertising": ["advertising", "marketing", "ads", "publicite", "targeting", "social"],
    "social": ["social", "social-media", "advertising", "marketing"],
    "video": ["video", "media", "multimedia", "social", "advertising", "marketing"],
    "preferences": ["preferences", "functional", "functionality", "personalisation", "personalization"],
}
_NAME_OK = re.compile(r"^[^\s;,=]+$")


def site_category(site, kb_category):
    """The site's category for a knowledge-base category; None when the site has none that fits."""
    if kb_category == "necessary":
        return next(c.id for c in site.categories if c.required)
    for wanted in SYNONYMS.get(kb_category, []):
        for cat in site.categories:
            # Only an audience tool may land in a category exempt from consent.
            if cat.id == wanted and not cat.required and (not cat.exempt or kb_category == "audience"):
                return cat.id
    return None


def strictest_category(site):
    """The first category that needs consent: the safe place for a tracker nobody knows."""
    return next((c.id for c in site.categories if not c.required and not c.exempt), None)


def retention_for(item):
    """The declaration covering what the item asked for, rounded up (Expires is only to the second)."""
    if item.kind in ("localStorage", "indexedDB", "cacheStorage", "serviceWorker"):
        return "persistent"  # kept until the site or the visitor deletes it
    seconds = item.requested_lifetime_s
    if item.kind == "sessionStorage" or seconds is None:
        return "session"
    for unit, below in (("minute", 3600), ("hour", 86400), ("day", 60 * 86400), ("month", None)):
        if below is None or seconds < below:
            size = UNIT_SECONDS[unit]
            count = max(1, -(-(seconds - min(60, size // 100)) // size))
            if unit == "month" and count % 12 == 0:
                unit, count = "year", count // 12
            return f"{count} {unit}{'s' if count > 1 else ''}"


def _q(text):
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _purpose(known, item, site):
    if known is not None:
        texts = dict(known.purpose)
    else:
        by, par = (f" by {item.initiator}", f" par {item.initiator}") if item.initiator else ("", "")
        texts = {
            "en": f"To describe: seen set{by} on {item.first_seen_url}.",
            "fr": f"À décrire : vu déposé{par} sur {item.first_seen_url}.",
        }
    for lang in site.languages:
        texts.setdefault(lang, texts.get("en") or next(iter(texts.values())))
    return {lang: texts[lang] for lang in site.languages}


def _service_for(item, known, site):
    """(id, name, provider, category, policy URL, note) of the service to file ``item`` under."""
    if known is None:
        slug = re.sub(r"[^a-z0-9]+", "-", item.domain.lower()).strip("-")
        return (
            f"unknown-{slug}",
            f"Unknown ({item.domain})",
            None,
            strictest_category(site) or "unclassified",
            None,
            "not in the knowledge base: category to check",
        )
    category, note = site_category(site, known.category), f"{known.source}: {known.category}"
    if category is None:
        category, note = strictest_category(site) or known.category, note + "; no matching site category"
    return known.service_id, known.service_name, known.provider, category, known.policy_url, note


def suggestions(items, site, knowledge):
    """{service id: service dict with notes} for every undeclared item."""
    services = {}
    existing = {s.id for s in site.services}
    for item in items:
        if item.declared is not None or not _NAME_OK.match(item.name):
            continue
        known = knowledge.classify(item.name, item.kind, item.domain)
        sid, name, provider, category, policy, note = _service_for(item, known, site)
        if sid in existing:
            note += f"; the site already has service '{sid}': move these items into it"
            sid = f"{sid}-suggested"
        service = services.setdefault(
            sid,
            {
                "id": sid,
                "name": name,
                "provider": provider,
                "category": category,
                "policy_url": policy,
                "note": note,
                "items": {},
            },
        )
        declared_name = known.name if known is not None else item.name
        previous = service["items"].get(declared_name)
        if previous is not None and (previous["asked"] or 0) >= (item.requested_lifetime_s or 0):
            continue  # a pattern already suggested for an item asking as long or longer
        service["items"][declared_name] = {
            "name": declared_name,
            "kind": item.kind,
            "purpose": _purpose(known, item, site),
            "retention": retention_for(item),
            "asked": item.requested_lifetime_s,
            "domain": item.domain if item.party == "third" else None,
            "note": (f"seen as {item.name}; " if declared_name != item.name else "")
            + (f"asks {item.requested_lifetime_s} s" if item.requested_lifetime_s else "no lifetime asked"),
        }
    return services


def render(items, site, knowledge, target):
    services = suggestions(items, site, knowledge)
    lines = [
        f"# Suggested by `cmpctl scan {target}` on {date.today().isoformat()} for site '{site.id}':",
        "# entries for the items its inventory does not declare. Review each category, purpose and",
        "# retention, then merge these services into the site's inventory file.",
        "services:" if services else "services: []",
    ]
    for svc in services.values():
        lines += [f"  - id: {svc['id']}", f"    name: {_q(svc['name'])}"]
        if svc["provider"]:
            lines.append(f"    provider: {_q(svc['provider'])}")
        lines.append(f"    category: {svc['category']}  # {svc['note']}")
        if svc["policy_url"]:
            lines.append(f"    policy_url: {_q(svc['policy_url'])}")
        lines.append("    items:")
        for it in svc["items"].values():
            lines += [f"      - name: {_q(it['name'])}  # {it['note']}", f"        kind: {it['kind']}"]
            if it["domain"]:
                lines.append(f"        domain: {_q(it['domain'])}")
            lines.append("        purpose:")
            lines += [f"          {lang}: {_q(text)}" for lang, text in it["purpose"].items()]
            lines.append(f"        retention: {it['retention']}")
    return "\n".join(lines) + "\n"
