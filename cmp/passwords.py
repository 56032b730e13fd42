"""Console passwords: never stored, only a memory-hard scrypt hash (hashlib, OpenSSL's scrypt).

A hash reads ``scrypt$<n>$<r>$<p>$<salt>$<key>`` (base64), so the cost can rise later while
older hashes still verify.
"""

import base64
import hashlib
import hmac
import secrets

# 2**15 x 8 x 128 B = 32 MiB of memory per hash, about 0.1 s on one core.
N, R, P = 2**15, 8, 1
MAX_MEMORY = 64 * 1024 * 1024
MIN_LENGTH = 12


def _b64(raw):
    return base64.b64encode(raw).decode()


def _derive(password, salt, n, r, p):
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=MAX_MEMORY, dklen=32)


def hash_password(password):
    salt = secrets.token_bytes(16)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(_derive(password, salt, N, R, P))}"


def verify(password, stored):
    """True when ``password`` matches ``stored`` (a :func:`hash_password` result)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        derived = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, base64.b64decode(key))


# Checked against when the e-mail is unknown, so that an answer takes as long either way.
_DUMMY = hash_password(secrets.token_urlsafe(16))


def verify_or_waste(password, stored):
    return verify(password, stored if stored is not None else _DUMMY)


def check_strength(password):
    """None when ``password`` is acceptable, else why not."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    return None
