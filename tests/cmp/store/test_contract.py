"""The consent-store contract: every backend (real SQLite, a real Redis, a real Redis Cluster) must pass all of it."""

import datetime as dt

import pytest

from cmp import clock
from cmp.store import ConsentRecord, store_from_url
from cmp.store.base import Hit

DAY = dt.timedelta(days=1)
SITE = "amex-portal"


@pytest.fixture
def store(store_url):
    s = store_from_url(store_url, log_retention_days=400)
    yield s
    s.close()


def record(visitor="visitor-0000000001", site="amex-portal", days=180, **changes):
    now = clock.now()
    fields = dict(
        site=site,
        visitor_id=visitor,
        choices={"necessary": True, "audience": False},
        services={"cmp": True, "piwik-pro": False},
        revision="rev1",
        decided_at=now,
        expires_at=now + dt.timedelta(days=days),
        source="banner",
        lang="fr",
        text_version="tv1",
        user_agent="pytest",
        ip="192.0.2.0",
    )
    fields.update(changes)
    return ConsentRecord(**fields)


def test_a_saved_decision_is_the_current_one_with_every_field(store):
    saved = record()
    store.save(saved)
    assert store.get("amex-portal", saved.visitor_id) == saved


def test_get_returns_none_for_an_unknown_visitor(store):
    assert store.get("amex-portal", "nobody-000000000000") is None


def test_decisions_are_kept_per_site(store):
    store.save(record(site="amex-portal"))
    assert store.get("milleis", "visitor-0000000001") is None


def test_a_new_decision_replaces_the_current_one_and_both_stay_in_history(store):
    first = record(choices={"necessary": True, "audience": True})
    store.save(first)
    clock.travel(60)
    second = record(choices={"necessary": True, "audience": False}, action="withdraw", source="api")
    store.save(second)
    assert store.get("amex-portal", first.visitor_id) == second
    assert store.history("amex-portal", first.visitor_id) == [first, second]


def test_a_decision_expires_when_the_clock_passes_its_expiry(store):
    saved = record(days=180)
    store.save(saved)
    clock.travel(dt.timedelta(days=180) - dt.timedelta(seconds=1))
    assert store.get("amex-portal", saved.visitor_id) == saved
    clock.travel(dt.timedelta(seconds=1))
    assert store.get("amex-portal", saved.visitor_id) is None


def test_history_keeps_refusals_and_expired_decisions(store):
    refused = record(choices={"necessary": True, "audience": False})
    store.save(refused)
    clock.travel(dt.timedelta(days=181))
    assert store.get("amex-portal", refused.visitor_id) is None
    assert store.history("amex-portal", refused.visitor_id) == [refused]


def test_export_yields_a_sites_decisions_in_a_time_range_oldest_first(store):
    start = clock.now()
    records = []
    for i in range(3):
        records.append(record(visitor=f"visitor-000000000{i}x"))
        store.save(records[-1])
        clock.travel(DAY)
    store.save(record(site="milleis", visitor="other-site-visitor01"))
    everything = list(store.export("amex-portal", start, clock.now()))
    assert everything == records
    middle = list(store.export("amex-portal", start + DAY, start + 2 * DAY))
    assert middle == [records[1]]


def test_export_of_a_large_log_is_complete(store):
    start = clock.now()
    for i in range(2100):  # more than one page of every backend
        store.save(record(visitor=f"bulk-visitor-{i:06d}"))
    exported = list(store.export("amex-portal", start, clock.now() + DAY))
    assert len(exported) == 2100
    assert exported[0].visitor_id == "bulk-visitor-000000"
    assert exported[-1].visitor_id == "bulk-visitor-002099"


def test_purge_deletes_expired_decisions_and_proofs_past_the_retention_and_counts_each(store):
    start = clock.now()
    old = record(visitor="old-visitor-0000001", days=1)
    store.save(old)
    clock.travel(dt.timedelta(days=390))
    recent = record(visitor="new-visitor-0000001")
    store.save(recent)
    clock.travel(dt.timedelta(days=11))  # old: decided 401 days ago (retention 400), expired 400 days ago
    assert store.purge() == {"consents": 1, "proofs": 1}
    assert list(store.export(SITE, start - DAY, clock.now() + DAY)) == [recent]
    assert store.history(SITE, old.visitor_id) == []
    assert store.history(SITE, recent.visitor_id) == [recent]
    assert store.get(SITE, recent.visitor_id) == recent
    assert store.purge() == {"consents": 0, "proofs": 0}


def test_purge_deletes_an_expired_decision_but_keeps_its_proof_for_the_retention(store):
    start = clock.now()
    refused = record(days=1)
    store.save(refused)
    clock.travel(dt.timedelta(days=2))
    assert store.purge() == {"consents": 1, "proofs": 0}
    assert store.history(SITE, refused.visitor_id) == [refused]
    assert list(store.export(SITE, start, clock.now())) == [refused]


