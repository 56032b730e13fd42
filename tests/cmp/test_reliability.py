"""An acknowledged consent (201) survives kill -9 of the service and of Redis."""

import json
import urllib.request

import pytest

from tests.support.processes import RedisServer, ServiceProcess

ENV = {"CMP_SECRET_KEY": "reliability-key", "CMP_ADMIN_API_KEY": "admin", "CMP_RATE_LIMIT": "off"}


def call(url, method="GET", body=None, token=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, json.loads(response.read())


def record_consent(service):
    _, banner = call(f"{service.url}/v1/sites/amex-portal/banner")
    status, created = call(
        f"{service.url}/v1/sites/amex-portal/consents",
        "POST",
        {
            "choices": {"audience": True, "performance": False, "advertising": True},
            "revision": banner["revision"],
            "source": "banner",
            "lang": "fr",
        },
    )
    assert status == 201
    return created


def assert_still_there(service, created):
    status, current = call(
        f"{service.url}/v1/sites/amex-portal/consents/{created['visitor_id']}", token=created["token"]
    )
    assert status == 200
    assert current["choices"] == created["choices"]
    assert current["decided_at"] == created["decided_at"]


@pytest.mark.slow
def test_a_consent_survives_kill_9_of_the_service_on_sqlite(tmp_path):
    env = {**ENV, "CMP_STORE_URL": f"sqlite:///{tmp_path}/consents.db"}
    service = ServiceProcess(env, workers=2).start()
    try:
        created = record_consent(service)
        service.kill()
        service = ServiceProcess(env, workers=2).start()
        assert_still_there(service, created)
    finally:
        service.stop()


@pytest.mark.slow
@pytest.mark.redis
def test_a_consent_survives_kill_9_of_the_service_and_of_redis(tmp_path):
    (tmp_path / "redis").mkdir()
    redis_server = RedisServer(directory=tmp_path / "redis").start()
    env = {**ENV, "CMP_STORE_URL": redis_server.url}
    service = ServiceProcess(env, workers=2).start()
    try:
        created = record_consent(service)
        service.kill()
        redis_server.kill()
        redis_server.start()  # same port, same directory: it replays its append-only file
        service = ServiceProcess(env, workers=2).start()
        assert_still_there(service, created)
    finally:
        service.stop()
        redis_server.cleanup()
