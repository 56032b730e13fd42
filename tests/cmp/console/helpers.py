"""Console tests through Flask's test client: users made as `cmpctl user add` makes them,
forms posted as a browser posts them (with the CSRF token the page carries)."""

import re

from cmp import clock, passwords
from cmp.store.users import User

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def add_user(app, email, role, sites=()):
    user = User(email, role, passwords.hash_password(PASSWORD), tuple(sites), clock.now())
    assert app.extensions["cmp.store"].users.add(user)
    return user


def csrf_token(client, path="/console/login"):
    page = client.get(path).get_data(as_text=True)
    return _TOKEN.search(page).group(1)


def login(client, email, password=PASSWORD):
    return client.post("/console/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


def audit_actions(app):
    return [(e.actor, e.action, e.site) for e in app.extensions["cmp.store"].audit.recent()][::-1]
