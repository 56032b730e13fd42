"""Fixtures shared by the whole suite: the clock, apps on a real store, a real redis-server."""

import shutil

import pytest

from cmp import clock
from tests.support.processes import RedisClusterServers, RedisServer

SECRET = "test-secret-key"
ADMIN_KEY = "test-admin-key"


@pytest.fixture(autouse=True)
def _reset_clock():
    clock.reset()
    yield
    clock.reset()


def _require_redis_server():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed; run `make test` (it installs it)")


@pytest.fixture(scope="session")
def redis_server():
    """One real redis-server for the session, on a free port, with a temporary directory."""
    _require_redis_server()
    server = RedisServer().start()
    yield server
    server.cleanup()


@pytest.fixture
def redis_url(redis_server):
    """The session's Redis, emptied before each test."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    return redis_server.url


@pytest.fixture(scope="session")
def redis_cluster():
    """A real three-node Redis Cluster for the session."""
    _require_redis_server()
    cluster = RedisClusterServers().start()
    yield cluster
    cluster.cleanup()


@pytest.fixture
def redis_cluster_url(redis_cluster):
    redis_cluster.flush()
    return redis_cluster.url


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'consents.db'}"


STORE_URL_FIXTURES = {"sqlite": "sqlite_url", "redis": "redis_url", "redis-cluster": "redis_cluster_url"}


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("redis", marks=pytest.mark.redis),
        pytest.param("redis-cluster", marks=pytest.mark.redis),
    ]
)
def store_url(request):
    """Each test using it runs once per backend: SQLite, one Redis server, a Redis Cluster."""
    return request.getfixturevalue(STORE_URL_FIXTURES[request.param])


@pytest.fixture
def make_app(tmp_path):
    """Build the service with test settings; ``make_app(STORE_URL=…, RATE_LIMIT=…)``."""
    from cmp import create_app

    apps = []

    def build(**overrides):
        config = {
            "SECRET_KEY": SECRET,
            "ADMIN_API_KEY": ADMIN_KEY,
            "RATE_LIMIT": "off",
            "STORE_URL": f"sqlite:///{tmp_path / 'consents.db'}",
        }
        config.update(overrides)
        app = create_app(config, environ={})
        app.config["TESTING"] = True
        apps.append(app)
        return app

    yield build
    from cmp import ratelimit

    for app in apps:
        app.extensions["cmp.store"].close()
        ratelimit.close(app)


@pytest.fixture
def app(make_app):
    """The service on SQLite: HTTP behaviour is tested once; the store contract suite
    (tests/cmp/store) proves every backend keeps what the API relies on."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


# Markers let `pytest -m "not browser"` or `-m redis` pick a subset; a test that needs a
# redis-server or Chromium through its fixtures must carry the marker, or the subset lies.
_MARKER_FIXTURES = {
    "redis": {"redis_server", "redis_url", "redis_cluster", "redis_cluster_url"},
    "browser": {"playwright_driver", "browser", "page"},
}


def pytest_collection_modifyitems(config, items):
    missing = [
        f"{item.nodeid}: uses {', '.join(sorted(fixtures & set(item.fixturenames)))} but is not marked {marker}"
        for item in items
        for marker, fixtures in _MARKER_FIXTURES.items()
        if fixtures & set(item.fixturenames) and item.get_closest_marker(marker) is None
    ]
    if missing:
        raise pytest.UsageError("tests without their marker:\n" + "\n".join(missing))
