"""The contract of the console's stores: analytics counters, users and the audit log. Every
backend (real SQLite, a real Redis, a real Redis Cluster) must pass all of it."""

import datetime as dt

import pytest

from cmp import clock
from cmp.store import store_from_url
from cmp.store.counters import combine
from cmp.store.users import AuditEntry, User

from .test_contract import record

DAY = dt.timedelta(days=1)


@pytest.fixture
def store(store_url):
    s = store_from_url(store_url, log_retention_days=400)
    yield s
    s.close()


def test_a_saved_decision_adds_one_to_each_named_counter_on_its_utc_day(store):
    clock.set_offset((dt.datetime(2031, 3, 4, 23, 30, tzinfo=dt.UTC) - clock.now()).total_seconds())
    store.save(record(visitor="visitor-counted-0001"), counts=["accept_all", "cat:audience:granted"])
    store.save(record(visitor="visitor-counted-0002"), counts=["accept_all"])
    clock.travel(dt.timedelta(hours=1))  # 00:30 UTC the next day
    store.save(record(visitor="visitor-counted-0003"), counts=["refuse_all"])
    counts = store.counters.read("amex-portal", dt.date(2031, 3, 1), dt.date(2031, 3, 31))
    assert counts == {
        dt.date(2031, 3, 4): {"accept_all": 2, "cat:audience:granted": 1},
        dt.date(2031, 3, 5): {"refuse_all": 1},
    }


def test_a_combined_field_counts_one_for_each_of_its_names_when_read(store):
    today = clock.utc_day(clock.now())
    store.save(
        record(visitor="visitor-combined-01"), counts=[combine(["accept_all", "cat:audience:granted", "lang:fr"])]
    )
    store.save(
        record(visitor="visitor-combined-02"), counts=[combine(["accept_all", "cat:audience:granted", "lang:fr"])]
    )
    store.save(record(visitor="visitor-combined-03"), counts=[combine(["refuse_all", "lang:en"])])
    store.counters.add("amex-portal", today, ["shown", "accept_all"])
    assert store.counters.read("amex-portal", today, today) == {
        today: {"accept_all": 3, "cat:audience:granted": 2, "lang:fr": 2, "refuse_all": 1, "lang:en": 1, "shown": 1}
    }


def test_a_save_without_counts_counts_nothing(store):
    today = clock.utc_day(clock.now())
    store.save(record())
    assert store.counters.read("amex-portal", today, today) == {}


def test_counters_are_kept_per_site_and_read_only_within_the_range(store):
    today = clock.utc_day(clock.now())
    store.counters.add("amex-portal", today, ["shown", "shown"])
    store.counters.add("amex-portal", today - 2 * DAY, ["shown"])
    store.counters.add("milleis", today, ["shown"])
    assert store.counters.read("amex-portal", today - DAY, today) == {today: {"shown": 2}}
    assert store.counters.read("milleis", today, today) == {today: {"shown": 1}}
    assert store.counters.read("amex-portal", today - 10 * DAY, today - 3 * DAY) == {}


def test_counters_survive_purge(store):
    today = clock.utc_day(clock.now())
    store.save(record(days=1), counts=["refuse_all"])
    clock.travel(dt.timedelta(days=500))
    store.purge()
    assert store.counters.read("amex-portal", today, today) == {today: {"refuse_all": 1}}


def user(email="alice@example.org", role="editor", sites=("amex-portal",)):
    return User(email=email, role=role, password_hash="scrypt$test", sites=sites, created_at=clock.now())


def test_a_user_is_added_once_and_read_back(store):
    alice = user()
    assert store.users.add(alice) is True
    assert store.users.add(user(role="admin")) is False  # the first one stays
    assert store.users.get("alice@example.org") == alice
    assert store.users.get("bob@example.org") is None


def test_users_are_listed_by_email_and_removed(store):
    store.users.add(user("zoe@example.org", "viewer", ()))
    store.users.add(user("alice@example.org"))
    assert [u.email for u in store.users.all()] == ["alice@example.org", "zoe@example.org"]
    assert store.users.remove("zoe@example.org") is True
    assert store.users.remove("zoe@example.org") is False
    assert [u.email for u in store.users.all()] == ["alice@example.org"]


def test_the_audit_log_returns_the_latest_entries_newest_first(store):
    entries = []
    for n in range(5):
        entries.append(
            AuditEntry(
                at=clock.now(),
                actor="alice@example.org",
                action="export",
                site="milleis",
                detail={"n": n, "format": "csv"},
            )
        )
        store.audit.append(entries[-1])
        clock.travel(1)
    assert store.audit.recent(limit=3) == entries[:1:-1]
    assert store.audit.recent() == entries[::-1]


def test_the_audit_log_survives_purge_and_user_removal(store):
    entry = AuditEntry(at=clock.now(), actor="alice@example.org", action="login")
    store.users.add(user())
    store.audit.append(entry)
    store.users.remove("alice@example.org")
    clock.travel(dt.timedelta(days=5000))
    store.purge()
    assert store.audit.recent() == [entry]
