"""`cmpctl scan` refuses bad input before starting a browser: a message naming the option or
file, and exit status 2."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from cmpctl.cli import main
from scanner import rules

from .helpers import FIXTURE_INVENTORY

INV = ["--inventory", str(FIXTURE_INVENTORY)]


def run(*args):
    return CliRunner().invoke(main, ["scan", *args])


@pytest.mark.parametrize(
    "args, message",
    [
        (["ftp://shop.example/", *INV], "cmpctl: URL 'ftp://shop.example/': must be an http:// or https:// address"),
        (["shop.example", *INV], "cmpctl: URL 'shop.example': must be an http:// or https:// address"),
        (["http://127.0.0.1/"], "cmpctl: give exactly one of --site ID or --inventory FILE"),
        (["http://127.0.0.1/", "--site", "nope"], "cmpctl: --site 'nope': no such site; known: "),
        (["http://127.0.0.1/", *INV, "--format", "json,pdf"], "cmpctl: --format 'json,pdf': choose among json, html"),
        (
            ["http://127.0.0.1/", *INV, "--fail-on", "pre-consent,sloppy"],
            "cmpctl: --fail-on: unknown rule(s) sloppy; rules are " + ", ".join(rules.RULES),
        ),
        (["http://127.0.0.1/", *INV, "--cookie", "session"], "cmpctl: --cookie 'session': must be NAME=VALUE"),
    ],
)
def test_bad_options_exit_2_with_a_message_naming_them(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_a_broken_inventory_file_is_named_with_its_line(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    result = run("http://127.0.0.1/", "--inventory", str(broken))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cmpctl: {broken}:")


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot be read"),
        ("{not json", "not JSON"),
        ('["a list"]', "not a Playwright storage state"),
    ],
)
def test_a_bad_storage_state_file_is_refused(tmp_path, content, message):
    path = tmp_path / "state.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("http://127.0.0.1/", *INV, "--storage-state", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cmpctl: --storage-state {path}: {message}")


def test_a_known_cookies_file_that_is_not_the_open_cookie_database_is_refused(tmp_path):
    path = tmp_path / "cookies.csv"
    path.write_text("Name,Category\n_ga,Analytics\n", encoding="utf-8")
    result = run("http://127.0.0.1/", *INV, "--suggest", str(tmp_path / "s.yaml"), "--known-cookies", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cmpctl: --known-cookies {path}: not an Open Cookie Database CSV")


def test_out_of_range_numbers_are_usage_errors():
    result = run("http://127.0.0.1/", *INV, "--max-pages", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--max-pages'" in result.stderr


def test_the_help_names_every_rule_fail_on_accepts():
    from cmpctl.scan import RULE_NAMES, scan

    assert RULE_NAMES.split(", ") == list(rules.RULES)
    fail_on = next(p for p in scan.params if p.name == "fail_on")
    assert fail_on.help == f"Exit 1 when a finding of these rules exists ({RULE_NAMES})."
    assert "--fail-on RULE[,RULE…]" in run("--help").stdout


def test_cmpctl_help_lists_scan_without_loading_the_browser_driver():
    code = (
        "import sys; from cmpctl.cli import main; "
        "print(main.get_command(None, 'scan').name, 'playwright' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["scan", "False"]


def test_a_crash_is_a_run_error_never_mistaken_for_findings(monkeypatch):
    async def broken(options, progress):
        raise RuntimeError("boom")

    monkeypatch.setattr("scanner.phases.scan", broken)
    result = run("http://127.0.0.1/", *INV, "--quiet")
    assert result.exit_code == 2
    assert "RuntimeError: boom" in result.stderr
    assert result.stderr.splitlines()[-1] == "cmpctl: the scan stopped on an unexpected error (traceback above)"
