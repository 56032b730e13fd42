"""Our own demo portals, served by the real consent service (`cmpctl serve` in a subprocess),
scanned by the real `cmpctl` command: they must come out clean against their inventories."""

import json
import shutil
import subprocess
import sys

import pytest

from tests.support.processes import ServiceProcess

pytestmark = pytest.mark.browser
# Every rule but the informational one: the demo is not an ASP.NET app on Azure, so the
# inventories' server cookies (ARRAffinity, ASP.NET_SessionId, …) are declared but never set.
FAIL_ON = "undeclared,pre-consent,after-refusal,over-13-months,exceeds-declared"


def cmpctl():
    found = shutil.which("cmpctl")
    return [found] if found else [sys.executable, "-m", "cmpctl"]


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    store = tmp_path_factory.mktemp("demo-store") / "consents.db"
    running = ServiceProcess(
        env={
            "CMP_SECRET_KEY": "scanner-demo-test",
            "CMP_STORE_URL": f"sqlite:///{store}",
            "CMP_RATE_LIMIT": "off",
            "CMP_DEMO": "true",
        }
    ).start()
    yield running
    running.stop()


@pytest.mark.parametrize("site_id", ["amex-portal", "milleis"])
def test_the_demo_portal_comes_out_clean(service, tmp_path, site_id):
    url = f"{service.url}/demo/{site_id}/"
    done = subprocess.run(
        [*cmpctl(), "scan", url, "--site", site_id, "--out", str(tmp_path), "--fail-on", FAIL_ON],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))

    assert report["summary"]["verdict"] == "pass"
    assert report["summary"]["by_severity"]["error"] == report["summary"]["by_severity"]["warning"] == 0
    assert {f["rule"] for f in report["findings"]} <= {"declared-not-seen"}
    assert [i for i in report["items"] if i["declared"] is None] == []
    # The widget's banner is answered as a visitor would: by clicking its visible buttons (in
    # the widget's shadow root), not through window.CMP; the page embeds this site's widget.
    assert {phase: (b["method"], b["clicked"], b["in_shadow_root"]) for phase, b in report["banner"].items()} == {
        "before": ("button-text", "Tout refuser", True),
        "refuse": ("button-text", "Tout refuser", True),
        "accept": ("button-text", "Tout accepter", True),
    }
    assert {b["widget_site"] for b in report["banner"].values()} == {site_id}
    # Three different pictures: the banner untouched, then with the button about to be clicked
    # outlined ("Tout refuser", then "Tout accepter").
    shots = {phase: (tmp_path / b["screenshot"]).read_bytes() for phase, b in report["banner"].items()}
    assert len(set(shots.values())) == 3
    consent = next(i for i in report["items"] if i["name"] == "cmp_consent")
    assert (consent["phases"], consent["set_by"], consent["declared"]["service"]) == (["refuse", "accept"], "js", "cmp")
    # Each phase crawled the portal's pages, all answered.
    for phase in ("before", "refuse", "accept"):
        pages = {p["url"].split("?")[0] for p in report["pages"] if p["phase"] == phase}
        assert pages == {url, url + "services", url + "contact"}
        assert {p["status"] for p in report["pages"] if p["phase"] == phase} == {200}
    assert done.stdout.startswith(f"Scan of {url} against inventory '{site_id}': PASS (0 error(s), 0 warning(s), ")


def test_a_portal_scanned_against_another_sites_inventory_warns_of_the_other_sites_widget(service, tmp_path):
    url = f"{service.url}/demo/amex-portal/"
    done = subprocess.run(
        # --depth 0: the widget a page embeds is read on the start page.
        [
            *cmpctl(),
            "scan",
            url,
            "--site",
            "milleis",
            "--out",
            str(tmp_path),
            "--fail-on",
            "other-site-widget",
            "--depth",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))

    widget = [f for f in report["findings"] if f["rule"] == "other-site-widget"]
    assert widget == [
        {
            "rule": "other-site-widget",
            "severity": "warning",
            "item": "amex-portal",
            "kind": "widget",
            "domain": None,
            "path": None,
            "phase": "before",
            "detail": "the page embeds the widget of site 'amex-portal', not of 'milleis' "
            "(the inventory scanned against)",
        }
    ]
    assert report["summary"]["findings"]["other-site-widget"] == 1
