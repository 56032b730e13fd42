"""`cmpctl scan` options against the fixture site, one start page each (--depth 0): exit 0 when
clean, selectors, blocked third-party cookies, authenticated scans, banners in an iframe or
driven through window.CMP, no banner at all, and an unreachable site."""

import json

import pytest
import yaml
from click.testing import CliRunner

from cmpctl.cli import main
from tests.support.processes import free_port

from .fixture_site.server import FixtureSite
from .helpers import FIXTURE_INVENTORY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    with FixtureSite() as running:
        yield running


def scan(tmp_path, url, *options, inventory=FIXTURE_INVENTORY):
    # --grace 0: of what these pages set, only the home page's late_probe waits for a timer, and no
    # test here looks at it (tests/scanner/test_fixture_scan.py checks that the grace catches it).
    out = tmp_path / "out"
    args = ["scan", url, "--inventory", str(inventory), "--out", str(out), "--depth", "0", "--format", "json"]
    result = CliRunner().invoke(main, [*args, "--grace", "0", *options])
    report_file = out / "report.json"
    report = json.loads(report_file.read_text(encoding="utf-8")) if report_file.exists() else None
    return result, report


def item(report, name):
    return next(i for i in report["items"] if i["name"] == name)


def test_a_scan_without_findings_of_the_fail_on_rules_exits_0(site, tmp_path):
    # Declare only what the home page sets: nothing declared goes unseen.
    data = yaml.safe_load(FIXTURE_INVENTORY.read_text(encoding="utf-8"))
    for service in data["services"]:
        service["items"] = [i for i in service["items"] if i["name"] not in ("cart", "legacy_tracker")]
    inventory = tmp_path / "fixture-shop.yaml"
    inventory.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result, report = scan(tmp_path, site.url, "--fail-on", "declared-not-seen", inventory=inventory)
    assert result.exit_code == 0, result.output
    assert [(p["phase"], p["url"], p["depth"]) for p in report["pages"]] == [
        ("before", site.url, 0),
        ("refuse", site.url, 0),
        ("accept", site.url, 0),
    ]
    assert report["summary"]["findings"]["declared-not-seen"] == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "banner-accept.jpg",
        "banner-before.jpg",
        "banner-refuse.jpg",
        "report.json",
    ]


def test_selectors_given_by_the_user_answer_the_banner(site, tmp_path):
    result, report = scan(tmp_path, site.url, "--refuse-selector", "#none", "--accept-selector", "button#all")
    assert result.exit_code == 0
    assert {phase: (b["method"], b["clicked"], b["in_shadow_root"]) for phase, b in report["banner"].items()} == {
        "before": ("button-text", "Tout refuser", True),
        "refuse": ("selector", "Tout refuser", True),
        "accept": ("selector", "Tout accepter", True),
    }
    assert item(report, "fx_choice")["phases"] == ["refuse", "accept"]


def test_with_third_party_cookies_blocked_the_refused_cookies_are_reported_with_the_reason(site, tmp_path):
    result, report = scan(tmp_path, site.url, "--block-third-party")
    assert result.exit_code == 0
    assert report["options"]["block_third_party"] is True
    assert {
        (i["name"], i["stored"], tuple(i["blocked_reasons"])) for i in report["items"] if i["party"] == "third"
    } == {
        ("tp_uid", False, ("UserPreferences",)),
        ("tp_lax", False, ("UserPreferences",)),
        ("tp_js", False, ("IgnoredByBrowser",)),
    }
    # A default browser keeps first-party cookies, the partner's script's included.
    assert (item(report, "_tag_id")["stored"], item(report, "_tag_id")["stored_lifetime_s"] > 0) == (True, True)


