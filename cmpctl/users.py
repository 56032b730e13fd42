"""``cmpctl user add|list|remove``: the console's accounts, kept in the configured store."""

import json
import sys

import click

from .common import fail, load_settings

ROLES = ("viewer", "editor", "admin")


def _open_store():
    from cmp.app import open_store
    from cmp.errors import CMPError

    try:
        return open_store(load_settings())
    except CMPError as exc:
        fail(str(exc))


def _audit(store, action, **detail):
    from cmp import clock
    from cmp.store.users import AuditEntry

    store.audit.append(AuditEntry(at=clock.now(), actor="cmpctl", action=action, detail=detail))


def _read_password():
    """From standard input when it is not a terminal (first line), else prompted twice."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.group("user", short_help="Manage the console's users.")
def user_group():
    """Add, list and remove console users (roles: viewer, editor, admin)."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="viewer, editor or admin.")
@click.option("--site", "sites", multiple=True, help="A site the user may see (repeat); none: every site.")
def add(email, role, sites):
    """Add a user; the password is read from standard input, or prompted on a terminal."""
    import inventory
    from cmp import clock, passwords
    from cmp.console.auth import normal_email
    from cmp.errors import CMPError
    from cmp.store.users import User
    from inventory.errors import InventoryError

    email = normal_email(email)
    if "@" not in email or len(email) > 254:
        fail(f"EMAIL {email!r}: not an e-mail address")
    try:
        known = inventory.load_dir(load_settings()["INVENTORY_DIR"] or None)
    except InventoryError as exc:
        fail(str(exc))
    for site in sites:
        if site not in known:
            fail(f"--site {site!r}: no such site; known: {', '.join(sorted(known))}")
    password = _read_password()
    weak = passwords.check_strength(password)
    if weak:
        fail(f"password: {weak}")
    store = _open_store()
    user = User(email, role, passwords.hash_password(password), tuple(dict.fromkeys(sites)), clock.now())
    try:
        if not store.users.add(user):
            fail(f"{email}: a user with this e-mail exists; remove it first")
        _audit(store, "user_add", email=email, role=role, sites=list(user.sites))
    except CMPError as exc:
        fail(str(exc))
    click.echo(f"added {email} ({role}, {', '.join(user.sites) or 'every site'})")


@user_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_users(fmt):
    """List every user: e-mail, role, sites, creation date."""
    from cmp import clock
    from cmp.errors import CMPError

    try:
        users = _open_store().users.all()
    except CMPError as exc:
        fail(str(exc))
    if fmt == "json":
        rows = [
            {"email": u.email, "role": u.role, "sites": list(u.sites), "created_at": clock.iso(u.created_at)}
            for u in users
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for u in users:
        click.echo(f"{u.email}\t{u.role}\t{','.join(u.sites) or '*'}\t{clock.iso(u.created_at)}")


@user_group.command("remove")
@click.argument("email")
def remove(email):
    """Remove a user; its sessions end with its next request."""
    from cmp.console.auth import normal_email
    from cmp.errors import CMPError

    email = normal_email(email)
    store = _open_store()
    try:
        if not store.users.remove(email):
            fail(f"{email}: no such user")
        _audit(store, "user_remove", email=email)
    except CMPError as exc:
        fail(str(exc))
    click.echo(f"removed {email}")
