"""Signed tokens: what they carry, how they expire, and key rotation."""

import datetime as dt

import pytest

from cmp import clock
from cmp.errors import ConfigError, Unauthorized
from cmp.tokens import TokenSigner

from .helpers import AMEX, bearer, decide


def test_a_token_carries_site_visitor_choices_revision_and_decision_time(client):
    created = decide(client).get_json()
    from itsdangerous import URLSafeTimedSerializer

    payload = URLSafeTimedSerializer("test-secret-key", salt="cmp.consent-token.v1").loads(created["token"])
    assert payload["s"] == AMEX
    assert payload["v"] == created["visitor_id"]
    assert payload["c"] == created["choices"]
    assert payload["r"] == created["revision"]
    assert clock.iso(clock.from_ms(payload["d"])) == created["decided_at"]


# A payload too short for zlib to shorten, a long one, one with non-ASCII text.
@pytest.mark.parametrize(
    "categories, prefix, compressed", [(0, "category", False), (40, "category", True), (2, "catégorie", True)]
)
def test_a_token_is_byte_for_byte_what_itsdangerous_signs_with_the_newest_key(
    monkeypatch, categories, prefix, compressed
):
    from itsdangerous import URLSafeTimedSerializer

    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)

    class Rec:
        site, visitor_id, revision, decided_at = "a", "Qx7_k2Lm9-Vz3pWq", "r1", moment
        choices = {f"{prefix}-{n}": n % 2 == 0 for n in range(categories)}

    payload = {"s": "a", "v": Rec.visitor_id, "c": Rec.choices, "r": "r1", "d": clock.to_ms(moment)}
    expected = URLSafeTimedSerializer(["old-key", "new-key"], salt="cmp.consent-token.v1").dumps(payload)
    assert TokenSigner(["new-key", "old-key"]).sign(Rec) == expected
    assert expected.startswith(".") == compressed


def test_rotating_keys_keeps_visitors_signed_in(make_app, sqlite_url):
    old_client = make_app(SECRET_KEY="old-key", STORE_URL=sqlite_url).test_client()
    created = decide(old_client).get_json()
    rotated = make_app(SECRET_KEY="new-key,old-key", STORE_URL=sqlite_url).test_client()
    url = f"/v1/sites/{AMEX}/consents/{created['visitor_id']}"
    assert rotated.get(url, headers=bearer(created["token"])).status_code == 200
    retired = make_app(SECRET_KEY="new-key", STORE_URL=sqlite_url).test_client()
    assert retired.get(url, headers=bearer(created["token"])).get_json()["error"] == "invalid_token"


def test_new_tokens_are_signed_with_the_newest_key(make_app, sqlite_url):
    client = make_app(SECRET_KEY="new-key,old-key", STORE_URL=sqlite_url).test_client()
    created = decide(client).get_json()
    payload = TokenSigner(["new-key"]).verify(created["token"], AMEX, created["visitor_id"], 3600)
    assert payload["v"] == created["visitor_id"]
    with pytest.raises(Unauthorized):
        TokenSigner(["old-key"]).verify(created["token"], AMEX, created["visitor_id"], 3600)


def test_a_token_older_than_its_max_age_is_expired():
    signer = TokenSigner(["k"])

    class Rec:
        site, visitor_id, choices, revision = AMEX, "visitor-000000000001", {}, "r"
        decided_at = clock.now()

    token = signer.sign(Rec)
    clock.travel(dt.timedelta(days=2))
    with pytest.raises(Unauthorized) as info:
        signer.verify(token, AMEX, "visitor-000000000001", 86400)
    assert info.value.code == "token_expired"


def test_the_service_refuses_to_start_without_a_secret_outside_debug(make_app):
    with pytest.raises(ConfigError, match="CMP_SECRET_KEY is required"):
        make_app(SECRET_KEY="")


def test_debug_mode_starts_without_a_secret(make_app):
    client = make_app(SECRET_KEY="", DEBUG=True).test_client()
    assert decide(client).status_code == 201
