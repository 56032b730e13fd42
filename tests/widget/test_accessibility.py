"""Accessibility: keyboard end to end (focus into the banner, a trapped and returned panel
focus, Escape, visible focus), no axe-core violation on either layer in French and English,
usable at 320 px and at 200 % zoom, and no motion for visitors who ask for none."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .helpers import AMEX, MILLEIS, banner, panel, ready, settled

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# The element that really has focus, inside shadow roots, named as a person would read it.
FOCUSED = """() => {
    let e = document.activeElement;
    while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
    return e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.textContent.trim().slice(0, 40);
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def test_keyboard_only_visitor_can_reach_every_choice_and_decide(page, service):
    page.goto(service.demo())
    ready(page)
    assert focused(page) == "bt"  # the banner dialog itself, labelled by its title
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(focused(page))
    assert order == [
        "Continuer sans accepter",
        "Politique de confidentialité",
        "Tout accepter",
        "Tout refuser",
        "Personnaliser",
    ]
    outline = page.evaluate("""() => { const b = document.querySelector('cmp-widget').shadowRoot
        .activeElement; const s = getComputedStyle(b); return [b.matches(':focus-visible'), s.outlineStyle,
        s.outlineWidth] }""")
    assert outline == [True, "solid", "3px"]
    page.keyboard.press("Enter")
    expect(panel(page)).to_be_visible()
    assert focused(page) == "pt"  # the panel dialog, labelled by "Gestion des services"
    page.keyboard.press("Shift+Tab")
    last = focused(page)
    assert last == "Enregistrer mes choix"
    page.keyboard.press("Tab")
    assert focused(page) == "Fermer"  # focus stays trapped in the panel
    while focused(page) != "c-performance":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Escape")
    expect(panel(page)).to_be_hidden()
    assert focused(page) == "Personnaliser"  # focus returns where it was
    page.keyboard.press("Enter")
    while focused(page) != "c-performance":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    while focused(page) != "Enregistrer mes choix":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    consent = settled(page)
    assert consent["choices"]["performance"] is True
    assert consent["choices"]["advertising"] is False
    expect(banner(page)).to_be_hidden()


def test_the_footer_link_opens_the_panel_by_keyboard_and_gets_focus_back(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout refuser").click()
    page.get_by_role("link", name="Gestion des services").focus()
    page.keyboard.press("Enter")
    expect(panel(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(panel(page)).to_be_hidden()
    assert focused(page) == "Gestion des services"


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


@pytest.fixture
def axe_page(browser):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install` (make node-deps)")
    # axe is injected as a script: the demo's strict CSP would rightly block it.
    context = browser.new_context(bypass_csp=True, locale="fr-FR")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("site", [AMEX, MILLEIS])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_axe_violation_on_the_banner(axe_page, service, site, lang):
    axe_page.goto(service.demo(site=site, lang=lang))
    ready(axe_page)
    expect(axe_page.get_by_role("dialog")).to_be_visible()
    assert axe_violations(axe_page) == []


@pytest.mark.parametrize("site", [AMEX, MILLEIS])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_axe_violation_on_the_panel_with_every_section_open(axe_page, service, site, lang):
    axe_page.goto(service.demo(site=site, page="services", lang=lang))
    ready(axe_page)
    axe_page.evaluate("CMP.showPreferences()")
    dialog = axe_page.get_by_role("dialog", name="Gestion des services" if lang == "fr" else "Manage services")
    for control in dialog.locator("button[aria-expanded]").all():
        control.click()
    assert dialog.locator("button[aria-expanded=false]").count() == 0
    assert axe_violations(axe_page) == []


@pytest.mark.parametrize("width,height,scale", [(320, 568, 1), (640, 360, 2)], ids=["320px", "zoom-200"])
def test_both_layers_are_usable_on_a_narrow_screen_and_at_200_percent_zoom(browser, service, width, height, scale):
    # 200 % zoom of a 1280x720 window is a 640x360 CSS-pixel viewport at twice the density.
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale, locale="fr-FR"
    )
    try:
        page = context.new_page()
        page.goto(service.demo())
        ready(page)
        dialog = banner(page)
        box = dialog.bounding_box()
        assert box["width"] <= width and box["height"] <= height
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no horizontal scrolling
        for name in ("Tout accepter", "Tout refuser", "Personnaliser"):
            button = dialog.get_by_role("button", name=name)
            button.scroll_into_view_if_needed()
            expect(button).to_be_in_viewport()
        dialog.get_by_role("button", name="Personnaliser").click()
        sheet = panel(page)
        assert sheet.bounding_box()["width"] <= width
        save = sheet.get_by_role("button", name="Enregistrer mes choix")
        save.scroll_into_view_if_needed()
        expect(save).to_be_in_viewport()
        save.click()
        assert settled(page)["choices"]["performance"] is False
    finally:
        context.close()


@pytest.mark.parametrize("motion,duration", [("reduce", "0s"), ("no-preference", "0.15s")])
def test_switches_only_animate_for_visitors_who_do_not_ask_for_reduced_motion(browser, service, motion, duration):
    context = browser.new_context(reduced_motion=motion, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(service.demo())
        ready(page)
        page.evaluate("CMP.showPreferences()")
        knob = (
            panel(page)
            .get_by_role("switch", name="Mesure d'audience")
            .evaluate("s => getComputedStyle(s, '::after').transitionDuration")
        )
        assert knob == duration
    finally:
        context.close()


def test_after_saving_from_the_panel_opened_from_the_banner_focus_goes_to_the_footer_link(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Personnaliser").click()
    panel(page).get_by_role("button", name="Enregistrer mes choix").click()
    expect(panel(page)).to_be_hidden()
    expect(banner(page)).to_be_hidden()
    # The button that opened the panel went with the banner: focus must not fall to <body>.
    assert page.evaluate("document.activeElement.matches('footer a[data-cmp-open]')") is True


def test_no_axe_violation_on_the_message_shown_while_the_configuration_cannot_be_loaded(axe_page, service):
    axe_page.route("**/v1/sites/*/banner*", lambda route: route.abort("connectionrefused"))
    axe_page.goto(f"{service.url}/demo/{AMEX}/?embed=generic")
    axe_page.wait_for_function("() => window.CMP !== undefined")
    axe_page.locator("footer [data-cmp-open]").click()
    expect(panel(axe_page)).to_be_visible()
    assert axe_violations(axe_page) == []
