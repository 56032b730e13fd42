"""The per-site script, /v1/sites/<site>/widget.js?lang=…: the banner configuration comes inside
it, so the banner is in the page as soon as the script has run, without a single request to the
API before a decision. Everything else works as with the generic tag, and a visitor who should
get another language than the inlined one is asked in that language, as the generic tag would."""

import pytest
from playwright.sync_api import expect

from .helpers import AMEX, MILLEIS, STRICT_CSP, banner, ready, serve, settled, site_page
from .test_gpc import GPC_ON

pytestmark = pytest.mark.browser

ALL = {"necessary": True, "audience": True, "performance": True, "advertising": True}

# Installed before the page's own scripts. DOMContentLoaded fires right after the deferred
# scripts have run: what the page holds then is what the widget did during its execution.
PROBE = """
window.violations = [];
document.addEventListener('securitypolicyviolation', e => violations.push(e.violatedDirective + ' ' + e.blockedURI));
document.addEventListener('DOMContentLoaded', () => {
  window.atDomContentLoaded = {banner: performance.getEntriesByName('cmp:banner').length,
                               global: '__cmpConfig' in window};
});
"""


def api_requests(page, api):
    """The URLs the page asks of the service at ``api`` (CORS preflights and the fire-and-forget
    "banner shown" beacon, tested in tests/cmp/console/test_browser.py, left out), as they go."""
    seen = []

    def record(request):
        if request.url.startswith(api) and request.method != "OPTIONS" and not request.url.endswith("/shown"):
            seen.append(request.url)

    page.on("request", record)
    return seen


def test_the_banner_is_in_the_page_when_the_script_has_run_with_no_request_to_the_api(page, lab):
    script = f"{lab.url}/v1/sites/{AMEX}/widget.js?lang=fr"
    page.add_init_script(PROBE)
    seen = api_requests(page, lab.url)
    # Another origin than the service, under a strict CSP: script-src and connect-src name it, no more.
    serve(page, lab.origin + "/portal", site_page(AMEX, lab.url), csp=STRICT_CSP.format(api=lab.url))
    page.goto(lab.origin + "/portal")
    ready(page)
    assert page.evaluate("window.atDomContentLoaded") == {"banner": 1, "global": False}
    expect(banner(page)).to_contain_text(
        "Europ Assistance France utilise des cookies nécessaires au fonctionnement du Portail AMEX"
    )
    assert seen == [script]
    banner(page).get_by_role("button", name="Tout accepter").click()
    consent = settled(page)
    stored = lab.visitor(AMEX, consent["visitorId"])["current"]
    assert (stored["choices"], stored["source"], stored["lang"]) == (ALL, "banner", "fr")
    # The API was found from the script's own path, /v1/sites/<site>/widget.js.
    assert seen == [script, f"{lab.url}/v1/sites/{AMEX}/consents"]
    assert page.evaluate("window.violations") == []


def test_on_the_demo_portal_the_exempt_tracker_runs_the_others_wait_and_run_once_granted(page, service):
    seen = api_requests(page, service.url + "/v1/")
    page.goto(service.demo())
    ready(page)
    assert page.locator(f'script[src="{service.url}/v1/sites/{AMEX}/widget.js?lang=fr"]').count() == 1
    page.wait_for_function("() => (window.demoTrackers || []).includes('piwik-pro')")
    assert page.evaluate("window.demoTrackers") == ["piwik-pro"]  # Application Insights waits
    banner(page).get_by_role("button", name="Tout accepter").click()
    page.wait_for_function("() => (window.demoTrackers || []).includes('application-insights')")
    consent = settled(page)
    assert service.visitor(AMEX, consent["visitorId"])["current"]["choices"] == ALL
    assert seen == [f"{service.url}/v1/sites/{AMEX}/widget.js?lang=fr", f"{service.url}/v1/sites/{AMEX}/consents"]


@pytest.mark.parametrize(
    "page_lang, script_attrs, locale, shown, asked",
    [
        ("fr", "", "fr-FR", "fr", []),  # the page's language is the inlined one
        ("de", "", "fr-FR", "fr", []),  # the page's is not offered, the browser's is the inlined one
        ("it", "", "de-DE", "fr", []),  # nothing wanted is offered: the site's default, inlined
        ("en", "", "fr-FR", "en", ["en"]),  # the page is in another offered language
        ("fr", 'data-lang="en"', "fr-FR", "en", ["en"]),  # the tag's data-lang wins over the page
    ],
)
def test_the_inline_configuration_is_used_exactly_when_its_language_is_the_one_the_visitor_gets(
    browser, lab, page_lang, script_attrs, locale, shown, asked
):
    context = browser.new_context(locale=locale)
    try:
        page = context.new_page()
        seen = api_requests(page, lab.url)
        serve(page, lab.origin + "/portal", site_page(AMEX, lab.url, lang=page_lang, script_attrs=script_attrs))
        page.goto(lab.origin + "/portal")
        ready(page)
        title = {"fr": "Vos choix en matière de cookies", "en": "Your cookie choices"}[shown]
        expect(page.get_by_role("dialog", name=title)).to_be_visible()
        assert page.evaluate("CMP.getConsent().lang") == shown
        assert seen == [f"{lab.url}/v1/sites/{AMEX}/widget.js?lang=fr"] + [
            f"{lab.url}/v1/sites/{AMEX}/banner?lang={lang}" for lang in asked
        ]
    finally:
        context.close()


def test_a_data_site_naming_another_site_wins_over_the_inlined_one(page, lab):
    seen = api_requests(page, lab.url)
    serve(page, lab.origin + "/portal", site_page(MILLEIS, lab.url, script_attrs=f'data-site="{AMEX}"'))
    page.goto(lab.origin + "/portal")
    ready(page)
    expect(banner(page)).to_contain_text("Portail AMEX")
    assert seen == [f"{lab.url}/v1/sites/{MILLEIS}/widget.js?lang=fr", f"{lab.url}/v1/sites/{AMEX}/banner?lang=fr"]


def test_a_gpc_refusal_made_while_the_script_runs_is_recorded_and_listeners_can_read_it(page, lab):
    # The refusal is announced during the script's execution: window.CMP must already be there.
    page.add_init_script(
        GPC_ON + ";document.addEventListener('cmp:consent', () => { window.heard = CMP.getConsent().source })"
    )
    serve(page, lab.origin + "/portal", site_page("gpc-portal", lab.url))
    page.goto(lab.origin + "/portal")
    ready(page)
    consent = settled(page)
    expect(banner(page)).to_be_hidden()
    assert page.evaluate("window.heard") == "gpc"
    assert lab.visitor("gpc-portal", consent["visitorId"])["current"]["source"] == "gpc"
