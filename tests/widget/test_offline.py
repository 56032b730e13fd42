"""No decision is lost when the API cannot take it: it applies on the page at once, waits in the
consent cookie and is sent again until the API acknowledges it, or is dropped when it never can
be (the site's revision changed meanwhile)."""

import base64
import json

import pytest
from playwright.sync_api import expect

from tests.support.processes import free_port

from .conftest import start_service, write_site
from .helpers import AMEX, banner, consent_cookie, panel, ready, settled

pytestmark = pytest.mark.browser


def test_a_decision_made_while_the_api_is_unreachable_applies_at_once_and_is_sent_on_the_next_page(page, service):
    page.route("**/v1/sites/*/consents", lambda route: route.abort("connectionrefused"))
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout accepter").click()
    page.wait_for_function("() => (window.demoTrackers || []).includes('application-insights')")
    kept = consent_cookie(page.context)
    assert (kept["q"], kept["v"], kept["c"]["performance"]) == (1, None, True)
    assert page.evaluate("CMP.getConsent().pending") is True
    page.unroute("**/v1/sites/*/consents")
    page.goto(service.demo(page="contact"))
    ready(page)
    expect(banner(page)).to_be_hidden()
    consent = settled(page)
    stored = service.visitor(AMEX, consent["visitorId"])
    assert stored["current"]["choices"]["performance"] is True
    assert stored["current"]["source"] == "banner"
    assert len(stored["decisions"]) == 1
    assert consent_cookie(page.context)["q"] == 0


def advance_until(page, done, step_ms=1_000, limit=60):
    """Move the page's fake clock a step at a time until ``done()``: no real waiting."""
    for _ in range(limit):
        if done():
            return
        page.clock.run_for(step_ms)
        page.evaluate("() => 0")  # lets the page and the test driver handle what is pending
    raise AssertionError(f"not done after {limit * step_ms} ms of page time")


def test_a_queued_decision_is_resent_on_the_same_page_until_the_api_acknowledges_it(page, service):
    answers = []

    def unreachable_then_unavailable(route):
        answers.append("refused" if not answers else "503")
        if answers[-1] == "refused":
            route.abort("connectionrefused")
        else:
            route.fulfill(status=503, json={"error": "store_unavailable", "message": "try again"})

    page.clock.install()
    page.route("**/v1/sites/*/consents", unreachable_then_unavailable)
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout refuser").click()
    advance_until(page, lambda: len(answers) == 2)
    assert answers == ["refused", "503"]
    assert page.evaluate("CMP.getConsent().pending") is True
    page.unroute("**/v1/sites/*/consents")
    advance_until(page, lambda: not consent_cookie(page.context)["q"])
    consent = settled(page)
    assert service.visitor(AMEX, consent["visitorId"])["current"]["choices"]["audience"] is False


def test_a_queued_decision_is_sent_as_soon_as_the_browser_is_back_online(page, service):
    page.goto(service.demo())
    ready(page)
    page.context.set_offline(True)
    banner(page).get_by_role("button", name="Tout accepter").click()
    assert page.evaluate("CMP.getConsent().pending") is True
    page.context.set_offline(False)  # the 'online' event: no timer, no reload
    consent = settled(page)
    assert service.visitor(AMEX, consent["visitorId"])["current"]["choices"]["advertising"] is True


def test_a_decision_whose_token_the_api_refuses_is_recorded_for_a_new_visitor(page, service):
    page.goto(service.demo())
    ready(page)
    first = page.evaluate("CMP.refuseAll()")
    kept = consent_cookie(page.context)
    kept.update(t="not-a-token", q=1, c={"audience": True, "performance": True, "advertising": False})
    value = base64.urlsafe_b64encode(json.dumps(kept).encode()).decode().rstrip("=")
    page.context.add_cookies([{"name": "cmp_consent", "value": value, "url": service.url}])
    page.reload()
    ready(page)
    second = settled(page)
    assert second["visitorId"] != first["visitorId"]
    assert service.visitor(AMEX, second["visitorId"])["current"]["choices"]["performance"] is True
    assert len(service.visitor(AMEX, first["visitorId"])["decisions"]) == 1


