"""What the widget needs to show a site's banner and panel, in one language."""


def banner_config(site, lang):
    lang = site.pick_language(lang)
    text = site.text
    return {
        "site": site.id,
        "name": site.name,
        "lang": lang,
        "languages": list(site.languages),
        "revision": site.revision,
        "text_version": site.text_version(lang),
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
