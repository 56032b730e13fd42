"""The console in a real Chromium against the real service (``cmpctl serve``): signing in,
CSRF, restrictions, charts and tables equal to the stats API after decisions made through the
real widget, no axe-core violation on any page, and keyboard-only use."""

import json
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cmp import clock
from cmp.app import open_store
from cmp.settings import load
from tests.widget.conftest import start_service
from tests.widget.helpers import ADMIN_KEY, AMEX, banner, panel, ready, settled

from .helpers import PASSWORD, add_user

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
USERS = {"admin@example.org": ("admin", ()), "viewer@example.org": ("viewer", ("milleis",))}


class StoreOwner:
    """What the tests ask the service's store directly (users), as `cmpctl user add` would."""

    def __init__(self, url):
        self.extensions = {"cmp.store": open_store(load(environ={"CMP_STORE_URL": url}))}


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("console")
    running = start_service(tmp)
    owner = StoreOwner(f"sqlite:///{tmp}/consents.db")
    for email, (role, sites) in USERS.items():
        add_user(owner, email, role, sites)
    yield running
    running.stop()


def stats_api(console, site=AMEX):
    today = clock.utc_day(clock.now()).isoformat()
    request = urllib.request.Request(
        f"{console.url}/v1/admin/sites/{site}/stats?from={today}&to={today}",
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def log_in(page, console, email="admin@example.org", password=PASSWORD):
    page.goto(f"{console.url}/console/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_the_right_password_opens_the_console_and_a_wrong_one_does_not(page, console):
    log_in(page, console, password="not the password")
    expect(page.get_by_role("alert")).to_have_text("Adresse e-mail ou mot de passe incorrect.")
    expect(page).to_have_url(f"{console.url}/console/login")
    log_in(page, console)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vue d'ensemble")
    expect(page.get_by_text("Connecté en tant que admin@example.org")).to_be_visible()


def test_a_form_sent_without_its_csrf_token_is_refused(page, console):
    page.goto(f"{console.url}/console/login")
    page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
    page.get_by_label("Adresse e-mail").fill("admin@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("400")
    page.goto(f"{console.url}/console/")
    expect(page).to_have_url(f"{console.url}/console/login?next=/console/")


def test_a_viewer_sees_only_its_site_and_no_proof_tools(page, console):
    log_in(page, console, "viewer@example.org")
    expect(page.get_by_role("link", name="Milleis")).to_be_visible()
    expect(page.get_by_role("link", name="Portail AMEX")).to_have_count(0)
    response = page.goto(f"{console.url}/console/sites/{AMEX}")
    assert response.status == 404
    response = page.goto(f"{console.url}/console/audit")
    assert response.status == 403
    page.goto(f"{console.url}/console/sites/milleis")
    expect(page.get_by_role("heading", name="Retrouver la preuve d'un visiteur")).to_have_count(0)


def decide_in_the_widget(browser, console, how):
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{console.url}/demo/{AMEX}/")
        ready(page)
        if how == "custom":
            banner(page).get_by_role("button", name="Personnaliser").click()
            panel(page).get_by_role("button", name="Enregistrer mes choix").click()
        else:
            banner(page).get_by_role("button", name=how).click()
        return settled(page)["visitorId"]
    finally:
        context.close()


def test_charts_and_tables_show_what_visitors_did_in_the_widget(browser, page, console):
    before = stats_api(console)["totals"]
    visitors = [
        decide_in_the_widget(browser, console, how)
        for how in ("Tout accepter", "Tout accepter", "Tout refuser", "custom")
    ]
    assert len(set(visitors)) == 4
    expected = dict(
        before,
        accept_all=before["accept_all"] + 2,
        refuse_all=before["refuse_all"] + 1,
        custom=before["custom"] + 1,
        shown=before["shown"] + 4,
    )
    log_in(page, console)
    for _ in range(50):  # the "banner shown" beacon is fire-and-forget: let the last one land
        if stats_api(console)["totals"] == expected:
            break
        page.wait_for_timeout(100)
    api = stats_api(console)
    assert api["totals"] == expected
    today = api["to"]
    page.goto(f"{console.url}/console/sites/{AMEX}?from={today}&to={today}")
    for key, value in api["totals"].items():
        expect(page.locator(f'[data-total="{key}"]')).to_have_text(str(value))
    bars = {
        rect.get_attribute("data-outcome"): int(rect.get_attribute("data-count"))
        for rect in page.locator(f'svg.days-chart rect[data-date="{today}"]').all()
    }
    assert bars == {
        k: v for k, v in api["days"][0].items() if k in ("accept_all", "refuse_all", "custom", "withdrawn") and v
    }
    row = page.locator(f'table.days tr[data-date="{today}"] td')
    assert [int(t) for t in row.all_inner_texts()] == [
        api["days"][0][k] for k in ("shown", "accept_all", "refuse_all", "custom", "withdrawn")
    ]
    for category, counts in api["categories"].items():
        cells = page.locator(f'table.categories tr[data-category="{category}"] td').all_inner_texts()
        assert [int(cells[0]), int(cells[1])] == [counts["granted"], counts["refused"]]
        rate = counts["granted"] / (counts["granted"] + counts["refused"]) * 100
        assert float(
            page.locator(f'svg.categories-chart rect[data-category="{category}"]').get_attribute("data-rate")
        ) == round(rate, 1)
    # The proof of one of them, as the widget recorded it.
    page.get_by_label("Identifiant du visiteur").fill(visitors[2])
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#visitor")).to_have_text(visitors[2])
    expect(page.locator('[data-choice="performance"]').first).to_have_text("performance : Refusée")


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


@pytest.fixture
def axe_page(browser):
    # axe is injected as a script: the console's strict CSP would rightly block it.
    context = browser.new_context(bypass_csp=True, locale="fr-FR")
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


PAGES = [
    "/console/login",
    "/console/",
    "/console/?lang=en",
    f"/console/sites/{AMEX}",
    f"/console/sites/{AMEX}/inventory",
    f"/console/sites/{AMEX}/visitors/visitor-0000000000000001",
    f"/console/sites/{AMEX}/visitors?visitor_id=bad",
    "/console/audit",
    "/console/users",
    "/console/sites/nope",
]


def test_no_axe_violation_on_any_console_page(axe_page, console):
    found = {}
    axe_page.goto(f"{console.url}/console/login")
    assert axe_violations(axe_page) == []
    log_in(axe_page, console)
    for path in PAGES[1:]:
        axe_page.goto(console.url + path)
        violations = axe_violations(axe_page)
        if violations:
            found[path] = violations
    assert found == {}


def test_a_keyboard_only_person_signs_in_reads_a_site_and_signs_out(page, console):
    page.goto(f"{console.url}/console/login")

    def tab_to(selector, limit=40):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
                return
        raise AssertionError(f"{selector} is not reachable with Tab")

    tab_to("#email")
    page.keyboard.type("admin@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vue d'ensemble")
    tab_to(f'a[href="/console/sites/{AMEX}"]')
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Portail AMEX")
    tab_to(f'a[href="/console/sites/{AMEX}/inventory"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Déclarations")).to_be_visible()
    tab_to("button[type=submit]")  # "Se déconnecter", in the header
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{console.url}/console/login")


def test_the_scan_pages_are_reached_by_keyboard_and_have_no_axe_violation(axe_page, console):
    from cmp.store.scans import scan_index_from_url

    from .helpers import NEW, OLD, item, report, store

    index = scan_index_from_url(console.env["CMP_STORE_URL"])
    try:
        store(index, OLD, report([item("sid")], []))
        store(
            index,
            NEW,
            report([item("sid"), item("_trk", declared=False)], []),
            previous_scan_id=OLD,
            changes={"added": 1, "removed": 0, "changed": 0, "new_findings": 0, "resolved_findings": 0},
        )
    finally:
        index.close()
    log_in(axe_page, console)
    found = {}
    for path in (
        "/console/sites/milleis/scans",
        f"/console/sites/milleis/scans/{NEW}",
        f"/console/sites/milleis/scans/{OLD}/diff/{NEW}",
        "/console/sites/milleis/scans?lang=en",
    ):
        axe_page.goto(console.url + path)
        violations = axe_violations(axe_page)
        if violations:
            found[path] = violations
    assert found == {}
    # From the overview to the diff with the keyboard alone.
    axe_page.goto(f"{console.url}/console/?lang=fr")
    axe_page.get_by_role("link", name="Milleis").focus()
    axe_page.keyboard.press("Enter")
    axe_page.get_by_role("link", name="Scans").focus()
    axe_page.keyboard.press("Enter")
    expect(axe_page.get_by_role("heading", name="Historique des scans")).to_be_visible()
    axe_page.get_by_role("link", name=NEW).focus()
    axe_page.keyboard.press("Enter")
    expect(axe_page).to_have_url(f"{console.url}/console/sites/milleis/scans/{NEW}")
    axe_page.get_by_role("link", name="Comparer avec le scan précédent").focus()
    axe_page.keyboard.press("Enter")
    expect(axe_page.locator('[data-changes="added"] [data-item="cookie:_trk"]')).to_be_visible()
    # An admin may start a scan: its form is there, its address the site's first origin.
    axe_page.goto(f"{console.url}/console/sites/milleis/scans")
    expect(axe_page.locator("#url")).to_have_value("https://milleis.gconcierges.com")
