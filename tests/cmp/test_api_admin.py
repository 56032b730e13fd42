"""Compliance endpoints: export the proof-of-consent log, prove one visitor's consent."""

import csv
import datetime as dt
import io
import json
import logging

import pytest

from cmp import clock
from cmp.api.admin import CSV_COLUMNS

from .helpers import AMEX, CHOICES_ALL, CHOICES_NONE, decide

ADMIN = {"Authorization": "Bearer test-admin-key"}


def test_admin_endpoints_need_the_admin_key(client):
    response = client.get(f"/v1/admin/sites/{AMEX}/proofs")
    assert response.status_code == 401
    assert response.get_json()["error"] == "admin_key_required"
    wrong = client.get(f"/v1/admin/sites/{AMEX}/proofs", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_admin_endpoints_are_off_without_a_configured_key(make_app):
    client = make_app(ADMIN_API_KEY="").test_client()
    response = client.get(f"/v1/admin/sites/{AMEX}/proofs", headers=ADMIN)
    assert response.status_code == 403
    assert response.get_json()["error"] == "admin_disabled"


def test_the_proof_log_exports_as_ndjson_for_a_date_range(client):
    clock.set_offset(0)
    old = decide(client, CHOICES_ALL).get_json()
    clock.travel(dt.timedelta(days=3))
    recent = decide(client, CHOICES_NONE).get_json()
    day = clock.now().date().isoformat()
    response = client.get(f"/v1/admin/sites/{AMEX}/proofs?from={day}&to={day}", headers=ADMIN)
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [line["visitor_id"] for line in lines] == [recent["visitor_id"]]
    assert lines[0]["choices"] == {"necessary": True, **CHOICES_NONE}
    assert lines[0]["ip"] == "127.0.0.0"
    assert set(lines[0]) >= {
        "site",
        "revision",
        "text_version",
        "lang",
        "source",
        "action",
        "decided_at",
        "expires_at",
        "user_agent",
        "services",
    }
    everything = client.get(f"/v1/admin/sites/{AMEX}/proofs", headers=ADMIN).get_data(as_text=True)
    assert [json.loads(x)["visitor_id"] for x in everything.splitlines()] == [old["visitor_id"], recent["visitor_id"]]


def test_the_proof_log_exports_as_csv_with_refusals(client):
    decide(client, CHOICES_NONE)
    response = client.get(f"/v1/admin/sites/{AMEX}/proofs?format=csv", headers=ADMIN)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    assert json.loads(rows[0]["choices"]) == {"necessary": True, **CHOICES_NONE}
    assert rows[0]["source"] == "banner"


def test_a_bad_export_range_or_format_is_400_naming_it(client):
    for query, field in (
        ("from=yesterday", "from"),
        ("to=2020-13-45", "to"),
        ("format=xml", "format"),
    ):
        response = client.get(f"/v1/admin/sites/{AMEX}/proofs?{query}", headers=ADMIN)
        assert response.status_code == 400, query
        assert (response.get_json()["error"], response.get_json()["field"]) == ("invalid", field)


def test_an_unknown_query_parameter_is_400_naming_it(client):
    response = client.get(f"/v1/admin/sites/{AMEX}/proofs?form=2026-01-01", headers=ADMIN)
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid",
        "message": "unknown query parameter; this endpoint takes from, to, format",
        "field": "form",
    }


def test_an_inverted_range_exports_nothing(client):
    decide(client)
    response = client.get(f"/v1/admin/sites/{AMEX}/proofs?from=2026-02-01&to=2026-01-01&format=csv", headers=ADMIN)
    assert response.status_code == 200
    assert response.get_data(as_text=True).splitlines() == [",".join(CSV_COLUMNS)]


