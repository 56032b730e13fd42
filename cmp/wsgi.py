"""WSGI entry point: each worker of ``cmpctl serve`` imports it, and so can other servers
(``gunicorn cmp.wsgi:app``); settings come from the ``CMP_*`` environment."""

from .app import create_app
from .server import exit_with_parent

exit_with_parent()
app = create_app()
