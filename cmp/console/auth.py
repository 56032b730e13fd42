"""Console sign-in, after Flask's tutorial ``auth.py``: the login form, the signed session
cookie, ``g.user`` loaded on every console request, ``login_required`` and the role checks.

A session ends after ``CONSOLE_SESSION_IDLE_MINUTES`` without a request, at logout, or as soon
as its user is removed. Failed logins are throttled per account and per client address.
"""

import functools

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for

from .. import clock, passwords
from ..ratelimit import count_failed_login, login_allowed
from . import access
from .audit import record
from .forms import LoginForm
from .i18n import gettext as _

bp = Blueprint("auth", __name__, url_prefix="/console")


def normal_email(email):
    return email.strip().lower()


def _store():
    return current_app.extensions["cmp.store"]


def current_user():
    """The signed-in user of this request, or None (its session expired, or the user is gone)."""
    if "user" in g:
        return g.user
    g.user = None
    email = session.get("user")
    if email is None:
        return None
    now = clock.to_ms(clock.now())
    idle_ms = current_app.config["CONSOLE_SESSION_IDLE_MINUTES"] * 60_000
    if now - session.get("seen", 0) > idle_ms:
        session.clear()
        g.session_expired = True
        return None
    user = _store().users.get(email)
    if user is None:
        session.clear()
        return None
    session["seen"] = now
    g.user = user
    return user


def login_required(view):
    @functools.wraps(view)
    def wrapped(**kwargs):
        if current_user() is None:
            if g.get("session_expired"):
                flash(_("Your session has expired; please log in again."), "error")
            return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
        return view(**kwargs)

    return wrapped


def require(permission, site_id=None):
    """Abort unless the signed-in user holds ``permission`` (403) and may see ``site_id`` (404:
    a site not open to a user is, to that user, a site that does not exist)."""
    user = current_user()
    if site_id is not None and not access.may_see(user, site_id):
        abort(404)
    if not access.can(user, permission):
        abort(403)


def _safe_next(target):
    # Only a path of this console: never another host ("//evil.example", "https://…").
    if target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("pages.overview")


@bp.route("/login", methods=("GET", "POST"))
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email = normal_email(form.email.data)
        if not login_allowed(email):
            record("login_throttled", actor=email)
            flash(_("Too many failed attempts; try again later."), "error")
            return render_template("console/login.html", form=form), 429
        user = _store().users.get(email)
        if not passwords.verify_or_waste(form.password.data, user.password_hash if user else None) or user is None:
            count_failed_login(email)
            record("login_failed", actor=email)
            flash(_("Wrong e-mail or password."), "error")
            return render_template("console/login.html", form=form), 401
        lang = session.get("lang")
        session.clear()  # a fresh session (and CSRF token) for the signed-in user
        session.update(user=user.email, seen=clock.to_ms(clock.now()))
        if lang:
            session["lang"] = lang
        g.user = user
        record("login")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("console/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    record("logout")
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))
