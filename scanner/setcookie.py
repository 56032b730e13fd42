"""Parse cookie-setting strings (a ``Set-Cookie`` header line or a ``document.cookie`` write)
into what the site asked for: name, domain, flags and the requested lifetime."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_MONTHS = {
    m: i
    for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)
}


@dataclass(frozen=True)
class CookieWrite:
    name: str  # may be empty: "=v" and "v" set a nameless cookie, as browsers do
    domain: str  # the jar's spelling: "host" when host-only, ".example.com" with a Domain attribute
    lifetime_s: int | None  # None: a session cookie
    deletes: bool  # Max-Age <= 0 or an Expires in the past: removes the cookie
    secure: bool
    http_only: bool
    same_site: str | None  # "Strict", "Lax", "None" or None when not given
    host: str = ""  # the host of the response or document it was set for ("" when unknown)
    path: str = "/"  # the Path attribute, else the default path of the URL it was set for


def default_path(url_path):
    """RFC 6265's default-path: the URL path up to, not including, its last ``/`` (``/`` at least)."""
    if not url_path or not url_path.startswith("/") or url_path.count("/") == 1:
        return "/"
    return url_path[: url_path.rindex("/")]


def parse(line, host, now, date_header=None, url_path=None):
    """Parse one cookie line set for a document or response on ``host``.

    ``now`` (epoch seconds) is when it was received; an ``Expires`` is measured from the
    response's ``Date`` header when there is one, because both come from the server's clock.
    Name and value are read as RFC 6265bis and Chromium do: the first ``;`` ends the value
    (quotes protect nothing), the first ``=`` ends the name, a pair without ``=`` is a value with
    an empty name, surrounding blanks are dropped. Returns None when both are empty. ``url_path``
    is the path of the URL it was set for, which gives the cookie's path when it names none.
    """
    parts = line.split(";")
    name, sep, value = parts[0].partition("=")
    if not sep:
        name, value = "", name
    name, value = name.strip(), value.strip()
    if not name and not value:
        return None
    attrs = {}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        attrs[key.strip().lower()] = val.strip()  # the last of a repeated attribute wins
    lifetime, deletes = _lifetime(attrs, now, date_header)
    # One leading dot is dropped (RFC 6265 5.2.3); an empty Domain is no Domain.
    domain = attrs.get("domain", "").removeprefix(".").lower()
    same_site = attrs.get("samesite", "").capitalize() or None
    host = host.lower()
    return CookieWrite(
        name=name,
        domain=f".{domain}" if domain else host,
        lifetime_s=lifetime,
        deletes=deletes,
        secure="secure" in attrs,
        http_only="httponly" in attrs,
        same_site=same_site if same_site in ("Strict", "Lax", "None") else None,
        host=host,
        path=attrs["path"] if attrs.get("path", "").startswith("/") else default_path(url_path),
    )


def _lifetime(attrs, now, date_header):
    """(requested lifetime in seconds or None for a session cookie, whether it deletes)."""
    if "max-age" in attrs and re.fullmatch(r"-?[0-9]+", attrs["max-age"]):
        seconds = int(attrs["max-age"])
        return (None, True) if seconds <= 0 else (seconds, False)
    if "expires" in attrs:
        expires = parse_date(attrs["expires"])
        if expires is not None:
            reference = parse_date(date_header) if date_header else None
            seconds = round(expires - (reference if reference is not None else now))
            return (None, True) if seconds <= 0 else (seconds, False)
    return None, False


def parse_date(text):
    """Epoch seconds of a cookie date: RFC 1123, or the old ``Wed, 21-Oct-2026 07:28:00 GMT``."""
    text = (text or "").strip()
    try:
        return parsedate_to_datetime(text).replace(tzinfo=UTC).timestamp()
    except (TypeError, ValueError, IndexError):
        pass
    # Browsers read any order of day, month name, year and time; sites use dashes often.
    tokens = re.split(r"[\s,\-]+", text.lower())
    day = month = year = clock = None
    for token in tokens:
        if re.fullmatch(r"\d{1,2}:\d{1,2}:\d{1,2}", token) and clock is None:
            clock = [int(x) for x in token.split(":")]
        elif token[:3] in _MONTHS and month is None:
            month = _MONTHS[token[:3]]
        elif re.fullmatch(r"\d{1,2}", token) and day is None:
            day = int(token)
        elif re.fullmatch(r"\d{2,4}", token) and year is None:
            year = int(token)
            year += 1900 if 70 <= year < 100 else 2000 if year < 70 else 0
    if None in (day, month, year):
        return None
    h, m, s = clock or (0, 0, 0)
    try:
        return datetime(year, month, day, h, m, s, tzinfo=UTC).timestamp()
    except ValueError:
        return None


def header_lines(headers):
    """The ``Set-Cookie`` lines of a raw header mapping (CDP joins repeated ones with newlines)."""
    lines = []
    for key, value in headers.items():
        if key.lower() == "set-cookie":
            lines.extend(line for line in str(value).split("\n") if line.strip())
    return lines


def header(headers, wanted):
    return next((str(v) for k, v in headers.items() if k.lower() == wanted.lower()), None)
