"""The second layer, "Gestion des services": reachable from any [data-cmp-open] element,
showing the consent in force, every category with its services and their trackers, and
recording exactly what the visitor changed."""

import pytest
from playwright.sync_api import expect

from .helpers import AMEX, banner, consent_cookie, host_page, panel, ready, serve, settled, tracker_cookies

pytestmark = pytest.mark.browser


def switch(dialog, name):
    return dialog.get_by_role("switch", name=name, exact=True)


def open_panel(page):
    page.get_by_role("link", name="Gestion des services").click()
    dialog = panel(page)
    expect(dialog).to_be_visible()
    return dialog


def test_before_any_decision_the_panel_shows_the_defaults_required_locked_and_exempt_marked(page, service):
    page.goto(service.demo())
    ready(page)
    dialog = open_panel(page)
    expect(switch(dialog, "Cookies de navigation")).to_have_attribute("aria-checked", "true")
    expect(switch(dialog, "Cookies de navigation")).to_be_disabled()
    expect(switch(dialog, "Mesure d'audience")).to_have_attribute("aria-checked", "true")
    expect(switch(dialog, "Mesure d'audience")).to_be_enabled()
    expect(switch(dialog, "Suivi des performances")).to_have_attribute("aria-checked", "false")
    expect(switch(dialog, "Publicité et réseaux sociaux")).to_have_attribute("aria-checked", "false")
    expect(switch(dialog, "Cookies de navigation")).to_have_text("Toujours actif")
    expect(dialog.get_by_text("Exemptés de consentement : actifs sauf opposition")).to_have_count(1)
    expect(dialog).to_contain_text(
        "Mesure de la disponibilité et des performances du Portail avec Microsoft Application Insights"
    )


