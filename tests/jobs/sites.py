"""Small sites for the job tests, served in threads on free ports: one whose content changes
between two scans (``version`` 1, then 2), and one whose pages answer slowly, to be killed mid-scan."""

import logging
import threading
import time

from flask import Flask, make_response
from werkzeug.serving import make_server

from tests.support.processes import free_port

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><nav><a href="/">Accueil</a> <a href="/a">A</a> <a href="/b">B</a></nav>
<script>localStorage.setItem("cart", "[]");</script>{extra}</body></html>"""
# Version 2's tracker: an undeclared cookie set by a script before any decision.
TRACKER = '<script>document.cookie = "_trk=1; Max-Age=86400; Path=/";</script>'


def changing_app(state):
    app = Flask("changing_site")

    @app.get("/")
    @app.get("/a")
    @app.get("/b")
    def page():
        extra = TRACKER if state["version"] >= 2 else ""
        response = make_response(PAGE.format(title=f"Version {state['version']}", extra=extra))
        # Version 2 keeps sid for two days: its lifetime changed since version 1.
        response.set_cookie("sid", "x", max_age=86400 * state["version"])
        return response

    return app


def slow_app(delay_s):
    app = Flask("slow_site")

    @app.get("/")
    @app.get("/p/<int:n>")
    def page(n=0):
        time.sleep(delay_s)
        links = " ".join(f'<a href="/p/{n * 10 + i}">p{i}</a>' for i in range(1, 6))
        return PAGE.format(title=f"Page {n}", extra=links)

    return app


class Served:
    """``with Served(app) as site: site.url``."""

    def __init__(self, app):
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"

    def __enter__(self):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


class WebhookReceiver:
    """A local webhook: records each request's headers and raw body, answers the given statuses in
    turn (then 204)."""

    def __init__(self, statuses=()):
        from flask import request

        self.received = []
        self.statuses = list(statuses)
        app = Flask("webhook")

        @app.post("/hook")
        def hook():
            self.received.append((dict(request.headers), request.get_data()))
            return "", self.statuses.pop(0) if self.statuses else 204

        self.served = Served(app)
        self.url = self.served.url + "hook"

    def __enter__(self):
        self.served.__enter__()
        return self

    def __exit__(self, *exc):
        self.served.__exit__(*exc)
