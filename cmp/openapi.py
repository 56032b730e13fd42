"""The OpenAPI 3.1 description of the API. tests/cmp/test_openapi.py keeps it true: every route
is described, and real responses validate against the schemas given here; tests/cmp/
test_schemathesis.py sends generated requests and checks every answer against it.

``document()`` is the generic description, with ``{site}`` in paths. The service serves
``document(sites)``: this deployment's API, one path per site, each with that site's categories,
services and languages, so the description is as strict as the service is.
"""

import copy

from inventory.model import KINDS

from . import decisions
from .banner import UI_STRINGS

_ERROR_CODES = {
    "400": "Invalid input; `field` names it.",
    "401": "Missing, invalid, expired or replaced token.",
    "403": "Forbidden (admin API disabled).",
    "404": "Unknown site, or no current decision.",
    "409": "The site's revision changed (`stale_revision`): show the banner again.",
    "413": "Body over the size limit (8 KiB by default).",
    "415": "Body is not `application/json`.",
    "429": "Too many consent writes from this address (`Retry-After`).",
    "503": "The consent store is unavailable (`Retry-After`).",
}

BOOL_MAP = {"type": "object", "additionalProperties": {"type": "boolean"}}
TIME = {"type": "string", "format": "date-time"}

COUNT = {"type": "integer", "minimum": 0}
TOTALS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["shown", "accept_all", "refuse_all", "custom", "withdrawn"],
    "properties": dict.fromkeys(("shown", "accept_all", "refuse_all", "custom", "withdrawn"), COUNT),
}

