"""Console accounts and the console's audit log: what the store keeps of them.

A user is an e-mail address, a role, the sites it may see (none: every site) and a password
hash (never the password; :mod:`cmp.passwords` makes and checks it). The audit log is
append-only: entries are added and read, never changed or deleted.
"""

import json
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field

from .. import clock

ROLES = ("viewer", "editor", "admin")


@dataclass(frozen=True)
class User:
    email: str
    role: str
    password_hash: str
    sites: tuple = ()  # empty: every site
    created_at: object = None  # datetime (UTC)

    def dumps(self):
        data = asdict(self)
        data["sites"] = list(self.sites)
        data["created_at"] = clock.to_ms(self.created_at)
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def loads(cls, raw):
        data = json.loads(raw)
        data["sites"] = tuple(data["sites"])
        data["created_at"] = clock.from_ms(data["created_at"])
        return cls(**data)


@dataclass(frozen=True)
class AuditEntry:
    at: object  # datetime (UTC)
    actor: str  # the user's e-mail, or the address that tried to log in
    action: str  # login, login_failed, logout, visitor_lookup, export, stats_export, …
    site: str = ""
    detail: dict = field(default_factory=dict)

    def dumps(self):
        data = asdict(self)
        data["at"] = clock.to_ms(self.at)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, raw):
        data = json.loads(raw)
        data["at"] = clock.from_ms(data["at"])
        return cls(**data)


class UserStore(ABC):
    @abstractmethod
    def add(self, user):
        """Keep a new user; False (and nothing changed) when one with that e-mail exists."""

    @abstractmethod
    def get(self, email):
        """The user with that e-mail, or None."""

    @abstractmethod
    def all(self):
        """Every user, by e-mail."""

    @abstractmethod
    def remove(self, email):
        """Delete the user; False when there was none."""


class AuditLog(ABC):
    @abstractmethod
    def append(self, entry):
        """Add ``entry`` at the end of the log."""

    @abstractmethod
    def recent(self, limit=100):
        """The last ``limit`` entries, newest first."""
