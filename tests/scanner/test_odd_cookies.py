"""Set-Cookie lines with unusual names, values and attributes, against real Chromium: each
cookie is reported once, under the domain the browser's jar gave it; the line the browser
refused is reported once too, under the domain it asked for, marked as not stored."""

import json

import pytest
from click.testing import CliRunner

from cmpctl.cli import main

from .fixture_site.server import FixtureSite
from .helpers import FIXTURE_INVENTORY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("odd")
    with FixtureSite() as site:
        args = ["scan", site.url + "odd-cookies", "--inventory", str(FIXTURE_INVENTORY), "--out", str(out)]
        # --grace 0: the page sets all its cookies as it loads (headers and an inline script).
        result = CliRunner().invoke(main, [*args, "--depth", "0", "--format", "json", "--grace", "0"])
    assert result.exit_code == 0, result.output
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_each_cookie_is_reported_once_under_the_domain_of_the_browsers_jar(report):
    found = report
    assert [(i["name"], i["domain"], i["party"], i["set_by"], i["stored"]) for i in found["items"]] == [
        ("", "127.0.0.1", "first", "http", True),  # "=nameless": a cookie without a name
        ('"quoted"', "127.0.0.1", "first", "http", True),
        ("dotted_ip", "127.0.0.1", "first", "http", True),  # Domain=.127.0.0.1: host-only
        ("empty_domain", "127.0.0.1", "first", "http", True),
        ("from_blank", "127.0.0.1", "first", "js", True),  # written in an about:blank frame
        ("odd_case", "127.0.0.1", "first", "http", True),
        ("semi", "127.0.0.1", "first", "http", True),
        ("spaced name", "127.0.0.1", "first", "http", True),
        ("two_domains", "127.0.0.1", "first", "http", True),  # the last Domain wins
        ("foreign", ".example.com", "third", "http", False),
    ]


def test_attributes_in_odd_case_are_read(report):
    found = report
    odd = next(i for i in found["items"] if i["name"] == "odd_case")
    assert (odd["requested_lifetime_s"], odd["http_only"], odd["same_site"]) == (60, True, "Strict")


def test_a_line_the_browser_refused_is_reported_once_with_its_reason(report):
    found = report
    foreign = next(i for i in found["items"] if i["name"] == "foreign")
    assert (foreign["stored"], foreign["blocked_reasons"], foreign["stored_lifetime_s"]) == (
        False,
        ["InvalidDomain"],
        None,
    )
