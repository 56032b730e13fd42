"""Reading what a site asked for from a Set-Cookie line or a document.cookie write."""

from scanner import setcookie

NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z


def test_max_age_is_the_requested_lifetime_and_flags_are_read():
    write = setcookie.parse("id=1; Max-Age=63072000; Path=/; Secure; HttpOnly; SameSite=none", "shop.example", NOW)
    assert write == setcookie.CookieWrite(
        name="id",
        domain="shop.example",
        lifetime_s=63072000,
        deletes=False,
        secure=True,
        http_only=True,
        same_site="None",
    )


def test_a_cookie_without_max_age_or_expires_is_a_session_cookie():
    write = setcookie.parse("sid=abc", "shop.example", NOW)
    assert (write.lifetime_s, write.deletes, write.same_site, write.secure) == (None, False, None, False)


def test_a_domain_attribute_gives_the_jar_spelling_with_a_leading_dot():
    assert setcookie.parse("a=1; Domain=Example.COM", "www.example.com", NOW).domain == ".example.com"
    assert setcookie.parse("a=1; domain=.example.com", "www.example.com", NOW).domain == ".example.com"
    assert setcookie.parse("a=1", "WWW.Example.com", NOW).domain == "www.example.com"


def test_expires_is_measured_from_the_servers_date_header():
    line = "a=1; Expires=Sat, 16 Jan 2027 08:00:00 GMT"
    assert setcookie.parse(line, "h", NOW + 5, date_header="Fri, 15 Jan 2027 08:00:00 GMT").lifetime_s == 86400


def test_expires_without_a_date_header_is_measured_from_reception():
    assert setcookie.parse("a=1; expires=Sat, 16-Jan-2027 08:00:00 GMT", "h", NOW).lifetime_s == 86400


def test_max_age_wins_over_expires():
    line = "a=1; Expires=Sat, 16 Jan 2027 08:00:00 GMT; Max-Age=60"
    assert setcookie.parse(line, "h", NOW).lifetime_s == 60


def test_zero_max_age_or_a_past_expiry_deletes_the_cookie():
    assert setcookie.parse("a=; Max-Age=0", "h", NOW).deletes is True
    assert setcookie.parse("a=; expires=Thu, 01 Jan 1970 00:00:00 GMT", "h", NOW).deletes is True


def test_a_line_without_a_name_is_ignored():
    assert setcookie.parse("=value", "h", NOW) is None
    assert setcookie.parse("", "h", NOW) is None


def test_old_cookie_date_spellings_are_read():
    assert setcookie.parse_date("Wed, 21-Oct-2026 07:28:00 GMT") == 1792567680.0
    assert setcookie.parse_date("Wed, 21 Oct 2026 07:28:00 GMT") == 1792567680.0
    assert setcookie.parse_date("not a date") is None


def test_repeated_set_cookie_headers_come_joined_by_newlines_from_the_devtools_protocol():
    headers = {"Content-Type": "text/html", "set-cookie": "a=1; Path=/\nb=2; Max-Age=5\n"}
    assert setcookie.header_lines(headers) == ["a=1; Path=/", "b=2; Max-Age=5"]
    assert setcookie.header(headers, "content-type") == "text/html"