def test_the_panel_shows_the_choices_in_force_after_a_decision(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout accepter").click()
    # What a decision grants is in force once the API has it (test_revision.py); the panel shows
    # the consent in force.
    settled(page)
    dialog = open_panel(page)
    for name in ("Mesure d'audience", "Suivi des performances", "Publicité et réseaux sociaux"):
        expect(switch(dialog, name)).to_have_attribute("aria-checked", "true")


def test_a_category_discloses_its_services_and_a_service_its_trackers_from_the_inventory(page, service):
    page.goto(service.demo())
    ready(page)
    dialog = open_panel(page)
    disclose = dialog.get_by_role("button", name="Traceurs de Piwik PRO (7)")
    expect(disclose).to_be_hidden()
    dialog.get_by_role("button", name="Services (3)").click()  # navigation: the consent cookie, Azure, ASP.NET
    expect(dialog.get_by_role("switch", name="ASP.NET")).to_be_disabled()
    dialog.get_by_role("button", name="Services (1)").nth(0).click()  # audience: Piwik PRO
    expect(disclose).to_have_attribute("aria-expanded", "false")
    disclose.click()
    expect(disclose).to_have_attribute("aria-expanded", "true")
    items = dialog.locator("#" + disclose.get_attribute("aria-controls") + " > li")
    expect(items).to_have_count(7)
    expect(items.nth(0)).to_have_text(
        "_pk_id.*FinalitéRecueille des statistiques sur les visites de l'utilisateur "
        "sur le Site, telles que le nombre de visites, le temps moyen passé sur le "
        "Site et les pages lues.Conservation12 moisPrestatairePiwik PRO"
    )
    expect(items.nth(2)).to_contain_text("ppms_webstorage (stockage local)")


def test_enregistrer_records_the_draft_and_closing_without_saving_records_nothing(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout refuser").click()
    settled(page)
    first = consent_cookie(page.context)
    dialog = open_panel(page)
    switch(dialog, "Suivi des performances").click()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert consent_cookie(page.context) == first
    dialog = open_panel(page)
    expect(switch(dialog, "Suivi des performances")).to_have_attribute("aria-checked", "false")
    switch(dialog, "Suivi des performances").click()
    dialog.get_by_role("button", name="Enregistrer mes choix").click()
    expect(dialog).to_be_hidden()
    consent = settled(page)
    stored = service.visitor(AMEX, consent["visitorId"])
    assert stored["current"]["choices"] == {
        "necessary": True,
        "audience": False,
        "performance": True,
        "advertising": False,
    }
    assert stored["current"]["source"] == "panel"
    assert [d["source"] for d in stored["decisions"]] == ["banner", "panel"]


def test_refusing_one_service_keeps_its_sibling_and_deletes_only_its_cookies(page, lab):
    serve(page, lab.url + "/portal", host_page("two-services", lab.url))
    page.goto(lab.url + "/portal")
    ready(page)
    page.evaluate("CMP.acceptAll()")
    page.evaluate("document.cookie = 'ai_user=1; Path=/'; document.cookie = 'uw_probe=1; Path=/'")
    dialog = open_panel(page)
    dialog.get_by_role("button", name="Services (2)").click()
    switch(dialog, "Application Insights").click()
    expect(switch(dialog, "Suivi des performances")).to_have_attribute("aria-checked", "true")
    dialog.get_by_role("button", name="Enregistrer mes choix").click()
    consent = settled(page)
    stored = lab.visitor("two-services", consent["visitorId"])["current"]
    assert stored["choices"]["performance"] is True
    assert stored["services"]["application-insights"] is False
    assert stored["services"]["uptime"] is True
    assert tracker_cookies(page.context, ("ai_", "uw_")) == ["uw_probe"]


def test_allowing_one_service_of_a_refused_category_grants_that_service_alone(page, lab):
    serve(page, lab.url + "/portal", host_page("two-services", lab.url))
    page.goto(lab.url + "/portal")
    ready(page)
    dialog = open_panel(page)
    dialog.get_by_role("button", name="Services (2)").click()
    switch(dialog, "Uptime Watch").click()
    expect(switch(dialog, "Suivi des performances")).to_have_attribute("aria-checked", "true")
    expect(switch(dialog, "Application Insights")).to_have_attribute("aria-checked", "false")
    switch(dialog, "Uptime Watch").click()
    expect(switch(dialog, "Suivi des performances")).to_have_attribute("aria-checked", "false")
    switch(dialog, "Uptime Watch").click()
    dialog.get_by_role("button", name="Enregistrer mes choix").click()
    consent = settled(page)
    stored = lab.visitor("two-services", consent["visitorId"])["current"]
    assert stored["choices"]["performance"] is True
    assert (stored["services"]["uptime"], stored["services"]["application-insights"]) == (True, False)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_cookie_table_lists_every_category_the_panel_shows_even_one_without_cookies(page, service, lang):
    page.goto(service.demo(lang=lang))
    ready(page)
    page.evaluate("CMP.showPreferences()")
    shown = panel(page, "Gestion des services" if lang == "fr" else "Manage services").locator("h3").all_inner_texts()
    table = page.context.new_page()
    table.goto(f"{service.url}/v1/sites/{AMEX}/cookie-table?lang={lang}")
    headings = table.locator('th[scope="rowgroup"]').all_inner_texts()
    assert [heading.rsplit(" (", 1)[0] for heading in headings] == shown
    none_yet = "Aucun cookie à ce jour" if lang == "fr" else "No cookies at present"
    expect(table.locator('tbody[data-category="advertising"] td').first).to_have_text(none_yet)


LOOK = """s => { const c = getComputedStyle(s); const knob = getComputedStyle(s, '::after');
    return [c.backgroundColor, c.borderTopStyle, knob.display]; }"""


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
@pytest.mark.parametrize(
    "lang,locked,words",
    [("fr", "Cookies de navigation", "Toujours actif"), ("en", "Navigation cookies", "Always active")],
)
def test_a_locked_switch_says_always_active_and_looks_unlike_a_switch_that_is_on(
    browser, service, viewport, lang, locked, words
):
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    try:
        page = context.new_page()
        page.goto(service.demo(lang=lang))
        ready(page)
        page.evaluate("CMP.showPreferences()")
        dialog = page.get_by_role("dialog", name="Gestion des services" if lang == "fr" else "Manage services")
        always = switch(dialog, locked)
        on = dialog.get_by_role("switch", name="Mesure d'audience" if lang == "fr" else "Audience measurement")
        expect(on).to_have_attribute("aria-checked", "true")
        expect(always).to_have_attribute("aria-checked", "true")
        expect(always).to_have_text(words)
        expect(on).to_have_text("")
        # The switch that is on is filled with the accent and has its knob; the locked one is an
        # outline with words, no fill, no knob.
        assert on.evaluate(LOOK) == ["rgb(11, 74, 139)", "solid", "block"]
        assert always.evaluate(LOOK) == ["rgba(0, 0, 0, 0)", "dashed", "none"]
        # Its words fit on its row, beside the category's name, within the screen.
        row, box = always.locator("xpath=..").bounding_box(), always.bounding_box()
        assert box["x"] + box["width"] <= row["x"] + row["width"] <= viewport["width"]
        assert box["height"] < 2.5 * 15  # one line of text
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        context.close()
