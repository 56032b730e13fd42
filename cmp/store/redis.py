"""Redis consent store, for production and scale: one server (``redis://``) or a Redis Cluster
(``redis+cluster://`` any node).

Keys carry a TTL as a backstop only: :meth:`RedisStore.purge` deletes expired decisions and old
proofs a week before their TTL would, so it is purge that deletes, and counts what it deleted.
Run Redis with AOF (see ``deploy/redis.conf``) so an acknowledged write survives a crash.

A consent write is one script, one round trip: its rate-limit hit (:class:`.base.Hit`), the
proof entry, the current decision, the history and the day's counters. On a cluster the day's
log stream, its counters and the hit share the slot ``{site/day}`` (one script), so there the
write limit counts per site and client rather than per client; the decision and history follow
in a second round trip (another slot).
"""

import datetime as dt

import redis
from redis.cluster import RedisCluster
from redis.exceptions import RedisClusterException

from .. import clock
from ..errors import ConfigError
from . import keys
from .base import (
    DEFAULT_LOG_RETENTION_DAYS,
    ConsentRecord,
    ConsentStore,
    dump_document,
    load_document,
    storage_errors,
    window,
)
from .redis_console import RedisAudit, RedisCounters, RedisUsers

CLUSTER_SCHEME = "redis+cluster://"
DAY_MS = 86400 * 1000
# How long a key outlives the moment purge should delete it. Purge runs daily; a week leaves
# room for missed runs, while still bounding memory on a server where purge never runs.
PURGE_GRACE_MS = 7 * DAY_MS
PAGE = 1000

# A consent write's rate-limit hit (KEYS[n], ARGV: limit, ms left in the window), counted first:
# past the limit the script stops there, having written nothing else, and answers 0.
_HIT = """
if KEYS[{key}] then
    local hits = redis.call('INCR', KEYS[{key}])
    if hits == 1 then redis.call('PEXPIRE', KEYS[{key}], ARGV[{ttl}]) end
    if hits > tonumber(ARGV[{limit}]) then return 0 end
end
"""
# KEYS: day log stream, current decision, visitor history, the day's counters[, write hits];
# ARGV: record, the TTLs (ms) of the decision, the history and the log stream, the hit's limit
# and window (ignored without a hit), then the counter names.
SAVE_SCRIPT = (
    _HIT.format(key=5, limit=5, ttl=6)
    + """
redis.call('XADD', KEYS[1], '*', 'r', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
for i = 7, #ARGV do redis.call('HINCRBY', KEYS[4], ARGV[i], 1) end
return 1
"""
)
# On a cluster, the day's log stream and counters (one slot, {site/day}) and the write hits
# (in that slot too); ARGV: record, the stream's TTL (ms), the hit's limit and window, then the
# counter names.
LOG_SCRIPT = (
    _HIT.format(key=3, limit=3, ttl=4)
    + """
redis.call('XADD', KEYS[1], '*', 'r', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
for i = 5, #ARGV do redis.call('HINCRBY', KEYS[2], ARGV[i], 1) end
return 1
"""
)
# KEYS: a current decision; ARGV: now (ms). A script, so a decision saved meanwhile is never deleted.
DELETE_IF_EXPIRED_SCRIPT = """
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw)['expires_at'] <= tonumber(ARGV[1]) then
    redis.call('DEL', KEYS[1])
    return 1
end
return 0
"""
# KEYS: a visitor history, oldest first; ARGV: retention cutoff (ms). Returns how many it popped.
TRIM_HISTORY_SCRIPT = """
local popped = 0
while true do
    local raw = redis.call('LINDEX', KEYS[1], 0)
    if not raw or cjson.decode(raw)['decided_at'] >= tonumber(ARGV[1]) then
        return popped
    end
    redis.call('LPOP', KEYS[1])
    popped = popped + 1
end
"""
# KEYS: a day's proof stream wholly past the retention. Returns how many entries went with it.
DROP_STREAM_SCRIPT = """
local entries = redis.call('XLEN', KEYS[1])
redis.call('DEL', KEYS[1])
return entries
"""
_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2}
_ERRORS = (redis.RedisError, RedisClusterException)


_utc_day = clock.utc_day  # the day whose log stream (and counters) hold a decision made then


def connect(url):
    """A client for ``url`` (one server, or any node of a cluster for ``redis+cluster://``)."""
    cluster = url.startswith(CLUSTER_SCHEME)
    try:
        # A cluster client asks its seed node for the slots at once.
        with storage_errors("Redis cluster store" if cluster else "Redis store", *_ERRORS):
            if cluster:
                return RedisCluster.from_url("redis://" + url[len(CLUSTER_SCHEME) :], **_OPTIONS)
            return redis.Redis.from_url(url, health_check_interval=15, **_OPTIONS)
    except ValueError as exc:
        raise ConfigError(f"CMP_STORE_URL={url!r}: {exc}") from None