def test_purge_keeps_a_proof_until_the_retention_has_passed(store):
    start = clock.now()
    kept = record(days=500)
    store.save(kept)
    clock.travel(dt.timedelta(days=400) - dt.timedelta(seconds=1))
    assert store.purge() == {"consents": 0, "proofs": 0}
    clock.travel(dt.timedelta(seconds=2))
    assert store.purge() == {"consents": 0, "proofs": 1}
    assert list(store.export(SITE, start - DAY, clock.now() + DAY)) == []
    assert store.history(SITE, kept.visitor_id) == []
    assert store.get(SITE, kept.visitor_id) == kept  # still current: decisions expire, proofs age out


def test_purge_leaves_a_decision_replaced_before_it_expired(store):
    first = record(days=1)
    store.save(first)
    clock.travel(dt.timedelta(hours=12))
    second = record(days=180)
    store.save(second)
    clock.travel(dt.timedelta(days=2))
    assert store.purge() == {"consents": 0, "proofs": 0}
    assert store.get(SITE, first.visitor_id) == second
    assert store.history(SITE, first.visitor_id) == [first, second]


def test_ping_succeeds_on_a_working_store(store):
    store.ping()


def test_an_archived_document_is_kept_once_and_read_back(store):
    shown = {"banner": {"title": "Vos choix"}, "categories": [{"id": "audience", "label": "Mesure d'audience"}]}
    store.archive("amex-portal", "v1", shown)
    store.archive("amex-portal", "v1", {"banner": {"title": "changed"}})  # the first one stays
    assert store.archived("amex-portal", "v1") == shown
    assert store.archived("amex-portal", "v2") is None
    assert store.archived("milleis", "v1") is None


def test_archives_survive_purge(store):
    store.archive("amex-portal", "v1", {"a": 1})
    clock.travel(dt.timedelta(days=5000))
    assert store.purge() == {"consents": 0, "proofs": 0}
    assert store.archived("amex-portal", "v1") == {"a": 1}


def at_window_start(window_s):
    """Move the clock to the start of the next fixed window of ``window_s`` seconds."""
    window_ms = window_s * 1000
    clock.travel(dt.timedelta(milliseconds=window_ms - clock.to_ms(clock.now()) % window_ms))


def visitors(prefix, n):
    return [record(visitor=f"{prefix}-visitor-{i:04d}") for i in range(n)]


def test_a_save_without_a_hit_is_never_refused(store):
    assert [store.save(r) for r in visitors("free", 3)] == [True, True, True]


def test_saves_with_a_hit_write_up_to_the_limit_then_are_refused_and_write_nothing(store):
    at_window_start(60)
    start, today = clock.now(), clock.utc_day(clock.now())
    saved = visitors("limited", 5)
    hit = Hit("w:client-a", 3, 60)
    assert [store.save(r, counts=["accept_all"], hit=hit) for r in saved] == [True, True, True, False, False]
    assert [store.get(SITE, r.visitor_id) for r in saved] == [*saved[:3], None, None]
    assert [store.history(SITE, r.visitor_id) for r in saved[3:]] == [[], []]
    assert list(store.export(SITE, start, clock.now() + DAY)) == saved[:3]
    assert store.counters.read(SITE, today, today) == {today: {"accept_all": 3}}


def test_each_hit_key_has_its_own_count(store):
    at_window_start(60)
    a, b = visitors("client-a", 2), visitors("client-b", 2)
    assert [store.save(r, hit=Hit("w:client-a", 1, 60)) for r in a] == [True, False]
    assert [store.save(r, hit=Hit("w:client-b", 1, 60)) for r in b] == [True, False]


def test_hits_count_in_fixed_windows_aligned_on_the_clock(store):
    at_window_start(60)
    clock.travel(59)  # the last second of a window
    hit = Hit("w:client-a", 2, 60)
    assert [store.save(r, hit=hit) for r in visitors("late", 3)] == [True, True, False]
    clock.travel(1)  # the next window: a new count, however recent the last hits
    assert [store.save(r, hit=hit) for r in visitors("early", 3)] == [True, True, False]


def test_a_refused_hit_still_counts(store):
    at_window_start(60)
    hit = Hit("w:client-a", 2, 60)
    assert [store.save(r, hit=hit) for r in visitors("burst", 4)] == [True, True, False, False]
    assert store.save(record(visitor="burst-visitor-0004"), hit=Hit("w:client-a", 4, 60)) is False


def test_stores_on_the_same_backend_share_one_count_as_workers_do(store, store_url):
    at_window_start(60)
    other = store_from_url(store_url, log_retention_days=400)
    hit = Hit("w:client-a", 3, 60)
    first, second = visitors("worker-1", 2), visitors("worker-2", 2)
    try:
        answers = [store.save(first[0], hit=hit), other.save(second[0], hit=hit)]
        answers += [store.save(first[1], hit=hit), other.save(second[1], hit=hit)]
    finally:
        other.close()
    assert answers == [True, True, True, False]
