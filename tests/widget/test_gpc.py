"""Global Privacy Control: recorded as a refusal (source "gpc") where the site's inventory says
`gpc: true`, before any tracker runs; ignored elsewhere; a later explicit choice wins."""

import pytest
from playwright.sync_api import expect

from .helpers import banner, consent_cookie, host_page, ready, serve, settled

pytestmark = pytest.mark.browser

GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
PIWIK_TAG = (
    '<script type="text/plain" data-cmp-service="piwik-pro" src="/demo/static/fake-piwik-pro.js" '
    'data-app-id="abc" data-allowed=\'{"_pk_id.*": 600}\'></script>'
)


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


def test_gpc_is_not_applied_where_the_site_does_not_honour_it(page, service):
    page.add_init_script(GPC_ON)
    page.goto(service.demo())
    ready(page)
    expect(banner(page)).to_be_visible()
    assert consent_cookie(page.context) is None
