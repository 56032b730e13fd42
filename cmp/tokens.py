"""Signed consent tokens (itsdangerous): what a visitor presents to read or change its consent.

Payload: site, visitor id, choices, revision and the decision time; the signature's own timestamp
is the issue time. Several keys, newest first, let keys rotate without logging visitors out.
"""

import hmac
import zlib

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, int_to_bytes

from . import clock, jsonio
from .errors import Unauthorized

SALT = "cmp.consent-token.v1"


class _ClockSigner(TimestampSigner):
    """Signs and checks ages against the service clock, so expiry follows :mod:`cmp.clock`."""

    def get_timestamp(self):
        return int(clock.now().timestamp())


class _Serializer(URLSafeTimedSerializer):
    default_signer = _ClockSigner


class TokenSigner:
    def __init__(self, keys):
        # itsdangerous signs with the last key and tries all of them, so newest goes last.
        self._serializer = _Serializer(list(reversed(keys)), salt=SALT)
        # Every consent write signs a token: the newest key's HMAC is derived once, here, where
        # the serializer would build a signer and derive its key again for each token.
        signer = self._serializer.make_signer()
        self._mac = hmac.new(signer.derive_key(), digestmod=signer.digest_method)

    def sign(self, record):
        """The token of ``record``: byte for byte what ``URLSafeTimedSerializer.dumps`` makes
        (compact JSON, zlib when it is shorter, URL-safe base64, timestamp, HMAC-SHA1)."""
        payload = {
            "s": record.site,
            "v": record.visitor_id,
            "c": record.choices,
            "r": record.revision,
            "d": clock.to_ms(record.decided_at),
        }
        data = jsonio.dumps(payload).encode()  # itsdangerous's compact JSON, text unescaped
        compressed = zlib.compress(data)
        data = b"." + base64_encode(compressed) if len(compressed) < len(data) - 1 else base64_encode(data)
        value = data + b"." + base64_encode(int_to_bytes(int(clock.now().timestamp())))
        mac = self._mac.copy()
        mac.update(value)
        return (value + b"." + base64_encode(mac.digest())).decode()

    def verify(self, token, site, visitor_id, max_age_s):
        """The token's payload if it is genuine, unexpired and belongs to ``site``/``visitor_id``."""
        try:
            payload = self._serializer.loads(token, max_age=max_age_s)
        except SignatureExpired:
            raise Unauthorized("the consent token has expired", field="Authorization", code="token_expired")
        except BadSignature:
            raise Unauthorized("the consent token is not valid", field="Authorization", code="invalid_token")
        if not isinstance(payload, dict) or payload.get("s") != site or payload.get("v") != visitor_id:
            raise Unauthorized(
                "the consent token belongs to another visitor or site", field="Authorization", code="invalid_token"
            )
        return payload
