"""Console tests through Flask's test client: users made as `cmpctl user add` makes them,
forms posted as a browser posts them (with the CSRF token the page carries)."""

import functools
import re

from cmp import clock, passwords
from cmp.store.scans import ScanRecord
from cmp.store.users import User

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@functools.cache
def password_hash():
    """The scrypt hash of PASSWORD, made once: each costs 0.1 s of a core by design, and the
    console's tests add three users per test (signing in still verifies against it each time)."""
    return passwords.hash_password(PASSWORD)


def add_user(app, email, role, sites=()):
    user = User(email, role, password_hash(), tuple(sites), clock.now())
    assert app.extensions["cmp.store"].users.add(user)
    return user


def csrf_token(client, path="/console/login"):
    page = client.get(path).get_data(as_text=True)
    return _TOKEN.search(page).group(1)


def login(client, email, password=PASSWORD):
    return client.post("/console/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


def audit_actions(app):
    return [(e.actor, e.action, e.site) for e in app.extensions["cmp.store"].audit.recent()][::-1]


# Scans as the scan jobs record them, for the pages that show them.
MILLEIS = "milleis"
MILLEIS_URL = "https://milleis.gconcierges.com"
OLD, NEW, RUNNING = "20260301T030000Z-aaaaaa", "20260302T030000Z-bbbbbb", "20260303T030000Z-cccccc"


def item(name, lifetime=86400, declared=True):
    return {
        "kind": "cookie",
        "name": name,
        "domain": "milleis.gconcierges.com",
        "path": "/",
        "party": "first",
        "phases": ["before", "accept"],
        "requested_lifetime_s": lifetime,
        "declared": {"service": "site"} if declared else None,
    }


def finding(name, rule="undeclared", severity="warning"):
    return {
        "rule": rule,
        "severity": severity,
        "item": name,
        "kind": "cookie",
        "domain": "milleis.gconcierges.com",
        "path": "/",
        "phase": "before",
        "detail": f"{name} is not declared",
    }


def report(items, findings):
    warnings = sum(1 for f in findings if f["severity"] == "warning")
    return {
        "items": items,
        "findings": findings,
        "summary": {
            "verdict": "warning" if warnings else "pass",
            "items": len(items),
            "third_party": 0,
            "undeclared": sum(1 for i in items if i["declared"] is None),
            "by_severity": {"error": 0, "warning": warnings, "info": 0},
        },
    }


def store(index, scan_id, document=None, site=MILLEIS, **fields):
    day = scan_id[:8]
    at = f"{day[:4]}-{day[4:6]}-{day[6:]}T03:00:00Z"
    ended = {"status": "finished", "started_at": at, "finished_at": at.replace("03:00:00", "03:05:00")}
    record = ScanRecord(
        id=scan_id,
        site=site,
        url=MILLEIS_URL + "/",
        created_at=at,
        inventory_revision="rev-1",
        summary=document["summary"] if document else None,
        **{**(ended if document else {}), **fields},
    )
    index.create(record)
    if document:
        index.save_report(scan_id, document)
    return record
