"""Who may do what in the console: roles, and the sites a user is restricted to.

viewer: analytics, inventory and scans of its sites; editor: also looks up visitors, exports
proofs and starts scans; admin: everything on every site, the users and the audit log. A user
added without sites sees every site.
"""

PERMISSIONS = {
    "viewer": {"analytics", "inventory", "scans"},
    "editor": {"analytics", "inventory", "scans", "visitors", "export", "scan"},
    "admin": {"analytics", "inventory", "scans", "visitors", "export", "scan", "users", "audit"},
}


def can(user, permission):
    return user is not None and permission in PERMISSIONS.get(user.role, ())


def may_see(user, site_id):
    if user is None:
        return False
    return user.role == "admin" or not user.sites or site_id in user.sites


def visible_sites(user, sites):
    """The sites (``{id: Site}``) ``user`` may see, by id."""
    return [sites[site_id] for site_id in sorted(sites) if may_see(user, site_id)]
