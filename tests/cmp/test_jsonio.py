"""The service's JSON codec (orjson) writes what the standard library wrote, byte for byte: stored
records, archived documents and API answers keep their exact form, and ETags their value."""

import datetime as dt
import json

from cmp import jsonio
from cmp.banner import banner_config

from .helpers import AMEX

EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def stdlib(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def test_text_numbers_and_nesting_are_written_as_the_standard_library_writes_them():
    document = {"text": EVERY_CHARACTER, "numbers": [0, -5, 2**63 - 1, True, False, None], "nested": {"a": [{}]}}
    assert jsonio.dumps(document) == stdlib(document)


def test_jsonify_answers_what_flask_answered_with_the_standard_library(app):
    config = banner_config(app.extensions["cmp.sites"][AMEX], "fr")
    unusual = {"day": dt.date(2031, 3, 4), 7: "an integer key", "big": 2**70}
    with app.app_context():
        assert app.json.response(config).get_data(as_text=True) == stdlib(config) + "\n"
        assert json.loads(app.json.dumps(unusual)) == {
            "day": "Tue, 04 Mar 2031 00:00:00 GMT",
            "7": "an integer key",
            "big": 2**70,
        }


def test_debug_mode_answers_indented_json(make_app):
    app = make_app(DEBUG=True)
    with app.app_context():
        assert app.json.response({"a": [1]}).get_data(as_text=True) == '{\n  "a": [\n    1\n  ]\n}\n'