class RedisStore(ConsentStore):
    def __init__(self, url, log_retention_days=DEFAULT_LOG_RETENTION_DAYS):
        super().__init__(url, log_retention_days)
        self.cluster = url.startswith(CLUSTER_SCHEME)
        self._redis = connect(url)
        self._save = self._redis.register_script(SAVE_SCRIPT)
        self._save_log = self._redis.register_script(LOG_SCRIPT)
        self._delete_if_expired = self._redis.register_script(DELETE_IF_EXPIRED_SCRIPT)
        self._trim_history = self._redis.register_script(TRIM_HISTORY_SCRIPT)
        self._drop_stream = self._redis.register_script(DROP_STREAM_SCRIPT)
        self.counters = RedisCounters(self._redis, self._errors)
        self.users = RedisUsers(self._redis, self._errors)
        self.audit = RedisAudit(self._redis, self._errors)

    def _errors(self):
        return storage_errors("Redis cluster store" if self.cluster else "Redis store", *_ERRORS)

    def _ttls_ms(self, record, now_ms):
        """TTLs of the decision, the history and the day's log stream, each a grace after purge's turn."""
        retention_ms = self.log_retention_days * DAY_MS
        decision = max(clock.to_ms(record.expires_at) - now_ms, 0) + PURGE_GRACE_MS
        return decision, retention_ms + PURGE_GRACE_MS, retention_ms + DAY_MS + PURGE_GRACE_MS

    def save(self, record, counts=(), hit=None):
        raw = record.dumps()
        now_ms = clock.to_ms(clock.now())
        decision_ttl, history_ttl, log_ttl = self._ttls_ms(record, now_ms)
        day = _utc_day(record.decided_at)
        log_key = keys.log(record.site, day)
        counters_key = keys.counters(record.site, day)
        consent_key = keys.consent(record.site, record.visitor_id)
        history_key = keys.history(record.site, record.visitor_id)
        hit_keys, limit, window_left_ms = [], 0, 0
        if hit is not None:
            index, window_left_ms = window(hit, now_ms)
            limit = hit.limit
            hit_keys = [keys.write_hits(hit.key, index, *((record.site, day) if self.cluster else ()))]
        with self._errors():
            if not self.cluster:
                # One script, one round trip: the rate-limit hit, the proof entry, the current
                # decision and the counters land together or not at all (Lua runs atomically).
                return (
                    self._save(
                        keys=[log_key, consent_key, history_key, counters_key, *hit_keys],
                        args=[raw, decision_ttl, history_ttl, log_ttl, limit, window_left_ms, *counts],
                    )
                    == 1
                )
            # On a cluster the day's log stream lives in another slot, so it is written first,
            # with the day's counters and the write hits beside it (same slot, one script): a
            # crash in between leaves a counted proof without a current decision (the visitor is
            # asked again), never a decision without its proof, nor a proof the counters missed.
            if not self._save_log(
                keys=[log_key, counters_key, *hit_keys], args=[raw, log_ttl, limit, window_left_ms, *counts]
            ):
                return False
            pipe = self._redis.pipeline(transaction=True)
            pipe.set(consent_key, raw, px=decision_ttl)
            pipe.rpush(history_key, raw)
            pipe.pexpire(history_key, history_ttl)
            pipe.execute()
        return True

    def get(self, site, visitor_id):
        with self._errors():
            raw = self._redis.get(keys.consent(site, visitor_id))
        if raw is None:
            return None
        record = ConsentRecord.loads(raw)
        return None if record.is_expired() else record

    def history(self, site, visitor_id):
        with self._errors():
            raws = self._redis.lrange(keys.history(site, visitor_id), 0, -1)
        return [ConsentRecord.loads(raw) for raw in raws]

    def _log_entries(self, key):
        """``(entry id, record)`` of one day's log stream, oldest first, fetched a page at a time."""
        start = "-"
        while True:
            with self._errors():
                page = self._redis.xrange(key, min=start, max="+", count=PAGE)
            for entry_id, entry in page:
                yield entry_id, ConsentRecord.loads(entry[b"r"])
            if len(page) < PAGE:
                return
            start = b"(" + page[-1][0]

    def export(self, site, since, until):
        day, last_day = _utc_day(since), _utc_day(until)
        while day <= last_day:
            for _, record in self._log_entries(keys.log(site, day)):
                if since <= record.decided_at < until:
                    yield record
            day += dt.timedelta(days=1)

    def archive(self, site, version, document):
        with self._errors():
            self._redis.set(keys.shown(site, version), dump_document(document), nx=True)

    def archived(self, site, version):
        with self._errors():
            return load_document(self._redis.get(keys.shown(site, version)))

    def purge(self):
        # One pass over the store's keys (every primary of a cluster). Histories hold copies of
        # the log's entries, so they are trimmed alongside but counted once, as proofs.
        now = clock.now()
        cutoff = self.retention_cutoff(now)
        deleted = {"consents": 0, "proofs": 0}
        with self._errors():
            for raw_key in self._redis.scan_iter(match=keys.STORE_PATTERN, count=PAGE):
                key = raw_key.decode()
                if key.endswith(keys.CONSENT_SUFFIX):
                    deleted["consents"] += self._delete_if_expired(keys=[key], args=[clock.to_ms(now)])
                elif key.endswith(keys.HISTORY_SUFFIX):
                    self._trim_history(keys=[key], args=[clock.to_ms(cutoff)])
                elif key.endswith(keys.LOG_SUFFIX):
                    deleted["proofs"] += self._purge_log(key, cutoff)
        return deleted

    def _purge_log(self, key, cutoff):
        """Delete the entries of one day's log stream decided before ``cutoff``; returns how many."""
        day = keys.log_day(key)
        if day < _utc_day(cutoff):
            return self._drop_stream(keys=[key])
        if day > _utc_day(cutoff):
            return 0
        # The cutoff's own day: only the entries before it go. XDEL answers how many it really
        # deleted, so two purges running at once never count an entry twice.
        old = [entry_id for entry_id, record in self._log_entries(key) if record.decided_at < cutoff]
        return sum(self._redis.xdel(key, *old[i : i + PAGE]) for i in range(0, len(old), PAGE))

    def ping(self):
        with self._errors():
            self._redis.ping()

    def close(self):
        self._redis.close()
