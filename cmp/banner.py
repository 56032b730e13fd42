"""What the widget needs to show a site's banner and panel, in one language, and the version
of that content: the ``text_version`` each proof of consent keeps, which the store archives so
that the exact texts a visitor was shown can be produced later."""

from inventory.model import digest

# The widget's own words around the inventory's texts (buttons, labels, messages), sent in the
# visitor's language only, inside the configuration: the script no longer carries every language
# (its size budget), and text_version, a hash of the configuration, covers them too, so a proof
# can show the very buttons the visitor pressed. Keys are what widget/src calls t() with;
# "{name}" and "{n}" are filled in by the widget (a French "de {name}" is elided there, "d'…").
UI_STRINGS = {
    "fr": {
        "accept": "Tout accepter",
        "refuse": "Tout refuser",
        "customise": "Personnaliser",
        "save": "Enregistrer mes choix",
        "skip": "Continuer sans accepter",
        "close": "Fermer",
        "panel": "Gestion des services",
        "policy": "Politique de confidentialité",
        "always": "Toujours actif",
        "exempt": "Exemptés de consentement : actifs sauf opposition",
        "services": "Services ({n})",
        "items": "Traceurs de {name} ({n})",
        "purpose": "Finalité",
        "retention": "Conservation",
        "provider": "Prestataire",
        "saved": "Choix enregistrés.",
        "queued": "Vos choix seront envoyés dès que possible.",
        "blocked": "Ce contenu de {name} peut déposer des traceurs.",
        "allow": "Autoriser {name}",
        "localStorage": "stockage local",
        "sessionStorage": "stockage de session",
        "changed": "Nouveau depuis votre dernier choix : {x}.",
        "gpc": "Votre navigateur envoie le signal GPC : nous l'avons appliqué.",
    },
    "en": {
        "accept": "Accept all",
        "refuse": "Refuse all",
        "customise": "Customise",
        "save": "Save my choices",
        "skip": "Continue without accepting",
        "close": "Close",
        "panel": "Manage services",
        "policy": "Privacy policy",
        "always": "Always active",
        "exempt": "Exempt from consent: on unless you object",
        "services": "Services ({n})",
        "items": "Trackers of {name} ({n})",
        "purpose": "Purpose",
        "retention": "Retention",
        "provider": "Provider",
        "saved": "Choices saved.",
        "queued": "Your choices will be sent as soon as possible.",
        "blocked": "This content from {name} may set trackers.",
        "allow": "Allow {name}",
        "localStorage": "local storage",
        "sessionStorage": "session storage",
        "changed": "New since your last choice: {x}.",
        "gpc": "Your browser sends the GPC signal: we applied it.",
    },
}

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
        # A language the widget has no words for gets English ones, as the inventory's texts do.
        "ui": UI_STRINGS.get(lang, UI_STRINGS["en"]),
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
                **({"policy_url": s.policy_url} if s.policy_url else {}),
                "items": [
                    {
                        "name": i.name,
                        "kind": i.kind,
                        # Only when declared: most items have none, and every byte here is
                        # inside the widget's size budget.
                        **({"domain": i.domain} if i.domain else {}),
                        "purpose": text(i.purpose, lang),
                        "retention": i.retention.label(lang),
                    }
                    for i in s.items
                ],
            }
            for s in site.services
        ],
    }
