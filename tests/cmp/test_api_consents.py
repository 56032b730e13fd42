"""Recording, reading and withdrawing a visitor's consent through the API."""

import contextlib
import datetime as dt
import sqlite3

import pytest

from cmp import clock

from .helpers import AMEX, CHOICES_ALL, CHOICES_NONE, bearer, decide, revision


def test_a_first_decision_creates_a_visitor_and_returns_a_token_and_the_full_decision(client):
    response = decide(client, {"audience": True, "performance": False, "advertising": False})
    assert response.status_code == 201
    body = response.get_json()
    assert len(body["visitor_id"]) == 22  # 128 random bits, base64url
    assert body["choices"] == {"necessary": True, "audience": True, "performance": False, "advertising": False}
    assert body["services"] == {
        "cmp": True,
        "azure-app-service": True,
        "aspnet": True,
        "piwik-pro": True,
        "application-insights": False,
    }
    assert body["revision"] == revision(client)
    decided = dt.datetime.fromisoformat(body["decided_at"].replace("Z", "+00:00"))
    expires = dt.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert expires - decided == dt.timedelta(days=180)
    assert response.headers["Location"] == f"/v1/sites/{AMEX}/consents/{body['visitor_id']}"


def test_two_first_decisions_get_different_visitor_ids(client):
    assert decide(client).get_json()["visitor_id"] != decide(client).get_json()["visitor_id"]


def test_the_current_decision_is_read_back_with_the_visitors_token(client):
    created = decide(client, CHOICES_NONE).get_json()
    response = client.get(f"/v1/sites/{AMEX}/consents/{created['visitor_id']}", headers=bearer(created["token"]))
    assert response.status_code == 200
    body = response.get_json()
    assert body["choices"] == {"necessary": True, **CHOICES_NONE}
    assert body["decided_at"] == created["decided_at"]
    assert response.headers["Cache-Control"] == "no-store"


def test_reading_a_decision_without_a_token_is_401_naming_the_header(client):
    created = decide(client).get_json()
    response = client.get(f"/v1/sites/{AMEX}/consents/{created['visitor_id']}")
    assert response.status_code == 401
    assert response.get_json()["error"] == "token_required"
    assert response.get_json()["field"] == "Authorization"


def test_another_visitors_token_is_refused(client):
    alice, bob = decide(client).get_json(), decide(client).get_json()
    response = client.get(f"/v1/sites/{AMEX}/consents/{alice['visitor_id']}", headers=bearer(bob["token"]))
    assert response.status_code == 401
    assert (response.status_code, response.get_json()["error"]) == (401, "invalid_token")


def test_a_forged_token_is_refused(client):
    created = decide(client).get_json()
    forged = created["token"][:-4] + ("AAAA" if not created["token"].endswith("AAAA") else "BBBB")
    response = client.get(f"/v1/sites/{AMEX}/consents/{created['visitor_id']}", headers=bearer(forged))
    assert response.get_json()["error"] == "invalid_token"


def test_a_token_for_one_site_does_not_open_another(client):
    created = decide(client).get_json()
    response = client.get(f"/v1/sites/milleis/consents/{created['visitor_id']}", headers=bearer(created["token"]))
    assert (response.status_code, response.get_json()["error"]) == (401, "invalid_token")


def test_changing_a_decision_needs_the_current_token_and_replaces_it(client):
    first = decide(client, CHOICES_ALL).get_json()
    second = decide(client, CHOICES_NONE, token=first["token"], visitor_id=first["visitor_id"], source="panel")
    assert second.status_code == 201
    assert second.get_json()["visitor_id"] == first["visitor_id"]
    assert second.get_json()["choices"]["audience"] is False
    stale = client.get(f"/v1/sites/{AMEX}/consents/{first['visitor_id']}", headers=bearer(first["token"]))
    assert stale.status_code == 401 and stale.get_json()["error"] == "stale_token"


def test_nobody_can_overwrite_a_visitor_without_its_token(client):
    victim = decide(client, CHOICES_NONE).get_json()
    response = decide(client, CHOICES_ALL, visitor_id=victim["visitor_id"])
    assert (response.status_code, response.get_json()["error"]) == (401, "token_required")
    current = client.get(f"/v1/sites/{AMEX}/consents/{victim['visitor_id']}", headers=bearer(victim["token"]))
    assert current.get_json()["choices"]["advertising"] is False


def test_required_categories_are_always_granted_even_when_sent_false(client):
    body = decide(client, {"necessary": False, **CHOICES_NONE}).get_json()
    assert body["choices"]["necessary"] is True
    assert body["services"]["aspnet"] is True


def test_exempt_categories_are_recorded_as_given(client):
    assert decide(client, CHOICES_NONE).get_json()["choices"]["audience"] is False
    assert decide(client, {**CHOICES_NONE, "audience": True}).get_json()["choices"]["audience"] is True


def test_a_service_can_be_refused_inside_a_granted_category(client):
    body = decide(client, CHOICES_ALL, services={"piwik-pro": False}).get_json()
    assert body["choices"]["audience"] is True
    assert body["services"]["piwik-pro"] is False
    assert body["services"]["application-insights"] is True


