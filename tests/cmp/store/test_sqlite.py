"""What only the SQLite backend does: WAL, an append-only log, the URL rule, clear errors for bad
paths, and rate-limit windows kept in the same file."""

import datetime as dt
import sqlite3

import limits
import pytest

from cmp import clock
from cmp.errors import ConfigError, StorageError
from cmp.store import limiter_from_url, store_from_url
from cmp.store.base import Hit

from .test_contract import at_window_start, record


def test_the_database_is_in_wal_mode_and_the_proof_log_refuses_updates(tmp_path):
    store = store_from_url(f"sqlite:///{tmp_path}/c.db")
    store.save(record())
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE proofs SET record = '{}'")
    store.close()


def test_three_slashes_then_a_path_is_relative_to_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    store = store_from_url("sqlite:///data/c.db")
    store.save(record())
    store.close()
    assert (tmp_path / "data" / "c.db").is_file()


def test_four_slashes_make_an_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir("/")
    url = "sqlite:///" + str(tmp_path / "c.db")
    assert url.startswith("sqlite:////")
    store = store_from_url(url)
    store.save(record())
    store.close()
    assert (tmp_path / "c.db").is_file()


@pytest.mark.parametrize("open_url", [store_from_url, lambda url: limiter_from_url(url, limits.parse("1/second"))])
def test_a_missing_folder_is_a_configuration_error_naming_the_url_and_the_folder(tmp_path, open_url):
    url = f"sqlite:///{tmp_path}/missing/c.db"
    with pytest.raises(ConfigError) as error:
        open_url(url)
    assert str(error.value) == f"CMP_STORE_URL={url!r}: the folder {tmp_path}/missing does not exist; create it first"
    assert not (tmp_path / "missing").exists()


def test_a_path_that_cannot_be_opened_is_a_storage_error(tmp_path):
    (tmp_path / "c.db").mkdir()  # a folder where the database file should be
    store = store_from_url(f"sqlite:///{tmp_path}/c.db")
    with pytest.raises(StorageError, match=f"SQLite store {tmp_path}/c.db: unable to open database file"):
        store.ping()
    limiter = limiter_from_url(f"sqlite:///{tmp_path}/c.db", limits.parse("1/second"))
    with pytest.raises(StorageError, match="rate limiter sqlite: unable to open database file"):
        limiter.hit("ip-a")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite://host/c.db"])
def test_a_url_without_a_file_is_a_configuration_error(url):
    with pytest.raises(ConfigError, match="CMP_STORE_URL"):
        store_from_url(url)


def test_rate_limit_windows_live_in_the_store_file_and_expired_ones_are_deleted(tmp_path):
    url = f"sqlite:///{tmp_path}/c.db"
    limiter = limiter_from_url(url, limits.parse("3/minute"))
    for key in ("ip-a", "ip-b", "ip-c"):
        limiter.hit(key)
    clock.travel(dt.timedelta(minutes=1))  # SQLite windows follow cmp.clock
    assert limiter.hit("ip-a") is True
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("SELECT hits FROM rate_limits").fetchall() == [(1,)]
    limiter.close()


def test_a_write_hit_is_kept_in_the_rate_limit_table_until_its_window_ends(tmp_path):
    store = store_from_url(f"sqlite:///{tmp_path}/c.db")
    at_window_start(60)
    window_end = (clock.to_ms(clock.now()) // 60_000 + 1) * 60_000
    store.save(record(), hit=Hit("w:ip-a", 5, 60))
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("SELECT key, hits, expires_at FROM rate_limits").fetchall() == [("w:ip-a", 1, window_end)]
    store.close()


def test_expired_write_windows_are_deleted_when_a_window_starts(tmp_path):
    store = store_from_url(f"sqlite:///{tmp_path}/c.db")
    at_window_start(60)
    store.save(record(visitor="visitor-0000000001"), hit=Hit("w:ip-a", 5, 60))
    clock.travel(60)
    store.save(record(visitor="visitor-0000000002"), hit=Hit("w:ip-b", 5, 60))
    conn = sqlite3.connect(tmp_path / "c.db")
    assert [key for (key,) in conn.execute("SELECT key FROM rate_limits")] == ["w:ip-b"]
    store.close()
