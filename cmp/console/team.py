"""Admin pages: the audit log (who logged in, looked up a visitor or exported what, when) and
the console's users."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from .. import clock, passwords
from ..store.users import User
from .audit import record
from .auth import login_required, normal_email, require
from .forms import RemoveUserForm, UserForm
from .i18n import gettext as _

bp = Blueprint("team", __name__, url_prefix="/console")
AUDIT_PAGE = 500


def _store():
    return current_app.extensions["cmp.store"]


@bp.get("/audit")
@login_required
def audit():
    require("audit")
    return render_template("console/audit.html", entries=_store().audit.recent(AUDIT_PAGE))


def _users_page(form, status=200):
    users = _store().users.all()
    removals = {u.email: RemoveUserForm(email=u.email, formdata=None) for u in users}
    return render_template("console/users.html", users=users, form=form, removals=removals), status


@bp.get("/users")
@login_required
def users():
    require("users")
    return _users_page(UserForm(formdata=None))


@bp.post("/users")
@login_required
def add_user():
    require("users")
    form = UserForm()
    if not form.validate():
        return _users_page(form, 400)
    known = current_app.extensions["cmp.sites"]
    sites = tuple(s.strip() for s in (form.sites.data or "").split(",") if s.strip())
    unknown = [s for s in sites if s not in known]
    weak = passwords.check_strength(form.password.data)
    if unknown:
        form.sites.errors.append(f"{', '.join(unknown)}: {_('unknown site')}")
    if weak:
        form.password.errors.append(weak)
    email = normal_email(form.email.data)
    user = User(
        email, form.role.data, passwords.hash_password(form.password.data) if not weak else "", sites, clock.now()
    )
    if unknown or weak or not _store().users.add(user):
        if not (unknown or weak):
            form.email.errors.append(_("a user with this e-mail exists"))
        return _users_page(form, 400)
    record("user_add", email=email, role=user.role, sites=list(sites))
    flash(f"{email}: {_('added')}", "info")
    return redirect(url_for(".users"))


@bp.post("/users/remove")
@login_required
def remove_user():
    require("users")
    form = RemoveUserForm()
    if form.validate() and _store().users.remove(normal_email(form.email.data)):
        record("user_remove", email=normal_email(form.email.data))
    return redirect(url_for(".users"))
