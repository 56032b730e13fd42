"""Bad input always gets a JSON error naming the field, never a traceback or a 500."""

import datetime as dt
import json
import logging

import pytest

from cmp import clock

from .helpers import AMEX, CHOICES_ALL, bearer, decide, revision

URL = f"/v1/sites/{AMEX}/consents"


def post_raw(client, data, content_type="application/json"):
    return client.post(URL, data=data, content_type=content_type)


def test_a_body_over_8_kib_is_413(client):
    response = post_raw(client, json.dumps({"choices": {}, "pad": "x" * 9000}))
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"


def test_a_non_json_content_type_is_415(client):
    response = post_raw(client, "choices=all", "application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.get_json()["field"] == "Content-Type"


@pytest.mark.parametrize("raw", ["{", "[1, 2]", '"text"', '{"choices": NaN}'])
def test_malformed_or_non_object_json_is_400(client, raw):
    response = post_raw(client, raw)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_json"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"choices": {**CHOICES_ALL, "audience": 1}}, "choices.audience"),
        ({"choices": {**CHOICES_ALL, "audience": "true"}}, "choices.audience"),
        ({"choices": ["audience"]}, "choices"),
        ({"choices": {"audience": True, "advertising": True}}, "choices.performance"),
        ({"choices": {**CHOICES_ALL, "marketing": True}}, "choices.marketing"),
        ({"services": {"unknown-service": True}}, "services.unknown-service"),
        ({"services": {"piwik-pro": 0}}, "services.piwik-pro"),
        ({"source": "popup"}, "source"),
        ({"lang": "de"}, "lang"),
        ({"visitor_id": "short"}, "visitor_id"),
        ({"visitor_id": 12345678901234567890}, "visitor_id"),
        ({"extra": 1}, "extra"),
        ({"revision": None}, "revision"),
    ],
)
def test_each_invalid_field_is_named(client, change, field):
    body = {"choices": CHOICES_ALL, "revision": revision(client), "source": "banner", "lang": "fr"}
    body.update(change)
    response = client.post(URL, json=body)
    assert response.status_code == 400, response.get_json()
    assert (response.get_json()["error"], response.get_json()["field"]) == ("invalid", field)


def test_a_service_cannot_be_granted_in_a_refused_category(client):
    response = decide(client, {**CHOICES_ALL, "performance": False}, services={"application-insights": True})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid",
        "message": "service 'application-insights' cannot be granted while its category 'performance' is refused",
        "field": "services.application-insights",
    }


def test_a_stale_revision_is_409_and_records_nothing(client, app):
    response = decide(client, revision="0000000000000000")
    assert response.status_code == 409
    assert response.get_json()["error"] == "stale_revision"
    assert response.get_json()["field"] == "revision"
    store = app.extensions["cmp.store"]
    assert list(store.export(AMEX, clock.now() - dt.timedelta(days=1), clock.now() + dt.timedelta(days=1))) == []


def test_an_unknown_route_and_a_wrong_method_are_json(client):
    missing = client.get("/v2/nothing")
    assert (missing.status_code, missing.get_json()["error"]) == (404, "not_found")
    response = client.put(URL, json={})
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"


def test_consent_writes_are_rate_limited_per_client_ip(make_app):
    client = make_app(RATE_LIMIT="3/minute").test_client()
    statuses = [decide(client).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    response = decide(client)
    assert response.get_json()["error"] == "rate_limited"
    assert response.headers["Retry-After"] == "60"
    other = client.post(URL, json={}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    # Another address is not limited: its (empty) body is checked instead.
    assert (other.status_code, other.get_json()["error"]) == (400, "invalid")


def test_withdrawals_count_against_the_write_limit_and_a_refused_one_changes_nothing(make_app):
    client = make_app(RATE_LIMIT="2/minute").test_client()
    created = decide(client).get_json()
    url = f"{URL}/{created['visitor_id']}"
    withdrawn = client.delete(url, headers=bearer(created["token"]))
    assert withdrawn.status_code == 200
    refused = client.delete(url, headers=bearer(withdrawn.get_json()["token"]))
    assert (refused.status_code, refused.get_json()["error"], refused.headers["Retry-After"]) == (
        429,
        "rate_limited",
        "60",
    )
    history = client.get(f"{url}/history", headers=bearer(withdrawn.get_json()["token"])).get_json()
    assert [d["action"] for d in history["decisions"]] == ["consent", "withdraw"]


@pytest.mark.redis
def test_a_store_that_is_down_gives_503_and_the_service_recovers(make_app, redis_server):
    from tests.support.processes import RedisServer

    server = RedisServer().start()
    client = make_app(STORE_URL=server.url).test_client()
    assert decide(client).status_code == 201
    server.stop()
    response = decide(client)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {
        "error": "store_unavailable",
        "message": "the consent store is unavailable; try again shortly",
    }
    assert client.get("/healthz").status_code == 503
    server.start()  # same port, same data directory
    assert decide(client).status_code == 201
    assert client.get("/healthz").status_code == 200
    server.cleanup()


def test_a_sqlite_file_that_cannot_be_read_gives_503_with_retry_after(make_app, tmp_path):
    app = make_app(STORE_URL=f"sqlite:///{tmp_path}/c.db")
    client = app.test_client()
    assert decide(client).status_code == 201
    app.extensions["cmp.store"].close()  # the next request opens the file again...
    for path in tmp_path.glob("c.db*"):
        path.unlink()
    (tmp_path / "c.db").mkdir()  # ...and finds a folder where the database was: it cannot open it
    response = decide(client)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {
        "error": "store_unavailable",
        "message": "the consent store is unavailable; try again shortly",
    }
    assert client.get("/healthz").status_code == 503


@pytest.mark.parametrize(
    "raw, message",
    [
        ("[" * 3000, "the body nests arrays or objects too deeply"),
        ('{"choices": ' + "[" * 3000, "the body nests arrays or objects too deeply"),
        (
            '{"choices": {"\\ud800": true}}',
            "the body has a string with an unpaired UTF-16 surrogate (\\ud800 to \\udfff), which is not text",
        ),
        (
            '{"lang": "fr\\udfff"}',
            "the body has a string with an unpaired UTF-16 surrogate (\\ud800 to \\udfff), which is not text",
        ),
    ],
)
def test_a_body_the_parser_cannot_take_is_400_and_logs_no_error(make_app, caplog, raw, message):
    assert len(raw) < 8192
    response = post_raw(make_app().test_client(), raw)
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid_json", "message": message}
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_an_escaped_surrogate_pair_is_text(make_app):
    response = post_raw(make_app().test_client(), '{"\\ud83d\\ude00": true}')
    assert response.get_json() == {"error": "invalid", "message": "unknown field '\U0001f600'", "field": "\U0001f600"}
