"""The scan-history, schedule and worker commands refuse bad input with one line naming it and
exit status 2, leaving what is stored as it was."""

import pytest
from click.testing import CliRunner

from cmpctl.cli import main
from tests.jobs.helpers import INVENTORY


@pytest.fixture
def env(tmp_path):
    return {"CMP_STORE_URL": f"sqlite:///{tmp_path / 'cmp.db'}"}


@pytest.mark.parametrize(
    "args, extra_env, message",
    [
        (["scans", "list"], {}, "cmpctl: --site is required: the site whose scans to list\n"),
        (["scans", "show", "nope"], {}, "cmpctl: no scan 'nope'; `cmpctl scans list --site SITE` lists them\n"),
        (["scans", "show", "nope", "--json", "--html"], {}, "cmpctl: give at most one of --json and --html\n"),
        (
            ["scan", "http://127.0.0.1/", "--inventory", str(INVENTORY), "--enqueue", "--out", "somewhere"],
            {},
            "cmpctl: --out cannot be used with --enqueue: a queued scan keeps its report in the scan history\n",
        ),
        (
            ["worker", "--burst"],
            {"CMP_STORE_URL": "redis+cluster://127.0.0.1:1"},
            "cmpctl: CMP_QUEUE_URL is needed with a redis+cluster store: RQ runs on one Redis server "
            "(redis://host:port/db)\n",
        ),
        (
            ["worker", "--burst"],
            {"CMP_QUEUE_URL": "http://127.0.0.1:1/"},
            "cmpctl: CMP_QUEUE_URL='http://127.0.0.1:1/': expected redis://host:port/db\n",
        ),
    ],
)
def test_bad_input_is_one_line_naming_it_and_exit_2(env, args, extra_env, message):
    result = CliRunner().invoke(main, args, env={**env, **extra_env})
    assert (result.exit_code, result.stderr) == (2, message)
