"""The console's scan pages through the test client: the history, one scan, the diff of two, the
overview's last scan, starting a scan and keeping schedules, for each role and on each site.
Scans are written through the scan index, as the scan jobs write them."""

import pytest

from cmp.store.scans import scan_index_from_url

from .helpers import (
    MILLEIS,
    MILLEIS_URL,
    NEW,
    OLD,
    RUNNING,
    audit_actions,
    csrf_token,
    finding,
    item,
    login,
    report,
    store,
)


def signed_in(client, email):
    assert login(client, email).status_code == 302
    return client


@pytest.fixture
def index(console_app):
    scans = scan_index_from_url(console_app.extensions["cmp.store_url"])
    yield scans
    scans.close()


@pytest.fixture
def history(index):
    """Two finished scans of milleis (a cookie added, one changed, one finding new, one resolved)
    and a third one running."""
    store(index, OLD, report([item("sid"), item("gone")], [finding("old_trk")]))
    store(
        index,
        NEW,
        report([item("sid", lifetime=172800), item("_trk", declared=False)], [finding("_trk")]),
        previous_scan_id=OLD,
        changes={"added": 1, "removed": 1, "changed": 1, "new_findings": 1, "resolved_findings": 1},
    )
    index.add_delivery(
        NEW,
        {
            "attempt": 1,
            "at": "2026-03-02T03:05:01Z",
            "webhook": "https://hooks.example.org/cmp",
            "status": 500,
            "outcome": "retry",
            "signed": True,
            "new_findings": 1,
        },
    )
    store(
        index,
        RUNNING,
        status="running",
        started_at="2026-03-03T03:00:01Z",
        progress={"phase": "accept", "pages_done": 3, "pages_queued": 2, "items": 4},
    )
    return index


def test_the_history_lists_the_sites_scans_newest_first_with_counts_progress_and_diff_links(browser_client, history):
    page = signed_in(browser_client, "editor@example.org").get(f"/console/sites/{MILLEIS}/scans").get_data(as_text=True)
    rows = page.split('<tr data-scan="')[1:]
    assert [row.split('"')[0] for row in rows] == [RUNNING, NEW, OLD]
    assert 'data-status="running"' in rows[0] and "3 / 5 pages, 4 éléments" in rows[0]
    assert 'data-status="finished"' in rows[1]
    assert '<td class="num" data-count="items">2</td>' in rows[1]
    assert '<td class="num" data-count="warning">1</td>' in rows[1]
    assert f'href="/console/sites/{MILLEIS}/scans/{OLD}/diff/{NEW}"' in rows[1]
    assert "+1 −1 ~1, 1 nouveaux constats, 1 résolus" in rows[1]
    assert "/diff/" not in rows[2]


def test_a_scan_page_shows_its_summary_findings_items_deliveries_and_report(browser_client, history):
    signed_in(browser_client, "viewer@example.org")
    signed_in(browser_client, "editor@example.org")
    page = browser_client.get(f"/console/sites/{MILLEIS}/scans/{NEW}").get_data(as_text=True)
    assert '<dd data-summary="items">2</dd>' in page
    assert 'data-finding="undeclared:_trk"' in page and 'data-finding="undeclared:old_trk"' not in page
    assert 'data-item="cookie:_trk"' in page and 'data-item="cookie:sid"' in page
    assert '<tr data-delivery="1">' in page and "retry (500)" in page
    assert f'href="/console/sites/{MILLEIS}/scans/{OLD}/diff/{NEW}">Comparer avec le scan précédent</a>' in page
    download = browser_client.get(f"/console/sites/{MILLEIS}/scans/{NEW}/report.json")
    assert download.status_code == 200
    assert download.get_json() == history.report(NEW)


def test_a_queued_scan_has_no_report_yet(browser_client, index):
    store(index, RUNNING)
    signed_in(browser_client, "editor@example.org")
    page = browser_client.get(f"/console/sites/{MILLEIS}/scans/{RUNNING}").get_data(as_text=True)
    assert 'data-status="queued"' in page
    assert "Pas encore de rapport : le scan n&#39;est pas terminé." in page
    assert browser_client.get(f"/console/sites/{MILLEIS}/scans/{RUNNING}/report.json").status_code == 404