def test_a_decision_for_a_revision_that_changed_meanwhile_is_dropped_and_asked_again(page, tmp_path):
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    data = write_site(inventory, AMEX)
    port = free_port()
    old = start_service(tmp_path, inventory, port=port)
    try:
        page.goto(old.demo())
        ready(page)
    finally:
        old.stop()
    data["categories"][3]["label"]["fr"] = "Publicité"
    write_site(inventory, AMEX, categories=data["categories"])
    new = start_service(tmp_path, inventory, port=port)  # same address: the page does not know
    try:
        with page.expect_response("**/consents") as answer:
            banner(page).get_by_role("button", name="Tout accepter").click()
        assert answer.value.status == 409
        page.wait_for_function("() => !document.cookie.includes('cmp_consent=')")
        page.reload()
        ready(page)
        expect(banner(page)).to_be_visible()
        assert new.proofs(AMEX) == []
    finally:
        new.stop()


def generic_demo(service, lang="fr"):
    return f"{service.url}/demo/{AMEX}/?embed=generic" + ("&lang=en" if lang == "en" else "")


@pytest.mark.parametrize(
    "lang,title,message,retry",
    [
        (
            "fr",
            "Gestion des services",
            "Préférences indisponibles pour le moment.",
            "Réessayer",
        ),
        ("en", "Manage services", "Preferences unavailable right now.", "Retry"),
    ],
)
def test_while_the_configuration_cannot_be_loaded_the_footer_link_says_so_and_offers_to_retry(
    page, service, lang, title, message, retry
):
    page.route("**/v1/sites/*/banner*", lambda route: route.abort("connectionrefused"))
    page.goto(generic_demo(service, lang))
    page.wait_for_function("() => window.CMP !== undefined")
    page.locator("footer [data-cmp-open]").click()
    dialog = panel(page, title)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text(message)).to_be_visible()
    # Nothing waiting for consent ran, not even the exempt audience measurement.
    assert page.evaluate("window.demoTrackers || []") == []
    page.unroute("**/v1/sites/*/banner*")
    dialog.get_by_role("button", name=retry).click()
    # Loaded at once, without waiting for the next automatic attempt: the real panel replaces it.
    expect(dialog.get_by_role("switch").first).to_be_visible()
    expect(dialog.get_by_text(message)).to_have_count(0)


def test_the_generic_tag_tries_loading_the_configuration_again_with_backoff(page, service):
    attempts = []

    def unreachable(route):
        attempts.append(route.request.url)
        route.abort("connectionrefused")

    # The page's time moves only as the test says: every step ends half a second from a due time.
    page.clock.install(time=0)
    page.clock.pause_at(1_000)
    page.route("**/v1/sites/*/banner*", unreachable)
    page.goto(generic_demo(service))
    page.wait_for_function("() => window.CMP !== undefined")
    page.wait_for_timeout(300)  # the first attempt fails at once
    assert len(attempts) == 1
    counts = []
    for step_ms in (1_500, 1_000, 3_000, 1_000, 7_000, 1_000):
        page.clock.run_for(step_ms)
        page.wait_for_timeout(100)
        counts.append(len(attempts))
    # Again after 2 s, then 4 s, then 8 s: not before.
    assert counts == [1, 2, 2, 3, 3, 4]
    page.unroute("**/v1/sites/*/banner*")
    advance_until(page, lambda: page.evaluate("CMP.getConsent() !== null"), step_ms=4_000)
    expect(banner(page)).to_be_visible()


@pytest.mark.parametrize(
    "reachable,said",
    [(True, "Choix enregistrés."), (False, "Vos choix seront envoyés dès que possible.")],
)
def test_saved_is_announced_only_once_the_api_has_the_decision_else_that_it_will_be_sent(
    page, service, reachable, said
):
    if not reachable:
        page.route("**/v1/sites/*/consents", lambda route: route.abort("connectionrefused"))
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout refuser").click()
    expect(page.get_by_role("status")).to_have_text(said)
    assert page.evaluate("CMP.getConsent().pending") is (not reachable)
