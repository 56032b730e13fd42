"""GET /v1/admin/sites/<site>/stats: the counters as the API reads them, and the beacon that
counts banner displays."""

import datetime as dt

import pytest

from cmp import clock

from .helpers import AMEX, CHOICES_ALL, CHOICES_NONE, bearer, decide

ADMIN = {"Authorization": "Bearer test-admin-key"}
PARTIAL = {"audience": True, "performance": False, "advertising": False}


def today():
    return clock.utc_day(clock.now())


def stats(client, site=AMEX, **args):
    args.setdefault("from", today().isoformat())
    args.setdefault("to", today().isoformat())
    return client.get(f"/v1/admin/sites/{site}/stats", query_string=args, headers=ADMIN)


def test_each_decision_counts_once_by_outcome_category_revision_and_day(client, app):
    revision = app.extensions["cmp.sites"][AMEX].revision
    for _ in range(3):
        client.post(f"/v1/sites/{AMEX}/shown")
    decide(client, CHOICES_ALL)
    decide(client, CHOICES_ALL, lang="en")
    decide(client, CHOICES_NONE, source="panel")
    created = decide(client, PARTIAL).get_json()
    client.delete(f"/v1/sites/{AMEX}/consents/{created['visitor_id']}", headers=bearer(created["token"]))
    body = stats(client).get_json()
    totals = {"shown": 3, "accept_all": 2, "refuse_all": 1, "custom": 1, "withdrawn": 1}
    assert body["site"] == AMEX and body["from"] == body["to"] == today().isoformat()
    assert body["totals"] == totals
    assert body["revisions"] == {revision: totals}
    assert body["days"] == [{"date": today().isoformat(), **totals}]
    assert body["categories"] == {
        "necessary": {"granted": 4, "refused": 0},
        "audience": {"granted": 3, "refused": 1},
        "performance": {"granted": 2, "refused": 2},
        "advertising": {"granted": 2, "refused": 2},
    }
    assert body["languages"] == {"fr": 3, "en": 1}
    assert body["sources"] == {"banner": 3, "panel": 1}


def test_days_are_listed_one_by_one_zeros_included_and_counted_on_their_utc_day(client):
    start = today()
    decide(client, CHOICES_ALL)
    clock.travel(dt.timedelta(days=2))
    decide(client, CHOICES_NONE)
    body = stats(client, **{"from": (start - dt.timedelta(days=1)).isoformat()}).get_json()
    assert [(d["date"], d["accept_all"], d["refuse_all"]) for d in body["days"]] == [
        ((start - dt.timedelta(days=1)).isoformat(), 0, 0),
        (start.isoformat(), 1, 0),
        ((start + dt.timedelta(days=1)).isoformat(), 0, 0),
        ((start + dt.timedelta(days=2)).isoformat(), 0, 1),
    ]


def test_the_default_range_is_the_last_30_days(client):
    body = stats(client, **{"from": "", "to": ""}).get_json()
    assert body["to"] == today().isoformat()
    assert len(body["days"]) == 30


def test_csv_gives_the_days(client):
    decide(client, CHOICES_ALL)
    response = stats(client, format="csv")
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == (
        f"date,shown,accept_all,refuse_all,custom,withdrawn\r\n{today().isoformat()},0,1,0,0,0\r\n"
    )


@pytest.mark.parametrize(
    "args, field",
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ({"from": "1990-01-01", "to": "2026-01-01"}, "from"),
        ({"format": "xml"}, "format"),
    ],
)
def test_a_bad_query_is_a_400_naming_the_field(client, args, field):
    response = stats(client, **args)
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_stats_need_the_admin_key_or_a_console_session(client):
    assert client.get(f"/v1/admin/sites/{AMEX}/stats").status_code == 401
    wrong = client.get(f"/v1/admin/sites/{AMEX}/stats", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.get_json()["field"] == "Authorization"


def test_an_unknown_site_is_a_404(client):
    assert stats(client, site="nope").status_code == 404


def test_the_beacon_answers_204_with_nothing_to_identify_the_visitor(client):
    response = client.post(f"/v1/sites/{AMEX}/shown")
    assert response.status_code == 204
    assert response.data == b""
    assert "Set-Cookie" not in response.headers
    assert client.post("/v1/sites/nope/shown").status_code == 404


def test_one_client_cannot_inflate_the_displays_past_the_limit(make_app):
    client = make_app(SHOWN_RATE_LIMIT="3/minute").test_client()
    answers = [client.post(f"/v1/sites/{AMEX}/shown").status_code for _ in range(5)]
    assert answers == [204, 204, 204, 429, 429]
    assert stats(client).get_json()["totals"]["shown"] == 3


def test_the_stats_answer_matches_its_openapi_schema(client):
    from .test_openapi import _validator_for

    decide(client, CHOICES_ALL)
    _validator_for("Stats").validate(stats(client).get_json())
