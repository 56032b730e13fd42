"""JSON in and out of the service through orjson: what every request parses and answers and every
stored record, several times faster than the standard library and byte for byte its compact,
non-ASCII-escaping output (tests/cmp/test_jsonio.py holds the two together)."""

import orjson
from flask.json.provider import DefaultJSONProvider

# Dates and dataclasses go to Flask's own conversions (an HTTP date, a dict), as with json.
_FLASK_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps(obj):
    """Compact JSON text, non-ASCII kept as it is."""
    return orjson.dumps(obj).decode()


loads = orjson.loads
DecodeError = orjson.JSONDecodeError  # a ValueError


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON (``jsonify``) through orjson, keys in insertion order, text unescaped. The
    standard library's answer where orjson would differ: a caller's own options, integers beyond
    64 bits, and debug mode's indentation."""

    sort_keys = False
    ensure_ascii = False

    def dumps(self, obj, **kwargs):
        if not kwargs:
            try:
                return orjson.dumps(obj, default=self.default, option=_FLASK_OPTIONS).decode()
            except orjson.JSONEncodeError:
                pass
        return super().dumps(obj, **kwargs)

    def response(self, *args, **kwargs):
        if self._app.debug:
            return super().response(*args, **kwargs)
        body = self.dumps(self._prepare_response_obj(args, kwargs))
        return self._app.response_class(f"{body}\n", mimetype=self.mimetype)
