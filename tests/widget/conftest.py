"""Fixtures for the widget's tests: one real Chromium for the package, the real consent service
(``cmpctl serve`` with a SQLite store) for the session, a fresh browser context per test.

``service`` serves the shipped inventories; ``lab`` serves a temporary copy with test sites
(GPC honoured, GPC not honoured, a hostile banner text, two services in one category) and lets the cross-origin host http://www.amex.test:<port>
call the API. Chromium resolves every *.test host to 127.0.0.1.
"""

import shutil
from pathlib import Path

import pytest
import yaml

from tests.support.processes import free_port

from .helpers import SERVICE_ENV, Service

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP *.test 127.0.0.1",
    # A page the test fulfils itself has no address, so Chromium takes it for a public site and
    # blocks its requests to 127.0.0.1 (Local Network Access). Real portals and the real service
    # are both public, where no such check applies.
    "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights",
]
SHIPPED = Path(__file__).resolve().parents[2] / "inventory" / "sites"


def start_service(tmp, inventory_dir=None, port=None, **env):
    values = dict(SERVICE_ENV, CMP_STORE_URL=f"sqlite:///{tmp}/consents.db", **env)
    if inventory_dir is not None:
        values["CMP_INVENTORY_DIR"] = str(inventory_dir)
    return Service(values, port)


def write_site(directory, site_id, source="amex-portal", **changes):
    """Copy a shipped inventory as ``site_id`` with top-level ``changes``; returns its data."""
    data = yaml.safe_load((SHIPPED / f"{source}.yaml").read_text(encoding="utf-8"))
    data.update(id=site_id, **changes)
    (Path(directory) / f"{site_id}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return data


# Package scope: Playwright's sync API keeps an event loop running in the main thread while it
# lives, and the scanner's tests call asyncio.run() in that thread; each package that drives a
# browser (tests/widget, tests/cmp/console) starts its own and stops it when it is done.
@pytest.fixture(scope="package")
def playwright_driver():
    from playwright.sync_api import expect, sync_playwright

    # Generous waits: the 2-core machine is shared, and a slow step must not read as a failure.
    expect.set_options(timeout=15_000)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    """The service on the shipped inventories, one per session (per xdist worker): each test is a
    new visitor in a new browser context, and reads only that visitor's records."""
    running = start_service(tmp_path_factory.mktemp("service"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lab")
    inventory = tmp / "inventory"
    inventory.mkdir()
    port = free_port()
    origin = f"http://www.amex.test:{port}"
    write_site(
        inventory,
        "amex-portal",
        origins=["https://amex.europ-assistance.fr", origin, "https://www.amex.test"],
        consent_cookie={"domain": "amex.test"},
    )
    shutil.copy(SHIPPED / "milleis.yaml", inventory / "milleis.yaml")
    write_site(inventory, "gpc-portal", gpc=True, origins=[origin])
    write_site(inventory, "no-gpc", gpc=False, origins=[origin])
    hostile = '<img src=x onerror="window.injected=1">Texte <b>gras</b>'
    write_site(
        inventory,
        "hostile",
        origins=[origin],
        banner={"title": {"fr": "<i>Titre</i>", "en": "<i>Title</i>"}, "text": {"fr": hostile, "en": hostile}},
    )
    amex = write_site(inventory, "two-services", origins=[origin])
    amex["services"].append(
        {
            "id": "uptime",
            "name": "Uptime Watch",
            "provider": "Uptime Watch Ltd",
            "category": "performance",
            "items": [
                {
                    "name": "uw_probe",
                    "kind": "cookie",
                    "retention": "1 day",
                    "purpose": {"fr": "Mesure la disponibilité.", "en": "Measures availability."},
                }
            ],
        }
    )
    write_site(inventory, "two-services", services=amex["services"], origins=[origin])
    running = start_service(tmp, inventory, port=port)
    running.origin = origin
    yield running
    running.stop()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 720})
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    assert page.errors == [], f"uncaught errors on the page: {page.errors}"
