"""The scan index on Redis (one server or a Cluster), beside the consent store: keys in
:mod:`cmp.store.keys`. A scan's record is a hash of JSON fields, so a worker's progress and the
alert's outcome are written field by field, never over each other."""

import json

import redis
from redis.cluster import RedisCluster
from redis.exceptions import RedisClusterException

from .. import clock
from ..errors import ConfigError
from . import keys
from .base import storage_errors
from .redis import CLUSTER_SCHEME
from .scans import ScanIndex, ScanRecord, parse_time

_ERRORS = (redis.RedisError, RedisClusterException)
_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 2}

# KEYS: a scan's record; ARGV: field, JSON value, field, JSON value… Changes only an existing scan.
UPDATE_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
"""
# KEYS: a site's lock; ARGV: holder, TTL (ms).
CLAIM_SCRIPT = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
"""


def _dump(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _score(iso):
    return clock.to_ms(parse_time(iso))


class RedisScanIndex(ScanIndex):
    def __init__(self, url):
        super().__init__(url)
        try:
            with self._errors():  # a cluster client asks its seed node for the slots at once
                if url.startswith(CLUSTER_SCHEME):
                    self._redis = RedisCluster.from_url("redis://" + url[len(CLUSTER_SCHEME) :], **_OPTIONS)
                else:
                    self._redis = redis.Redis.from_url(url, health_check_interval=15, **_OPTIONS)
        except ValueError as exc:
            raise ConfigError(f"CMP_STORE_URL={url!r}: {exc}") from None
        self._update = self._redis.register_script(UPDATE_SCRIPT)
        self._claim = self._redis.register_script(CLAIM_SCRIPT)
        self._release = self._redis.register_script(RELEASE_SCRIPT)

    def _errors(self):
        return storage_errors("Redis scan index", *_ERRORS)

    def create(self, record):
        fields = {name: _dump(value) for name, value in record.to_json().items()}
        with self._errors():
            self._redis.hset(keys.scan(record.id), mapping=fields)
            # The record first: an index entry never points to nothing.
            self._redis.zadd(keys.site_scans(record.site), {record.id: _score(record.created_at)})

    def update(self, scan_id, **changes):
        args = [part for name, value in changes.items() for part in (name, _dump(value))]
        with self._errors():
            if not self._update(keys=[keys.scan(scan_id)], args=args):
                return None
        return self.get(scan_id)

    def get(self, scan_id):
        with self._errors():
            raw = self._redis.hgetall(keys.scan(scan_id))
        return self._record(raw)

    @staticmethod
    def _record(raw):
        if not raw:
            return None
        return ScanRecord.from_json({k.decode(): json.loads(v) for k, v in raw.items()})

    def list(self, site, limit=100):
        with self._errors():
            ids = [i.decode() for i in self._redis.zrevrange(keys.site_scans(site), 0, limit - 1)]
            pipe = self._redis.pipeline(transaction=False)
            for scan_id in ids:
                pipe.hgetall(keys.scan(scan_id))
            raws = pipe.execute() if ids else []
        records = [r for r in (self._record(raw) for raw in raws) if r is not None]
        # Scores are milliseconds: scans created in the same one are ordered by id, as on SQLite.
        return sorted(records, key=lambda r: (r.created_at, r.id), reverse=True)

    def save_report(self, scan_id, report):
        with self._errors():
            self._redis.set(keys.scan_report(scan_id), _dump(report))

    def report(self, scan_id):
        with self._errors():
            raw = self._redis.get(keys.scan_report(scan_id))
        return None if raw is None else json.loads(raw)

    def add_delivery(self, scan_id, delivery):
        with self._errors():
            self._redis.rpush(keys.scan_deliveries(scan_id), _dump(delivery))

    def deliveries(self, scan_id):
        with self._errors():
            return [json.loads(raw) for raw in self._redis.lrange(keys.scan_deliveries(scan_id), 0, -1)]

    def purge(self, site, before):
        index = keys.site_scans(site)
        with self._errors():
            old = [i.decode() for i in self._redis.zrangebyscore(index, "-inf", f"({clock.to_ms(before)}")]
            for scan_id in old:
                self._redis.delete(keys.scan(scan_id), keys.scan_report(scan_id), keys.scan_deliveries(scan_id))
                self._redis.zrem(index, scan_id)
        return len(old)

    def save_schedule(self, schedule):
        with self._errors():
            self._redis.hset(keys.scan_schedules(), schedule["id"], _dump(schedule))

    def schedules(self, site=None):
        with self._errors():
            raw = self._redis.hgetall(keys.scan_schedules())
        found = [json.loads(v) for v in raw.values()]
        return sorted((s for s in found if site is None or s["site"] == site), key=lambda s: s["id"])

    def delete_schedule(self, schedule_id):
        with self._errors():
            return bool(self._redis.hdel(keys.scan_schedules(), schedule_id))

    def claim_site(self, site, holder, ttl_s):
        with self._errors():
            return bool(self._claim(keys=[keys.site_lock(site)], args=[holder, int(ttl_s * 1000)]))

    def release_site(self, site, holder):
        with self._errors():
            self._release(keys=[keys.site_lock(site)], args=[holder])

    def ping(self):
        with self._errors():
            self._redis.ping()

    def close(self):
        self._redis.close()