SCHEMAS = {
    "Stats": {
        "type": "object",
        "additionalProperties": False,
        "required": ["site", "from", "to", "totals", "categories", "revisions", "languages", "sources", "days"],
        "properties": {
            "site": {"type": "string"},
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "totals": TOTALS,
            "categories": {
                "type": "object",
                "description": "Per category id: decisions that granted / refused it.",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["granted", "refused"],
                    "properties": {"granted": COUNT, "refused": COUNT},
                },
            },
            "revisions": {
                "type": "object",
                "description": "Per consent revision, the totals, in the order revisions first appear.",
                "additionalProperties": TOTALS,
            },
            "languages": {"type": "object", "additionalProperties": COUNT, "description": "Decisions per language."},
            "sources": {
                "type": "object",
                "additionalProperties": COUNT,
                "description": "Decisions per source (banner, panel, api, gpc).",
            },
            "days": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["date", *TOTALS["required"]],
                    "properties": {"date": {"type": "string", "format": "date"}, **TOTALS["properties"]},
                },
            },
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "additionalProperties": False,
        "properties": {
            "error": {"type": "string", "description": "Stable machine-readable code."},
            "message": {"type": "string"},
            "field": {"type": "string"},
        },
    },
    "DecisionRequest": {
        "type": "object",
        "required": ["choices", "revision", "source"],
        "additionalProperties": False,
        "properties": {
            "choices": {**BOOL_MAP, "description": "Every non-required category of the site, true or false."},
            "services": {**BOOL_MAP, "description": "Optional per-service refinements."},
            "revision": {"type": "string", "description": "The revision of the banner the visitor was shown."},
            "source": {"enum": list(decisions.SOURCES)},
            "lang": {"type": "string", "pattern": "^[a-z]{2}$"},
            "visitor_id": {
                "type": "string",
                "pattern": "^[A-Za-z0-9_-]{16,64}$",
                "description": "Set to change an existing visitor's decision (needs its token).",
            },
            "placeholder": {
                "type": "string",
                "description": "With source `placeholder`: the service whose embed placeholder the visitor "
                "allowed; the proof keeps it as `extra.placeholder`.",
            },
        },
    },
    "Decision": {
        "type": "object",
        "additionalProperties": False,
        "required": ["visitor_id", "choices", "services", "revision", "decided_at", "expires_at", "source", "lang"],
        "properties": {
            "visitor_id": {"type": "string"},
            "token": {"type": "string", "description": "Signed consent token."},
            "choices": BOOL_MAP,
            "services": BOOL_MAP,
            "revision": {"type": "string"},
            "decided_at": TIME,
            "expires_at": TIME,
            "source": {"enum": list(decisions.SOURCES)},
            "lang": {"type": "string"},
        },
    },
    "ProofEntry": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "site",
            "visitor_id",
            "choices",
            "services",
            "revision",
            "decided_at",
            "expires_at",
            "source",
            "action",
            "lang",
            "text_version",
            "user_agent",
            "ip",
            "extra",
        ],
        "properties": {
            "site": {"type": "string"},
            "visitor_id": {"type": "string"},
            "choices": BOOL_MAP,
            "services": BOOL_MAP,
            "revision": {"type": "string"},
            "decided_at": TIME,
            "expires_at": TIME,
            "source": {"enum": list(decisions.SOURCES)},
            "action": {"enum": ["consent", "withdraw"]},
            "lang": {"type": "string"},
            "text_version": {
                "type": "string",
                "description": "Version of everything shown "
                "(texts, categories, services, cookies); see /v1/admin/sites/{site}/shown/{version}.",
            },
            "user_agent": {"type": "string"},
            "ip": {"type": "string", "description": "Truncated: /24 or /48."},
            "extra": {
                "type": "object",
                "description": "What else the proof keeps: `placeholder`, the service allowed from its embed's "
                "placeholder (source `placeholder`).",
            },
        },
    },
    "History": {
        "type": "object",
        "required": ["site", "visitor_id", "decisions"],
        "additionalProperties": False,
        "properties": {
            "site": {"type": "string"},
            "visitor_id": {"type": "string"},
            "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/ProofEntry"}},
        },
    },
    "VisitorProof": {
        "type": "object",
        "required": ["site", "visitor_id", "current", "decisions", "shown"],
        "additionalProperties": False,
        "properties": {
            "site": {"type": "string"},
            "visitor_id": {"type": "string"},
            "current": {"oneOf": [{"$ref": "#/components/schemas/ProofEntry"}, {"type": "null"}]},
            "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/ProofEntry"}},
            "shown": {
                "type": "object",
                "description": "The archived banner configuration (what the visitor "
                "was shown) for each text_version of the decisions.",
                "additionalProperties": {"oneOf": [{"$ref": "#/components/schemas/Banner"}, {"type": "null"}]},
            },
        },
    },
    "Banner": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "site",
            "name",
            "lang",
            "languages",
            "revision",
            "text_version",
            "policy_url",
            "consent_max_age_days",
            "cookie",
            "gpc",
            "consent_mode",
            "banner",
            "categories",
            "services",
            "ui",
        ],
        "properties": {
            "site": {"type": "string"},
            "name": {"type": "string"},
            "lang": {"type": "string"},
            "languages": {"type": "array", "items": {"type": "string"}},
            "revision": {"type": "string"},
            "text_version": {"type": "string"},
            "policy_url": {"type": "string"},
            "consent_max_age_days": {"type": "integer"},
            "cookie": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "domain": {"type": ["string", "null"]}},
            },
            "gpc": {"type": "boolean"},
            "consent_mode": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            "banner": {"type": "object", "properties": {"title": {"type": "string"}, "text": {"type": "string"}}},
            "categories": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "label", "description", "required", "exempt", "services"],
                    "properties": {
                        "id": {"type": "string"},
                        "label": {"type": "string"},
                        "description": {"type": "string"},
                        "required": {"type": "boolean"},
                        "exempt": {"type": "boolean"},
                        "services": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
            "services": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "provider", "category", "controller", "items"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "provider": {"type": "string"},
                        "category": {"type": "string"},
                        "controller": {"type": "string"},
                        "policy_url": {"type": ["string", "null"]},
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["name", "kind", "purpose", "retention"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "kind": {"enum": list(KINDS)},
                                    "domain": {"type": ["string", "null"]},
                                    "purpose": {"type": "string"},
                                    "retention": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            "ui": {
                "type": "object",
                "description": "The widget's own words (buttons, labels, messages) in `lang`; "
                "`{name}` and `{n}` are filled in by the widget.",
                "required": sorted(UI_STRINGS["fr"]),
                "additionalProperties": {"type": "string"},
            },
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "store", "sites"],
        "properties": {
            "status": {"const": "ok"},
            "store": {"type": "string"},
            "sites": {"type": "array", "items": {"type": "string"}},
        },
    },
}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name, description):
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _errors(*statuses):
    return {
        s: {"description": _ERROR_CODES[s], "content": {"application/json": {"schema": _ref("Error")}}}
        for s in statuses
    }


