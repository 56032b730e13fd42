"""The compliance console: server-rendered pages at /console/ (Jinja templates and static files
beside this module), in French and English, usable without JavaScript, under a strict CSP.

Its session cookie is signed with a key derived from the first ``CMP_SECRET_KEY`` (older keys
still verify, so keys rotate as for tokens); every form carries a CSRF token (Flask-WTF), and a
console POST without a valid one is refused before its view runs. No CORS header is ever sent.
"""

import datetime as dt
import hashlib
import hmac

from flask import g, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

from ..sites import PUBLIC_API
from . import access, auth, i18n, pages, proofs, scan_index, scans, team
from .forms import LogoutForm

PREFIX = "/console"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
csrf = CSRFProtect()


def session_key(secret):
    """The session-signing key derived from one token key (the two are never the same)."""
    return hmac.new(secret.encode(), b"cmp console session", hashlib.sha256).hexdigest()


class _Sessions(SecureCookieSessionInterface):
    """The console's signed session cookie, never opened on the visitor-facing API (which has no
    use for it): a consent write would otherwise build a serializer and parse cookies for nothing."""

    def open_session(self, app, request):
        if request.path.startswith(PUBLIC_API):
            return None  # Flask's null session: nothing to read, nothing saved
        return super().open_session(app, request)


def _is_console():
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def _before():
    if not _is_console():
        return
    g.lang = i18n.language()
    if request.method == "POST":
        csrf.protect()


def _headers(response):
    if _is_console():
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if not request.path.startswith(PREFIX + "/static/"):
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")  # one user's page is never another's, whatever a cache does
    return response


ERROR_MESSAGES = {403: "You may not do this.", 404: "Page not found, or not open to you."}


def _error_page(status):
    """The console's page for an HTTP error on a console URL, or None elsewhere (JSON answers)."""
    if not _is_console() or status not in ERROR_MESSAGES:
        return None
    if "lang" not in g:
        g.lang = i18n.language()
    message = i18n.gettext(ERROR_MESSAGES[status])
    return render_template("console/error.html", status=status, message=message), status


def _globals():
    return {
        "_": i18n.gettext,
        "lang": g.get("lang", "fr"),
        "user": g.get("user"),
        "can": lambda permission: access.can(g.get("user"), permission),
        "logout_form": LogoutForm() if g.get("user") else None,
    }


def init_app(app, secret_keys):
    app.config.update(
        SECRET_KEY=session_key(secret_keys[0]),
        SECRET_KEY_FALLBACKS=[session_key(key) for key in secret_keys[1:]],
        SESSION_COOKIE_NAME="cmp_console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not (app.config["DEBUG"] or app.config["DEMO"]),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=app.config["CONSOLE_SESSION_IDLE_MINUTES"]),
        WTF_CSRF_CHECK_DEFAULT=False,  # checked for console POSTs only, in _before
        WTF_CSRF_TIME_LIMIT=None,  # as long as the session lives
    )
    app.session_interface = _Sessions()
    csrf.init_app(app)
    app.before_request(_before)
    app.after_request(_headers)
    app.context_processor(_globals)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.teardown_appcontext(scan_index.close)
    app.extensions["cmp.error_page"] = _error_page
    for blueprint in (auth.bp, pages.bp, proofs.bp, scans.bp, team.bp):
        app.register_blueprint(blueprint)


def _csrf_refused(exc):
    message = "The form has expired or was not sent by this page; please try again."
    return render_template("console/error.html", status=400, message=i18n.gettext(message)), 400
