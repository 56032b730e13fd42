"""Demo portals: a few pages per inventoried site that embed the widget exactly as a portal
does, and load fake trackers that behave like the real ones, once consented.

Every page embeds the per-site script (/v1/sites/<site>/widget.js?lang=<page language>), the
recommended tag, whose banner configuration comes inside the script; with ``?embed=generic``
the same page embeds the generic tag (/widget.js with data-site), which fetches it after the
script has run. The links between pages keep the choice, so both can be tried and compared.

Each fake tracker knows what its product writes; the site's inventory switches off whatever it
does not declare and caps every lifetime at the declared retention (never beyond 13 months),
as a portal's integrator configures the real product. The pages are served under a strict
Content-Security-Policy, to show the widget needs no 'unsafe-inline'.
"""

import hashlib
from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from inventory.model import THIRTEEN_MONTHS_S

from ..sites import get_site

bp = Blueprint(
    "demo",
    __name__,
    template_folder="../demo/templates",
    static_folder="../demo/static",
    static_url_path="/demo/static",
)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)

# service id -> (fake script, what it stands for)
FAKES = {
    "piwik-pro": "fake-piwik-pro.js",
    "application-insights": "fake-app-insights.js",
}

PAGES = ("index", "services", "contact")

TEXT = {
    "fr": {
        "index": "Accueil",
        "services": "Nos services",
        "contact": "Contact",
        "demo": "démonstration",
        "policy": "Charte de confidentialité",
        "manage": "Gestion des services",
        "trackers": "Traceurs",
        "switch": "English",
        "portals": "Portails de démonstration",
        "nav": "Navigation principale",
        "footer": "Liens légaux",
    },
    "en": {
        "index": "Home",
        "services": "Our services",
        "contact": "Contact",
        "demo": "demo",
        "policy": "Privacy policy",
        "manage": "Manage services",
        "trackers": "Trackers",
        "switch": "Français",
        "portals": "Demo portals",
        "nav": "Main navigation",
        "footer": "Legal links",
    },
}


def allowed_items(service):
    """Declared item name -> the longest lifetime the inventory allows, in seconds (0: session)."""
    allowed = {}
    for item in service.items:
        retention = item.retention
        allowed[item.name] = (
            0 if retention.is_session else min(retention.seconds or THIRTEEN_MONTHS_S, THIRTEEN_MONTHS_S)
        )
    return allowed


def trackers(site):
    """The fake trackers of ``site``: one per declared service the demo can stand in for."""
    out = []
    for service in site.services:
        if service.id in FAKES:
            out.append(
                {
                    "service": service.id,
                    "category": service.category,
                    "src": url_for("demo.static", filename=FAKES[service.id]),
                    "allowed": allowed_items(service),
                    # A stable, Piwik-PRO-like site id, so cookie names stay the same across pages.
                    "app_id": hashlib.sha256(f"{site.id}/{service.id}".encode()).hexdigest()[:12],
                }
            )
    return out


def _lang(site):
    wanted = request.args.get("lang", "")
    return wanted if wanted in site.languages and wanted in TEXT else site.default_language


def _query(**params):
    """``?lang=en&embed=generic`` from the given parameters that are set, or ''."""
    kept = {name: value for name, value in params.items() if value}
    return "?" + urlencode(kept) if kept else ""


@bp.get("/")
def home():
    sites = sorted(current_app.extensions["cmp.sites"].values(), key=lambda s: s.id)
    return render_template("demo/home.html", sites=sites, text=TEXT["fr"])


@bp.get("/demo/")
def demo_root():
    return redirect(url_for(".home"))


@bp.get("/demo/<site>/", defaults={"page": "index"})
@bp.get("/demo/<site>/<page>")
def page(site, page):
    site = get_site(site)
    if page not in PAGES:
        return render_template("demo/missing.html", site=site, text=TEXT["fr"]), 404
    lang = _lang(site)
    other = "fr" if lang == "en" else "en"
    generic = request.args.get("embed") == "generic"
    embed = "generic" if generic else None
    if generic:
        widget_url = url_for("widget.script", _external=True)
    else:
        widget_url = url_for("widget.site_script", site=site.id, lang=lang, _external=True)
    return render_template(
        f"demo/{page}.html",
        site=site,
        page=page,
        pages=PAGES,
        lang=lang,
        other=other,
        text=TEXT[lang],
        trackers=trackers(site),
        widget_url=widget_url,
        generic=generic,
        has_insights=site.service("application-insights") is not None,
        # Links to the other pages keep the language and the embed; the switch changes the language.
        nav_query=_query(lang=lang if lang != site.default_language else None, embed=embed),
        switch_query=_query(lang=other, embed=embed),
    )


@bp.after_request
def _headers(response):
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CSP
        response.headers["Cache-Control"] = "no-store"
    return response
