import pytest

# The real Chromium and its pages, as the widget's tests have them (one browser per session).
from tests.widget.conftest import browser, context, page, playwright_driver  # noqa: F401

from .helpers import add_user


@pytest.fixture
def console_app(make_app):
    app = make_app()
    add_user(app, "admin@example.org", "admin")
    add_user(app, "editor@example.org", "editor", ["milleis"])
    add_user(app, "viewer@example.org", "viewer", ["amex-portal"])
    return app


@pytest.fixture
def browser_client(console_app):
    """A client on https, as the console runs in production (its session cookie is Secure)."""
    client = console_app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    return client
