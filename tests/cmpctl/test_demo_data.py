"""cmpctl demo-data: a demo admin and synthetic decisions, counted by the service's own code."""

import datetime as dt
import re

from click.testing import CliRunner

import inventory
from cmp import clock, outcomes, passwords, stats
from cmp.app import open_store
from cmp.settings import load
from cmpctl.cli import main


def test_demo_data_counts_exactly_what_its_proof_log_holds_and_prints_a_working_admin(tmp_path):
    env = {"CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"}
    result = CliRunner().invoke(main, ["demo-data", "--days", "3", "--per-day", "20", "--seed", "7"], env=env)
    assert result.exit_code == 0, result.output
    store = open_store(load(environ=env))
    admin, password = re.search(r"e-mail (\S+)  password (\S+)", result.output).groups()
    assert passwords.verify(password, store.users.get(admin).password_hash)
    site = inventory.load_dir(None)["milleis"]
    today = clock.utc_day(clock.now())
    figures = stats.report(store.counters, site, today - dt.timedelta(days=3), today)
    since = dt.datetime.combine(today - dt.timedelta(days=3), dt.time(), dt.UTC)
    logged = [outcomes.outcome(site, r) for r in store.export("milleis", since, clock.now())]
    assert figures["totals"]["accept_all"] == logged.count("accept_all") > 0
    assert figures["totals"]["refuse_all"] == logged.count("refuse_all") > 0
    assert figures["totals"]["custom"] == logged.count("custom")
    assert figures["totals"]["withdrawn"] == logged.count("withdrawn")
    assert figures["totals"]["shown"] > stats.decisions(figures["totals"])
    assert figures["days"][-1]["accept_all"] == 0  # today is left for real visitors


def test_demo_data_leaves_a_site_that_already_has_figures_alone(tmp_path):
    env = {"CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"}
    CliRunner().invoke(main, ["demo-data", "--days", "2", "--per-day", "3"], env=env)
    again = CliRunner().invoke(main, ["demo-data", "--days", "2", "--per-day", "3"], env=env)
    assert "amex-portal: already has figures for the period; left as is" in again.output
