"""A full scan of the fixture site through `cmpctl scan` must find exactly its ground truth
(fixture_site/expected.yaml): every item in the right phases, with the lifetimes asked for and
stored, how and by what it was set, and the expected findings."""

import json

import pytest
import yaml
from click.testing import CliRunner

import inventory
from cmpctl.cli import main
from inventory.loader import _validator

from .fixture_site.server import FixtureSite
from .helpers import FIXTURE_DIR, FIXTURE_INVENTORY

pytestmark = pytest.mark.browser
EXPECTED = yaml.safe_load((FIXTURE_DIR / "expected.yaml").read_text(encoding="utf-8"))
STORED_LIFETIME_SLACK_S = 2


@pytest.fixture(scope="module")
def site():
    with FixtureSite() as running:
        yield running


@pytest.fixture(scope="module")
def scan(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("scan-out")
    result = CliRunner().invoke(
        main,
        [
            "scan",
            site.url,
            "--inventory",
            str(FIXTURE_INVENTORY),
            "--out",
            str(out),
            "--suggest",
            str(out / "suggested.yaml"),
            "--fail-on",
            "pre-consent,after-refusal",
        ],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result, json.loads((out / "report.json").read_text(encoding="utf-8")), out


def resolve(site, value):
    """expected.yaml's "site:/x" and "third:/x" as real URLs; lists stay lists."""
    if isinstance(value, list):
        return [resolve(site, v) for v in value]
    if isinstance(value, str) and value.startswith("site:"):
        return site.url.rstrip("/") + value[len("site:") :]
    if isinstance(value, str) and value.startswith("third:"):
        return site.third_party_url + value[len("third:") :]
    return value


def host(site, name):
    return {"site": site.SITE_HOST, "third": site.THIRD_PARTY_HOST, None: None}[name]


def test_the_scan_exits_1_because_findings_of_the_fail_on_rules_exist(scan):
    result, _, _ = scan
    assert result.exit_code == 1


def test_every_phase_crawls_the_six_pages_at_their_depth(site, scan):
    _, report, _ = scan
    expected = {resolve(site, url): depth for url, depth in EXPECTED["pages"].items()}
    for phase in ("before", "refuse", "accept"):
        pages = [p for p in report["pages"] if p["phase"] == phase]
        assert {p["url"]: p["depth"] for p in pages} == expected
        assert {p["status"] for p in pages} == {200}
    assert report["summary"]["pages"] == {"before": 6, "refuse": 6, "accept": 6}


def test_downloads_fragments_other_sites_and_unlinked_pages_are_not_visited(site, scan):
    _, report, _ = scan
    visited = {p["url"] for p in report["pages"]}
    assert visited.isdisjoint(resolve(site, EXPECTED["never_visited"]))


def test_the_sites_own_banner_is_found_in_its_shadow_root_and_answered_by_its_text(site, scan):
    _, report, out = scan
    for phase, expected in EXPECTED["banner"].items():
        banner = report["banner"][phase]
        assert {k: banner[k] for k in expected} == expected
        assert banner["frame_url"] == site.url
        assert banner["screenshot"] == f"banner-{phase}.jpg"
        assert (out / banner["screenshot"]).read_bytes()[:2] == b"\xff\xd8"  # a JPEG


def test_exactly_the_expected_items_are_reported(site, scan):
    _, report, _ = scan
    found = sorted((i["kind"], i["name"], i["domain"]) for i in report["items"])
    expected = sorted((e["kind"], e["name"], host(site, e["domain"])) for e in EXPECTED["items"])
    assert found == expected


@pytest.mark.parametrize("expected", EXPECTED["items"], ids=[e["name"] for e in EXPECTED["items"]])
def test_each_item_is_found_as_the_ground_truth_says(site, scan, expected):
    _, report, _ = scan
    item = next(i for i in report["items"] if i["name"] == expected["name"] and i["kind"] == expected["kind"])
    for field, want in expected.items():
        got = item[field]
        want = resolve(site, want)
        if field == "domain":
            assert got == host(site, want), field
        elif field == "declared":
            assert (got["service"] if got else None) == want, field
        elif field in ("initiator", "first_seen_url") and isinstance(want, list):
            assert got in want, field
        elif field == "stored_lifetime_s" and want is not None:
            assert abs(got - want) <= STORED_LIFETIME_SLACK_S, field
        else:
            assert got == want, field


def test_the_findings_are_exactly_the_expected_ones(site, scan):
    _, report, _ = scan
    found = [{k: f[k] for k in ("rule", "severity", "item", "domain", "phase")} for f in report["findings"]]
    expected = [{**f, "domain": host(site, f["domain"])} for f in EXPECTED["findings"]]
    assert found == expected


def test_the_console_shows_the_verdict_and_the_log_shows_each_page(site, scan):
    result, report, out = scan
    assert result.stdout.startswith(
        f"Scan of {site.url} against inventory 'fixture-shop': FAIL (5 error(s), 4 warning(s), 1 note(s)) in "
    )
    assert f"Reports: {out / 'report.json'}, {out / 'report.html'}, {out / 'suggested.yaml'}" in result.stdout
    log = result.stderr.splitlines()
    assert len(log) == 18  # not a terminal: one line per page visited
    assert f"scan: [refuse] 200 depth 2 {site.url}b/deep (" in result.stderr


def test_the_html_report_embeds_the_three_screenshots(scan):
    _, _, out = scan
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/jpeg;base64,/9j/") == 3
    assert "<b>Not compliant.</b>" in html


def test_the_suggestion_declares_the_undeclared_items_and_merges_into_a_valid_inventory(scan):
    _, _, out = scan
    suggested = yaml.safe_load((out / "suggested.yaml").read_text(encoding="utf-8"))["services"]
    assert [(s["id"], s["category"], [i["name"] for i in s["items"]]) for s in suggested] == [
        ("unknown-127-0-0-1", "marketing", ["late_probe"]),
        ("unknown-localhost", "marketing", ["tp_lax"]),
    ]
    data = yaml.safe_load(FIXTURE_INVENTORY.read_text(encoding="utf-8"))
    data["services"] += suggested
    assert list(_validator().iter_errors(data)) == []
    inventory.parse_site(yaml.safe_dump(data, allow_unicode=True), "merged.yaml")
