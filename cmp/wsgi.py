"""WSGI entry point for external servers: ``gunicorn cmp.wsgi:app`` (settings from CMP_* variables)."""

from .app import create_app

app = create_app()
