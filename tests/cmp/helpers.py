"""Small request helpers for API tests."""

AMEX = "amex-portal"
CHOICES_ALL = {"audience": True, "performance": True, "advertising": True}
CHOICES_NONE = {"audience": False, "performance": False, "advertising": False}


def revision(client, site=AMEX):
    return client.get(f"/v1/sites/{site}/banner").get_json()["revision"]


def decide(client, choices=None, site=AMEX, token=None, **fields):
    body = {
        "choices": CHOICES_ALL if choices is None else choices,
        "revision": revision(client, site),
        "source": "banner",
        "lang": "fr",
    }
    body.update(fields)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/v1/sites/{site}/consents", json=body, headers=headers)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}
