"""Whatever a client sends, the API answers with a JSON error or a decision, never a 500."""

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import AMEX

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(["choices", "services", "revision", "source", "lang", "visitor_id", "other"])
category_maps = st.dictionaries(
    st.sampled_from(["necessary", "audience", "performance", "advertising", "x"]),
    json_values | st.booleans(),
    max_size=5,
)
bodies = st.dictionaries(field_names, json_values | category_maps, max_size=7)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(body=bodies)
def test_any_json_body_gets_a_decision_or_a_named_error(make_app, body):
    client = _client(make_app)
    response = client.post(f"/v1/sites/{AMEX}/consents", json=body)
    assert response.status_code in (201, 400, 409), response.get_data(as_text=True)
    if response.status_code != 201:
        assert set(response.get_json()) <= {"error", "message", "field"}


@FUZZ
@given(raw=st.binary(max_size=200))
def test_any_bytes_get_a_json_error(make_app, raw):
    client = _client(make_app)
    response = client.post(f"/v1/sites/{AMEX}/consents", data=raw, content_type="application/json")
    assert response.status_code in (400, 409), response.get_data(as_text=True)
    assert response.get_json()["error"] in ("invalid_json", "invalid", "stale_revision")


PRINTABLE = st.characters(min_codepoint=32, max_codepoint=126)


@FUZZ
@given(visitor=st.text(min_size=1, max_size=80), token=st.text(PRINTABLE, max_size=120))
def test_any_visitor_id_and_token_get_a_json_error(make_app, visitor, token):
    client = _client(make_app)
    response = client.get(
        f"/v1/sites/{AMEX}/consents/{quote(visitor, safe='')}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in (400, 401, 404), response.get_data(as_text=True)
    assert "error" in response.get_json()


_apps = {}


def _client(make_app):
    # One app per test function (hypothesis runs the body many times with the same fixture).
    key = id(make_app)
    if key not in _apps:
        _apps.clear()
        _apps[key] = make_app()
    return _apps[key].test_client()
