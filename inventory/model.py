"""The inventory as Python objects: a site, its categories, services and declared items.

Objects are immutable; :mod:`inventory.loader` builds them from validated YAML.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property

# Calendar-free units: a month is 1/12 of a Julian year, as the CNIL's "13 months" is read.
UNIT_SECONDS = {
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "month": 2629800,
    "year": 31557600,
}
THIRTEEN_MONTHS_S = 13 * UNIT_SECONDS["month"]

# What an item may be: a cookie, or one kind of browser storage (schema.json lists the same).
KINDS = ("cookie", "localStorage", "sessionStorage", "indexedDB", "cacheStorage", "serviceWorker")

_UNIT_WORDS = {
    "fr": {
        "minute": ("minute", "minutes"),
        "hour": ("heure", "heures"),
        "day": ("jour", "jours"),
        "month": ("mois", "mois"),
        "year": ("an", "ans"),
        "session": "Session",
        "persistent": "Persistant",
    },
    "en": {
        "minute": ("minute", "minutes"),
        "hour": ("hour", "hours"),
        "day": ("day", "days"),
        "month": ("month", "months"),
        "year": ("year", "years"),
        "session": "Session",
        "persistent": "Persistent",
    },
}


@dataclass(frozen=True)
class Retention:
    """How long an item is kept: ``session``, ``persistent`` or ``<n> <unit>``."""

    text: str
    seconds: int | None = None  # None for session and persistent
    count: int | None = None
    unit: str | None = None

    @classmethod
    def parse(cls, text):
        text = text.strip()
        if text in ("session", "persistent"):
            return cls(text)
        m = re.fullmatch(r"([1-9][0-9]*) (minute|hour|day|month|year)s?", text)
        if not m:
            raise ValueError(
                f"retention {text!r} must be 'session', 'persistent' or '<n> minutes|hours|days|months|years'"
            )
        count, unit = int(m.group(1)), m.group(2)
        return cls(text, count * UNIT_SECONDS[unit], count, unit)

    @property
    def is_session(self):
        return self.text == "session"

    @property
    def is_persistent(self):
        return self.text == "persistent"

    def label(self, lang):
        words = _UNIT_WORDS.get(lang, _UNIT_WORDS["en"])
        if self.unit is None:
            return words[self.text]
        singular, plural = words[self.unit]
        return f"{self.count} {singular if self.count == 1 else plural}"


def text_in(texts, lang, fallback_langs=()):
    """Pick ``texts[lang]``, else the first fallback language present, else any text."""
    if lang in texts:
        return texts[lang]
    for other in fallback_langs:
        if other in texts:
            return texts[other]
    return next(iter(texts.values()), "")


def pattern_regex(pattern):
    """Compile an item name where ``*`` matches any run of characters (nothing else is special)."""
    return re.compile("".join(".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", pattern)) + r"\Z")


@dataclass(frozen=True)
class Item:
    name: str
    kind: str
    purpose: dict
    retention: Retention
    domain: str | None = None

    @cached_property
    def _regex(self):
        return pattern_regex(self.name)

    @property
    def is_pattern(self):
        return "*" in self.name

    def matches(self, name, kind=None):
        if kind is not None and kind != self.kind:
            return False
        return self._regex.match(name) is not None


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    category: str
    items: tuple
    provider: str | None = None
    controller: str | None = None
    policy_url: str | None = None


@dataclass(frozen=True)
class Category:
    id: str
    label: dict
    description: dict
    required: bool = False
    exempt: bool = False

    @property
    def refusable(self):
        return not self.required


@dataclass(frozen=True)
class ConsentCookie:
    name: str = "cmp_consent"
    domain: str | None = None


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    origins: tuple
    languages: tuple
    policy_url: str
    banner: dict
    categories: tuple
    services: tuple
    consent_max_age_days: int = 180
    controller: str | None = None
    gpc: bool = False
    consent_cookie: ConsentCookie = field(default_factory=ConsentCookie)
    consent_mode: dict = field(default_factory=dict)
    source: str | None = None

    @property
    def default_language(self):
        return self.languages[0]

    def pick_language(self, wanted):
        return wanted if wanted in self.languages else self.default_language

    def text(self, texts, lang):
        return text_in(texts, lang, (self.default_language, "en"))

    @cached_property
    def _categories_by_id(self):
        return {c.id: c for c in self.categories}

    @cached_property
    def _services_by_id(self):
        return {s.id: s for s in self.services}

    def category(self, category_id):
        return self._categories_by_id.get(category_id)

    def service(self, service_id):
        return self._services_by_id.get(service_id)

    def services_in(self, category_id):
        return [s for s in self.services if s.category == category_id]

    def controller_of(self, service):
        return service.controller or self.controller or self.name

    def find_item(self, name, kind):
        """The (service, item) declaring ``name`` of ``kind``; exact names win over patterns."""
        best = None
        for service in self.services:
            for item in service.items:
                if item.matches(name, kind):
                    if not item.is_pattern:
                        return service, item
                    best = best or (service, item)
        return best

    @cached_property
    def revision(self):
        """Hash of everything a visitor consents to; when it changes, visitors are asked again."""
        payload = {
            "categories": [
                [c.id, c.required, c.exempt, sorted(c.label.items()), sorted(c.description.items())]
                for c in self.categories
            ],
            "services": [
                [
                    s.id,
                    s.name,
                    s.category,
                    s.provider,
                    self.controller_of(s),
                    [[i.name, i.kind, i.domain, i.retention.text, sorted(i.purpose.items())] for i in s.items],
                ]
                for s in self.services
            ],
        }
        return digest(payload)


def digest(payload):
    """A short, stable hash of JSON-able ``payload``."""
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(raw).hexdigest()[:16]
