"""The consent service: a Flask API that records visitors' choices per site, signs tokens and
keeps the proof-of-consent log. Start with :func:`create_app`."""


def create_app(config=None, environ=None):
    """Build the Flask application (see :func:`cmp.app.create_app`)."""
    from .app import create_app as _create_app

    return _create_app(config, environ)


__all__ = ["create_app"]
