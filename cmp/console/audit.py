"""The console's audit trail: one append-only entry per sign-in, visitor lookup and export."""

from flask import current_app, g

from .. import clock
from ..store.users import AuditEntry


def record(action, site="", actor=None, **detail):
    """Append ``action`` by ``actor`` (default: the signed-in user) to the audit log."""
    if actor is None:
        actor = g.user.email if g.get("user") else ""
    entry = AuditEntry(at=clock.now(), actor=actor, action=action, site=site, detail=detail)
    current_app.extensions["cmp.store"].audit.append(entry)
