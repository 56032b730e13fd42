"""A visitor's consent on a site: record, read, withdraw, and the visitor's own history.

Everything but a first decision requires the visitor's current token (Authorization: Bearer).
"""

from flask import Blueprint, current_app, jsonify, request

from .. import clock, decisions, outcomes, revisions
from ..banner import banner_config, text_version
from ..errors import NotFound, Unauthorized
from ..http import client_ip, json_body, truncate_ip
from ..ratelimit import write_hit, write_refused
from ..sites import get_site

PREFIX = "/v1/sites/{site}/consents"
bp = Blueprint("consents", __name__, url_prefix=PREFIX.format(site="<site>"))


def _store():
    return current_app.extensions["cmp.store"]


def _signer():
    return current_app.extensions["cmp.signer"]


def _bearer():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "this visitor's consent token is required as 'Authorization: Bearer <token>'",
            field="Authorization",
            code="token_required",
        )
    return token.strip()


def authorize(site, visitor_id):
    """Check the caller holds ``visitor_id``'s current token; returns the current record or None."""
    decisions.check_visitor_id(visitor_id)
    payload = _signer().verify(_bearer(), site.id, visitor_id, site.consent_max_age_days * 86400)
    current = _store().get(site.id, visitor_id)
    if current is not None and payload.get("d") != clock.to_ms(current.decided_at):
        raise Unauthorized("this token was replaced by a newer decision", field="Authorization", code="stale_token")
    return current


def _decision_json(record, token=None):
    body = {"visitor_id": record.visitor_id}
    if token is not None:
        body["token"] = token
    body.update(
        {
            "choices": record.choices,
            "services": record.services,
            "revision": record.revision,
            "decided_at": clock.iso(record.decided_at),
            "expires_at": clock.iso(record.expires_at),
            "source": record.source,
            "lang": record.lang,
        }
    )
    return body


def _archive_shown(site, lang):
    """Archive what visitors are shown in ``lang``, once per process and version, so a proof's
    ``text_version`` can always be turned back into the exact texts; and the declarations of the
    site's revision, so the console can say what changed between revisions."""
    version = text_version(site, lang)
    done = current_app.extensions["cmp.archived"]
    if (site.id, version) not in done:
        _store().archive(site.id, version, banner_config(site, lang))
        revisions.archive(_store(), site)
        done.add((site.id, version))


def _record(site, visitor_id, choices, services, source, lang, action="consent", extra=None):
    """Save a decision, counted against this client's write limit in the same store write."""
    _archive_shown(site, lang)
    ip = client_ip()
    record = decisions.build_record(
        site,
        visitor_id,
        choices,
        services,
        source,
        lang,
        action=action,
        user_agent=request.headers.get("User-Agent", ""),
        ip=truncate_ip(ip),
        extra=extra,
    )
    hit = write_hit(ip)
    if not _store().save(record, outcomes.decision_counts(site, record), hit):
        raise write_refused(hit)
    return record, _signer().sign(record)


@bp.post("")
def create(site):
    site = get_site(site)
    fields = decisions.parse_decision(site, json_body())
    visitor_id = fields["visitor_id"]
    if visitor_id is None:
        visitor_id = decisions.new_visitor_id()
    else:
        authorize(site, visitor_id)
    record, token = _record(
        site,
        visitor_id,
        fields["choices"],
        fields["services"],
        fields["source"],
        fields["lang"],
        extra=fields["extra"],
    )
    response = jsonify(_decision_json(record, token))
    response.status_code = 201
    # Site and visitor ids are URL-safe (inventory schema, VISITOR_ID): no url_for per write.
    response.headers["Location"] = f"{request.script_root}{PREFIX.format(site=site.id)}/{visitor_id}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<visitor_id>")
def current(site, visitor_id):
    site = get_site(site)
    record = authorize(site, visitor_id)
    if record is None:
        raise NotFound(
            "no current decision for this visitor (none was made, or it expired)", field="visitor_id", code="no_consent"
        )
    response = jsonify(_decision_json(record))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.delete("/<visitor_id>")
def withdraw(site, visitor_id):
    site = get_site(site)
    authorize(site, visitor_id)
    lang = request.args.get("lang", site.default_language)
    # Where the visitor withdrew (the widget's panel or banner); "api" when not told.
    source = decisions.check_source(request.args.get("source", "api"))
    choices, services = decisions.refusal(site)
    record, token = _record(site, visitor_id, choices, services, source, site.pick_language(lang), action="withdraw")
    response = jsonify(_decision_json(record, token))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<visitor_id>/history")
def history(site, visitor_id):
    site = get_site(site)
    authorize(site, visitor_id)
    records = _store().history(site.id, visitor_id)
    response = jsonify({"site": site.id, "visitor_id": visitor_id, "decisions": [r.to_json() for r in records]})
    response.headers["Cache-Control"] = "no-store"
    return response
