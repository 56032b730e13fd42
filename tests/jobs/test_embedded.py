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
