"""Global Privacy Control: recorded as a refusal (source "gpc") where the site's inventory says
`gpc: true` (both shipped portals do), before any tracker runs, and the panel says so; ignored
elsewhere; a later explicit choice wins. With the
per-site script that refusal is announced while the script first runs, and the page's listeners
can already use the whole of window.CMP."""

import pytest
from playwright.sync_api import expect

from .helpers import AMEX, MILLEIS, banner, consent_cookie, host_page, panel, ready, serve, settled, site_page

pytestmark = pytest.mark.browser

GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
PIWIK_TAG = (
    '<script type="text/plain" data-cmp-service="piwik-pro" src="/demo/static/fake-piwik-pro.js" '
    'data-app-id="abc" data-allowed=\'{"_pk_id.*": 600}\'></script>'
)
ALL = {"necessary": True, "audience": True, "performance": True, "advertising": True}
# The page's own listener, in its body: it runs before the deferred widget script does.
ON_GPC_REFUSAL = """<script>
window.heard = [];
document.addEventListener('cmp:consent', (event) => {
  heard.push(event.detail.source);
  if (event.detail.source === 'gpc') window.calls = Promise.all([%s]);
});
</script>"""


def test_gpc_is_recorded_as_a_refusal_with_source_gpc_where_the_site_honours_it(page, lab):
    page.add_init_script(GPC_ON)
    serve(page, lab.url + "/portal", host_page("gpc-portal", lab.url, PIWIK_TAG))
    page.goto(lab.url + "/portal")
    ready(page)
    consent = settled(page)
    expect(banner(page)).to_be_hidden()
    assert consent["source"] == "gpc"
    # Not even the exempt audience tracker was released.
    assert page.locator('script[data-cmp-service="piwik-pro"]').get_attribute("type") == "text/plain"
    stored = lab.visitor("gpc-portal", consent["visitorId"])["current"]
    assert (stored["source"], stored["choices"]) == (
        "gpc",
        {"necessary": True, "audience": False, "performance": False, "advertising": False},
    )


def test_an_explicit_choice_made_after_gpc_is_kept_on_later_pages(page, lab):
    page.add_init_script(GPC_ON)
    serve(page, lab.url + "/portal", host_page("gpc-portal", lab.url, PIWIK_TAG))
    page.goto(lab.url + "/portal")
    ready(page)
    settled(page)
    page.evaluate("CMP.acceptAll()")
    page.reload()
    ready(page)
    assert page.evaluate("CMP.getConsent().source") == "api"
    page.wait_for_function("() => (window.demoTrackers || []).includes('piwik-pro')")


def test_gpc_is_not_applied_where_the_site_does_not_honour_it(page, lab):
    page.add_init_script(GPC_ON)
    serve(page, lab.url + "/portal", host_page("no-gpc", lab.url, PIWIK_TAG))
    page.goto(lab.url + "/portal")
    ready(page)
    expect(banner(page)).to_be_visible()
    assert consent_cookie(page.context) is None


@pytest.mark.parametrize("site", [AMEX, MILLEIS])
@pytest.mark.parametrize(
    "lang,title,notice",
    [
        ("fr", "Gestion des services", "Votre navigateur envoie le signal GPC : nous l'avons appliqué."),
        ("en", "Manage services", "Your browser sends the GPC signal: we applied it."),
    ],
)
def test_the_shipped_portals_honour_gpc_and_the_panel_says_it_was_applied(page, service, site, lang, title, notice):
    page.add_init_script(GPC_ON)
    page.goto(service.demo(site=site, lang=lang))
    ready(page)
    consent = settled(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert consent["source"] == "gpc"
    assert service.visitor(site, consent["visitorId"])["current"]["source"] == "gpc"
    page.locator("footer [data-cmp-open]").click()
    expect(panel(page, title).locator("p.tag").first).to_have_text(notice)


def test_the_gpc_notice_goes_once_the_visitor_has_chosen_otherwise(page, service):
    page.add_init_script(GPC_ON)
    page.goto(service.demo())
    ready(page)
    settled(page)
    page.evaluate("CMP.acceptAll()")
    page.evaluate("CMP.showPreferences()")
    expect(panel(page).get_by_role("switch", name="Suivi des performances")).to_have_attribute("aria-checked", "true")
    expect(panel(page).get_by_text("signal GPC")).to_have_count(0)


def test_without_the_signal_the_shipped_portals_ask_and_say_nothing_of_gpc(page, service):
    page.goto(service.demo())
    ready(page)
    expect(banner(page)).to_be_visible()
    page.evaluate("CMP.showPreferences()")
    expect(panel(page).get_by_role("switch").first).to_be_visible()
    expect(panel(page).get_by_text("signal GPC")).to_have_count(0)


def test_a_cmp_consent_listener_may_call_the_api_on_the_gpc_refusal_announced_at_start_up(page, lab):
    page.add_init_script(GPC_ON)
    calls = "CMP.showPreferences().then(() => 'shown'), CMP.acceptAll().then((c) => [c.source, c.choices])"
    serve(page, lab.url + "/portal", site_page("gpc-portal", lab.url, ON_GPC_REFUSAL % calls))
    page.goto(lab.url + "/portal")
    ready(page)
    assert page.errors == []
    assert page.evaluate("window.calls") == ["shown", ["api", ALL]]
    assert page.evaluate("window.heard") == ["gpc", "api"]
    # Accepting closed the panel that the first call opened.
    expect(panel(page)).to_be_hidden()
    consent = settled(page)
    decisions = lab.visitor("gpc-portal", consent["visitorId"])["decisions"]
    assert [(d["source"], d["choices"]) for d in decisions] == [
        ("gpc", {"necessary": True, "audience": False, "performance": False, "advertising": False}),
        ("api", ALL),
    ]


def test_a_cmp_consent_listener_may_open_the_panel_on_the_gpc_refusal_which_it_then_shows(page, lab):
    page.add_init_script(GPC_ON)
    serve(page, lab.url + "/portal", site_page("gpc-portal", lab.url, ON_GPC_REFUSAL % "CMP.showPreferences()"))
    page.goto(lab.url + "/portal")
    ready(page)
    page.evaluate("window.calls")
    assert page.errors == []
    dialog = panel(page)
    expect(dialog).to_be_visible()
    audience = dialog.get_by_role("switch", name="Mesure d'audience", exact=True)
    expect(audience).to_have_attribute("aria-checked", "false")
    assert page.evaluate("CMP.getConsent().source") == "gpc"
