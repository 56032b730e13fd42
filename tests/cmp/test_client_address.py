"""The client's address behind trusted proxies: taken from X-Forwarded-For only when it is an IP
address, else the peer's, for the rate limit and for the proof's truncated IP."""

import pytest

from cmp.http import truncate_ip

from .helpers import AMEX, CHOICES_ALL, revision

ADMIN = {"Authorization": "Bearer test-admin-key"}
PEER = "203.0.113.9"


def post_decision(client, forwarded_for):
    body = {"choices": CHOICES_ALL, "revision": revision(client), "source": "banner", "lang": "fr"}
    return client.post(
        f"/v1/sites/{AMEX}/consents",
        json=body,
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": PEER},
    )


def test_garbage_forwarded_for_values_count_as_the_peer_for_the_rate_limit(make_app):
    client = make_app(TRUSTED_PROXIES=1, RATE_LIMIT="1/minute").test_client()
    assert post_decision(client, "not-an-ip").status_code == 201
    assert post_decision(client, "still not an ip").status_code == 429
    assert post_decision(client, "198.51.100.7").status_code == 201  # a real address is its own client


@pytest.mark.parametrize(
    "forwarded_for, ip",
    [
        ("not-an-ip", "203.0.113.0"),
        ("<script>", "203.0.113.0"),
        ("198.51.100.77", "198.51.100.0"),
        ("198.51.100.77:50123", "198.51.100.0"),
        ("[2001:db8:1:2::5]:443", "2001:db8:1::"),
    ],
)
def test_the_proof_keeps_a_forwarded_ip_address_else_the_peers(make_app, forwarded_for, ip):
    client = make_app(TRUSTED_PROXIES=1).test_client()
    visitor = post_decision(client, forwarded_for).get_json()["visitor_id"]
    proof = client.get(f"/v1/admin/sites/{AMEX}/visitors/{visitor}", headers=ADMIN).get_json()
    assert proof["current"]["ip"] == ip


@pytest.mark.parametrize(
    "address, network",
    [
        ("198.51.100.77", "198.51.100.0"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.0"),
        ("2001:db8:1:2::5", "2001:db8:1::"),
        ("::ffff:198.51.100.77", "198.51.100.0"),
        ("::1", "::"),
        ("", ""),
        ("not-an-ip", ""),
    ],
)
def test_the_proof_keeps_the_24_or_48_bit_network_of_an_address(address, network):
    assert truncate_ip(address) == network
