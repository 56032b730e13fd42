"""The console's pages through the test client: what each role sees, on which sites, and what
is written to the audit log."""

import json
import re

import pytest

from cmp import clock

from ..helpers import AMEX, CHOICES_ALL, CHOICES_NONE, decide
from .helpers import audit_actions, csrf_token, login

MILLEIS = "milleis"
MILLEIS_ALL = {"audience": True, "behavioural": True, "advertising": True}
MILLEIS_NONE = {"audience": False, "behavioural": False, "advertising": False}


def signed_in(client, email):
    assert login(client, email).status_code == 302
    return client


def test_the_overview_lists_only_the_users_sites_with_30_day_figures(browser_client):
    decide(browser_client, CHOICES_ALL, site=AMEX)
    decide(browser_client, CHOICES_NONE, site=AMEX)
    page = signed_in(browser_client, "viewer@example.org").get("/console/").get_data(as_text=True)
    assert 'data-site="amex-portal"' in page and 'data-site="milleis"' not in page
    assert 'data-decisions="2"' in page
    assert "50.0 %" in page
    assert "aucun scan pour l&#39;instant" in page


def test_an_admin_sees_every_site(browser_client):
    page = signed_in(browser_client, "admin@example.org").get("/console/").get_data(as_text=True)
    assert 'data-site="amex-portal"' in page and 'data-site="milleis"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/console/sites/milleis",
        "/console/sites/milleis/inventory",
        "/console/sites/milleis?format=csv",
        "/console/sites/milleis/visitors/visitor-000000000001",
        "/console/sites/milleis/proofs?from=2026-01-01&to=2026-01-31",
        "/v1/admin/sites/milleis/stats",
    ],
)
def test_a_user_restricted_to_other_sites_gets_404_on_pages_and_exports(browser_client, path):
    signed_in(browser_client, "viewer@example.org")
    assert browser_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/console/sites/amex-portal/visitors/visitor-000000000001",
        "/console/sites/amex-portal/visitors?visitor_id=visitor-000000000001",
        "/console/sites/amex-portal/proofs?from=2026-01-01&to=2026-01-31",
        "/console/audit",
        "/console/users",
    ],
)
def test_a_viewer_may_not_look_up_visitors_export_or_see_the_audit(browser_client, path):
    signed_in(browser_client, "viewer@example.org")
    assert browser_client.get(path).status_code == 403


def test_a_viewer_reads_analytics_and_inventory_of_its_site(browser_client):
    signed_in(browser_client, "viewer@example.org")
    site = browser_client.get("/console/sites/amex-portal").get_data(as_text=True)
    assert "Décisions par jour" in site
    assert "Retrouver la preuve" not in site  # no tools it may not use
    assert browser_client.get("/console/sites/amex-portal/inventory").status_code == 200
    assert browser_client.get("/v1/admin/sites/amex-portal/stats").status_code == 200


def test_an_editor_is_not_an_admin(browser_client):
    signed_in(browser_client, "editor@example.org")
    assert browser_client.get("/console/users").status_code == 403
    assert browser_client.get("/console/audit").status_code == 403


def test_the_site_page_shows_the_figures_of_the_stats_api(browser_client):
    for choices in (
        CHOICES_ALL,
        CHOICES_ALL,
        CHOICES_NONE,
        {"audience": True, "performance": False, "advertising": False},
    ):
        decide(browser_client, choices, site=AMEX)
    browser_client.post(f"/v1/sites/{AMEX}/shown")
    signed_in(browser_client, "admin@example.org")
    today = clock.utc_day(clock.now()).isoformat()
    page = browser_client.get(f"/console/sites/{AMEX}?from={today}&to={today}").get_data(as_text=True)
    api = browser_client.get(f"/v1/admin/sites/{AMEX}/stats?from={today}&to={today}").get_json()
    for key, value in api["totals"].items():
        assert f'data-total="{key}">{value}<' in page
    bars = dict(re.findall(r'data-outcome="(\w+)" data-count="(\d+)"', page))
    assert bars == {"accept_all": "2", "refuse_all": "1", "custom": "1"}


def test_a_bad_range_is_a_form_error_naming_the_field(browser_client):
    signed_in(browser_client, "admin@example.org")
    page = browser_client.get("/console/sites/amex-portal?from=2026-05-01&to=2026-04-01").get_data(as_text=True)
    assert 'id="range-error"' in page and "ne doit pas précéder" in page


