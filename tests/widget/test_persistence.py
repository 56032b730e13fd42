"""A decision is kept: in a first-party cookie, across reloads, until it is 180 days old or the
site's revision changes, when the visitor is asked again."""

import datetime as dt
import time

import pytest
from playwright.sync_api import expect

from .conftest import start_service, write_site
from .helpers import AMEX, INSIGHTS_COOKIES, banner, consent_cookie, host_page, ready, serve, settled, tracker_cookies

pytestmark = pytest.mark.browser

DAY_S = 86400


def in_days(days):
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=days)


def test_a_decision_survives_a_reload_and_runs_its_trackers_on_load(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout accepter").click()
    settled(page)
    page.context.clear_cookies(name="ai_user")
    page.reload()
    ready(page)
    expect(banner(page)).to_be_hidden()
    page.wait_for_function("() => (window.demoTrackers || []).includes('application-insights')")
    assert "ai_user" in tracker_cookies(page.context, INSIGHTS_COOKIES)
    assert page.evaluate("CMP.getConsent().choices.performance") is True


def test_the_consent_cookie_is_first_party_lax_secure_on_https_shared_with_the_declared_domain(page, lab):
    serve(page, "https://www.amex.test/portal", host_page(AMEX, lab.url))
    page.goto("https://www.amex.test/portal")
    ready(page)
    banner(page).get_by_role("button", name="Tout refuser").click()
    consent = settled(page)
    cookie = next(c for c in page.context.cookies() if c["name"] == "cmp_consent")
    assert (cookie["domain"], cookie["path"], cookie["secure"], cookie["sameSite"], cookie["httpOnly"]) == (
        ".amex.test",
        "/",
        True,
        "Lax",
        False,
    )
    assert abs(cookie["expires"] - (time.time() + 180 * DAY_S)) < 60
    kept = consent_cookie(page.context)
    assert (kept["v"], kept["q"], kept["r"], kept["c"]) == (
        consent["visitorId"],
        0,
        consent["revision"],
        {"audience": False, "performance": False, "advertising": False},
    )


def test_the_visitor_is_asked_again_once_the_decision_is_180_days_old(page, service):
    page.goto(service.demo())
    ready(page)
    banner(page).get_by_role("button", name="Tout refuser").click()
    first = settled(page)
    page.clock.set_fixed_time(in_days(179))
    page.reload()
    ready(page)
    expect(banner(page)).to_be_hidden()
    # 181 days later on both clocks: the browser's, and the service's (a second process on the
    # same store, started with its clock shifted).
    future = service.twin(CMP_CLOCK_OFFSET_S=str(181 * DAY_S))
    try:
        page.clock.set_fixed_time(in_days(181))
        page.goto(future.demo())
        ready(page)
        expect(banner(page)).to_be_visible()
        assert page.evaluate("CMP.getConsent().choices.audience") is True  # defaults again
        banner(page).get_by_role("button", name="Tout accepter").click()
        second = settled(page)
        assert second["visitorId"] != first["visitorId"]  # the old token has expired
        current = future.visitor(AMEX, second["visitorId"])["current"]
        decided = dt.datetime.fromisoformat(current["decided_at"].replace("Z", "+00:00"))
        assert abs((decided - in_days(181)).total_seconds()) < 60
        assert future.visitor(AMEX, first["visitorId"])["current"] is None  # expired in the store
    finally:
        future.stop()


def test_the_visitor_is_asked_again_when_the_site_revision_changes(page, tmp_path):
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    write_site(inventory, AMEX)
    before = start_service(tmp_path, inventory)
    try:
        page.goto(before.demo())
        ready(page)
        banner(page).get_by_role("button", name="Tout accepter").click()
        first = settled(page)
    finally:
        before.stop()
    data = write_site(inventory, AMEX)
    data["categories"][2]["description"]["fr"] += " Données conservées 90 jours."
    write_site(inventory, AMEX, categories=data["categories"])
    after = start_service(tmp_path, inventory)
    try:
        page.goto(after.demo())
        ready(page)
        expect(banner(page)).to_be_visible()
        assert page.evaluate("CMP.getConsent().revision") != first["revision"]
        assert tracker_cookies(page.context, INSIGHTS_COOKIES) == []  # not granted for this revision
        banner(page).get_by_role("button", name="Tout refuser").click()
        second = settled(page)
        assert second["visitorId"] == first["visitorId"]  # the token is still alive: same visitor
        history = after.visitor(AMEX, first["visitorId"])["decisions"]
        assert [d["revision"] for d in history] == [first["revision"], second["revision"]]
    finally:
        after.stop()
