"""--suggest and --known-cookies: classifying undeclared items and writing inventory entries
that the inventory loader accepts once merged into the site's file."""

import csv

import pytest
import yaml

import inventory
from inventory.loader import _validator
from scanner import rules, suggest
from scanner.knowledge import OCD_COLUMNS, KnowledgeBase, KnownCookiesError, load_open_cookie_database

from .helpers import FIXTURE_INVENTORY, fixture_site, item

KB = KnowledgeBase.builtin()


@pytest.mark.parametrize(
    "name, kind, domain, service, declared_name",
    [
        ("_ga", "cookie", ".shop.example", "google-analytics", "_ga"),
        ("_ga_ABC123", "cookie", ".shop.example", "google-analytics", "_ga_*"),
        ("_pk_ses.3.a1b2", "cookie", "shop.example", "matomo", "_pk_ses.*"),
        ("_hjSessionUser_12345", "cookie", ".shop.example", "hotjar", "_hjSessionUser_*"),
        ("_fbp", "cookie", ".shop.example", "meta-pixel", "_fbp"),
        ("fr", "cookie", ".facebook.com", "meta-pixel", "fr"),
        ("_clck", "cookie", ".shop.example", "microsoft-clarity", "_clck"),
        ("ai_session", "cookie", "shop.example", "application-insights", "ai_session"),
        ("ARRAffinitySameSite", "cookie", "shop.example", "azure-app-service", "ARRAffinitySameSite"),
        (".AspNetCore.Antiforgery.x1", "cookie", "shop.example", "aspnet", ".AspNetCore.Antiforgery.*"),
        ("VISITOR_INFO1_LIVE", "cookie", ".youtube.com", "youtube", "VISITOR_INFO1_LIVE"),
        ("yt-remote-device-id", "localStorage", "www.youtube-nocookie.com", "youtube", "yt-remote-*"),
        ("ppms_webstorage", "localStorage", "shop.example", "piwik-pro", "ppms_webstorage"),
    ],
)
def test_the_knowledge_base_knows_common_trackers(name, kind, domain, service, declared_name):
    known = KB.classify(name, kind, domain)
    assert (known.service_id, known.name, known.source) == (service, declared_name, "knowledge base")


def test_a_generic_name_is_only_known_on_its_vendors_domain():
    assert KB.classify("fr", "cookie", "shop.example") is None
    assert KB.classify("_ga", "localStorage", "shop.example") is None


def write_ocd(path, rows, columns=OCD_COLUMNS):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


OCD_ROWS = [
    [
        "1",
        "Acme Stats",
        "Analytics",
        "acme_vid",
        "acme.example",
        "Acme visitor id.",
        "1 year",
        "Acme Inc.",
        "https://acme.example/privacy",
        "0",
    ],
    ["2", "Acme Ads", "Marketing", "acme_ad_", "acme.example", "Acme ad campaign.", "30 days", "Acme Inc.", "", "1"],
]


def test_the_open_cookie_database_csv_classifies_what_the_knowledge_base_does_not(tmp_path):
    ocd = load_open_cookie_database(write_ocd(tmp_path / "ocd.csv", OCD_ROWS))
    knowledge = KB.extend(ocd)
    stats = knowledge.classify("acme_vid", "cookie", "shop.example")
    ads = knowledge.classify("acme_ad_summer", "localStorage", "shop.example")
    assert (stats.service_id, stats.category, stats.purpose, stats.policy_url, stats.source) == (
        "acme-stats",
        "analytics",
        {"en": "Acme visitor id."},
        "https://acme.example/privacy",
        "Open Cookie Database",
    )
    assert (ads.service_id, ads.name, ads.category) == ("acme-ads", "acme_ad_*", "advertising")
    assert knowledge.classify("_ga", "cookie", "shop.example").source == "knowledge base"


def test_a_csv_without_the_databases_columns_is_refused_naming_the_file(tmp_path):
    path = write_ocd(tmp_path / "other.csv", [["x", "y"]], columns=["Name", "Category"])
    with pytest.raises(KnownCookiesError, match=r"other\.csv: not an Open Cookie Database CSV: missing column"):
        load_open_cookie_database(path)
    with pytest.raises(KnownCookiesError, match=r"missing\.csv: cannot be read"):
        load_open_cookie_database(tmp_path / "missing.csv")


UNDECLARED = [
    item("_ga", ["before"], domain=".127.0.0.1", asked=63072000),
    item("_ga_K9", ["before"], domain=".127.0.0.1", asked=63072000),
    item("_pk_ses.1.a1b2", ["before"], asked=1800),
    item("_fbp", ["accept"], domain=".127.0.0.1", asked=7776000),
    item("ARRAffinity", ["before"]),
    item("late_probe", ["before"], asked=3600),
    item("acme_vid", ["accept"], domain="acme.example", party="third", asked=31536000),
    item("ppms_webstorage", ["before"], kind="localStorage"),
]


