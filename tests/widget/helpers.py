"""Helpers for the widget's browser tests: the running service and its admin API, pages that
embed the widget, and what the browser keeps (the consent cookie, tracker cookies, storage)."""

import base64
import json
import urllib.request

from tests.support.processes import ServiceProcess

SECRET = "widget-test-secret"
ADMIN_KEY = "widget-test-admin"
SERVICE_ENV = {
    "CMP_SECRET_KEY": SECRET,
    "CMP_ADMIN_API_KEY": ADMIN_KEY,
    "CMP_RATE_LIMIT": "off",
    "CMP_CLOCK_OFFSET_S": "0",
    "CMP_INVENTORY_DIR": "",
}

AMEX = "amex-portal"
MILLEIS = "milleis"
# What the demo's fake trackers write (cookie names as the real products write them).
PIWIK_COOKIES = (
    "_pk_id.",
    "_pk_ses.",
    "stg_last_interaction",
    "stg_returning_visitor",
    "stg_traffic_source_priority",
    "stg_externalReferrer",
)
INSIGHTS_COOKIES = ("ai_user", "ai_session")
STRICT_CSP = (
    "default-src 'self'; script-src 'self' {api}; style-src 'self'; connect-src 'self' {api}; "
    "img-src 'self'; frame-src 'self' {api}; object-src 'none'; base-uri 'none'"
)


class Service:
    """A running consent service and what the tests ask its admin API."""

    def __init__(self, env, port=None):
        self.env = {"CMP_DEMO": "true", **env}
        self.process = ServiceProcess(env=self.env, port=port).start()
        self.url = self.process.url

    def twin(self, **env):
        """Another process on the same store (and inventory unless told), on another port."""
        return Service(dict(self.env, **env))

    def stop(self):
        self.process.stop()

    def admin(self, path):
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {ADMIN_KEY}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.read().decode()

    def visitor(self, site, visitor_id):
        """{"current": …, "decisions": [...]} as the store holds them."""
        return json.loads(self.admin(f"/v1/admin/sites/{site}/visitors/{visitor_id}"))

    def proofs(self, site):
        return [json.loads(line) for line in self.admin(f"/v1/admin/sites/{site}/proofs").splitlines() if line]

    def demo(self, site=AMEX, page="", lang=None):
        return f"{self.url}/demo/{site}/{page}" + (f"?lang={lang}" if lang else "")


def host_page(site, api, body="", lang="fr", script_attrs=""):
    """A portal page embedding the widget from ``api`` with the production tag."""
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Portail</title>'
        f'<script src="{api}/widget.js" data-site="{site}" {script_attrs} defer></script></head>'
        f"<body><main><h1>Portail</h1>{body}</main>"
        f'<footer><a href="#gestion" data-cmp-open>Gestion des services</a></footer></body></html>'
    )


def site_page(site, api, body="", lang="fr", script_lang="fr", script_attrs=""):
    """A portal page embedding the per-site script of ``site`` in ``script_lang`` from ``api``."""
    return host_page(site, api, body, lang, script_attrs).replace(
        f'src="{api}/widget.js" data-site="{site}"', f'src="{api}/v1/sites/{site}/widget.js?lang={script_lang}"'
    )


def serve(page, url, html, csp=None):
    """Answer ``url`` with ``html`` from the test (the browser believes it came from that host)."""
    headers = {"Content-Security-Policy": csp} if csp else {}
    page.route(
        url,
        lambda route: route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8", headers=headers),
    )


def ready(page):
    """Wait until the widget has loaded its configuration and applied the consent in force."""
    page.wait_for_function("() => window.CMP !== undefined")
    page.evaluate("window.CMP.ready")


def settled(page):
    """Wait until the API has acknowledged the decision (nothing pending in the cookie)."""
    page.wait_for_function("() => window.CMP.getConsent().decided && !window.CMP.getConsent().pending")
    return page.evaluate("window.CMP.getConsent()")


def consent_cookie(context, name="cmp_consent"):
    """The decision the widget keeps in its cookie, decoded, or None."""
    for cookie in context.cookies():
        if cookie["name"] == name:
            raw = cookie["value"] + "=" * (-len(cookie["value"]) % 4)
            return json.loads(base64.urlsafe_b64decode(raw))
    return None


def cookie_names(context):
    return sorted(c["name"] for c in context.cookies())


def tracker_cookies(context, prefixes):
    return sorted(c["name"] for c in context.cookies() if c["name"].startswith(prefixes))


def banner(page):
    return page.get_by_role("dialog", name="Vos choix en matière de cookies")


def panel(page, name="Gestion des services"):
    return page.get_by_role("dialog", name=name)
