"""What the widget needs to show a site's banner and panel, in one language, and the version
of that content: the ``text_version`` each proof of consent keeps, which the store archives so
that the exact texts a visitor was shown can be produced later."""

from inventory.model import digest

# (site id, lang) -> (site, config). Sites are loaded once and immutable; the site is kept
# beside its config so a reloaded inventory (tests build several apps) never hits a stale entry.
_CACHE = {}


def banner_config(site, lang):
    """The banner configuration of ``site`` in ``lang`` (the site's default when not offered).

    Shared and cached: callers must not modify it."""
    lang = site.pick_language(lang)
    cached = _CACHE.get((site.id, lang))
    if cached is None or cached[0] is not site:
        cached = _CACHE[(site.id, lang)] = (site, _build(site, lang))
    return cached[1]


def text_version(site, lang):
    """Hash of everything a visitor is shown in ``lang``: texts, categories, services, cookies."""
    return banner_config(site, lang)["text_version"]


def _build(site, lang):
    shown = _shown(site, lang)
    config = {key: shown[key] for key in ("site", "name", "lang", "languages", "revision")}
    config["text_version"] = digest(shown)
    config.update(shown)
    return config


def _shown(site, lang):
    text = site.text
    return {
        "site": site.id,
        "name": site.name,
        "lang": lang,
        "languages": list(site.languages),
        "revision": site.revision,
        "policy_url": site.policy_url,
        "consent_max_age_days": site.consent_max_age_days,
        "cookie": {"name": site.consent_cookie.name, "domain": site.consent_cookie.domain},
        "gpc": site.gpc,
        "consent_mode": site.consent_mode,
        "banner": {"title": text(site.banner["title"], lang), "text": text(site.banner["text"], lang)},
        "categories": [
            {
                "id": c.id,
                "label": text(c.label, lang),
                "description": text(c.description, lang),
                "required": c.required,
                "exempt": c.exempt,
                "services": [s.id for s in site.services_in(c.id)],
            }
            for c in site.categories
        ],
        "services": [
            {
                "id": s.id,
                "name": s.name,
                "provider": s.provider or s.name,
                "category": s.category,
                "controller": site.controller_of(s),
                "policy_url": s.policy_url,
                "items": [
                    {
                        "name": i.name,
                        "kind": i.kind,
                        "domain": i.domain,
                        "purpose": text(i.purpose, lang),
                        "retention": i.retention.label(lang),
                    }
                    for i in s.items
                ],
            }
            for s in site.services
        ],
    }
