"""What a visitor's decision means for a site: validating what the banner sends, and building
the record the store keeps. No HTTP here, only the site's rules."""

import datetime as dt
import re
import secrets

from . import clock
from .banner import text_version
from .errors import BadRequest, Conflict
from .store import ConsentRecord

# "placeholder": the visitor allowed one service from the placeholder of an embed that waits for it.
SOURCES = ("banner", "panel", "api", "gpc", "placeholder")
FIELDS = {"choices", "services", "revision", "source", "lang", "visitor_id", "placeholder"}
VISITOR_ID = re.compile(r"[A-Za-z0-9_-]{16,64}\Z")


def new_visitor_id():
    """128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


def check_visitor_id(value, field="visitor_id"):
    if not isinstance(value, str) or not VISITOR_ID.match(value):
        raise BadRequest("must be 16 to 64 characters among A-Z, a-z, 0-9, '-' and '_'", field=field)
    return value


def _bool_map(value, field):
    if not isinstance(value, dict):
        raise BadRequest("must be an object mapping ids to true or false", field=field)
    for key, flag in value.items():
        if not isinstance(flag, bool):
            raise BadRequest("must be true or false", field=f"{field}.{key}")
    return value


def resolve(site, choices, services=None):
    """Full choices and per-service consent: required always true, every category decided,
    services following their category unless refined, never granted in a refused category."""
    _bool_map(choices, "choices")
    for key in choices:
        if site.category(key) is None:
            raise BadRequest(f"unknown category '{key}' for site '{site.id}'", field=f"choices.{key}")
    resolved = {}
    for category in site.categories:
        if category.required:
            resolved[category.id] = True
        elif category.id not in choices:
            raise BadRequest(
                f"category '{category.id}' must be decided (true or false)", field=f"choices.{category.id}"
            )
        else:
            resolved[category.id] = choices[category.id]
    services = _bool_map(services if services is not None else {}, "services")
    for key, granted in services.items():
        service = site.service(key)
        if service is None:
            raise BadRequest(f"unknown service '{key}' for site '{site.id}'", field=f"services.{key}")
        if granted and not resolved[service.category]:
            raise BadRequest(
                f"service '{key}' cannot be granted while its category '{service.category}' is refused",
                field=f"services.{key}",
            )
    per_service = {}
    for service in site.services:
        if site.category(service.category).required:
            per_service[service.id] = True
        else:
            per_service[service.id] = services.get(service.id, resolved[service.category])
    return resolved, per_service


def check_source(value, field="source"):
    if value not in SOURCES:
        raise BadRequest(f"must be one of {', '.join(SOURCES)}", field=field)
    return value


def _placeholder(site, body, source):
    """The proof of a consent given from an embed's placeholder keeps which service it was for,
    in the record's ``extra``: the choices alone cannot tell it from a panel decision."""
    service = body.get("placeholder")
    if service is None:
        return {}
    if source != "placeholder":
        raise BadRequest("is only for source 'placeholder'", field="placeholder")
    if not isinstance(service, str) or site.service(service) is None:
        raise BadRequest(f"must be a service id of site '{site.id}'", field="placeholder")
    return {"placeholder": service}


def refusal(site):
    """Everything refused that can be refused (withdrawal, Global Privacy Control)."""
    return resolve(site, {c.id: False for c in site.categories if not c.required})


def parse_decision(site, body):
    """Validate a POST body; returns the cleaned fields. Raises BadRequest/Conflict naming the field."""
    for key in body:
        if key not in FIELDS:
            raise BadRequest(f"unknown field '{key}'", field=key)
    if "choices" not in body:
        raise BadRequest("is required", field="choices")
    revision = body.get("revision")
    if not isinstance(revision, str):
        raise BadRequest("is required: the revision the visitor was shown (from the banner endpoint)", field="revision")
    source = check_source(body.get("source"))
    extra = _placeholder(site, body, source)
    lang = body.get("lang", site.default_language)
    if lang not in site.languages:
        raise BadRequest(f"must be one of {', '.join(site.languages)}", field="lang")
    visitor_id = body.get("visitor_id")
    if visitor_id is not None:
        check_visitor_id(visitor_id)
    choices, services = resolve(site, body["choices"], body.get("services"))
    if revision != site.revision:
        raise Conflict(
            f"the site's revision is now '{site.revision}': show the banner again",
            field="revision",
            code="stale_revision",
        )
    return {
        "choices": choices,
        "services": services,
        "source": source,
        "lang": lang,
        "visitor_id": visitor_id,
        "extra": extra,
    }


def build_record(site, visitor_id, choices, services, source, lang, action="consent", user_agent="", ip="", extra=None):
    decided_at = clock.now()
    return ConsentRecord(
        site=site.id,
        visitor_id=visitor_id,
        choices=choices,
        services=services,
        revision=site.revision,
        decided_at=decided_at,
        expires_at=decided_at + dt.timedelta(days=site.consent_max_age_days),
        source=source,
        action=action,
        lang=lang,
        text_version=text_version(site, lang),
        user_agent=user_agent[:512],
        ip=ip,
        extra=extra or {},
    )
