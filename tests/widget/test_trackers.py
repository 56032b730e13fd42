"""Trackers wait for consent: released without a reload once granted, their cookies and web
storage deleted when refused after being granted; an iframe shows a placeholder that allows
just its service."""

import json

import pytest
from playwright.sync_api import expect

from .helpers import (
    AMEX,
    INSIGHTS_COOKIES,
    PIWIK_COOKIES,
    STRICT_CSP,
    banner,
    cookie_names,
    host_page,
    panel,
    ready,
    serve,
    settled,
    tracker_cookies,
)

pytestmark = pytest.mark.browser

AMEX_PIWIK = [
    "_pk_id.c564a70cf1f8.8ff3",
    "_pk_ses.c564a70cf1f8.8ff3",
    "stg_externalReferrer",
    "stg_last_interaction",
    "stg_returning_visitor",
    "stg_traffic_source_priority",
]


def running(page, service_id):
    page.wait_for_function(f"() => (window.demoTrackers || []).includes({json.dumps(service_id)})")


def test_exempt_audience_tracker_runs_before_any_decision_and_nothing_else_does(page, service):
    page.goto(service.demo())
    ready(page)
    running(page, "piwik-pro")
    assert tracker_cookies(page.context, PIWIK_COOKIES) == AMEX_PIWIK
    assert page.evaluate("localStorage.getItem('ppms_webstorage')") is not None
    assert tracker_cookies(page.context, INSIGHTS_COOKIES) == []
    assert page.locator('script[data-cmp-service="application-insights"]').get_attribute("type") == "text/plain"


def test_a_consented_tracker_runs_at_once_without_reloading_the_page(page, service):
    page.goto(service.demo())
    ready(page)
    page.evaluate("window.sameDocument = true")
    banner(page).get_by_role("button", name="Tout accepter").click()
    running(page, "application-insights")
    assert tracker_cookies(page.context, INSIGHTS_COOKIES) == ["ai_session", "ai_user"]
    assert page.evaluate("window.sameDocument") is True


