"""cmpctl, through its real entry point."""

import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

import inventory
from cmpctl.cli import main
from cmpctl.common import ExitStatus

AMEX = (Path(inventory.__file__).parent / "sites" / "amex-portal.yaml").read_text(encoding="utf-8")


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {}, catch_exceptions=False)


def test_inventory_check_passes_on_the_shipped_inventories():
    result = run("inventory", "check")
    assert result.exit_code == ExitStatus.OK
    assert "amex-portal.yaml: ok (amex-portal" in result.output
    assert "milleis.yaml: ok (milleis" in result.output


def test_inventory_check_names_file_line_and_field_and_exits_1(tmp_path):
    path = tmp_path / "amex-portal.yaml"
    path.write_text(AMEX.replace("retention: 1 year", "retention: forever"), encoding="utf-8")
    result = run("inventory", "check", str(path))
    assert result.exit_code == ExitStatus.FINDINGS
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "forever" in text)
    assert f"{path}:{line}: services[3].items[0].retention: 'forever' must be" in result.output
    assert "1 problem(s) found" in result.output


def test_inventory_check_reads_the_folder_from_the_environment(tmp_path):
    (tmp_path / "amex-portal.yaml").write_text(AMEX, encoding="utf-8")
    result = run("inventory", "check", env={"CMP_INVENTORY_DIR": str(tmp_path)})
    assert result.exit_code == 0
    assert "milleis" not in result.output


def test_inventory_table_prints_markdown_in_french():
    result = run("inventory", "table", "--site", "amex-portal", "--lang", "fr", "--format", "md")
    assert result.exit_code == 0
    assert "| Piwik PRO | _pk_id.* |" in result.output


def test_inventory_table_refuses_an_unknown_site_or_language():
    result = run("inventory", "table", "--site", "nope")
    assert result.exit_code == ExitStatus.ERROR
    assert "--site 'nope': no such site; known: amex-portal, milleis" in result.output
    result = run("inventory", "table", "--site", "milleis", "--lang", "de")
    assert result.exit_code == ExitStatus.ERROR
    assert "--lang 'de'" in result.output


def test_settings_lists_every_environment_variable():
    result = run("settings")
    for name in ("CMP_STORE_URL", "CMP_SECRET_KEY", "CMP_ADMIN_API_KEY", "CMP_INVENTORY_DIR"):
        assert name in result.output


def test_serve_refuses_to_start_without_a_secret(tmp_path):
    result = run("serve", "--port", "1", env={"CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"})
    assert result.exit_code == ExitStatus.ERROR
    assert "CMP_SECRET_KEY is required" in result.output


def test_purge_needs_no_signing_key_and_reports_what_it_deleted_per_kind(tmp_path):
    result = run("purge", env={"CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"})
    assert result.exit_code == 0
    assert result.output == "purged consents: 0, proofs: 0\n"


def test_the_installed_entry_point_runs():
    completed = subprocess.run([sys.executable, "-m", "cmpctl", "--help"], capture_output=True, text=True)
    assert completed.returncode == 0
    assert "inventory" in completed.stdout and "serve" in completed.stdout


def test_purge_deletes_expired_consents_but_keeps_their_proofs(make_app, tmp_path):
    from tests.cmp.helpers import decide

    store_url = f"sqlite:///{tmp_path}/c.db"
    decide(make_app(STORE_URL=store_url).test_client())
    env = {"CMP_SECRET_KEY": "k", "CMP_STORE_URL": store_url, "CMP_CLOCK_OFFSET_S": str(181 * 86400)}
    result = run("purge", env=env)
    assert result.output == "purged consents: 1, proofs: 0\n"


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


def test_every_command_and_option_help_is_a_whole_sentence():
    for path, command in _commands(main):
        listed = command.get_short_help_str(limit=80)
        assert listed.endswith(".") and not listed.endswith("..."), f"cmpctl {' '.join(path)}: {listed!r}"
        for param in command.params:
            if isinstance(param, click.Option) and param.help:
                assert param.help.endswith((".", ")")), f"cmpctl {' '.join(path)} {param.opts[0]}: {param.help!r}"


def test_an_empty_inventory_folder_and_a_missing_file_are_errors_not_findings(tmp_path):
    result = run("inventory", "check", env={"CMP_INVENTORY_DIR": str(tmp_path)})
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == f"cmpctl: {tmp_path}: holds no inventory (<site>.yaml)\n"
    result = run("inventory", "check", str(tmp_path / "nope.yaml"))
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == f"cmpctl: {tmp_path / 'nope.yaml'}: no such file\n"
