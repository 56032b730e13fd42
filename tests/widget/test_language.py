"""The visitor's language everywhere: the page's <html lang> decides unless the tag names one
(data-lang, or ?lang= on the generic tag); an English page shows English texts throughout, its
footer link included; French texts elide "de" before a name that starts with a vowel."""

import pytest
from playwright.sync_api import expect

from .helpers import AMEX, MILLEIS, host_page, panel, ready, serve

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("site", [AMEX, MILLEIS])
@pytest.mark.parametrize("embed", ["", "&embed=generic"], ids=["site-script", "generic-tag"])
def test_an_english_visitor_on_an_english_page_reads_english_everywhere(page, service, site, embed):
    # The browser is French: the page's language decides.
    page.goto(service.demo(site=site, lang="en") + embed)
    ready(page)
    dialog = page.get_by_role("dialog", name="Your cookie choices")
    expect(dialog).to_contain_text('from the "Manage services" link at the bottom of every page.')
    expect(dialog).not_to_contain_text("Gestion des services")
    expect(dialog.get_by_role("button", name="Continue without accepting")).to_be_visible()
    link = page.locator("footer [data-cmp-open]")
    expect(link).to_have_text("Manage services")
    link.click()
    sheet = panel(page, "Manage services")
    expect(sheet.get_by_role("button", name="Save my choices")).to_be_visible()
    expect(sheet.get_by_role("switch", name="Navigation cookies", exact=True)).to_have_text("Always active")
    expect(sheet.get_by_role("link", name="Privacy policy")).to_be_visible()


def test_the_french_demo_keeps_its_french_footer_link_and_promise(page, service):
    page.goto(service.demo())
    ready(page)
    expect(page.locator("footer [data-cmp-open]")).to_have_text("Gestion des services")
    expect(page.get_by_role("dialog", name="Vos choix en matière de cookies")).to_contain_text(
        "depuis le lien « Gestion des services » en bas de page."
    )


def test_lang_on_the_generic_tag_wins_over_the_page_language(page, service):
    page_html = host_page(AMEX, service.url, lang="fr").replace("/widget.js", "/widget.js?lang=en")
    serve(page, service.url + "/portal", page_html)
    page.goto(service.url + "/portal")
    ready(page)
    expect(page.get_by_role("dialog", name="Your cookie choices")).to_be_visible()
    assert page.evaluate("CMP.getConsent().lang") == "en"


def test_french_texts_elide_de_before_a_name_that_starts_with_a_vowel(page, service):
    page.goto(service.demo(page="services"))
    ready(page)
    holder = page.locator("cmp-placeholder")
    expect(holder.get_by_text("Ce contenu d'Application Insights peut déposer des traceurs.")).to_be_visible()
    expect(holder.get_by_role("button", name="Autoriser Application Insights")).to_be_visible()
    page.evaluate("CMP.showPreferences()")
    sheet = panel(page)
    sheet.get_by_role("button", name="Services (1)").nth(1).click()  # performance: Application Insights
    expect(sheet.get_by_role("button", name="Traceurs d'Application Insights (2)")).to_be_visible()
    sheet.get_by_role("button", name="Services (1)").nth(0).click()  # audience: Piwik PRO
    expect(sheet.get_by_role("button", name="Traceurs de Piwik PRO (7)")).to_be_visible()
    expect(sheet.get_by_text("de Application Insights")).to_have_count(0)
