"""Property-based conformance: schemathesis generates requests from the served OpenAPI
description, valid and invalid, and checks every answer against it (no 5xx, status codes,
schemas and headers as described, valid requests accepted, invalid ones rejected), operation by
operation, a bounded number of examples each."""

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode

import inventory
from cmp import clock, create_app, stats
from cmp.openapi import document
from tests.conftest import ADMIN_KEY, SECRET

pytestmark = pytest.mark.slow

SERVED = document(inventory.load_dir())
OPERATIONS = [(path, method.upper()) for path, item in SERVED["paths"].items() for method in item]
EXAMPLES = 60  # per operation and mode: bounded, so the suite keeps its time budget


def _breaks_the_stats_range_rule(query):
    """The one rule OpenAPI cannot state, since it ties two parameters together (the description
    says it in words): `to` not before `from`, and at most MAX_DAYS between them."""
    _, error = stats.parse_range(query, clock.utc_day(clock.now()))
    return error is not None and error[1] in ("must not be before 'from'", stats.SPAN_MESSAGE)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schemathesis")
    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "ADMIN_API_KEY": ADMIN_KEY,
            "RATE_LIMIT": "off",
            "STORE_URL": f"sqlite:///{folder}/c.db",
        },
        environ={},
    )
    yield schemathesis.openapi.from_wsgi("/v1/openapi.json", app)
    app.extensions["cmp.store"].close()


CASES = [
    pytest.param(path, method, mode, id=f"{method} {path} {mode.value}")
    for path, method in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    # Without parameters or a body there is nothing a request could get wrong.
    if mode is GenerationMode.POSITIVE or SERVED["paths"][path][method.lower()].get("parameters")
]


@pytest.mark.parametrize("path, method, mode", CASES)
def test_every_answer_conforms_to_the_description(api, path, method, mode):
    operation = api[path][method]
    # The in-process WSGI transport does not decompress, as an HTTP client would: ask for plain bodies.
    admin = path.startswith("/v1/admin/")
    strategy = operation.as_strategy(generation_mode=mode)

    @given(strategy)
    # derandomize: the same examples on every run, so CI is reproducible (raise EXAMPLES to explore more).
    @settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
    )
    def conforms(case):
        if path.endswith("/stats") and mode is GenerationMode.POSITIVE:
            assume(not _breaks_the_stats_range_rule(case.query or {}))
        headers = {"Accept-Encoding": "identity"}
        # The admin key opens the admin API, unless this case is about a malformed Authorization.
        if admin and not (mode is GenerationMode.NEGATIVE and "Authorization" in (case.headers or {})):
            headers["Authorization"] = f"Bearer {ADMIN_KEY}"
        case.call_and_validate(headers=headers)

    conforms()
