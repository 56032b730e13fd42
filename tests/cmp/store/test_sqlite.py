"""What only the SQLite backend does: WAL, an append-only log, clear errors for bad paths."""

import sqlite3

import pytest

from cmp.errors import ConfigError, StorageError
from cmp.store import store_from_url

from .test_contract import record


def test_the_database_is_in_wal_mode_and_the_proof_log_refuses_updates(tmp_path):
    store = store_from_url(f"sqlite:///{tmp_path}/c.db")
    store.save(record())
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE proofs SET record = '{}'")
    store.close()


def test_purge_counts_what_it_deleted(tmp_path):
    import datetime as dt

    from cmp import clock

    store = store_from_url(f"sqlite:///{tmp_path}/c.db", log_retention_days=400)
    store.save(record(days=1))
    clock.travel(dt.timedelta(days=2))
    assert store.purge() == {"consents": 1, "proofs": 0}
    clock.travel(dt.timedelta(days=400))
    assert store.purge() == {"consents": 0, "proofs": 1}


def test_an_unwritable_path_is_a_storage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = store_from_url(f"sqlite:///{blocker}/sub/c.db")
    with pytest.raises(StorageError, match="SQLite store"):
        store.ping()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_a_url_without_a_file_is_a_configuration_error(url):
    with pytest.raises(ConfigError, match="CMP_STORE_URL"):
        store_from_url(url)