def suggested(tmp_path):
    knowledge = KB.extend(load_open_cookie_database(write_ocd(tmp_path / "ocd.csv", OCD_ROWS)))
    site = fixture_site()
    rules.findings(UNDECLARED, site)  # annotates: all of them are undeclared
    return suggest.render(UNDECLARED, site, knowledge, "http://127.0.0.1/")


def test_suggestions_are_filed_under_the_sites_own_categories(tmp_path):
    services = {s["id"]: s for s in yaml.safe_load(suggested(tmp_path))["services"]}
    assert {
        sid: (s["category"], [(i["name"], i["kind"], i["retention"]) for i in s["items"]])
        for sid, s in services.items()
    } == {
        # Google Analytics needs consent: not the exempt audience category, the strictest one.
        "google-analytics": ("marketing", [("_ga", "cookie", "2 years"), ("_ga_*", "cookie", "2 years")]),
        "matomo": ("audience", [("_pk_ses.*", "cookie", "30 minutes")]),
        "meta-pixel": ("marketing", [("_fbp", "cookie", "3 months")]),
        "azure-app-service": ("necessary", [("ARRAffinity", "cookie", "session")]),
        "unknown-127-0-0-1": ("marketing", [("late_probe", "cookie", "1 hour")]),
        "acme-stats": ("marketing", [("acme_vid", "cookie", "1 year")]),
        "piwik-pro": ("audience", [("ppms_webstorage", "localStorage", "persistent")]),
    }
    assert services["acme-stats"]["items"][0]["domain"] == "acme.example"
    assert services["matomo"]["items"][0]["purpose"] == {
        "fr": "Session de mesure d'audience Matomo.",
        "en": "Matomo audience measurement session.",
    }
    assert services["acme-stats"]["items"][0]["purpose"] == {"fr": "Acme visitor id.", "en": "Acme visitor id."}
    assert (
        services["unknown-127-0-0-1"]["items"][0]["purpose"]["en"]
        == "To describe: seen set by http://127.0.0.1/app.js on http://127.0.0.1/."
    )


def test_suggestions_merged_into_the_inventory_validate_and_declare_every_item(tmp_path):
    data = yaml.safe_load(FIXTURE_INVENTORY.read_text(encoding="utf-8"))
    data["services"] += yaml.safe_load(suggested(tmp_path))["services"]
    assert list(_validator().iter_errors(data)) == []
    merged = inventory.parse_site(yaml.safe_dump(data, allow_unicode=True), "merged.yaml")
    again = [
        item(i.name, i.phases, kind=i.kind, domain=i.domain, asked=i.requested_lifetime_s, party=i.party)
        for i in UNDECLARED
    ]
    found = {(f.rule, f.item) for f in rules.findings(again, merged)}
    assert not {rule for rule, _ in found} & {"undeclared", "exceeds-declared"}


def test_no_undeclared_item_gives_an_empty_services_list(tmp_path):
    site = fixture_site()
    assert yaml.safe_load(suggest.render([], site, KB, "http://127.0.0.1/")) == {"services": []}


@pytest.mark.parametrize(
    "kind, seconds, retention",
    [
        ("cookie", None, "session"),
        ("cookie", 1800, "30 minutes"),
        ("cookie", 1801, "31 minutes"),
        ("cookie", 7200, "2 hours"),
        ("cookie", 86400, "1 day"),
        ("cookie", 2592000, "30 days"),
        ("cookie", 15552000, "6 months"),
        ("cookie", 34128000, "13 months"),
        ("cookie", 31536000, "1 year"),
        ("cookie", 63072000, "2 years"),
        ("localStorage", None, "persistent"),
        ("sessionStorage", None, "session"),
    ],
)
def test_the_suggested_retention_covers_the_requested_lifetime(kind, seconds, retention):
    assert suggest.retention_for(item("x", ["before"], kind=kind, asked=seconds)) == retention


def test_items_sharing_a_pattern_get_the_retention_of_the_longest_asking():
    site = fixture_site()
    items = [
        item("_ga_A", ["before"], asked=86400),
        item("_ga_B", ["before"], asked=63072000),
        item("_ga_C", ["before"], asked=3600),
    ]
    rules.findings(items, site)
    services = yaml.safe_load(suggest.render(items, site, KB, "http://127.0.0.1/"))["services"]
    assert [(s["id"], [(i["name"], i["retention"]) for i in s["items"]]) for s in services] == [
        ("google-analytics", [("_ga_*", "2 years")])
    ]