def test_the_diff_page_shows_items_added_removed_changed_and_findings_new_and_resolved(browser_client, history):
    signed_in(browser_client, "editor@example.org")
    page = browser_client.get(f"/console/sites/{MILLEIS}/scans/{OLD}/diff/{NEW}?lang=en").get_data(as_text=True)
    sections = {
        kind: page.split(f'data-changes="{kind}"')[1].split("</table>")[0]
        for kind in ("added", "removed", "changed", "new_findings", "resolved_findings")
    }
    assert 'data-item="cookie:_trk"' in sections["added"]
    assert 'data-item="cookie:gone"' in sections["removed"]
    assert '<li data-field="requested_lifetime_s">requested_lifetime_s: 86400 → 172800</li>' in sections["changed"]
    assert 'data-finding="undeclared:_trk"' in sections["new_findings"]
    assert 'data-finding="undeclared:old_trk"' in sections["resolved_findings"]
    assert browser_client.get(f"/console/sites/{MILLEIS}/scans/{OLD}/diff/{RUNNING}").status_code == 404


def test_the_overview_shows_each_sites_latest_scan(browser_client, history):
    page = signed_in(browser_client, "admin@example.org").get("/console/").get_data(as_text=True)
    milleis = page.split(f'data-site="{MILLEIS}"')[1].split("</tr>")[0]
    assert (
        f'<td data-scan="{RUNNING}"><a href="/console/sites/{MILLEIS}/scans/{RUNNING}">en cours d&#39;exécution'
        in milleis
    )
    amex = page.split('data-site="amex-portal"')[1].split("</tr>")[0]
    assert "aucun scan pour l&#39;instant" in amex


@pytest.mark.parametrize(
    "path",
    [
        f"/console/sites/{MILLEIS}/scans",
        f"/console/sites/{MILLEIS}/scans/{NEW}",
        f"/console/sites/{MILLEIS}/scans/{NEW}/report.json",
        f"/console/sites/{MILLEIS}/scans/{OLD}/diff/{NEW}",
        # milleis's scans read through a site the user may see are still not open to it
        f"/console/sites/amex-portal/scans/{NEW}",
        f"/console/sites/amex-portal/scans/{OLD}/diff/{NEW}",
    ],
)
def test_a_user_restricted_to_other_sites_gets_404_on_its_scans(browser_client, history, path):
    signed_in(browser_client, "viewer@example.org")
    assert browser_client.get(path).status_code == 404


def test_a_viewer_reads_its_sites_scans_but_has_no_start_or_schedule_forms(browser_client, index):
    signed_in(browser_client, "viewer@example.org")
    page = browser_client.get("/console/sites/amex-portal/scans").get_data(as_text=True)
    assert "Aucun scan de ce site pour l&#39;instant." in page
    assert "Lancer le scan" not in page and "Ajouter une planification" not in page
    token = csrf_token(browser_client, "/console/sites/amex-portal/scans")
    data = {"url": "https://amex.europ-assistance.fr", "csrf_token": token}
    assert browser_client.post("/console/sites/amex-portal/scans", data=data).status_code == 403
    timing = {"schedule-url": "https://amex.europ-assistance.fr", "schedule-timing": "1d", "csrf_token": token}
    assert browser_client.post("/console/sites/amex-portal/schedules", data=timing).status_code == 403
    assert index.list("amex-portal") == [] and index.schedules("amex-portal") == []


def test_an_editor_adds_and_removes_a_schedule_and_both_are_audited(browser_client, console_app, index):
    signed_in(browser_client, "editor@example.org")
    page = browser_client.get(f"/console/sites/{MILLEIS}/scans").get_data(as_text=True)
    assert f'name="schedule-url" required type="url" value="{MILLEIS_URL}"' in page
    assert f'name="url" required type="url" value="{MILLEIS_URL}"' in page
    token = csrf_token(browser_client, f"/console/sites/{MILLEIS}/scans")
    added = browser_client.post(
        f"/console/sites/{MILLEIS}/schedules",
        data={"schedule-url": MILLEIS_URL + "/", "schedule-timing": "12h", "csrf_token": token},
    )
    assert added.status_code == 302
    [schedule] = index.schedules(MILLEIS)
    assert (schedule["url"], schedule["every_s"], schedule["cron"]) == (MILLEIS_URL + "/", 43200, None)
    page = browser_client.get(f"/console/sites/{MILLEIS}/scans").get_data(as_text=True)
    assert f'<tr data-schedule="{schedule["id"]}">' in page and "toutes les 43200 s" in page
    removed = browser_client.post(
        f"/console/sites/{MILLEIS}/schedules/remove", data={"schedule_id": schedule["id"], "csrf_token": token}
    )
    assert removed.status_code == 302
    assert index.schedules(MILLEIS) == []
    assert audit_actions(console_app)[-2:] == [
        ("editor@example.org", "schedule_add", MILLEIS),
        ("editor@example.org", "schedule_remove", MILLEIS),
    ]


