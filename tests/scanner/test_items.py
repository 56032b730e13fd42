"""Merging observations of the three phases into one item per kind, name and domain."""

import asyncio

from scanner.collect import Collector
from scanner.items import JS_WRITE_IGNORED, build_items

from .helpers import SITE_URL, T0, jar, storage, write


def only(items):
    assert len(items) == 1
    return items[0]


def test_an_item_records_where_how_and_for_how_long_it_was_set():
    found = only(
        build_items(
            [
                write("_ga=GA1; Max-Age=63072000; Path=/; SameSite=Lax", at=T0, page="https://shop.example/a"),
                jar("_ga", T0 + 400 * 86400, at=T0 + 2),
            ],
            SITE_URL,
        )
    )
    assert (found.name, found.kind, found.domain, found.party, found.phases) == (
        "_ga",
        "cookie",
        "shop.example",
        "first",
        ["before"],
    )
    assert (found.first_seen_url, found.set_by, found.initiator) == (
        "https://shop.example/a",
        "js",
        "https://shop.example/app.js",
    )
    assert (found.requested_lifetime_s, found.stored_lifetime_s) == (63072000, 400 * 86400)
    assert (found.secure, found.http_only, found.same_site, found.stored, found.blocked_reasons) == (
        False,
        False,
        "Lax",
        True,
        [],
    )


def test_the_first_sighting_is_the_earliest_in_phase_order():
    found = only(
        build_items(
            [
                write("a=1", phase="accept", at=T0, page="https://shop.example/accept-page"),
                write(
                    "a=1",
                    phase="refuse",
                    at=T0 + 5,
                    page="https://shop.example/refuse-page",
                    how="http",
                    initiator="https://shop.example/refuse-page",
                ),
            ],
            SITE_URL,
        )
    )
    assert found.phases == ["refuse", "accept"]
    assert (found.first_seen_url, found.set_by) == ("https://shop.example/refuse-page", "http")


def test_a_deletion_is_not_a_presence_but_what_the_jar_still_holds_is():
    deleted = build_items([write("_pk_id.1=; Max-Age=0", phase="refuse")], SITE_URL)
    assert deleted == []
    left_behind = only(
        build_items(
            [
                write("promo=1; Max-Age=600", phase="before", at=T0),
                jar("promo", T0 + 600, phase="refuse", at=T0 + 3),
            ],
            SITE_URL,
        )
    )
    assert left_behind.phases == ["before", "refuse"]


def test_the_longest_requested_lifetime_is_the_one_reported():
    found = only(build_items([write("a=1", at=T0), write("a=1; Max-Age=7200", at=T0 + 1)], SITE_URL))
    assert found.requested_lifetime_s == 7200


def test_the_stored_lifetime_is_counted_from_the_last_write_before_the_snapshot():
    found = only(
        build_items(
            [
                write("a=1; Max-Age=3600", at=T0),
                write("a=1; Max-Age=3600", at=T0 + 100),
                jar("a", T0 + 100 + 3600, at=T0 + 101),
            ],
            SITE_URL,
        )
    )
    assert found.stored_lifetime_s == 3600


def test_a_cookie_the_browser_refused_is_reported_with_the_reason():
    found = only(
        build_items(
            [
                write(
                    "tp=1; Max-Age=60",
                    how="http",
                    initiator="https://ads.example/px",
                    host="ads.example",
                    blocked=["ThirdPartyPhaseout"],
                ),
            ],
            SITE_URL,
        )
    )
    assert (found.party, found.stored, found.blocked_reasons, found.stored_lifetime_s) == (
        "third",
        False,
        ["ThirdPartyPhaseout"],
        None,
    )


def test_a_script_write_the_jar_never_shows_was_ignored_by_the_browser():
    found = only(build_items([write("tp=1; Secure; SameSite=None", host="ads.example")], SITE_URL))
    assert (found.stored, found.blocked_reasons) == (False, [JS_WRITE_IGNORED])


def test_a_cookie_only_seen_in_the_jar_has_its_stored_lifetime_as_requested():
    found = only(build_items([jar("legacy", T0 + 1 + 86400, at=T0 + 1)], SITE_URL))
    assert (found.set_by, found.initiator, found.requested_lifetime_s, found.stored_lifetime_s) == (
        None,
        None,
        86400,
        86400,
    )
    assert (found.secure, found.http_only, found.same_site) == (False, False, "Lax")


def test_storage_items_have_no_lifetime_and_are_listed_after_cookies():
    items = build_items(
        [
            storage("ppms_webstorage", how="js", initiator="https://shop.example/tag.js"),
            storage("ppms_webstorage", phase="accept"),
            storage("tab", kind="sessionStorage"),
            write("a=1"),
        ],
        SITE_URL,
    )
    assert [(i.kind, i.name) for i in items] == [
        ("cookie", "a"),
        ("localStorage", "ppms_webstorage"),
        ("sessionStorage", "tab"),
    ]
    local = items[1]
    assert (local.phases, local.set_by, local.initiator, local.requested_lifetime_s, local.secure) == (
        ["before", "accept"],
        "js",
        "https://shop.example/tag.js",
        None,
        None,
    )


