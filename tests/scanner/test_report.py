"""report.json (the documented format), report.html and the console summary, written from a
scan result without a browser."""

import base64
import json
import re

import pytest

from scanner import report_html
from scanner.phases import PhaseResult, ScanOptions, ScanResult
from scanner.run import finish

from .helpers import T0, fixture_site, jar, storage, write

SHOT = b"\xff\xd8\xff\xe0fake-jpeg"
URL = "http://127.0.0.1/"


def phase(name, observations, banner):
    pages = [
        {"url": URL, "phase": name, "status": 200, "depth": 0},
        {"url": URL + "gone", "phase": name, "status": None, "depth": 1, "error": "net::ERR_FAILED"},
    ]
    return PhaseResult(name, pages, {"phase": name, **banner}, SHOT, observations)


def button(action, clicked):
    return {
        "method": "button-text",
        "action": action,
        "clicked": clicked,
        "frame_url": URL,
        "in_shadow_root": True,
        "widget_site": None,
    }


@pytest.fixture
def written(tmp_path):
    host = dict(host="127.0.0.1", page=URL, initiator=URL + "app.js")
    result = ScanResult(
        URL,
        T0,
        T0 + 7.25,
        [
            phase(
                "before",
                [
                    write("sid=1; HttpOnly", how="http", **host),
                    write("promo=1; Max-Age=63072000", **host),
                    jar("promo", T0 + 400 * 86400, domain="127.0.0.1", at=T0),
                ],
                button(None, "Tout refuser"),
            ),
            phase(
                "refuse",
                [
                    write("fx_choice=refused; Max-Age=600", phase="refuse", **host),
                    storage("fx_prefs", phase="refuse", domain="127.0.0.1"),
                ],
                button("refuse", "Tout refuser"),
            ),
            phase(
                "accept",
                [],
                {"method": "none", "action": "accept", "clicked": None, "frame_url": None, "in_shadow_root": False},
            ),
        ],
    )
    lines = []
    report = finish(result, fixture_site(), ScanOptions(URL), tmp_path, ["json", "html"], echo=lines.append)
    return report, tmp_path, "\n".join(lines)


def test_report_json_has_the_documented_top_level_fields(written):
    report, out, _ = written
    on_disk = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert on_disk == report
    assert list(report) == [
        "format",
        "target",
        "site",
        "started_at",
        "finished_at",
        "duration_s",
        "options",
        "pages",
        "banner",
        "items",
        "findings",
        "summary",
        "limits",
        "bounds",
        "error",
    ]
    assert (report["format"], report["target"], report["site"]) == ("cmp-scan-report/1", URL, "fixture-shop")
    assert (report["started_at"], report["finished_at"], report["duration_s"]) == (
        "2027-01-15T08:00:00Z",
        "2027-01-15T08:00:07Z",
        7.2,
    )
    assert report["options"] == {
        "max_pages": 50,
        "depth": 3,
        "concurrency": 4,
        "block_third_party": False,
        "timeout_s": 30.0,
        "deadline_s": 300.0,
    }
    assert report["error"] is None
    assert report["limits"] == {
        "timeout_s": 30.0,
        "deadline_s": 300.0,
        "deadline_reached": False,
        "timeouts": [],
        "not_visited": {"before": [], "refuse": [], "accept": []},
        "detail": None,
    }
    assert report["pages"][1] == {
        "url": URL + "gone",
        "phase": "before",
        "status": None,
        "depth": 1,
        "error": "net::ERR_FAILED",
    }


def test_each_item_has_the_documented_fields(written):
    report, _, _ = written
    promo = next(i for i in report["items"] if i["name"] == "promo")
    assert promo == {
        "name": "promo",
        "kind": "cookie",
        "domain": "127.0.0.1",
        "path": "/",
        "party": "first",
        "phases": ["before"],
        "first_seen_url": URL,
        "set_by": "js",
        "initiator": URL + "app.js",
        "requested_lifetime_s": 63072000,
        "stored_lifetime_s": 400 * 86400,
        "secure": False,
        "http_only": False,
        "same_site": None,
        "stored": True,
        "blocked_reasons": [],
        "declared": None,
        "findings": ["pre-consent", "over-13-months", "undeclared"],
    }
    fx = next(i for i in report["items"] if i["name"] == "fx_choice")
    assert fx["declared"] == {
        "service": "cmp",
        "service_name": "CMP",
        "category": "necessary",
        "required": True,
        "exempt": False,
        "declared_name": "fx_choice",
        "retention": "180 days",
    }


