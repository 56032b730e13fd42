"""On the embedded default (SQLite, no Redis) the same commands queue scans, which run in local
background processes: nothing else to start."""

import json

import pytest

from .helpers import cmpctl, enqueue, wait_for_status
from .sites import Served, changing_app

pytestmark = pytest.mark.browser


@pytest.fixture
def env(tmp_path):
    return {"CMP_STORE_URL": f"sqlite:///{tmp_path / 'cmp.db'}", "CMP_SCAN_HEARTBEAT_S": "1"}


def test_a_queued_scan_runs_in_the_background_and_joins_the_sites_history(env):
    with Served(changing_app({"version": 1})) as site:
        scan_id = enqueue(env, site.url)
        scan = wait_for_status(env, scan_id)
    assert scan["status"] == "finished", scan
    assert scan["site"] == "changing-shop"
    assert scan["attempts"] == 1
    assert scan["progress"]["pages_done"] >= 3
    assert {(i["kind"], i["name"]) for i in scan["report"]["items"]} == {("cookie", "sid"), ("localStorage", "cart")}
    listed = json.loads(cmpctl(env, "scans", "list", "--site", "changing-shop", "--json").stdout)
    assert [(s["id"], s["status"], s["url"]) for s in listed] == [(scan_id, "finished", site.url)]
    assert listed[0]["summary"]["items"] == 2
    assert listed[0]["started_at"] <= listed[0]["finished_at"]
    html = cmpctl(env, "scans", "show", scan_id, "--html").stdout
    assert html.startswith("<!doctype html>") and site.url in html


def test_two_scans_of_a_changing_site_are_compared_by_scans_diff(env):
    state = {"version": 1}
    with Served(changing_app(state)) as site:
        first = wait_for_status(env, enqueue(env, site.url))
        state["version"] = 2
        second = wait_for_status(env, enqueue(env, site.url))
    assert (first["status"], second["status"]) == ("finished", "finished")
    assert second["previous_scan_id"] == first["id"]
    assert second["changes"] == {"added": 1, "removed": 0, "changed": 1, "new_findings": 4, "resolved_findings": 0}
    changes = json.loads(cmpctl(env, "scans", "diff", first["id"], second["id"], "--json").stdout)
    assert [(i["kind"], i["name"], i["domain"], i["path"]) for i in changes["added"]] == [
        ("cookie", "_trk", "127.0.0.1", "/")
    ]
    assert [(i["name"], i["changes"]) for i in changes["changed"]] == [
        ("sid", {"requested_lifetime_s": {"old": 86400, "new": 172800}})
    ]
    assert sorted((f["rule"], f["item"]) for f in changes["new_findings"]) == [
        ("after-refusal", "_trk"),
        ("exceeds-declared", "sid"),
        ("pre-consent", "_trk"),
        ("undeclared", "_trk"),
    ]
    assert changes["removed"] == changes["resolved_findings"] == []
    text = cmpctl(env, "scans", "diff", first["id"], second["id"]).stdout
    assert "  + cookie _trk on 127.0.0.1 (first party, before, refuse, accept)" in text


def test_scans_diff_names_a_scan_it_cannot_compare(env):
    result = cmpctl(env, "scans", "diff", "nope-1", "nope-2", check=False)
    assert (result.returncode, result.stderr) == (2, "cmpctl: OLD 'nope-1': no such scan\n")
