"""Redis backends of the counters, the console users and the audit log, on the consent store's
server or cluster (see :mod:`.redis`, whose save script adds a decision's counters)."""

from . import keys
from .counters import Counters, days, expand
from .users import AuditEntry, AuditLog, User, UserStore

# KEYS: a day's counters; ARGV: the counter names to add one to.
COUNT_SCRIPT = """
for i = 1, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
return 1
"""


class RedisCounters(Counters):
    def __init__(self, client, errors):
        self._redis = client
        self._errors = errors
        self._count = client.register_script(COUNT_SCRIPT)

    def add(self, site, day, names):
        with self._errors():
            self._count(keys=[keys.counters(site, day)], args=list(names))

    def read(self, site, first, last):
        wanted = days(first, last)
        with self._errors():
            pipe = self._redis.pipeline(transaction=False)
            for day in wanted:
                pipe.hgetall(keys.counters(site, day))
            answers = pipe.execute()
        return {
            day: expand({name.decode(): int(n) for name, n in counts.items()})
            for day, counts in zip(wanted, answers, strict=True)
            if counts
        }


class RedisUsers(UserStore):
    def __init__(self, client, errors):
        self._redis = client
        self._errors = errors

    def add(self, user):
        with self._errors():
            return bool(self._redis.hsetnx(keys.USERS, user.email, user.dumps()))

    def get(self, email):
        with self._errors():
            raw = self._redis.hget(keys.USERS, email)
        return None if raw is None else User.loads(raw)

    def all(self):
        with self._errors():
            raws = self._redis.hvals(keys.USERS)
        return sorted((User.loads(raw) for raw in raws), key=lambda user: user.email)

    def remove(self, email):
        with self._errors():
            return self._redis.hdel(keys.USERS, email) == 1


class RedisAudit(AuditLog):
    def __init__(self, client, errors):
        self._redis = client
        self._errors = errors

    def append(self, entry):
        with self._errors():
            self._redis.xadd(keys.AUDIT, {"e": entry.dumps()})

    def recent(self, limit=100):
        with self._errors():
            entries = self._redis.xrevrange(keys.AUDIT, count=limit)
        return [AuditEntry.loads(fields[b"e"]) for _, fields in entries]