def test_findings_and_summary_counts(written):
    report, _, _ = written
    undeclared = next(f for f in report["findings"] if f["rule"] == "undeclared")
    assert undeclared == {
        "rule": "undeclared",
        "severity": "warning",
        "item": "promo",
        "kind": "cookie",
        "domain": "127.0.0.1",
        "path": "/",
        "phase": "before",
        "detail": f"matches no declaration; set by {URL}app.js on {URL}",
    }
    assert report["summary"] == {
        "verdict": "fail",
        "pages": {"before": 2, "refuse": 2, "accept": 2},
        "items": 4,
        "items_by_kind": {
            "cookie": 3,
            "localStorage": 1,
            "sessionStorage": 0,
            "indexedDB": 0,
            "cacheStorage": 0,
            "serviceWorker": 0,
        },
        "third_party": 0,
        "undeclared": 1,
        "findings": {
            "undeclared": 1,
            "pre-consent": 1,
            "after-refusal": 0,
            "over-13-months": 1,
            "exceeds-declared": 0,
            "declared-not-seen": 9,
            "other-site-widget": 0,
        },
        "by_severity": {"error": 2, "warning": 1, "info": 9},
        "timeouts": 0,
        "deadline_reached": False,
    }


def test_banner_handling_is_told_per_phase_with_its_screenshot_file(written):
    report, out, _ = written
    assert report["banner"]["refuse"] == {
        "method": "button-text",
        "action": "refuse",
        "clicked": "Tout refuser",
        "frame_url": URL,
        "in_shadow_root": True,
        "widget_site": None,
        "detail": f"clicked 'Tout refuser' in a shadow root (frame {URL}), found by its text",
        "screenshot": "banner-refuse.jpg",
    }
    assert (
        report["banner"]["accept"]["detail"]
        == "no banner was found to accept all: the crawl went on without a decision"
    )
    assert report["banner"]["before"]["detail"].startswith("no decision in this phase; a banner was found")
    assert (out / "banner-refuse.jpg").read_bytes() == SHOT


def test_the_html_report_is_one_self_contained_page(written):
    _, out, _ = written
    html = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r"""(src|href)=["'](https?:|//)""", html) is None  # nothing fetched from elsewhere
    assert "<link" not in html
    assert html.count("data:image/jpeg;base64," + base64.b64encode(SHOT).decode()) == 3
    assert "<b>Not compliant.</b>" in html
    assert html.index("<h2>Findings</h2>") < html.index("<h2>Items</h2>") < html.index("<h2>Pages crawled</h2>")
    assert '<select id="f-phase">' in html and '<select id="f-status">' in html
    assert '<tr data-phases="before" data-status="finding undeclared " data-name="promo">' in html
    assert "730 days (63072000 s)" in html and "400 days (34560000 s)" in html


def test_the_console_summary_leads_with_the_verdict_and_lists_findings(written):
    _, out, text = written
    lines = text.splitlines()
    assert lines[0] == (
        f"Scan of {URL} against inventory 'fixture-shop': FAIL (2 error(s), 1 warning(s), 9 note(s)) in 7.2 s"
    )
    assert lines[1] == "Pages: before 2, refuse 2, accept 2; items: 4 (0 third-party, 1 undeclared)"
    assert lines[3] == f"Banner, refuse: clicked 'Tout refuser' in a shadow root (frame {URL}), found by its text"
    assert re.search(r"^RULE +SEVERITY +ITEM +DOMAIN +PHASE +DETAIL$", text, re.M)
    assert re.search(r"^over-13-months +error +promo +127\.0\.0\.1 +before +asks for 63072000 s", text, re.M)
    assert lines[-1] == f"Reports: {out / 'report.json'}, {out / 'report.html'}"


def test_only_the_requested_formats_are_written(tmp_path):
    result = ScanResult(URL, T0, T0 + 1, [phase("before", [], button(None, "Tout refuser"))])
    finish(result, fixture_site(), ScanOptions(URL), tmp_path, ["html"], echo=lambda _: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_findings_are_sorted_by_severity_then_rule(written):
    report, _, _ = written
    assert [(f["severity"], f["rule"]) for f in report["findings"]] == [
        ("error", "pre-consent"),
        ("error", "over-13-months"),
        ("warning", "undeclared"),
        *[("info", "declared-not-seen")] * 9,
    ]


def test_the_html_report_is_in_english_by_default_and_in_french_on_request(written, tmp_path):
    report, out, _ = written
    english = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "<h2>Findings</h2>" in english

    french = report_html.render(report, {}, "fr")
    assert '<html lang="fr">' in french
    assert "<h1>Analyse des cookies de http://127.0.0.1/</h1>" in french
    for heading in ("Constats", "Bandeau de consentement", "Éléments", "Pages parcourues"):
        assert f"<h2>{heading}</h2>" in french
    assert "<b>Non conforme.</b>" in french and "<th>Gravité</th>" in french
    assert "<h2>Findings</h2>" not in french


def test_the_html_report_lists_findings_in_the_reports_order(written):
    report, out, _ = written
    html = (out / "report.html").read_text(encoding="utf-8")
    rows = re.findall(r'<span class="sev (\w+)">', html)
    assert rows == [f["severity"] for f in report["findings"]]
    assert rows[:3] == ["error", "error", "warning"]
