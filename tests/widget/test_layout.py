"""The layers never hide their way out: on a phone the banner stays compact with its three
choices in view and lets the page's foot (the footer link its text points to) be scrolled above
it; the panel's buttons stay in view at every size, on one line at desktop width."""

import pytest
from playwright.sync_api import expect

from .helpers import banner, panel, ready

pytestmark = pytest.mark.browser

CHOICES = ("Tout accepter", "Tout refuser", "Personnaliser")
PANEL_BUTTONS = ("Tout refuser", "Tout accepter", "Enregistrer mes choix")
# Whether the element at the centre of the footer link is the link itself (nothing covers it).
LINK_ON_TOP = """() => {
    const link = document.querySelector('[data-cmp-open]');
    const box = link.getBoundingClientRect();
    return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === link;
}"""
# How many lines the text of a button takes.
LINES = "(b) => { const r = document.createRange(); r.selectNodeContents(b); return r.getClientRects().length; }"


@pytest.fixture
def sized(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("sized", [(390, 844), (320, 568)], indirect=True, ids=["390x844", "320x568"])
def test_on_a_phone_the_footer_link_scrolls_into_view_above_the_banner_and_every_choice_stays_visible(sized, service):
    page = sized
    page.goto(service.demo())
    ready(page)
    dialog = banner(page)
    for name in (*CHOICES, "Continuer sans accepter"):
        expect(dialog.get_by_role("button", name=name)).to_be_in_viewport(ratio=1)
    assert dialog.bounding_box()["height"] <= page.viewport_size["height"] / 2
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate(LINK_ON_TOP) is True
    page.get_by_role("link", name="Gestion des services").click()
    expect(panel(page)).to_be_visible()


@pytest.mark.parametrize("sized", [(1280, 800), (390, 844)], indirect=True, ids=["1280x800", "390x844"])
def test_the_panels_three_buttons_are_always_fully_in_view_inside_the_dialog(sized, service):
    page = sized
    page.goto(service.demo())
    ready(page)
    page.evaluate("CMP.showPreferences()")
    dialog = panel(page)
    expect(dialog).to_be_visible()
    frame = dialog.bounding_box()
    for name in PANEL_BUTTONS:
        button = dialog.get_by_role("button", name=name, exact=True)
        expect(button).to_be_in_viewport(ratio=1)
        box = button.bounding_box()
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        if page.viewport_size["width"] == 1280:
            assert button.evaluate(LINES) == 1