@pytest.mark.parametrize("how", ["cookie", "storage-state"])
def test_an_authenticated_scan_reaches_pages_only_members_are_linked_to(site, tmp_path, how):
    if how == "cookie":
        options = ["--cookie", "auth=ok"]
    else:
        state = tmp_path / "state.json"
        state.write_text(
            json.dumps(
                {
                    "cookies": [
                        {
                            "name": "auth",
                            "value": "ok",
                            "domain": site.SITE_HOST,
                            "path": "/",
                            "expires": -1,
                            "httpOnly": False,
                            "secure": False,
                            "sameSite": "Lax",
                        }
                    ],
                    "origins": [],
                }
            ),
            encoding="utf-8",
        )
        options = ["--storage-state", str(state)]
    result, report = scan(tmp_path, site.url, "--depth", "1", *options)
    assert result.exit_code == 0
    account = [(p["phase"], p["status"]) for p in report["pages"] if p["url"] == site.url + "account"]
    assert account == [("before", 200), ("refuse", 200), ("accept", 200)]
    assert "auth" not in {i["name"] for i in report["items"]}  # our own cookie is not the site's


def test_a_banner_inside_a_third_party_iframe_is_found_by_its_english_text(site, tmp_path):
    _, report = scan(tmp_path, site.url + "framed")
    frame = site.third_party_url + "/consent-frame"
    assert {phase: (b["method"], b["clicked"], b["frame_url"]) for phase, b in report["banner"].items()} == {
        "before": ("button-text", "Reject all", frame),
        "refuse": ("button-text", "Reject all", frame),
        "accept": ("button-text", "Accept all", frame),
    }
    choice = item(report, "frame_choice")
    assert (choice["domain"], choice["party"], choice["phases"], choice["set_by"], choice["initiator"]) == (
        site.THIRD_PARTY_HOST,
        "third",
        ["refuse", "accept"],
        "js",
        frame,
    )


@pytest.fixture(scope="module")
def widget_scan(site, tmp_path_factory):
    """One scan of the page driven through window.CMP, its HTML report in French."""
    out = tmp_path_factory.mktemp("widget")
    _, report = scan(out, site.url + "widget", "--format", "json,html", "--report-lang", "fr")
    return report, out / "out"


def test_our_widget_is_answered_through_window_cmp(widget_scan):
    report, _ = widget_scan
    assert {phase: (b["method"], b["clicked"]) for phase, b in report["banner"].items()} == {
        "before": ("widget-api", None),
        "refuse": ("widget-api", "window.CMP.refuseAll()"),
        "accept": ("widget-api", "window.CMP.acceptAll()"),
    }
    assert report["banner"]["refuse"]["detail"] == "answered through the project's widget: window.CMP.refuseAll()"
    assert item(report, "w_choice")["phases"] == ["refuse", "accept"]


def test_a_site_without_a_banner_is_crawled_and_reported_as_such(site, tmp_path):
    _, report = scan(tmp_path, site.third_party_url + "/elsewhere")
    assert {phase: b["method"] for phase, b in report["banner"].items()} == {
        "before": "none",
        "refuse": "none",
        "accept": "none",
    }
    assert (
        report["banner"]["refuse"]["detail"]
        == "no banner was found to refuse all: the crawl went on without a decision"
    )
    assert [p["status"] for p in report["pages"]] == [200, 200, 200]


def test_an_unreachable_site_is_a_run_error_exit_2(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/"
    result, report = scan(tmp_path, url)
    assert result.exit_code == 2
    message = result.stderr.splitlines()[-1]
    assert message.startswith(f"cmpctl: scan of {url} failed: {url} could not be loaded: ")
    assert "ERR_CONNECTION_REFUSED" in message
    # The reports are still written, saying the scan could not run and why.
    assert (report["summary"]["verdict"], report["error"]) == ("error", message.split(" failed: ", 1)[1])
    assert report["findings"] == []


def test_report_lang_fr_writes_the_html_report_in_french(widget_scan):
    _, out = widget_scan
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "<h2>Constats</h2>" in html and "<h2>Bandeau de consentement</h2>" in html


def test_report_lang_accepts_only_english_and_french():
    result = CliRunner().invoke(
        main, ["scan", "http://127.0.0.1/", "--inventory", str(FIXTURE_INVENTORY), "--report-lang", "de"]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--report-lang'" in result.stderr
