"""What the rest of the page hears and can do: Google Consent Mode v2, the cmp:consent event,
the dataLayer, the window.CMP API; and the widget's isolation: strict CSP, Shadow DOM, theming."""

import pytest
from playwright.sync_api import expect

from .helpers import AMEX, banner, host_page, panel, ready, serve, settled

pytestmark = pytest.mark.browser

# Arguments objects (what gtag() pushes) as arrays, plain objects as they are.
DATA_LAYER = "() => dataLayer.map(e => Object.prototype.toString.call(e) === '[object Arguments]' ? Array.from(e) : e)"
DENIED = {
    "ad_storage": "denied",
    "analytics_storage": "denied",
    "ad_user_data": "denied",
    "ad_personalization": "denied",
}


def test_consent_mode_default_is_denied_before_any_tag_and_updated_from_the_inventory_mapping(page, service):
    tag = (
        '<script type="text/plain" data-cmp-category="audience">'
        "window.seenByTag = dataLayer.map(e => Array.from(e)[1])</script>"
    )
    serve(page, service.url + "/portal", host_page(AMEX, service.url, tag))
    page.goto(service.url + "/portal")
    ready(page)
    layer = page.evaluate(DATA_LAYER)
    assert layer[0] == ["consent", "default", dict(DENIED, wait_for_update=500)]
    # Before a decision the exempt audience category is on, so analytics_storage is granted.
    assert layer[1] == ["consent", "update", dict(DENIED, analytics_storage="granted")]
    assert page.evaluate("window.seenByTag") == ["default", "update"]
    page.evaluate("CMP.acceptAll()")
    layer = page.evaluate(DATA_LAYER)
    assert layer[2] == ["consent", "update", dict.fromkeys(DENIED, "granted")]
    assert layer[3]["event"] == "cmp_consent"
    assert layer[3]["cmp"]["choices"] == {"necessary": True, "audience": True, "performance": True, "advertising": True}


def test_every_decision_dispatches_cmp_consent_and_calls_onchange_listeners(page, service):
    page.goto(service.demo())
    ready(page)
    page.evaluate("""() => {
        window.events = []; window.changes = [];
        document.addEventListener('cmp:consent', e => events.push([e.detail.source, e.detail.choices.performance]));
        window.stop = CMP.onChange(c => changes.push(c.choices.audience));
    }""")
    # Announced once the API has recorded the decision: what it grants runs only then.
    banner(page).get_by_role("button", name="Tout accepter").click()
    page.wait_for_function("() => events.length === 1")
    page.get_by_role("link", name="Gestion des services").click()
    panel(page).get_by_role("button", name="Tout refuser").click()
    page.wait_for_function("() => events.length === 2")
    page.evaluate("stop()")
    page.evaluate("CMP.acceptAll()")
    assert page.evaluate("events") == [["banner", True], ["panel", False], ["api", True]]
    assert page.evaluate("changes") == [True, False]
    pushes = page.evaluate("() => dataLayer.filter(e => e.event === 'cmp_consent').map(e => e.cmp.source)")
    assert pushes == ["banner", "panel", "api"]


def test_window_cmp_api_reads_decides_and_reopens_both_layers(page, service):
    page.goto(service.demo())
    ready(page)
    before = page.evaluate("CMP.getConsent()")
    assert (before["decided"], before["visitorId"], before["choices"]["audience"]) == (False, None, True)
    accepted = page.evaluate("CMP.acceptAll()")
    assert (accepted["decided"], accepted["pending"], accepted["source"]) == (True, False, "api")
    assert service.visitor(AMEX, accepted["visitorId"])["current"]["choices"]["advertising"] is True
    refused = page.evaluate("CMP.refuseAll()")
    assert refused["visitorId"] == accepted["visitorId"]
    assert refused["choices"] == {"necessary": True, "audience": False, "performance": False, "advertising": False}
    expect(banner(page)).to_be_hidden()
    page.evaluate("CMP.showBanner()")
    expect(banner(page)).to_be_visible()
    page.evaluate("CMP.showPreferences()")
    expect(panel(page)).to_be_visible()


def test_the_widget_runs_under_the_demo_strict_csp_without_a_single_violation(page, service):
    page.add_init_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation', e => "
        "violations.push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    response = page.goto(service.demo(page="services"))
    assert "style-src 'self';" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    ready(page)
    accept = banner(page).get_by_role("button", name="Tout accepter")
    assert accept.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 74, 139)"  # styled
    banner(page).get_by_role("button", name="Personnaliser").click()
    panel(page).get_by_role("button", name="Tout accepter").click()
    settled(page)
    assert page.evaluate("window.violations") == []


def test_the_page_themes_the_widget_through_custom_properties_and_nothing_else_leaks_in(page, service):
    style = (
        "<style>:root { --cmp-accent: rgb(120, 0, 60); --cmp-radius: 0px; }"
        "button { background: lime !important; font-size: 40px !important; }</style>"
    )
    serve(page, service.url + "/portal", host_page(AMEX, service.url).replace("</head>", style + "</head>"))
    page.goto(service.url + "/portal")
    ready(page)
    look = (
        banner(page)
        .get_by_role("button", name="Tout refuser")
        .evaluate("b => { const s = getComputedStyle(b); return [s.backgroundColor, s.borderRadius, s.fontSize] }")
    )
    assert look == ["rgb(120, 0, 60)", "0px", "15px"]


def test_the_demo_pages_log_no_error_in_the_browser_console(page, service):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for name in ("", "services", "contact"):
        page.goto(service.demo(page=name))
        ready(page)
    page.goto(service.url + "/")
    assert errors == []