def test_refusing_after_accepting_deletes_every_declared_cookie_and_storage_item(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout accepter").click()
    running(page, "application-insights")
    settled(page)
    page.get_by_role("link", name="Gestion des services").click()
    panel(page).get_by_role("button", name="Tout refuser").click()
    assert tracker_cookies(page.context, PIWIK_COOKIES + INSIGHTS_COOKIES) == []
    assert page.evaluate("localStorage.getItem('ppms_webstorage')") is None
    assert "cmp_consent" in cookie_names(page.context)


def test_refusal_deletes_tracker_cookies_on_parent_domains_and_sub_paths_but_nothing_undeclared(page, lab):
    url = f"{lab.origin}/espace/compte/releve"
    serve(page, url, host_page(AMEX, lab.url))
    page.goto(url)
    ready(page)
    page.evaluate("""() => {
        document.cookie = '_pk_id.abc.1234=1; Domain=amex.test; Path=/; Max-Age=600';
        document.cookie = '_pk_ses.abc.1234=1; Domain=www.amex.test; Path=/espace; Max-Age=600';
        document.cookie = 'stg_last_interaction=1; Path=/espace/compte; Max-Age=600';
        document.cookie = 'ai_user=1; Domain=.amex.test; Path=/espace/compte/; Max-Age=600';
        document.cookie = 'site_theme=dark; Domain=amex.test; Path=/; Max-Age=600';
        sessionStorage.setItem('ppms_webstorage', 'x');
        localStorage.setItem('ppms_webstorage', 'x');
    }""")
    banner(page).get_by_role("button", name="Tout refuser").click()
    consent = settled(page)  # through CORS: the page is on another origin than the API
    assert page.evaluate("document.cookie.split('; ').map(c => c.split('=')[0]).sort()") == [
        "cmp_consent",
        "site_theme",
    ]
    assert page.evaluate("localStorage.getItem('ppms_webstorage')") is None
    assert page.evaluate("sessionStorage.getItem('ppms_webstorage')") == "x"  # declared as localStorage only
    assert lab.visitor(AMEX, consent["visitorId"])["current"]["choices"]["audience"] is False


def test_a_tag_for_an_undeclared_service_never_runs(page, service):
    body = (
        '<script type="text/plain" data-cmp-service="youtube" src="/demo/static/fake-app-insights.js" '
        "data-allowed='{\"ai_user\": 60}'></script>"
    )
    serve(page, service.url + "/portal", host_page(AMEX, service.url, body))
    page.goto(service.url + "/portal")
    ready(page)
    page.evaluate("CMP.acceptAll()")
    assert page.evaluate("window.demoTrackers") is None
    assert page.locator('script[data-cmp-service="youtube"]').get_attribute("type") == "text/plain"


def test_inline_tracker_with_the_page_nonce_runs_under_a_strict_csp_once_granted(page, service):
    body = (
        '<script type="text/plain" data-cmp-category="performance" nonce="n0nce">'
        'window.order = (window.order || []).concat("inline")</script>'
        '<script type="text/plain" data-cmp-category="performance" src="/demo/static/fake-app-insights.js" '
        "data-allowed='{\"ai_user\": 60}'></script>"
    )
    csp = STRICT_CSP.format(api="").replace("script-src 'self'", "script-src 'self' 'nonce-n0nce'")
    serve(page, service.url + "/portal", host_page(AMEX, service.url, body), csp=csp)
    page.goto(service.url + "/portal")
    ready(page)
    assert page.evaluate("window.order") is None
    page.evaluate("CMP.acceptAll()")
    running(page, "application-insights")
    assert page.evaluate("window.order") == ["inline"]
    assert tracker_cookies(page.context, INSIGHTS_COOKIES) == ["ai_user"]


def test_tags_added_after_load_wait_for_consent_too(page, service):
    serve(page, service.url + "/portal", host_page(AMEX, service.url))
    page.goto(service.url + "/portal")
    ready(page)
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.type = 'text/plain'; s.dataset.cmpCategory = 'performance';
        s.src = '/demo/static/fake-app-insights.js'; s.dataset.allowed = '{"ai_session": 60}';
        document.body.append(s);
    }""")
    # Tags are released synchronously by the widget's MutationObserver: by now it has looked.
    assert page.locator("script[data-allowed]").get_attribute("type") == "text/plain"
    page.evaluate("CMP.acceptAll()")
    running(page, "application-insights")


def test_iframe_shows_a_placeholder_that_allows_only_its_service(page, service):
    page.goto(service.demo(page="services"))
    ready(page)
    frame = page.locator('iframe[title="Tableau de disponibilité"]')
    expect(frame).to_be_hidden()
    assert frame.get_attribute("src") is None
    placeholder = page.locator("cmp-placeholder")
    expect(placeholder).to_contain_text("Ce contenu d'Application Insights peut déposer des traceurs.")
    box = placeholder.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (482, 172)  # the iframe's box, border included
    placeholder.get_by_role("button", name="Autoriser Application Insights").click()
    expect(frame).to_be_visible()
    assert frame.get_attribute("src") == "/demo/static/availability.html"
    expect(placeholder).to_have_count(0)
    consent = settled(page)
    stored = service.visitor(AMEX, consent["visitorId"])["current"]
    assert stored["choices"] == {"necessary": True, "audience": True, "performance": True, "advertising": False}
    assert stored["services"]["application-insights"] is True
    expect(banner(page)).to_be_hidden()


def test_a_refusal_kept_from_an_earlier_visit_cleans_up_what_refused_trackers_left_at_start_up(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout refuser").click()
    settled(page)
    # What a tracker set in an earlier session, before the refusal (another tab, an old visit).
    page.context.add_cookies(
        [{"name": name, "value": "1", "url": service.url} for name in ("ai_user", "ai_session", "_pk_id.abc.def")]
    )
    page.evaluate("localStorage.setItem('ppms_webstorage', '1')")
    page.reload()
    ready(page)
    assert tracker_cookies(page.context, INSIGHTS_COOKIES + PIWIK_COOKIES) == []
    assert page.evaluate("localStorage.getItem('ppms_webstorage')") is None
