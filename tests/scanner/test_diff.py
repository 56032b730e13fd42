"""Diffs between two reports name each item that came, went or changed, and each finding that is
new or resolved."""

from scanner.diff import diff, render_text


def item(name, kind="cookie", domain="shop.example", lifetime=3600, party="first", phases=("before",), **extra):
    return {
        "name": name,
        "kind": kind,
        "domain": domain,
        "party": party,
        "phases": list(phases),
        "requested_lifetime_s": lifetime,
        "declared": None,
        **extra,
    }


def finding(rule, name, kind="cookie", domain="shop.example", detail="…"):
    return {"rule": rule, "item": name, "kind": kind, "domain": domain, "phase": "before", "detail": detail}


def report(items, findings=()):
    return {"items": list(items), "findings": list(findings)}


def test_items_added_and_removed_are_named():
    old = report([item("sid"), item("gone", kind="localStorage", lifetime=None)])
    new = report([item("sid"), item("_trk", party="third", domain="ads.example")])
    changes = diff(old, new)
    assert changes["added"] == [
        {
            "kind": "cookie",
            "name": "_trk",
            "domain": "ads.example",
            "party": "third",
            "phases": ["before"],
            "requested_lifetime_s": 3600,
            "declared": False,
        }
    ]
    assert [(i["kind"], i["name"]) for i in changes["removed"]] == [("localStorage", "gone")]
    assert changes["changed"] == []


def test_a_change_of_lifetime_party_or_phases_is_reported_field_by_field():
    old = report([item("sid", lifetime=86400), item("pref", phases=("accept",))])
    new = report([item("sid", lifetime=2 * 86400), item("pref", phases=("before", "accept"))])
    assert diff(old, new)["changed"] == [
        {
            "kind": "cookie",
            "name": "pref",
            "domain": "shop.example",
            "changes": {"phases": {"old": ["accept"], "new": ["before", "accept"]}},
        },
        {
            "kind": "cookie",
            "name": "sid",
            "domain": "shop.example",
            "changes": {"requested_lifetime_s": {"old": 86400, "new": 172800}},
        },
    ]


def test_lifetimes_within_a_minute_are_the_same():
    assert diff(report([item("sid", lifetime=3600)]), report([item("sid", lifetime=3630)]))["changed"] == []


def test_the_same_cookie_name_on_two_paths_is_two_items():
    old = report([item("sid", path="/")])
    new = report([item("sid", path="/"), item("sid", path="/compte")])
    assert [(i["name"], i["path"]) for i in diff(old, new)["added"]] == [("sid", "/compte")]


def test_findings_new_and_resolved_whatever_their_wording():
    old = report([], [finding("undeclared", "old_one"), finding("pre-consent", "sid", detail="was here")])
    new = report([], [finding("pre-consent", "sid", detail="worded otherwise"), finding("undeclared", "_trk")])
    changes = diff(old, new)
    assert [(f["rule"], f["item"]) for f in changes["new_findings"]] == [("undeclared", "_trk")]
    assert [(f["rule"], f["item"]) for f in changes["resolved_findings"]] == [("undeclared", "old_one")]


def test_the_text_form_has_one_line_per_change_or_says_nothing_changed():
    same = report([item("sid")])
    assert render_text(diff(same, same), "a", "b") == "changes from a to b:\n  nothing changed"
    text = render_text(diff(report([]), report([item("_trk")], [finding("undeclared", "_trk")])), "a", "b")
    assert text.splitlines()[1:] == [
        "  + cookie _trk on shop.example (first party, before)",
        "  new finding undeclared: cookie _trk (shop.example): …",
    ]