VISITOR_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"}
# Years a query's date may name (admin API): the log starts after 1970, and the whole day of the
# last date must still be a time Python can hold.
YEAR = "(19[7-9][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9])"
# A day of the stats API: empty means the default, as a form with an empty date field sends it.
DAY = {"anyOf": [{"type": "string", "format": "date", "pattern": f"^{YEAR}-"}, {"const": ""}]}
MOMENT = {
    "anyOf": [
        {"type": "string", "format": "date", "pattern": f"^{YEAR}-"},
        {"type": "string", "format": "date-time", "pattern": f"^{YEAR}-"},
    ]
}
SITE = {"name": "site", "in": "path", "required": True, "schema": {"type": "string"}}
VISITOR = {"name": "visitor_id", "in": "path", "required": True, "schema": VISITOR_ID}
LANG = {
    "name": "lang",
    "in": "query",
    "schema": {"type": "string"},
    "description": "Language; the site's default when absent or not offered.",
}
VISITOR_TOKEN = [{"visitorToken": []}]
ADMIN = [{"adminKey": []}]


def document(sites=None):
    """The OpenAPI document; with ``sites`` (id -> Site), this deployment's, one path per site."""
    doc = _generic()
    if sites:
        doc["paths"] = _per_site(doc["paths"], sites, doc["components"]["schemas"])
    return doc


def decision_request(site):
    """The POST body ``site`` accepts, exactly: its categories and services, its languages, and a
    service granted only inside a granted category."""
    categories = {c.id: {"type": "boolean"} for c in site.categories}
    refusable = [c.id for c in site.categories if not c.required]
    granted_needs_category = [
        {
            "if": {
                "required": ["services"],
                "properties": {"services": {"required": [s.id], "properties": {s.id: {"const": True}}}},
            },
            "then": {"properties": {"choices": {"properties": {s.category: {"const": True}}}}},
        }
        for s in site.services
        if not site.category(s.category).required
    ]
    # The placeholder field names a service of the site, and only with source "placeholder".
    placeholder_only_with_its_source = {
        "if": {"required": ["placeholder"]},
        "then": {"properties": {"source": {"const": "placeholder"}}},
    }
    schema = copy.deepcopy(SCHEMAS["DecisionRequest"])
    schema["properties"].update(
        choices={
            "type": "object",
            "properties": categories,
            "required": refusable,
            "additionalProperties": False,
            "description": "Every category that can be refused, true or false (required ones are always true).",
        },
        services={
            "type": "object",
            "properties": {s.id: {"type": "boolean"} for s in site.services},
            "additionalProperties": False,
            "description": "Optional per-service refinements; never granted inside a refused category.",
        },
        lang={"enum": list(site.languages)},
        placeholder={**schema["properties"]["placeholder"], "enum": [s.id for s in site.services]},
    )
    schema["allOf"] = [placeholder_only_with_its_source, *granted_needs_category]
    return schema


def _per_site(paths, sites, schemas):
    expanded = {}
    for path, item in paths.items():
        if "{site}" not in path:
            expanded[path] = item
            continue
        for site_id in sorted(sites):
            concrete = copy.deepcopy(item)
            for operation in concrete.values():
                operation["parameters"] = [p for p in operation.get("parameters", []) if p["name"] != "site"]
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if body and body["schema"] == _ref("DecisionRequest"):
                    schemas[f"DecisionRequest.{site_id}"] = decision_request(sites[site_id])
                    body["schema"] = _ref(f"DecisionRequest.{site_id}")
            expanded[path.replace("{site}", site_id)] = concrete
    return expanded


