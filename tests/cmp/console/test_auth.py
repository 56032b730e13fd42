"""Signing in to the console: the login form, sessions, CSRF, throttling and the audit trail."""

import datetime as dt

from cmp import clock

from .helpers import PASSWORD, audit_actions, csrf_token, login


def test_an_unauthenticated_request_to_any_console_page_redirects_to_the_login(browser_client):
    for path in ("/console/", "/console/sites/milleis", "/console/audit", "/console/sites/milleis/inventory"):
        response = browser_client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/console/login?next=")


def test_the_right_password_signs_in_and_goes_where_the_person_was_going(browser_client, console_app):
    browser_client.get("/console/sites/milleis")
    token = csrf_token(browser_client)
    response = browser_client.post(
        "/console/login?next=/console/sites/milleis",
        data={"email": "Editor@Example.org ", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/console/sites/milleis"
    assert browser_client.get("/console/sites/milleis").status_code == 200
    assert audit_actions(console_app) == [("editor@example.org", "login", "")]


def test_the_session_cookie_is_httponly_samesite_lax_and_secure(browser_client):
    response = login(browser_client, "admin@example.org")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("cmp_console=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_a_wrong_password_is_refused_and_audited(browser_client, console_app):
    response = login(browser_client, "admin@example.org", "wrong password!!")
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    assert browser_client.get("/console/").status_code == 302
    assert audit_actions(console_app) == [("admin@example.org", "login_failed", "")]


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(browser_client):
    response = login(browser_client, "nobody@example.org")
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(browser_client, console_app):
    refused = browser_client.post("/console/login", data={"email": "admin@example.org", "password": PASSWORD})
    assert refused.status_code == 400
    assert browser_client.get("/console/").status_code == 302  # not signed in
    login(browser_client, "admin@example.org")
    refused = browser_client.post(
        "/console/users", data={"email": "new@example.org", "password": PASSWORD, "role": "admin", "sites": ""}
    )
    assert refused.status_code == 400
    assert [u.email for u in console_app.extensions["cmp.store"].users.all()] == [
        "admin@example.org",
        "editor@example.org",
        "viewer@example.org",
    ]
    assert browser_client.post("/console/logout").status_code == 400
    assert browser_client.get("/console/").status_code == 200  # still signed in


def test_failed_logins_are_throttled_per_account(browser_client):
    for _ in range(5):
        assert login(browser_client, "admin@example.org", "wrong password!!").status_code == 401
    throttled = login(browser_client, "admin@example.org")  # even the right password, for now
    assert throttled.status_code == 429
    assert login(browser_client, "editor@example.org").status_code == 302  # other accounts are not locked
    clock.travel(dt.timedelta(minutes=15))
    assert login(browser_client, "admin@example.org").status_code == 302


def test_failed_logins_are_throttled_per_address_across_accounts(browser_client):
    for n in range(20):
        login(browser_client, f"guess{n}@example.org", "wrong password!!")
    assert login(browser_client, "admin@example.org").status_code == 429


def test_a_session_ends_after_the_idle_time(browser_client):
    login(browser_client, "admin@example.org")
    clock.travel(dt.timedelta(minutes=29))
    assert browser_client.get("/console/").status_code == 200
    clock.travel(dt.timedelta(minutes=31))
    response = browser_client.get("/console/")
    assert response.status_code == 302
    follow = browser_client.get(response.headers["Location"])
    assert "Votre session a expiré" in follow.get_data(as_text=True)


def test_logout_ends_the_session_and_is_audited(browser_client, console_app):
    login(browser_client, "admin@example.org")
    token = csrf_token(browser_client, "/console/")
    assert browser_client.post("/console/logout", data={"csrf_token": token}).status_code == 302
    assert browser_client.get("/console/").status_code == 302
    assert audit_actions(console_app)[-1] == ("admin@example.org", "logout", "")


def test_a_removed_user_is_signed_out_at_the_next_request(browser_client, console_app):
    login(browser_client, "viewer@example.org")
    console_app.extensions["cmp.store"].users.remove("viewer@example.org")
    assert browser_client.get("/console/").status_code == 302


def test_next_never_leads_to_another_site(browser_client):
    token = csrf_token(browser_client)
    response = browser_client.post(
        "/console/login?next=//evil.example/console/",
        data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/console/"


def test_console_pages_have_a_strict_csp_and_no_cors_headers(browser_client):
    response = browser_client.get("/console/login", headers={"Origin": "https://amex.europ-assistance.fr"})
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert not [name for name, _ in response.headers if name.startswith("Access-Control-")]


def test_console_pages_are_never_cached_nor_shared_between_sessions(browser_client):
    response = browser_client.get("/console/login")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Cookie" in response.vary


def test_the_console_speaks_english_when_asked_and_remembers_it(browser_client):
    assert "<h1>Log in</h1>" in browser_client.get("/console/login?lang=en").get_data(as_text=True)
    assert "<h1>Log in</h1>" in browser_client.get("/console/login").get_data(as_text=True)
    page = browser_client.get("/console/login", headers={"Accept-Language": "en"})
    assert 'lang="en"' in page.get_data(as_text=True)
