"""The consent-store contract: every backend (real SQLite, a real Redis, a real Redis Cluster) must pass all of it."""

import datetime as dt

import pytest

from cmp import clock
from cmp.store import ConsentRecord, store_from_url

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
