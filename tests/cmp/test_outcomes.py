"""What a decision counts as: accept all, refuse all, custom, withdrawn (cmp.outcomes)."""

import pytest

from cmp import clock, decisions, outcomes

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