def test_withdrawal_refuses_everything_that_can_be_refused_and_is_logged(client):
    created = decide(client, CHOICES_ALL).get_json()
    response = client.delete(f"/v1/sites/{AMEX}/consents/{created['visitor_id']}", headers=bearer(created["token"]))
    assert response.status_code == 200
    body = response.get_json()
    assert body["choices"] == {"necessary": True, **CHOICES_NONE}
    assert body["services"]["piwik-pro"] is False and body["services"]["cmp"] is True
    history = client.get(
        f"/v1/sites/{AMEX}/consents/{created['visitor_id']}/history", headers=bearer(body["token"])
    ).get_json()
    assert [d["action"] for d in history["decisions"]] == ["consent", "withdraw"]
    assert history["decisions"][1]["choices"]["advertising"] is False


def test_a_withdrawal_keeps_the_source_the_widget_names_and_api_when_none(client):
    created = decide(client, CHOICES_ALL).get_json()
    url = f"/v1/sites/{AMEX}/consents/{created['visitor_id']}"
    from_panel = client.delete(url + "?source=panel", headers=bearer(created["token"])).get_json()
    assert from_panel["source"] == "panel"
    from_api = client.delete(url, headers=bearer(from_panel["token"])).get_json()
    assert from_api["source"] == "api"
    bad = client.delete(url + "?source=popup", headers=bearer(from_api["token"]))
    assert (bad.status_code, bad.get_json()["field"]) == (400, "source")


def test_a_consent_from_a_placeholder_keeps_its_source_and_the_service_it_was_for(client):
    choices = {"audience": True, "performance": True, "advertising": False}
    body = decide(client, choices, source="placeholder", placeholder="application-insights").get_json()
    assert body["source"] == "placeholder"
    history = client.get(
        f"/v1/sites/{AMEX}/consents/{body['visitor_id']}/history", headers=bearer(body["token"])
    ).get_json()
    assert (history["decisions"][0]["source"], history["decisions"][0]["extra"]) == (
        "placeholder",
        {"placeholder": "application-insights"},
    )


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"source": "panel", "placeholder": "application-insights"}, "placeholder"),
        ({"source": "placeholder", "placeholder": "no-such-service"}, "placeholder"),
        ({"source": "placeholder", "placeholder": 3}, "placeholder"),
    ],
)
def test_a_placeholder_field_names_a_service_of_the_site_and_only_with_source_placeholder(client, fields, field):
    response = decide(client, CHOICES_ALL, **fields)
    assert (response.status_code, response.get_json()["field"]) == (400, field)


def test_history_lists_every_decision_with_its_proof_fields(client):
    first = decide(client, CHOICES_ALL, lang="en").get_json()
    second = decide(
        client, CHOICES_NONE, token=first["token"], visitor_id=first["visitor_id"], source="panel"
    ).get_json()
    response = client.get(
        f"/v1/sites/{AMEX}/consents/{first['visitor_id']}/history",
        headers={**bearer(second["token"]), "User-Agent": "Browser/1.0"},
    )
    decisions = response.get_json()["decisions"]
    assert [d["source"] for d in decisions] == ["banner", "panel"]
    assert [d["lang"] for d in decisions] == ["en", "fr"]
    assert decisions[0]["revision"] == revision(client)
    assert decisions[0]["text_version"] != decisions[1]["text_version"]  # English and French texts
    assert decisions[0]["ip"] == "127.0.0.0"


def test_a_decision_expires_after_180_days(client):
    created = decide(client).get_json()
    url = f"/v1/sites/{AMEX}/consents/{created['visitor_id']}"
    clock.travel(dt.timedelta(days=179, hours=23))
    assert client.get(url, headers=bearer(created["token"])).status_code == 200
    clock.travel(dt.timedelta(hours=1))
    response = client.get(url, headers=bearer(created["token"]))
    assert response.status_code == 404
    assert response.get_json()["error"] == "no_consent"
    clock.travel(dt.timedelta(seconds=2))
    response = client.get(url, headers=bearer(created["token"]))
    assert response.status_code == 401
    assert response.get_json()["error"] == "token_expired"


def test_unknown_site_is_404_naming_the_site(client):
    response = client.post("/v1/sites/nope/consents", json={})
    assert response.status_code == 404
    assert response.get_json() == {"error": "unknown_site", "message": "unknown site 'nope'", "field": "site"}


def test_reading_an_expired_or_missing_decision_with_a_valid_token_is_404(make_app, tmp_path):
    app = make_app()
    client = app.test_client()
    created = decide(client).get_json()
    # The store loses the decision (e.g. purged after expiry elsewhere): the token alone proves nothing.
    with contextlib.closing(sqlite3.connect(tmp_path / "consents.db")) as db, db:
        db.execute("DELETE FROM consents")
    response = client.get(f"/v1/sites/{AMEX}/consents/{created['visitor_id']}", headers=bearer(created["token"]))
    assert response.status_code == 404
    assert response.get_json()["error"] == "no_consent"