def _generic():
    paths = {
        "/v1/sites/{site}/banner": {
            "get": {
                "summary": "Banner and panel configuration of a site in one language (cacheable, ETag).",
                "parameters": [SITE, LANG],
                "responses": {
                    "200": _json("Banner", "The configuration."),
                    "304": {"description": "Not modified."},
                    **_errors("404"),
                },
            }
        },
        "/v1/sites/{site}/widget.js": {
            "get": {
                "summary": "The consent widget with the site's banner configuration inlined, for a <script> tag "
                "(compressed, cacheable, ETag).",
                "parameters": [SITE, LANG],
                "responses": {
                    "200": {
                        "description": "JavaScript: the /banner configuration, then the widget.",
                        "content": {"text/javascript": {"schema": {"type": "string"}}},
                    },
                    "304": {"description": "Not modified."},
                    **_errors("404"),
                },
            }
        },
        "/v1/sites/{site}/cookie-table": {
            "get": {
                "summary": "The policy's cookie table as an HTML fragment (cacheable, ETag).",
                "parameters": [SITE, LANG],
                "responses": {
                    "200": {"description": "HTML table.", "content": {"text/html": {"schema": {"type": "string"}}}},
                    "304": {"description": "Not modified."},
                    **_errors("404"),
                },
            }
        },
        "/v1/sites/{site}/consents": {
            "post": {
                "summary": (
                    "Record a decision. Without visitor_id a visitor is created; with one, its token is required."
                ),
                "parameters": [SITE],
                "security": [{}, {"visitorToken": []}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("DecisionRequest")}}},
                "responses": {
                    "201": _json("Decision", "Recorded; `token` is the visitor's new token."),
                    **_errors("400", "401", "404", "409", "413", "415", "429", "503"),
                },
            }
        },
        "/v1/sites/{site}/consents/{visitor_id}": {
            "get": {
                "summary": "The visitor's current decision.",
                "parameters": [SITE, VISITOR],
                "security": VISITOR_TOKEN,
                "responses": {"200": _json("Decision", "Current decision."), **_errors("400", "401", "404", "503")},
            },
            "delete": {
                "summary": "Withdraw: records a refusal of everything that can be refused.",
                "parameters": [
                    SITE,
                    VISITOR,
                    LANG,
                    {
                        "name": "source",
                        "in": "query",
                        "schema": {"enum": list(decisions.SOURCES)},
                        "description": "Where the visitor withdrew (the widget says `panel` or `banner`); "
                        "`api` when absent.",
                    },
                ],
                "security": VISITOR_TOKEN,
                "responses": {
                    "200": _json("Decision", "The refusal, with a new token."),
                    **_errors("400", "401", "404", "429", "503"),
                },
            },
        },
        "/v1/sites/{site}/consents/{visitor_id}/history": {
            "get": {
                "summary": "Every decision the visitor made on the site (right of access).",
                "parameters": [SITE, VISITOR],
                "security": VISITOR_TOKEN,
                "responses": {"200": _json("History", "Oldest first."), **_errors("400", "401", "404", "503")},
            }
        },
        "/v1/admin/sites/{site}/proofs": {
            "get": {
                "summary": "Export the proof-of-consent log for a time range.",
                "parameters": [
                    SITE,
                    {
                        "name": "from",
                        "in": "query",
                        "schema": MOMENT,
                        "description": (
                            "YYYY-MM-DD or ISO 8601, 1970-01-01 to 9998-12-31; default: the start of the log retention."
                        ),
                    },
                    {
                        "name": "to",
                        "in": "query",
                        "schema": MOMENT,
                        "description": (
                            "YYYY-MM-DD (inclusive) or ISO 8601 (exclusive), 1970-01-01 to 9998-12-31; default: now."
                        ),
                    },
                    {"name": "format", "in": "query", "schema": {"enum": ["ndjson", "csv"]}},
                ],
                "security": ADMIN,
                "responses": {
                    "200": {
                        "description": "One decision per line.",
                        "content": {
                            "application/x-ndjson": {"schema": {"type": "string"}},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors("400", "401", "403", "404", "503"),
                },
            }
        },
        "/v1/admin/sites/{site}/visitors/{visitor_id}": {
            "get": {
                "summary": "Prove this visitor consented: current decision and full history.",
                "parameters": [SITE, VISITOR],
                "security": ADMIN,
                "responses": {
                    "200": _json("VisitorProof", "The visitor's record."),
                    **_errors("400", "401", "403", "404", "503"),
                },
            }
        },
        "/v1/admin/sites/{site}/shown/{version}": {
            "get": {
                "summary": "The banner and panel content visitors were shown under a proof's text_version.",
                "parameters": [
                    SITE,
                    {"name": "version", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}},
                ],
                "security": ADMIN,
                "responses": {
                    "200": _json("Banner", "As the banner endpoint served it then."),
                    **_errors("401", "403", "404", "503"),
                },
            }
        },
        "/v1/sites/{site}/shown": {
            "post": {
                "summary": "Count one display of the site's banner (the widget's anonymous beacon).",
                "description": (
                    "No body, no identifier, no cookie: adds one to the site's `shown` counter for the day (UTC) and "
                    "for its current revision. Limited per client address (`CMP_SHOWN_RATE_LIMIT`); displays "
                    "beyond the limit are answered 429 and not counted."
                ),
                "parameters": [SITE],
                "responses": {"204": {"description": "Counted."}, **_errors("404", "429", "503")},
            }
        },
        "/v1/admin/sites/{site}/stats": {
            "get": {
                "summary": "Consent analytics of a site per day, read from counters (O(days), not O(decisions)).",
                "description": (
                    "Every decision adds one, on its UTC day, to its outcome, to each category it granted or "
                    "refused, to its language, its source and its revision's outcome, in the same write as the "
                    "decision. Outcomes: `accept_all` = every refusable category granted; `refuse_all` = every "
                    "refusable category refused; `custom` = the rest; a withdrawal (DELETE of a consent) counts as "
                    "`withdrawn` only (and in its revision), not in categories, languages or sources. `shown` counts "
                    "banner displays (POST /v1/sites/{site}/shown). Days without figures are listed with zeros. "
                    "Allowed with the admin key, or with a console session whose user may see the site (404 "
                    "otherwise)."
                ),
                "parameters": [
                    SITE,
                    {
                        "name": "from",
                        "in": "query",
                        "schema": DAY,
                        "description": "First day, YYYY-MM-DD (UTC); default: 29 days before `to`.",
                    },
                    {
                        "name": "to",
                        "in": "query",
                        "schema": DAY,
                        "description": "Last day, included, YYYY-MM-DD (UTC); default: today. Not before `from`, "
                        "and at most 3660 days from `from` (400 naming the field otherwise).",
                    },
                    {"name": "format", "in": "query", "schema": {"enum": ["json", "csv"]}},
                ],
                "security": [*ADMIN, {"consoleSession": []}],
                "responses": {
                    "200": {
                        "description": "The figures; with `format=csv`, the days only "
                        "(`date,shown,accept_all,refuse_all,custom,withdrawn`).",
                        "content": {
                            "application/json": {"schema": _ref("Stats")},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors("400", "401", "404", "503"),
                },
            }
        },
        "/healthz": {
            "get": {
                "summary": "Liveness, checking the store.",
                "responses": {"200": _json("Health", "Healthy."), **_errors("503")},
            }
        },
        "/v1/openapi.json": {
            "get": {"summary": "This document.", "responses": {"200": {"description": "OpenAPI 3.1 document."}}}
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CMP consent service",
            "version": "1",
            "description": "Records visitors' consent per site, signs tokens, keeps the proof-of-consent log.",
        },
        "paths": paths,
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": {
                "visitorToken": {"type": "http", "scheme": "bearer", "description": "The visitor's consent token."},
                "adminKey": {"type": "http", "scheme": "bearer", "description": "CMP_ADMIN_API_KEY."},
                "consoleSession": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "cmp_console",
                    "description": "A signed-in console session (see /console/login).",
                },
            },
        },
    }
