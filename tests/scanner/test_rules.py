"""The findings rules (scanner/rules.py), applied to items against the fixture's inventory:
necessary (required), audience (exempt), marketing; see fixture_site/fixture-shop.yaml."""

import pytest

from inventory import THIRTEEN_MONTHS_S
from scanner import rules

from .helpers import fixture_site, item

ALL_DECLARED_SEEN = [
    item("sid", ["before"]),
    item("cart", ["before"]),
    item("fx_prefs", ["before"], kind="localStorage"),
    item("fx_tab", ["before"], kind="sessionStorage"),
    item("_pk_id.1.x", ["before"], asked=3600),
    item("promo_seen", ["accept"]),
    item("tp_uid", ["accept"], domain="localhost", party="third"),
    item("tp_js", ["accept"]),
    item("tp_ls", ["accept"], kind="localStorage"),
    item("_tag_id", ["accept"]),
    item("legacy_tracker", ["accept"]),
    item("fx_choice", ["refuse", "accept"], asked=3600),
]


def findings_for(*items):
    """Findings about the given items, on top of an otherwise complete, clean scan."""
    named = {(i.kind, i.name) for i in items}
    others = [i for i in ALL_DECLARED_SEEN if (i.kind, i.name) not in named]
    return [(f.rule, f.item, f.phase) for f in rules.findings(list(items) + others, fixture_site())]


def test_a_complete_clean_scan_has_no_findings():
    assert findings_for() == []


def test_an_item_no_declaration_matches_is_undeclared_in_the_first_phase_it_was_seen():
    assert findings_for(item("late", ["accept"])) == [("undeclared", "late", "accept")]


def test_a_declaration_restricted_to_a_domain_does_not_cover_other_domains():
    assert findings_for(item("tp_uid", ["accept"], domain="tracker.example", party="third")) == [
        ("undeclared", "tp_uid", "accept"),
        ("declared-not-seen", "tp_uid", None),
    ]


def test_an_item_needing_consent_present_before_any_decision_is_pre_consent():
    assert findings_for(item("promo_seen", ["before", "accept"])) == [("pre-consent", "promo_seen", "before")]


def test_an_undeclared_item_before_any_decision_is_also_pre_consent():
    assert findings_for(item("late", ["before"])) == [
        ("pre-consent", "late", "before"),
        ("undeclared", "late", "before"),
    ]


@pytest.mark.parametrize("name", ["sid", "_pk_id.1.x"])
def test_required_and_exempt_items_may_be_present_before_any_decision(name):
    assert findings_for(item(name, ["before"], asked=3600 if name != "sid" else None)) == []


def test_after_refusal_only_required_items_may_be_present_exempt_ones_included():
    assert findings_for(item("sid", ["refuse"])) == []
    assert findings_for(item("_pk_id.1.x", ["refuse"], asked=3600)) == [("after-refusal", "_pk_id.1.x", "refuse")]
    assert findings_for(item("promo_seen", ["refuse"])) == [("after-refusal", "promo_seen", "refuse")]


def test_a_requested_lifetime_above_13_months_is_a_finding_with_a_minute_of_tolerance():
    limit = THIRTEEN_MONTHS_S + rules.LIFETIME_TOLERANCE_S
    assert findings_for(item("_pk_id.1.x", ["before"], asked=limit)) == []
    assert findings_for(item("_pk_id.1.x", ["before"], asked=limit + 1)) == [
        ("over-13-months", "_pk_id.1.x", "before"),
        ("exceeds-declared", "_pk_id.1.x", "before"),
    ]


def test_a_lifetime_above_the_declared_retention_exceeds_it():
    # promo_seen is declared for 30 days.
    assert findings_for(item("promo_seen", ["accept"], asked=30 * 86400 + 60)) == []
    assert findings_for(item("promo_seen", ["accept"], asked=31 * 86400)) == [
        ("exceeds-declared", "promo_seen", "accept")
    ]


def test_a_persistent_cookie_declared_as_session_exceeds_its_declaration():
    assert findings_for(item("cart", ["before"], asked=7200)) == [("exceeds-declared", "cart", "before")]
    assert findings_for(item("cart", ["before"], asked=None)) == []


def test_a_declared_item_seen_in_no_phase_is_reported_for_information():
    clean = [i for i in ALL_DECLARED_SEEN if i.name != "legacy_tracker"]
    found = rules.findings(clean, fixture_site())
    assert [(f.rule, f.item, f.kind, f.domain, f.phase, f.severity) for f in found] == [
        ("declared-not-seen", "legacy_tracker", "cookie", None, None, "info")
    ]
    assert found[0].detail == "declared by service 'partner' (marketing) but seen in no phase"


def test_every_finding_carries_its_rule_severity_and_a_readable_detail():
    found = rules.findings([item("late", ["before", "refuse"], asked=63072000)] + ALL_DECLARED_SEEN, fixture_site())
    assert [(f.rule, f.severity, f.detail) for f in found] == [
        ("pre-consent", "error", "present before any decision (undeclared)"),
        ("after-refusal", "error", "present after 'refuse all' (undeclared)"),
        ("over-13-months", "error", "asks for 63072000 s (730 days), more than 13 months (34187400 s)"),
        ("undeclared", "warning", "matches no declaration; set by http://127.0.0.1/app.js on http://127.0.0.1/"),
    ]


def test_findings_annotate_items_with_their_declaration():
    items = [item("_pk_id.1.x", ["before"], asked=3600)]
    rules.findings(items, fixture_site())
    assert items[0].declared.as_report() == {
        "service": "stats",
        "service_name": "Statistiques",
        "category": "audience",
        "required": False,
        "exempt": True,
        "declared_name": "_pk_id.*",
        "retention": "13 months",
    }


def test_a_widget_embedded_for_another_site_is_a_warning():
    site = fixture_site()
    found = rules.findings(
        ALL_DECLARED_SEEN,
        site,
        widget_sites=[("before", "milleis"), ("refuse", "milleis"), ("accept", None)],
    )
    assert [(f.rule, f.severity, f.item, f.kind, f.phase, f.detail) for f in found] == [
        (
            "other-site-widget",
            "warning",
            "milleis",
            "widget",
            "before",
            "the page embeds the widget of site 'milleis', not of 'fixture-shop' (the inventory scanned against)",
        )
    ]


def test_the_inventorys_own_widget_or_none_is_no_finding():
    site = fixture_site()
    assert rules.findings(ALL_DECLARED_SEEN, site, widget_sites=[("before", site.id), ("refuse", None)]) == []
