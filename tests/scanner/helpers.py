"""Builders shared by the scanner's unit tests: observations, items and the fixture inventory."""

from pathlib import Path

import inventory
from scanner import setcookie
from scanner.collect import Observation
from scanner.items import Item

FIXTURE_DIR = Path(__file__).parent / "fixture_site"
FIXTURE_INVENTORY = FIXTURE_DIR / "fixture-shop.yaml"
SITE_URL = "https://shop.example/"
T0 = 1_800_000_000.0


def fixture_site():
    return inventory.load_file(FIXTURE_INVENTORY)


def write(
    line,
    phase="before",
    at=T0,
    how="js",
    initiator="https://shop.example/app.js",
    page="https://shop.example/",
    host="shop.example",
    blocked=(),
):
    w = setcookie.parse(line, host, at)
    return Observation(
        kind="cookie",
        name=w.name,
        domain=w.domain,
        phase=phase,
        page_url=page,
        at=at,
        how=how,
        initiator=initiator,
        write=w,
        blocked=tuple(blocked),
        path=w.path,
    )


def jar(
    name,
    expires,
    phase="before",
    at=T0 + 1,
    domain="shop.example",
    page="https://shop.example/",
    flags=(False, False, "Lax"),
    path="/",
):
    return Observation(
        kind="cookie",
        name=name,
        domain=domain,
        phase=phase,
        page_url=page,
        at=at,
        stored_expires=expires,
        stored_flags=flags,
        path=path,
    )


def storage(
    name,
    kind="localStorage",
    phase="before",
    at=T0,
    domain="shop.example",
    how=None,
    initiator=None,
    page="https://shop.example/",
):
    return Observation(
        kind=kind, name=name, domain=domain, phase=phase, page_url=page, at=at, how=how, initiator=initiator
    )


def item(name, phases, kind="cookie", domain="127.0.0.1", asked=None, party="first", **fields):
    fields.setdefault("path", "/" if kind == "cookie" else None)
    return Item(
        name=name,
        kind=kind,
        domain=domain,
        party=party,
        phases=list(phases),
        first_seen_url="http://127.0.0.1/",
        set_by="js",
        initiator="http://127.0.0.1/app.js",
        requested_lifetime_s=asked,
        stored_lifetime_s=asked,
        **fields,
    )