def test_until_the_banner_is_answered_a_phase_observes_the_no_decision_state():
    collector = Collector("refuse")
    fields = dict(kind="cookie", name="a", domain="shop.example", page_url=SITE_URL, at=T0)
    collector.add(**fields)
    collector.decided = True
    collector.add(**fields)
    assert [o.phase for o in collector.observations] == ["before", "refuse"]
    assert Collector("before").decided is True


def test_cookies_we_injected_for_an_authenticated_scan_are_left_out_of_snapshots():
    class Context:
        async def cookies(self):
            return [
                {"name": "auth", "domain": "shop.example", "expires": -1},
                {"name": "sid", "domain": "shop.example", "expires": -1},
            ]

    class Page:
        frames = []

    collector = Collector("before", ignored={("cookie", "auth", "shop.example")})
    asyncio.run(collector.snapshot(Context(), Page(), SITE_URL))
    assert [o.name for o in collector.observations] == ["sid"]


def test_the_page_that_set_an_item_is_where_it_was_first_seen_even_if_another_tab_saw_it_stored_first():
    # Tab 1 loads /deep, whose response sets the cookie; tab 2's snapshot on /other holds it
    # before the header's event reached us.
    found = only(
        build_items(
            [
                jar("cart", T0 + 7200, at=T0 + 0.2, page="https://shop.example/other"),
                write(
                    "cart=1; Max-Age=7200",
                    how="http",
                    at=T0 + 0.3,
                    page="https://shop.example/deep",
                    initiator="https://shop.example/deep",
                ),
            ],
            SITE_URL,
        )
    )
    assert (found.first_seen_url, found.initiator) == ("https://shop.example/deep", "https://shop.example/deep")
    assert found.stored_lifetime_s == 7200  # measured from the write, late event and all


def test_a_domain_cookie_the_browser_stored_host_only_is_one_item_under_the_jars_domain():
    # Chromium keeps "Domain=<the host>" host-only when the host is an IP address or a public suffix.
    found = only(
        build_items(
            [
                write("ip=1; Domain=.127.0.0.1", how="http", host="127.0.0.1"),
                jar("ip", -1, domain="127.0.0.1"),
            ],
            SITE_URL,
        )
    )
    assert (found.domain, found.set_by, found.stored) == ("127.0.0.1", "http", True)


def test_an_internationalised_domain_attribute_is_one_item_under_its_ascii_form():
    found = only(
        build_items(
            [
                write("a=1; Domain=bücher.example", how="http", host="www.xn--bcher-kva.example"),
                jar("a", -1, domain=".xn--bcher-kva.example"),
            ],
            SITE_URL,
        )
    )
    assert (found.domain, found.set_by) == (".xn--bcher-kva.example", "http")


def test_a_write_whose_host_is_unknown_joins_the_only_cookie_of_its_name_in_the_jar():
    found = only(build_items([write("a=1", host=""), jar("a", -1, domain="shop.example")], SITE_URL))
    assert (found.domain, found.party, found.set_by) == ("shop.example", "first", "js")


def test_a_refused_line_keeps_the_domain_it_asked_for_beside_the_stored_cookie_of_that_name():
    items = build_items(
        [
            write("a=1; Domain=other.example", how="http", blocked=["InvalidDomain"]),
            write("a=2", how="http"),
            jar("a", -1, domain="shop.example"),
        ],
        SITE_URL,
    )
    assert [(i.domain, i.party, i.stored, i.blocked_reasons) for i in items] == [
        ("shop.example", "first", True, []),
        (".other.example", "third", False, ["InvalidDomain"]),
    ]


def test_a_write_under_another_domain_than_the_jars_is_not_merged_into_it():
    # The browser ignored a script's write for another site: it is not the jar's host cookie.
    items = build_items([write("a=1; Domain=other.example"), jar("a", -1, domain="shop.example")], SITE_URL)
    assert [(i.domain, i.stored, i.blocked_reasons) for i in items] == [
        ("shop.example", True, []),
        (".other.example", False, [JS_WRITE_IGNORED]),
    ]


def test_a_set_cookie_refusal_is_matched_to_its_line_whatever_the_surrounding_blanks():
    collector = Collector("before")
    handlers = {}

    class Session:
        def on(self, name, handler):
            handlers[name] = handler

        async def send(self, method):
            pass

    class Context:
        async def new_cdp_session(self, page):
            return Session()

    asyncio.run(collector.attach(Context(), page=None))
    # The response's extra info may come before its request: it waits for the URL.
    handlers["Network.responseReceivedExtraInfo"](
        {
            "requestId": "7",
            "headers": {"Set-Cookie": "x=1; Domain=other.example \ny=2"},
            "blockedCookies": [{"cookieLine": "x=1; Domain=other.example", "blockedReasons": ["InvalidDomain"]}],
        }
    )
    assert collector.observations == []
    handlers["Network.requestWillBeSent"]({"requestId": "7", "request": {"url": "https://shop.example/p"}})
    assert [(o.name, o.domain, o.blocked, o.initiator) for o in collector.observations] == [
        ("x", ".other.example", ("InvalidDomain",), "https://shop.example/p"),
        ("y", "shop.example", (), "https://shop.example/p"),
    ]
