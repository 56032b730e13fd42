"""Two do-nothing WSGI apps, served by :mod:`bench.framework_ceiling` exactly as the consent API
is served, to show how far the framework and the server go on this machine with no work at all.

``flask_app``: a Flask route at the consent write's URL that reads nothing and answers an empty 201.
``flask_json``: the same route parsing the JSON body and answering a small JSON 201, the least a
consent write must do.
"""

from flask import Flask, jsonify, request

flask_app = Flask("ceiling")
flask_json = Flask("ceiling-json")


@flask_app.post("/v1/sites/<site>/consents")
def empty(site):
    return "", 201


@flask_app.get("/healthz")
@flask_json.get("/healthz")
def health():
    return "ok"


@flask_json.post("/v1/sites/<site>/consents")
def parse(site):
    body = request.get_json()
    return jsonify({"site": site, "revision": body["revision"]}), 201
