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
        host="shop.example",
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


def test_a_line_without_a_name_sets_a_nameless_cookie_as_browsers_do():
    assert (setcookie.parse("=value", "h", NOW).name, setcookie.parse("value; Path=/", "h", NOW).name) == ("", "")
    assert setcookie.parse("", "h", NOW) is None
    assert setcookie.parse(" = ; Path=/", "h", NOW) is None


def test_blanks_around_a_name_are_dropped_and_quotes_are_part_of_it():
    assert setcookie.parse(" my cookie =1", "h", NOW).name == "my cookie"
    assert setcookie.parse('"q"=1', "h", NOW).name == '"q"'


def test_quotes_do_not_protect_a_semicolon_and_the_first_equals_sign_ends_the_name():
    write = setcookie.parse('a="x; Max-Age=60; y=z"; HttpOnly', "h", NOW)
    assert (write.name, write.lifetime_s, write.http_only) == ("a", 60, True)
    assert setcookie.parse("a=b=c; Max-Age=5", "h", NOW).name == "a"


def test_attribute_names_and_samesite_values_are_read_in_any_case():
    write = setcookie.parse("a=1; mAx-AgE=60; sEcUrE; HTTPONLY; SameSite=sTrIcT", "h", NOW)
    assert (write.lifetime_s, write.secure, write.http_only, write.same_site) == (60, True, True, "Strict")


def test_the_last_domain_attribute_wins_and_an_empty_one_means_host_only():
    assert setcookie.parse("a=1; Domain=other.example; Domain=Shop.Example", "www.shop.example", NOW).domain == (
        ".shop.example"
    )
    assert setcookie.parse("a=1; Domain=", "www.shop.example", NOW).domain == "www.shop.example"
    assert setcookie.parse("a=1; Domain=..shop.example", "h", NOW).domain == "..shop.example"  # one dot dropped


def test_the_host_a_cookie_was_set_for_is_kept():
    assert setcookie.parse("a=1; Domain=shop.example", "WWW.Shop.Example", NOW).host == "www.shop.example"


def test_old_cookie_date_spellings_are_read():
    assert setcookie.parse_date("Wed, 21-Oct-2026 07:28:00 GMT") == 1792567680.0
    assert setcookie.parse_date("Wed, 21 Oct 2026 07:28:00 GMT") == 1792567680.0
    assert setcookie.parse_date("not a date") is None


def test_repeated_set_cookie_headers_come_joined_by_newlines_from_the_devtools_protocol():
    headers = {"Content-Type": "text/html", "set-cookie": "a=1; Path=/\nb=2; Max-Age=5\n"}
    assert setcookie.header_lines(headers) == ["a=1; Path=/", "b=2; Max-Age=5"]
    assert setcookie.header(headers, "content-type") == "text/html"