def test_a_cron_schedule_is_kept_and_a_bad_timing_is_a_form_error(browser_client, index):
    signed_in(browser_client, "editor@example.org")
    token = csrf_token(browser_client, f"/console/sites/{MILLEIS}/scans")
    path = f"/console/sites/{MILLEIS}/schedules"
    bad = browser_client.post(
        path, data={"schedule-url": MILLEIS_URL, "schedule-timing": "tuesdays", "csrf_token": token}
    )
    assert bad.status_code == 400
    assert (
        '<p class="error" id="schedule-timing-error">doit être un intervalle (90s, 30m, 12h, 1d, 1w) ou une '
        "expression cron de cinq champs en UTC, par exemple 0 3 * * * </p>"
    ) in bad.get_data(as_text=True)
    assert index.schedules(MILLEIS) == []
    good = browser_client.post(
        path, data={"schedule-url": MILLEIS_URL, "schedule-timing": "0 3 * * *", "csrf_token": token}
    )
    assert good.status_code == 302
    assert [(s["every_s"], s["cron"]) for s in index.schedules(MILLEIS)] == [(None, "0 3 * * *")]


def test_a_scan_or_schedule_of_an_address_off_the_sites_origins_is_refused(browser_client, index):
    signed_in(browser_client, "editor@example.org")
    token = csrf_token(browser_client, f"/console/sites/{MILLEIS}/scans")
    scan = browser_client.post(
        f"/console/sites/{MILLEIS}/scans", data={"url": "http://169.254.169.254/latest", "csrf_token": token}
    )
    assert scan.status_code == 400
    assert "doit être une adresse http:// ou https:// sur l&#39;une des origines du site" in scan.get_data(as_text=True)
    schedule = browser_client.post(
        f"/console/sites/{MILLEIS}/schedules",
        data={"schedule-url": "https://example.org/", "schedule-timing": "1d", "csrf_token": token},
    )
    assert schedule.status_code == 400
    assert index.list(MILLEIS) == [] and index.schedules(MILLEIS) == []


def test_scan_and_schedule_forms_without_their_csrf_token_change_nothing(browser_client, console_app, index):
    signed_in(browser_client, "editor@example.org")
    token = csrf_token(browser_client, f"/console/sites/{MILLEIS}/scans")
    path = f"/console/sites/{MILLEIS}/schedules"
    browser_client.post(path, data={"schedule-url": MILLEIS_URL, "schedule-timing": "1d", "csrf_token": token})
    [schedule] = index.schedules(MILLEIS)
    before = audit_actions(console_app)
    attempts = [
        (f"/console/sites/{MILLEIS}/scans", {"url": MILLEIS_URL}),
        (path, {"schedule-url": MILLEIS_URL, "schedule-timing": "1d"}),
        (f"/console/sites/{MILLEIS}/schedules/remove", {"schedule_id": schedule["id"]}),
    ]
    for target, data in attempts:
        assert browser_client.post(target, data=data).status_code == 400
    assert index.list(MILLEIS) == []
    assert index.schedules(MILLEIS) == [schedule]
    assert audit_actions(console_app) == before


@pytest.mark.redis
def test_an_editor_starts_a_scan_queued_as_cmpctl_queues_it_and_audited(make_app, redis_url):
    import redis
    from rq import Queue

    from .helpers import add_user

    app = make_app(STORE_URL=redis_url)
    add_user(app, "editor@example.org", "editor", [MILLEIS])
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    signed_in(client, "editor@example.org")
    token = csrf_token(client, f"/console/sites/{MILLEIS}/scans")
    started = client.post(f"/console/sites/{MILLEIS}/scans", data={"url": MILLEIS_URL + "/", "csrf_token": token})
    assert started.status_code == 302
    index = scan_index_from_url(redis_url)
    try:
        [scan] = index.list(MILLEIS)
        assert started.headers["Location"] == f"/console/sites/{MILLEIS}/scans/{scan.id}"
        assert (scan.status, scan.url, scan.inventory_revision) == (
            "queued",
            MILLEIS_URL + "/",
            app.extensions["cmp.sites"][MILLEIS].revision,
        )
        assert scan.request["inventory_source"] == app.extensions["cmp.sites"][MILLEIS].source
        queue = Queue("cmp-scans", connection=redis.Redis.from_url(redis_url))
        job = queue.fetch_job(scan.id)
        assert (job.func_name, job.args) == ("jobs.scan.run_scan", (scan.id,))
    finally:
        index.close()
    assert audit_actions(app)[-1] == ("editor@example.org", "scan_start", MILLEIS)