def test_prove_this_visitor_consented(client):
    first = decide(client, CHOICES_NONE, lang="en").get_json()
    second = decide(
        client, CHOICES_ALL, token=first["token"], visitor_id=first["visitor_id"], source="panel"
    ).get_json()
    response = client.get(f"/v1/admin/sites/{AMEX}/visitors/{first['visitor_id']}", headers=ADMIN)
    body = response.get_json()
    assert body["current"]["choices"] == second["choices"]
    assert body["current"]["decided_at"] == second["decided_at"]
    assert [d["source"] for d in body["decisions"]] == ["banner", "panel"]
    assert [d["choices"]["advertising"] for d in body["decisions"]] == [False, True]


def test_an_unknown_visitor_has_no_current_decision_and_no_history(client):
    body = client.get(f"/v1/admin/sites/{AMEX}/visitors/unknown-visitor-0001", headers=ADMIN).get_json()
    assert body == {"site": AMEX, "visitor_id": "unknown-visitor-0001", "current": None, "decisions": [], "shown": {}}


def test_the_proof_gives_the_exact_texts_each_decision_was_shown(client):
    fr = decide(client, CHOICES_NONE, lang="fr").get_json()
    decide(client, CHOICES_ALL, token=fr["token"], visitor_id=fr["visitor_id"], lang="en")
    body = client.get(f"/v1/admin/sites/{AMEX}/visitors/{fr['visitor_id']}", headers=ADMIN).get_json()
    versions = [d["text_version"] for d in body["decisions"]]
    assert body["shown"][versions[0]] == client.get(f"/v1/sites/{AMEX}/banner?lang=fr").get_json()
    assert body["shown"][versions[1]]["banner"]["title"] == "Your cookie choices"


def test_texts_shown_stay_provable_after_the_inventory_changes(make_app, tmp_path):
    from pathlib import Path

    import inventory

    source = (Path(inventory.__file__).parent / "sites" / "amex-portal.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "sites"
    folder.mkdir()
    (folder / "amex-portal.yaml").write_text(source, encoding="utf-8")
    before = make_app(INVENTORY_DIR=str(folder)).test_client()
    created = decide(before, CHOICES_ALL).get_json()
    old_title = before.get(f"/v1/sites/{AMEX}/banner").get_json()["banner"]["title"]

    (folder / "amex-portal.yaml").write_text(source.replace(old_title, "Nouveaux choix"), encoding="utf-8")
    after = make_app(INVENTORY_DIR=str(folder)).test_client()
    assert after.get(f"/v1/sites/{AMEX}/banner").get_json()["banner"]["title"] == "Nouveaux choix"
    proof = after.get(f"/v1/admin/sites/{AMEX}/visitors/{created['visitor_id']}", headers=ADMIN).get_json()
    (version,) = proof["shown"]
    assert proof["shown"][version]["banner"]["title"] == old_title
    archived = after.get(f"/v1/admin/sites/{AMEX}/shown/{version}", headers=ADMIN)
    assert archived.get_json() == proof["shown"][version]


def test_an_unknown_text_version_is_404(client):
    response = client.get(f"/v1/admin/sites/{AMEX}/shown/0000000000000000", headers=ADMIN)
    assert response.status_code == 404
    assert response.get_json()["error"] == "unknown_version"


@pytest.mark.parametrize(
    "query, field",
    [
        ("to=9999-12-31", "to"),
        ("from=9999-12-31", "from"),
        ("to=9999-12-31T23:59:59-01:00", "to"),
        ("from=0001-01-01T00:00:00%2B01:00", "from"),
        ("from=1969-12-31", "from"),
    ],
)
def test_a_date_out_of_range_is_400_naming_it_and_logs_no_error(make_app, caplog, query, field):
    response = make_app().test_client().get(f"/v1/admin/sites/{AMEX}/proofs?{query}", headers=ADMIN)
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid",
        "message": "must be between 1970-01-01 and 9998-12-31",
        "field": field,
    }
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_the_last_day_in_range_exports(make_app):
    url = f"/v1/admin/sites/{AMEX}/proofs?from=1970-01-01&to=9998-12-31"
    response = make_app().test_client().get(url, headers=ADMIN)
    assert response.status_code == 200
    expected = 'attachment; filename="amex-portal-proofs-1970-01-01-9998-12-31.ndjson"'
    assert response.headers["Content-Disposition"] == expected
