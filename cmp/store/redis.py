"""Redis consent store, for production and scale: one server (``redis://``) or a Redis Cluster
(``redis+cluster://`` any node).

Current decisions expire by key TTL; each visitor's history and the per-day proof streams
expire after the log retention. Run Redis with AOF (see ``deploy/redis.conf``) so an
acknowledged write survives a crash.
"""

import datetime as dt
import json

import redis
from redis.cluster import RedisCluster

from .. import clock
from ..errors import ConfigError, StorageError
from . import keys
from .base import DEFAULT_LOG_RETENTION_DAYS, ConsentRecord, ConsentStore

CLUSTER_SCHEME = "redis+cluster://"

# KEYS: day log stream, current decision, visitor history; ARGV: record, decision TTL (ms),
# log retention (ms). The log stream outlives its last entry by one day.
SAVE_SCRIPT = """
redis.call('XADD', KEYS[1], '*', 'r', ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 86400000)
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return 1
"""
_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2}


class RedisStore(ConsentStore):
    def __init__(self, url, log_retention_days=DEFAULT_LOG_RETENTION_DAYS):
        self.url = url
        self.log_retention_days = log_retention_days
        self.cluster = url.startswith(CLUSTER_SCHEME)
        try:
            if self.cluster:
                self._redis = RedisCluster.from_url("redis://" + url[len(CLUSTER_SCHEME) :], **_OPTIONS)
            else:
                self._redis = redis.Redis.from_url(url, health_check_interval=15, **_OPTIONS)
        except ValueError as exc:
            raise ConfigError(f"CMP_STORE_URL={url!r}: {exc}") from None
        except redis.RedisError as exc:  # a cluster client asks its seed node for the slots at once
            raise StorageError(f"Redis cluster store: {exc}") from exc
        self._save_script = self._redis.register_script(SAVE_SCRIPT)

    def _run(self, fn):
        try:
            return fn(self._redis)
        except redis.RedisError as exc:
            raise StorageError(f"Redis store: {exc}") from exc

    def _retention_ms(self):
        return self.log_retention_days * 86400 * 1000

    def save(self, record):
        raw = record.dumps()
        now_ms = clock.to_ms(clock.now())
        ttl_ms = max(clock.to_ms(record.expires_at) - now_ms, 1)
        log_key = keys.log(record.site, record.decided_at.date())
        history_key = keys.history(record.site, record.visitor_id)

        def write(r):
            if not self.cluster:
                # One script, one round trip, one reply to parse: the proof entry and the
                # current decision land together or not at all (Lua runs atomically).
                self._save_script(
                    keys=[log_key, keys.consent(record.site, record.visitor_id), history_key],
                    args=[raw, ttl_ms, self._retention_ms()],
                    client=r,
                )
                return
            # On a cluster the day's log stream lives in another slot, so it is written first: a
            # crash in between leaves a proof without a current decision (the visitor is asked
            # again), never a decision without its proof.
            pipe = r.pipeline()
            pipe.xadd(log_key, {"r": raw})
            pipe.pexpire(log_key, self._retention_ms() + 86400 * 1000)
            pipe.execute()
            pipe = r.pipeline(transaction=True)
            pipe.set(keys.consent(record.site, record.visitor_id), raw, px=ttl_ms)
            pipe.rpush(history_key, raw)
            pipe.pexpire(history_key, self._retention_ms())
            pipe.execute()

        self._run(write)

    def get(self, site, visitor_id):
        raw = self._run(lambda r: r.get(keys.consent(site, visitor_id)))
        if raw is None:
            return None
        record = ConsentRecord.loads(raw)
        return None if record.is_expired() else record

    def history(self, site, visitor_id):
        raws = self._run(lambda r: r.lrange(keys.history(site, visitor_id), 0, -1))
        cutoff = clock.now() - dt.timedelta(days=self.log_retention_days)
        records = [ConsentRecord.loads(raw) for raw in raws]
        return [rec for rec in records if rec.decided_at >= cutoff]

    def export(self, site, since, until):
        day = since.astimezone(dt.UTC).date()
        last_day = until.astimezone(dt.UTC).date()
        while day <= last_day:
            key, start = keys.log(site, day), "-"
            while True:
                entries = self._run(lambda r: r.xrange(key, min=start, max="+", count=1000))
                if not entries:
                    break
                for entry_id, fields in entries:
                    record = ConsentRecord.loads(fields[b"r"])
                    if since <= record.decided_at < until:
                        yield record
                start = "(" + entry_id.decode()
            day += dt.timedelta(days=1)

    def archive(self, site, version, document):
        raw = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        self._run(lambda r: r.set(keys.shown(site, version), raw, nx=True))

    def archived(self, site, version):
        raw = self._run(lambda r: r.get(keys.shown(site, version)))
        return json.loads(raw) if raw is not None else None

    def hit(self, key, window_s):
        window = int(clock.now().timestamp()) // window_s * window_s
        rate_key = keys.rate(key, window)

        def count(r):
            n = r.incr(rate_key)
            if n == 1:  # the first hit of a window sets its expiry; later hits cost one command
                r.expire(rate_key, window_s + 1)
            return n

        return self._run(count)

    def purge(self):
        # Current decisions and day streams expire by TTL; histories of visitors who keep
        # deciding are refreshed, so their entries older than the retention are trimmed here.
        cutoff = clock.now() - dt.timedelta(days=self.log_retention_days)
        trimmed = 0

        def trim(r):
            nonlocal trimmed
            for key in r.scan_iter(match=keys.HISTORY_PATTERN, count=500):
                raws = r.lrange(key, 0, -1)
                old = sum(1 for raw in raws if ConsentRecord.loads(raw).decided_at < cutoff)
                if old:
                    r.ltrim(key, old, -1)
                    trimmed += old

        self._run(trim)
        return {"consents": 0, "proofs": trimmed}

    def ping(self):
        self._run(lambda r: r.ping())

    def close(self):
        self._redis.close()
