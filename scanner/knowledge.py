"""What is known about common trackers: the built-in knowledge base (``knowledge.yaml``) and,
optionally, a user's download of the Open Cookie Database (CSV). Classifies an item by name."""

import csv
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from inventory.model import pattern_regex

from .match import domain_matches

OCD_COLUMNS = (
    "ID",
    "Platform",
    "Category",
    "Cookie / Data Key name",
    "Domain",
    "Description",
    "Retention period",
    "Data Controller",
    "User Privacy & GDPR Rights Portals",
    "Wildcard match",
)
# The Open Cookie Database's categories in the knowledge base's words.
OCD_CATEGORIES = {
    "functional": "necessary",
    "security": "necessary",
    "analytics": "analytics",
    "marketing": "advertising",
    "personalization": "preferences",
    "personalisation": "preferences",
}


class KnownCookiesError(Exception):
    """The --known-cookies file cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Known:
    service_id: str
    service_name: str
    provider: str | None
    category: str  # the knowledge base's category (see knowledge.yaml)
    name: str  # the declaration to suggest: a pattern when the source gives one
    kind: str | None  # None: any kind (the Open Cookie Database mixes cookies and storage keys)
    purpose: dict  # {"fr": ..., "en": ...}; the Open Cookie Database gives English only
    policy_url: str | None
    source: str  # "knowledge base" or "Open Cookie Database"

    @property
    def is_pattern(self):
        return "*" in self.name


class KnowledgeBase:
    def __init__(self, entries):
        self.entries = list(entries)  # (Known, restricting domain or None)

    @classmethod
    def builtin(cls):
        data = yaml.safe_load((resources.files("scanner") / "knowledge.yaml").read_text(encoding="utf-8"))
        entries = []
        for svc in data["services"]:
            for item in svc["items"]:
                known = Known(
                    svc["id"],
                    svc["name"],
                    svc.get("provider"),
                    svc["category"],
                    item["name"],
                    item["kind"],
                    {"fr": item["fr"], "en": item["en"]},
                    svc.get("policy_url"),
                    "knowledge base",
                )
                entries.append((known, item.get("domain")))
        return cls(entries)

    def extend(self, other):
        return KnowledgeBase(self.entries + other.entries)

    def classify(self, name, kind, domain):
        """The best entry for an item: an exact name wins over a pattern, earlier sources win."""
        best = None
        for known, restrict in self.entries:
            if known.kind not in (None, kind) or not domain_matches(restrict, domain):
                continue
            if pattern_regex(known.name).match(name) is None:
                continue
            if not known.is_pattern:
                return known
            best = best or known
        return best


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "service"


def load_open_cookie_database(path):
    """Entries from the Open Cookie Database's CSV; raises :class:`KnownCookiesError`."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return KnowledgeBase(_open_cookie_database_entries(csv.DictReader(handle), path))
    except OSError as exc:
        raise KnownCookiesError(f"{path}: cannot be read: {exc.strerror or exc}") from exc


def _open_cookie_database_entries(reader, path):
    """(Known, None) pairs of the CSV rows whose name can be declared."""
    missing = [c for c in OCD_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise KnownCookiesError(f"{path}: not an Open Cookie Database CSV: missing column(s) {', '.join(missing)}")
    entries = []
    try:
        for row in reader:
            name = (row["Cookie / Data Key name"] or "").strip()
            if not name or re.search(r"[\s;,=]", name):
                continue
            if (row["Wildcard match"] or "").strip() == "1" and not name.endswith("*"):
                name += "*"  # the database's wildcard rows give a name prefix
            platform = (row["Platform"] or "").strip() or "Unknown"
            category = OCD_CATEGORIES.get((row["Category"] or "").strip().lower(), "analytics")
            description = (row["Description"] or "").strip() or f"{platform} cookie."
            policy = (row["User Privacy & GDPR Rights Portals"] or "").strip()
            entries.append(
                (
                    Known(
                        _slug(platform),
                        platform,
                        (row["Data Controller"] or "").strip() or None,
                        category,
                        name,
                        None,
                        {"en": description},
                        policy if policy.startswith(("http://", "https://")) else None,
                        "Open Cookie Database",
                    ),
                    None,
                )
            )
    except csv.Error as exc:
        raise KnownCookiesError(f"{path}:{reader.line_num}: {exc}") from exc
    return entries
