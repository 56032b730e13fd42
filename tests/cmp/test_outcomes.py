"""What a decision counts as: accept all, refuse all, custom, withdrawn (cmp.outcomes)."""

import pytest

from cmp import clock, decisions, outcomes
from cmp.store.counters import SEPARATOR, expand

from .helpers import AMEX


@pytest.fixture
def site(app):
    return app.extensions["cmp.sites"][AMEX]


def counted(site, choices, action="consent", source="banner"):
    resolved, services = decisions.resolve(site, choices)
    record = decisions.build_record(site, "visitor-000000000001", resolved, services, source, "fr", action=action)
    return outcomes.outcome(site, record), outcomes.decision_counters(site, record)


def test_every_refusable_category_granted_is_accept_all(site):
    result, names = counted(site, {"audience": True, "performance": True, "advertising": True})
    assert result == "accept_all"
    assert sorted(names) == sorted(
        [
            "accept_all",
            f"rev:{site.revision}:accept_all",
            "cat:necessary:granted",
            "cat:audience:granted",
            "cat:performance:granted",
            "cat:advertising:granted",
            "lang:fr",
            "source:banner",
        ]
    )


def test_every_refusable_category_refused_is_refuse_all_even_the_exempt_one(site):
    result, names = counted(site, {"audience": False, "performance": False, "advertising": False}, source="panel")
    assert result == "refuse_all"
    assert "cat:audience:refused" in names and "cat:necessary:granted" in names and "source:panel" in names


def test_anything_in_between_is_custom(site):
    assert counted(site, {"audience": True, "performance": False, "advertising": False})[0] == "custom"


def test_a_withdrawal_counts_as_withdrawn_only(site):
    clock.reset()
    result, names = counted(site, {"audience": False, "performance": False, "advertising": False}, "withdraw", "api")
    assert result == "withdrawn"
    assert names == ["withdrawn", f"rev:{site.revision}:withdrawn"]


def test_a_banner_display_counts_as_shown_for_the_current_revision(site):
    assert outcomes.shown_counters(site) == ["shown", f"rev:{site.revision}:shown"]


@pytest.mark.parametrize("action", ["consent", "withdraw"])
def test_a_decision_is_stored_as_fields_that_read_as_each_of_its_counters(site, action):
    resolved, services = decisions.resolve(site, {"audience": True, "performance": False, "advertising": False})
    record = decisions.build_record(site, "visitor-000000000001", resolved, services, "panel", "en", action=action)
    fields = outcomes.decision_counts(site, record)
    assert expand(dict.fromkeys(fields, 3)) == dict.fromkeys(outcomes.decision_counters(site, record), 3)


def test_languages_and_sources_are_counted_apart_from_the_combination_of_categories(site):
    # So the fields of a day grow with the category combinations, not with their product with
    # every language and source: a year's read expands them all.
    resolved, services = decisions.resolve(site, {"audience": True, "performance": False, "advertising": False})
    french = decisions.build_record(site, "visitor-000000000001", resolved, services, "banner", "fr")
    english = decisions.build_record(site, "visitor-000000000002", resolved, services, "panel", "en")
    assert outcomes.decision_counts(site, french)[0] == outcomes.decision_counts(site, english)[0]
    assert outcomes.decision_counts(site, french)[1:] == ("lang:fr", "source:banner")
    assert outcomes.decision_counts(site, english)[1:] == ("lang:en", "source:panel")


def test_no_counter_name_of_a_shipped_site_holds_the_combining_separator(app):
    for site in app.extensions["cmp.sites"].values():
        resolved, services = decisions.resolve(site, {c.id: True for c in site.categories if c.refusable})
        for lang in site.languages:
            record = decisions.build_record(site, "visitor-000000000001", resolved, services, "banner", lang)
            names = outcomes.decision_counters(site, record) + outcomes.shown_counters(site)
            assert [name for name in names if SEPARATOR in name] == []
