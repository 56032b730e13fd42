"""Inventory files: the shipped sites are valid, and a broken file is refused naming file, line and field."""

from pathlib import Path

import pytest

import inventory
from inventory.errors import InventoryError

SITES = Path(inventory.__file__).parent / "sites"
AMEX = (SITES / "amex-portal.yaml").read_text(encoding="utf-8")


def problems_of(text, filename="site.yaml"):
    with pytest.raises(InventoryError) as info:
        inventory.parse_site(text, filename)
    return [str(p) for p in info.value.problems]


def test_the_shipped_inventories_load():
    sites = inventory.load_dir(SITES)
    assert sorted(sites) == ["amex-portal", "milleis"]


@pytest.mark.parametrize(
    "site_id, name, kind, service",
    [
        ("amex-portal", "_pk_id.5f1c2b3a", "cookie", "piwik-pro"),
        ("amex-portal", "_pk_ses.5f1c2b3a", "cookie", "piwik-pro"),
        ("amex-portal", "ppms_webstorage", "localStorage", "piwik-pro"),
        ("amex-portal", "stg_returning_visitor", "cookie", "piwik-pro"),
        ("amex-portal", "stg_externalReferrer", "cookie", "piwik-pro"),
        ("amex-portal", "stg_traffic_source_priority", "cookie", "piwik-pro"),
        ("amex-portal", "ARRAffinity", "cookie", "azure-app-service"),
        ("amex-portal", "ARRAffinitySameSite", "cookie", "azure-app-service"),
        ("amex-portal", ".AspNetCore.Session", "cookie", "aspnet"),
        ("amex-portal", ".AspNetCore.Antiforgery.cdV5uW_Ejgc", "cookie", "aspnet"),
        ("amex-portal", "ASP.NET_SessionId", "cookie", "aspnet"),
        ("amex-portal", "ai_session", "cookie", "application-insights"),
        ("amex-portal", "ai_user", "cookie", "application-insights"),
        ("amex-portal", "cmp_consent", "cookie", "cmp"),
        ("milleis", ".AspNetCore.Cookies", "cookie", "aspnet"),
        ("milleis", "X-CSRF-TOKEN-CONCIERGERIE", "cookie", "aspnet"),
        ("milleis", "_pk_ses.1", "cookie", "piwik-pro"),
        ("milleis", "cmp_consent", "cookie", "cmp"),
    ],
)
def test_the_real_cookies_of_the_policies_are_declared(site_id, name, kind, service):
    site = inventory.load_dir(SITES)[site_id]
    found = site.find_item(name, kind)
    assert found is not None and found[0].id == service


def test_the_consent_cookie_is_a_strictly_necessary_item_kept_as_long_as_the_consent():
    site = inventory.load_dir(SITES)["amex-portal"]
    service, item = site.find_item("cmp_consent", "cookie")
    assert site.category(service.category).required
    assert item.retention.seconds == 180 * 86400


def test_a_wildcard_matches_only_its_pattern_and_kind():
    site = inventory.load_dir(SITES)["amex-portal"]
    assert site.find_item("_pk_idx", "cookie") is None
    assert site.find_item("_pk_id.1", "localStorage") is None
    assert site.find_item("x_pk_id.1", "cookie") is None


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("30 minutes", 1800),
        ("1 day", 86400),
        ("13 months", 34187400),
        ("1 year", 31557600),
        ("session", None),
        ("persistent", None),
    ],
)
def test_retention_is_parsed_to_seconds(text, seconds):
    assert inventory.Retention.parse(text).seconds == seconds


def test_a_misspelt_retention_names_file_line_and_field():
    broken = AMEX.replace("retention: 30 minutes", "retention: 30 minuets")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "30 minuets" in text)
    assert problems_of(broken, "amex-portal.yaml") == [
        f"amex-portal.yaml:{line}: services[3].items[1].retention: '30 minuets' must be 'session', 'persistent' "
        "or '<n> minutes|hours|days|months|years'"
    ]


def test_a_missing_field_and_an_unknown_field_are_both_reported():
    broken = AMEX.replace("policy_url:", "policy:")
    assert problems_of(broken) == ["site.yaml:5: policy_url: is required", "site.yaml:10: policy: is not a known field"]


def test_a_service_in_an_unknown_category_is_refused():
    broken = AMEX.replace("category: performance", "category: perf")
    (problem,) = problems_of(broken)
    assert problem.endswith("services[3].category: unknown category 'perf'")


def test_a_text_missing_in_one_language_is_refused():
    broken = AMEX.replace(
        'label: {fr: "Publicité et réseaux sociaux", en: "Advertising and social media"}',
        'label: {fr: "Publicité et réseaux sociaux"}',
    )
    (problem,) = problems_of(broken)
    assert "categories[3].label: has no text for language 'en'" in problem


def test_invalid_yaml_names_the_line():
    (problem,) = problems_of("id: x\nname: [unclosed\n")
    assert problem.startswith("site.yaml:3: invalid YAML")


def test_a_file_whose_id_differs_from_its_name_is_refused(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(AMEX, encoding="utf-8")
    with pytest.raises(InventoryError, match="'amex-portal' must match the file name 'other'"):
        inventory.load_file(path)


def test_the_service_refuses_to_start_on_a_broken_inventory(make_app, tmp_path):
    (tmp_path / "amex-portal.yaml").write_text(AMEX.replace("kind: cookie", "kind: biscuit", 1), encoding="utf-8")
    with pytest.raises(InventoryError, match=r"amex-portal.yaml:\d+: services\[0\].items\[0\].kind: 'biscuit'"):
        make_app(INVENTORY_DIR=str(tmp_path))


def test_the_revision_changes_when_what_visitors_consent_to_changes():
    site = inventory.parse_site(AMEX)
    assert inventory.parse_site(AMEX.replace("retention: 1 year", "retention: 13 months")).revision != site.revision
    assert inventory.parse_site(AMEX.replace("Your cookie choices", "Your choices")).revision == site.revision
