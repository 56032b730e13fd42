"""Proofs say what happened: refusing everything in the panel after having consented is sent as
the API's withdrawal (DELETE, logged "withdraw" with source "panel"), and a consent given from an
embed's placeholder is sent with source "placeholder" and the service it was for."""

import json

import pytest
from playwright.sync_api import expect

from .helpers import AMEX, banner, panel, ready, settled

pytestmark = pytest.mark.browser


def test_refusing_everything_in_the_panel_after_a_consent_is_recorded_as_a_withdrawal(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout accepter").click()
    visitor = settled(page)["visitorId"]
    page.get_by_role("link", name="Gestion des services").click()
    with page.expect_request("**/consents/**") as sent:
        panel(page).get_by_role("button", name="Tout refuser").click()
    assert sent.value.method == "DELETE"
    assert sent.value.url.endswith(f"/v1/sites/{AMEX}/consents/{visitor}?source=panel&lang=fr")
    consent = settled(page)
    assert consent["visitorId"] == visitor
    assert consent["choices"] == {"necessary": True, "audience": False, "performance": False, "advertising": False}
    decisions = service.visitor(AMEX, visitor)["decisions"]
    assert [(d["action"], d["source"]) for d in decisions] == [("consent", "banner"), ("withdraw", "panel")]
    # The token the withdrawal returned is the one kept: the next decision is accepted.
    page.evaluate("CMP.acceptAll()")
    assert settled(page)["visitorId"] == visitor
    assert [d["action"] for d in service.visitor(AMEX, visitor)["decisions"]] == ["consent", "withdraw", "consent"]


def test_a_refusal_without_a_consent_before_it_is_a_decision_not_a_withdrawal(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout refuser").click()
    visitor = settled(page)["visitorId"]
    page.get_by_role("link", name="Gestion des services").click()
    with page.expect_request("**/consents") as sent:
        panel(page).get_by_role("button", name="Tout refuser").click()
    assert sent.value.method == "POST"
    settled(page)
    decisions = service.visitor(AMEX, visitor)["decisions"]
    assert [(d["action"], d["source"]) for d in decisions] == [("consent", "banner"), ("consent", "panel")]


def test_a_consent_given_from_a_placeholder_says_so_and_names_the_service(page, service):
    page.goto(service.demo(page="services"))
    ready(page)
    banner(page).get_by_role("button", name="Continuer sans accepter").click()
    with page.expect_request("**/consents") as sent:
        page.get_by_role("button", name="Autoriser Application Insights").click()
    body = json.loads(sent.value.post_data)
    assert (body["source"], body["placeholder"]) == ("placeholder", "application-insights")
    consent = settled(page)
    assert consent["source"] == "placeholder"
    expect(page.locator("iframe[data-cmp-service='application-insights']")).to_be_visible()
    stored = service.visitor(AMEX, consent["visitorId"])["current"]
    assert (stored["source"], stored["extra"]) == ("placeholder", {"placeholder": "application-insights"})
    assert stored["services"]["application-insights"] is True
