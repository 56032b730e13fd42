"""The first layer: shown while there is no valid decision, in the visitor's language, with
three equal buttons that each record exactly their decision; closing it records nothing."""

import pytest
from playwright.sync_api import expect

from .helpers import AMEX, banner, consent_cookie, host_page, panel, ready, serve, settled, site_page

pytestmark = pytest.mark.browser

ALL = {"necessary": True, "audience": True, "performance": True, "advertising": True}
NONE = {"necessary": True, "audience": False, "performance": False, "advertising": False}


def test_first_visit_shows_the_banner_with_the_inventory_text_and_the_policy_link(page, service):
    page.goto(service.demo())
    ready(page)
    dialog = banner(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        "Europ Assistance France utilise des cookies nécessaires au fonctionnement du Portail AMEX"
    )
    expect(dialog.get_by_role("link", name="Politique de confidentialité")).to_have_attribute(
        "href", "https://amex.europ-assistance.fr/charte-de-confidentialite"
    )
    assert consent_cookie(page.context) is None


def test_the_three_choices_have_equal_size_colour_and_prominence(page, service):
    page.goto(service.demo())
    ready(page)
    buttons = [
        banner(page).get_by_role("button", name=name, exact=True)
        for name in ("Tout accepter", "Tout refuser", "Personnaliser")
    ]
    boxes = [button.bounding_box() for button in buttons]
    looks = [
        button.evaluate(
            "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.color, "
            "s.fontSize, s.fontWeight, s.borderStyle, s.borderRadius, s.textDecorationLine] }"
        )
        for button in buttons
    ]
    assert max(b["width"] for b in boxes) - min(b["width"] for b in boxes) < 1
    assert max(b["height"] for b in boxes) - min(b["height"] for b in boxes) < 1
    assert looks[0] == looks[1] == looks[2]


def test_tout_accepter_records_every_category_granted(page, service):
    page.goto(service.demo())
    ready(page)
    revision = page.evaluate("CMP.getConsent().revision")
    banner(page).get_by_role("button", name="Tout accepter").click()
    consent = settled(page)
    stored = service.visitor(AMEX, consent["visitorId"])
    assert stored["current"]["choices"] == ALL
    assert stored["current"]["source"] == "banner"
    assert stored["current"]["revision"] == revision
    assert stored["current"]["lang"] == "fr"
    assert len(stored["decisions"]) == 1
    expect(banner(page)).to_be_hidden()


def test_tout_refuser_records_every_refusable_category_refused_exempt_included(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout refuser").click()
    consent = settled(page)
    stored = service.visitor(AMEX, consent["visitorId"])["current"]
    assert stored["choices"] == NONE
    assert stored["services"] == {
        "cmp": True,
        "azure-app-service": True,
        "aspnet": True,
        "piwik-pro": False,
        "application-insights": False,
    }
    assert stored["source"] == "banner"


def test_personnaliser_opens_the_panel_without_recording_anything(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Personnaliser").click()
    expect(panel(page)).to_be_visible()
    assert consent_cookie(page.context) is None
    assert page.evaluate("CMP.getConsent().decided") is False


def test_closing_the_banner_records_nothing_and_leaves_the_defaults_in_force(page, service):
    before = len(service.proofs(AMEX))
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Continuer sans accepter").click()
    expect(banner(page)).to_be_hidden()
    consent = page.evaluate("CMP.getConsent()")
    assert consent["decided"] is False
    assert consent["choices"] == {"necessary": True, "audience": True, "performance": False, "advertising": False}
    assert consent_cookie(page.context) is None
    assert len(service.proofs(AMEX)) == before
    page.goto(service.demo(page="contact"))
    ready(page)
    expect(banner(page)).to_be_visible()


def test_banner_follows_the_page_language(page, service):
    page.goto(service.demo(lang="en"))
    ready(page)
    dialog = page.get_by_role("dialog", name="Your cookie choices")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Accept all")).to_be_visible()
    expect(dialog.get_by_role("button", name="Refuse all")).to_be_visible()
    expect(dialog.get_by_role("button", name="Customise")).to_be_visible()
    assert page.evaluate("CMP.getConsent().lang") == "en"


def test_data_lang_on_the_tag_wins_over_the_page_language(page, service):
    serve(page, service.url + "/portal", host_page(AMEX, service.url, lang="fr", script_attrs='data-lang="en"'))
    page.goto(service.url + "/portal")
    ready(page)
    expect(page.get_by_role("dialog", name="Your cookie choices")).to_be_visible()


def test_browser_language_is_used_when_the_page_names_an_unsupported_one(browser, service):
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        serve(page, service.url + "/portal", host_page(AMEX, service.url, lang="de"))
        page.goto(service.url + "/portal")
        ready(page)
        expect(page.get_by_role("dialog", name="Your cookie choices")).to_be_visible()
    finally:
        context.close()


def test_site_default_language_when_no_wanted_language_is_supported(browser, service):
    context = browser.new_context(locale="de-DE")
    try:
        page = context.new_page()
        serve(page, service.url + "/portal", host_page(AMEX, service.url, lang="it"))
        page.goto(service.url + "/portal")
        ready(page)
        expect(banner(page)).to_be_visible()
        assert page.evaluate("CMP.getConsent().lang") == "fr"
    finally:
        context.close()


@pytest.mark.parametrize("embed", [host_page, site_page], ids=["generic-tag", "site-script"])
def test_inventory_texts_are_shown_as_text_never_interpreted_as_html(page, lab, embed):
    serve(page, lab.url + "/portal", embed("hostile", lab.url))
    page.goto(lab.url + "/portal")
    ready(page)
    dialog = page.get_by_role("dialog", name="<i>Titre</i>")
    expect(dialog).to_contain_text('<img src=x onerror="window.injected=1">Texte <b>gras</b>')
    assert dialog.locator("img, b, i").count() == 0
    assert page.evaluate("window.injected") is None
