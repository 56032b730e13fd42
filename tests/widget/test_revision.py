"""A revision change never drops a decision and never lets a tracker run without one: a visitor
whose page still carries the previous revision has the decision refused (409), gets the current
configuration past every cache and is asked again; what a decision grants starts only once the
API has recorded it. The per-site script is revalidated on every page, so it carries the current
revision."""

import pytest
from playwright.sync_api import expect

from tests.support.processes import free_port

from .conftest import start_service, write_site
from .helpers import AMEX, INSIGHTS_COOKIES, banner, panel, ready, settled, tracker_cookies

pytestmark = pytest.mark.browser

UPTIME = {
    "id": "uptime",
    "name": "Uptime Watch",
    "provider": "Uptime Watch Ltd",
    "category": "performance",
    "items": [
        {
            "name": "uw_probe",
            "kind": "cookie",
            "retention": "1 day",
            "purpose": {"fr": "Disponibilité.", "en": "Availability."},
        }
    ],
}


@pytest.fixture
def revised(page, tmp_path):
    """The demo page loaded from the service, which then restarts at the same address with one
    more service in the inventory: the page still has the previous revision. Yields the new one."""
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
    write_site(inventory, AMEX, services=data["services"] + [UPTIME])
    new = start_service(tmp_path, inventory, port=port)
    try:
        yield new
    finally:
        new.stop()


def current_revision(page, service):
    return page.evaluate(f"fetch('{service.url}/v1/sites/{AMEX}/banner', {{cache: 'no-store'}}).then(r => r.json())")[
        "revision"
    ]


def test_accepting_on_a_page_of_the_previous_revision_starts_nothing_and_asks_again_with_the_current_banner(
    page, revised
):
    before = page.evaluate("CMP.getConsent().revision")
    with page.expect_response("**/consents") as answer:
        banner(page).get_by_role("button", name="Tout accepter").click()
    assert answer.value.status == 409
    revision = current_revision(page, revised)
    assert revision != before
    page.wait_for_function(f"() => CMP.getConsent().revision === '{revision}'")
    expect(banner(page)).to_be_visible()
    # Nothing was recorded, so nothing that only a consent allows has run.
    assert tracker_cookies(page.context, INSIGHTS_COOKIES) == []
    assert "application-insights" not in page.evaluate("window.demoTrackers || []")
    assert page.evaluate("CMP.getConsent().decided") is False
    # The current configuration is in force: the panel lists the new service.
    page.get_by_role("link", name="Gestion des services").click()
    panel(page).get_by_role("button", name="Services (2)").click()
    expect(panel(page).get_by_role("switch", name="Uptime Watch")).to_be_visible()
    panel(page).get_by_role("button", name="Tout accepter").click()
    consent = settled(page)
    page.wait_for_function("() => (window.demoTrackers || []).includes('application-insights')")
    stored = revised.visitor(AMEX, consent["visitorId"])
    assert [(d["revision"], d["source"]) for d in stored["decisions"]] == [(revision, "panel")]


def test_a_tracker_the_decision_grants_waits_until_the_api_has_recorded_it(page, service):
    held = []
    page.route("**/v1/sites/*/consents", lambda route: held.append(route))
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout accepter").click()
    page.wait_for_function("() => document.cookie.includes('cmp_consent=')")
    page.wait_for_timeout(300)  # time enough for a tracker to start, were it released
    assert held and "application-insights" not in page.evaluate("window.demoTrackers")
    assert tracker_cookies(page.context, INSIGHTS_COOKIES) == []
    held[0].continue_()
    page.wait_for_function("() => (window.demoTrackers || []).includes('application-insights')")


def test_a_decision_the_api_refuses_for_good_starts_nothing_and_is_not_kept(page, service):
    page.route(
        "**/v1/sites/*/consents",
        lambda route: route.fulfill(status=400, json={"error": "invalid", "message": "no", "field": "choices"}),
    )
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout accepter").click()
    page.wait_for_function("() => !document.cookie.includes('cmp_consent=')")
    assert page.evaluate("CMP.getConsent().decided") is False
    assert "application-insights" not in page.evaluate("window.demoTrackers")
    assert tracker_cookies(page.context, INSIGHTS_COOKIES) == []


def test_the_next_page_gets_the_current_revision_although_the_site_script_was_cached(page, revised):
    before = page.evaluate("CMP.getConsent().revision")
    page.goto(revised.demo(page="contact"))
    ready(page)
    revision = current_revision(page, revised)
    assert revision != before
    assert page.evaluate("CMP.getConsent().revision") == revision


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_a_visitor_asked_again_after_a_revision_change_is_told_what_was_added_since(browser, tmp_path, viewport):
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    data = write_site(inventory, AMEX)
    port = free_port()
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    try:
        page = context.new_page()
        old = start_service(tmp_path, inventory, port=port)
        try:
            page.goto(old.demo())
            ready(page)
            banner(page).get_by_role("button", name="Tout refuser").click()
            settled(page)
        finally:
            old.stop()
        extra = {
            "id": "chat",
            "label": {"fr": "Assistance en ligne", "en": "Live help"},
            "description": data["categories"][2]["description"],
        }
        write_site(inventory, AMEX, categories=data["categories"] + [extra], services=data["services"] + [UPTIME])
        new = start_service(tmp_path, inventory, port=port)
        try:
            page.reload()
            ready(page)
            dialog = banner(page)
            expect(dialog).to_be_visible()
            expect(dialog.get_by_text("Nouveau depuis votre dernier choix", exact=False)).to_have_text(
                "Nouveau depuis votre dernier choix : Assistance en ligne, Uptime Watch."
            )
            for name in ("Tout accepter", "Tout refuser", "Personnaliser"):
                expect(dialog.get_by_role("button", name=name)).to_be_in_viewport()
            # A visitor who decides again is not told twice.
            dialog.get_by_role("button", name="Tout refuser").click()
            settled(page)
            page.reload()
            ready(page)
            expect(banner(page)).to_be_hidden()
        finally:
            new.stop()
    finally:
        context.close()


def test_a_decision_refused_for_a_changed_revision_asks_again_saying_what_is_new(page, revised):
    with page.expect_response("**/consents") as answer:
        banner(page).get_by_role("button", name="Tout accepter").click()
    assert answer.value.status == 409
    expect(banner(page).locator("p.tag")).to_have_text("Nouveau depuis votre dernier choix : Uptime Watch.")


def test_a_first_visit_and_a_return_on_the_same_revision_say_nothing_is_new(page, service):
    page.goto(service.demo())
    ready(page)
    expect(banner(page)).to_be_visible()
    expect(banner(page).locator("p.tag")).to_have_count(0)
