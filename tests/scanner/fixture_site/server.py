"""Serve the fixture site and its third party on free ports, in threads of this process."""

import logging
import threading

from werkzeug.serving import make_server

from tests.support.processes import free_port

from .app import create_site_app, create_third_party_app


class FixtureSite:
    """``with FixtureSite() as site: site.url`` — the shop on 127.0.0.1, its partner on localhost.

    The two hosts differ because cookies ignore ports: only another host is another site.
    """

    SITE_HOST = "127.0.0.1"
    THIRD_PARTY_HOST = "localhost"

    def __init__(self):
        self.site_port, self.third_party_port = free_port(), free_port()
        self.url = f"http://{self.SITE_HOST}:{self.site_port}/"
        self.third_party_url = f"http://{self.THIRD_PARTY_HOST}:{self.third_party_port}"
        self._servers = []

    def __enter__(self):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request in test output
        apps = [
            (create_site_app(self.third_party_url), self.site_port),
            (create_third_party_app(), self.third_party_port),
        ]
        for app, port in apps:
            server = make_server("127.0.0.1", port, app, threaded=True)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self._servers.append(server)
        return self

    def __exit__(self, *exc):
        for server in self._servers:
            server.shutdown()
            server.server_close()