def test_an_editor_finds_a_visitors_proof_with_what_it_was_shown_and_it_is_audited(browser_client, console_app):
    created = decide(browser_client, MILLEIS_NONE, site=MILLEIS).get_json()
    signed_in(browser_client, "editor@example.org")
    found = browser_client.get(f"/console/sites/{MILLEIS}/visitors", query_string={"visitor_id": created["visitor_id"]})
    assert found.headers["Location"] == f"/console/sites/{MILLEIS}/visitors/{created['visitor_id']}"
    page = browser_client.get(found.headers["Location"]).get_data(as_text=True)
    assert created["visitor_id"] in page
    assert "Décision en cours" in page and "Vos choix" in page  # the archived banner title
    assert audit_actions(console_app)[-1] == ("editor@example.org", "visitor_lookup", MILLEIS)


def test_a_malformed_visitor_id_is_a_form_error(browser_client):
    signed_in(browser_client, "editor@example.org")
    response = browser_client.get(f"/console/sites/{MILLEIS}/visitors", query_string={"visitor_id": "x<"})
    assert response.status_code == 400
    assert 'id="visitor-error"' in response.get_data(as_text=True)


def test_an_editor_exports_a_range_of_proofs_streamed_and_it_is_audited(browser_client, console_app):
    first = decide(browser_client, MILLEIS_ALL, site=MILLEIS).get_json()
    second = decide(browser_client, MILLEIS_NONE, site=MILLEIS).get_json()
    signed_in(browser_client, "editor@example.org")
    today = clock.utc_day(clock.now()).isoformat()
    response = browser_client.get(f"/console/sites/{MILLEIS}/proofs?from={today}&to={today}&format=ndjson")
    assert response.is_streamed
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [line["visitor_id"] for line in lines] == [first["visitor_id"], second["visitor_id"]]
    csv = browser_client.get(f"/console/sites/{MILLEIS}/proofs?from={today}&to={today}&format=csv")
    assert csv.get_data(as_text=True).startswith("decided_at,site,visitor_id")
    assert [a for a in audit_actions(console_app) if a[1] == "proof_export"] == [
        ("editor@example.org", "proof_export", MILLEIS)
    ] * 2


def test_the_audit_page_lists_who_did_what(browser_client):
    signed_in(browser_client, "editor@example.org")
    browser_client.get(f"/console/sites/{MILLEIS}/visitors/visitor-000000000001")
    browser_client.post("/console/logout", data={"csrf_token": csrf_token(browser_client, "/console/")})
    signed_in(browser_client, "admin@example.org")
    page = browser_client.get("/console/audit").get_data(as_text=True)
    actions = re.findall(r'data-action="(\w+)"', page)
    assert actions == ["login", "logout", "visitor_lookup", "login"]


def test_an_admin_adds_and_removes_users_from_the_console(browser_client, console_app):
    signed_in(browser_client, "admin@example.org")
    token = csrf_token(browser_client, "/console/users")
    added = browser_client.post(
        "/console/users",
        data={
            "email": "new@example.org",
            "password": "a long enough secret",
            "role": "viewer",
            "sites": "milleis",
            "csrf_token": token,
        },
    )
    assert added.status_code == 302
    user = console_app.extensions["cmp.store"].users.get("new@example.org")
    assert (user.role, user.sites) == ("viewer", ("milleis",))
    bad = browser_client.post(
        "/console/users",
        data={"email": "x@example.org", "password": "short", "role": "viewer", "sites": "nope", "csrf_token": token},
    )
    assert bad.status_code == 400
    assert console_app.extensions["cmp.store"].users.get("x@example.org") is None
    browser_client.post("/console/users/remove", data={"email": "new@example.org", "csrf_token": token})
    assert console_app.extensions["cmp.store"].users.get("new@example.org") is None


def test_the_inventory_page_lists_declarations_and_the_current_revision(browser_client, console_app):
    signed_in(browser_client, "admin@example.org")
    page = browser_client.get(f"/console/sites/{AMEX}/inventory").get_data(as_text=True)
    revision = console_app.extensions["cmp.sites"][AMEX].revision
    assert f'data-revision="{revision}"' in page
    assert "_pk_id.*" in page
