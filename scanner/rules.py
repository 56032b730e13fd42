"""Where findings are decided: every rule the scanner applies to the items it found, against
the site's inventory. Each rule is one small function; :func:`findings` runs them all."""

from dataclasses import dataclass

from inventory import THIRTEEN_MONTHS_S

from .match import annotate, declared_items

# Rule name -> severity. "error" breaks the law or the policy's promise, "warning" makes the
# inventory wrong, "info" is worth a look.
RULES = {
    "undeclared": "warning",
    "pre-consent": "error",
    "after-refusal": "error",
    "over-13-months": "error",
    "exceeds-declared": "warning",
    "declared-not-seen": "info",
    "other-site-widget": "warning",
}
SEVERITIES = ("error", "warning", "info")
# Expires is given to the second and clocks drift: lifetimes within a minute are equal.
LIFETIME_TOLERANCE_S = 60


@dataclass(frozen=True)
class Finding:
    rule: str
    item: str
    kind: str
    domain: str | None
    phase: str | None
    detail: str
    path: str | None = None  # cookies: which of the cookies of that name

    @property
    def severity(self):
        return RULES[self.rule]


def human(seconds):
    """``730 days``, ``2 hours``, ``90 s``: lifetimes as a reader counts them."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = round(seconds / size, 1)
            count = int(count) if count == int(count) else count
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} s"


def _finding(rule, item, phase, detail):
    return Finding(rule, item.name, item.kind, item.domain, phase, detail, item.path)


def _refused_note(item):
    return f" (the browser refused to store it: {', '.join(item.blocked_reasons)})" if item.blocked_reasons else ""


def undeclared(item):
    if item.declared is None:
        how = f" by {item.initiator}" if item.initiator else ""
        yield _finding("undeclared", item, item.phases[0], f"matches no declaration; set{how} on {item.first_seen_url}")


def pre_consent(item):
    category = item.declared.category if item.declared else None
    if "before" in item.phases and not (category and (category.required or category.exempt)):
        what = f"category '{category.id}'" if category else "undeclared"
        yield _finding("pre-consent", item, "before", f"present before any decision ({what}){_refused_note(item)}")


def after_refusal(item):
    category = item.declared.category if item.declared else None
    if "refuse" in item.phases and not (category and category.required):
        what = f"category '{category.id}'" if category else "undeclared"
        yield _finding("after-refusal", item, "refuse", f"present after 'refuse all' ({what}){_refused_note(item)}")


def over_13_months(item):
    asked = item.requested_lifetime_s
    if asked is not None and asked > THIRTEEN_MONTHS_S + LIFETIME_TOLERANCE_S:
        yield _finding(
            "over-13-months",
            item,
            item.phases[0],
            f"asks for {asked} s ({human(asked)}), more than 13 months ({THIRTEEN_MONTHS_S} s)",
        )


def exceeds_declared(item):
    asked = item.requested_lifetime_s
    if item.declared is None or asked is None:
        return
    retention = item.declared.item.retention
    if retention.is_session:
        yield _finding(
            "exceeds-declared", item, item.phases[0], f"declared 'session' but asks for {asked} s ({human(asked)})"
        )
    elif retention.seconds is not None and asked > retention.seconds + LIFETIME_TOLERANCE_S:
        yield _finding(
            "exceeds-declared",
            item,
            item.phases[0],
            f"asks for {asked} s ({human(asked)}), declared '{retention.text}' ({retention.seconds} s)",
        )


ITEM_RULES = (undeclared, pre_consent, after_refusal, over_13_months, exceeds_declared)


def declared_not_seen(site, matched):
    for decl in declared_items(site):
        if id(decl.item) not in matched:
            yield Finding(
                "declared-not-seen",
                decl.item.name,
                decl.item.kind,
                decl.item.domain,
                None,
                f"declared by service '{decl.service.id}' ({decl.category.id}) but seen in no phase",
            )


def other_site_widget(site, widget_sites):
    """``widget_sites``: (phase, site id) of the project's widget found on the start page. A widget
    embedded for another site shows that site's banner and records consents under its id."""
    seen = {}
    for phase, found in widget_sites:
        if found and found != site.id:
            seen.setdefault(found, phase)
    for found, phase in seen.items():
        yield Finding(
            "other-site-widget",
            found,
            "widget",
            None,
            phase,
            f"the page embeds the widget of site '{found}', not of '{site.id}' (the inventory scanned against)",
        )


def findings(items, site, site_loaded=True, widget_sites=()):
    """Annotate ``items`` with their declarations and return every finding, by severity (error,
    warning, info), then in rule order.

    When the site's start page loaded in no phase, what was not seen says nothing about the
    inventory: ``declared-not-seen`` is left out.
    """
    matched = annotate(items, site)
    found = [f for item in items for rule in ITEM_RULES for f in rule(item)]
    if site_loaded:
        found += list(declared_not_seen(site, matched))
    found += list(other_site_widget(site, widget_sites))
    order = list(RULES)
    return sorted(
        found,
        key=lambda f: (SEVERITIES.index(f.severity), order.index(f.rule), f.kind, f.domain or "", f.item, f.path or ""),
    )
