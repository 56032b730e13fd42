"""Every exception the project raises on purpose, under one base class.

API errors carry a stable ``code`` (the JSON ``error`` field), an HTTP status and, when one
input is to blame, the ``field`` that names it. Inventory errors belong to the inventory package
(:mod:`inventory.errors`), which depends on nothing of ours.
"""


class CMPError(Exception):
    """Base class of every error this project raises on purpose."""


class ConfigError(CMPError):
    """A setting is missing or invalid; the service refuses to start."""


class ServeError(CMPError):
    """The server cannot listen where it was asked to (port in use, unknown host, no permission)."""


class StorageError(CMPError):
    """The consent store or the rate limiter cannot be reached or failed; the API answers 503."""


class APIError(CMPError):
    """An error the API reports to its caller as JSON ``{"error", "message", "field"?}``."""

    status = 400
    code = "invalid"

    def __init__(self, message, field=None, code=None, status=None, headers=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.headers = headers or {}
        if code:
            self.code = code
        if status:
            self.status = status

    def to_json(self):
        body = {"error": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        return body


class BadRequest(APIError):
    status, code = 400, "invalid"


class Unauthorized(APIError):
    status, code = 401, "unauthorized"


class Forbidden(APIError):
    status, code = 403, "forbidden"


class NotFound(APIError):
    status, code = 404, "not_found"


class Conflict(APIError):
    status, code = 409, "conflict"


class UnsupportedMediaType(APIError):
    status, code = 415, "unsupported_media_type"


class RateLimited(APIError):
    status, code = 429, "rate_limited"
