"""Which URLs the crawler treats as one page, as the same site, as a download; first or third party."""

import subprocess
import sys

import pytest

from scanner import urls


def test_two_spellings_of_one_page_normalise_to_one_url():
    assert urls.normalize("HTTP://Shop.Example:80/a/../b?z=1&a=2#top") == "http://shop.example/b?a=2&z=1"
    assert urls.normalize("https://shop.example") == "https://shop.example/"
    assert urls.normalize("/c?y=2&x=1", "http://127.0.0.1:5000/a") == "http://127.0.0.1:5000/c?x=1&y=2"
    assert urls.normalize("#team", "http://127.0.0.1:5000/a") == "http://127.0.0.1:5000/a"


def test_links_that_are_not_web_pages_are_dropped():
    for href in ("mailto:contact@example.com", "javascript:void(0)", "tel:+33100000000", "ftp://x/y"):
        assert urls.normalize(href, "http://shop.example/") is None


def test_same_site_means_same_host_and_port_with_or_without_www():
    assert urls.same_site("https://www.shop.example/a", "https://shop.example/")
    assert not urls.same_site("https://blog.shop.example/", "https://shop.example/")
    assert not urls.same_site("http://127.0.0.1:5001/", "http://127.0.0.1:5000/")


def test_file_links_are_downloads_not_pages():
    assert urls.is_download("https://shop.example/files/Guide.PDF")
    assert urls.is_download("https://shop.example/export.csv?x=1")
    assert not urls.is_download("https://shop.example/products/shoes.html")
    assert not urls.is_download("https://shop.example/v1.2/")


def test_party_compares_registrable_domains():
    assert urls.party(".shop.example.co.uk", "https://www.shop.example.co.uk/") == "first"
    assert urls.party("static.shop.example", "https://shop.example/") == "first"
    assert urls.party(".doubleclick.net", "https://shop.example/") == "third"
    assert urls.party("localhost", "http://127.0.0.1:5000/") == "third"
    assert urls.party("127.0.0.1", "http://127.0.0.1:5000/") == "first"


@pytest.mark.parametrize(
    "host, site",
    [
        # Hosting platforms are public suffixes (the list's private section): each tenant is a site.
        ("shop.azurewebsites.net", "shop.azurewebsites.net"),
        ("cdn.shop.azurewebsites.net", "shop.azurewebsites.net"),
        ("x.github.io", "x.github.io"),
        ("azurewebsites.net", "azurewebsites.net"),
        ("github.io", "github.io"),
        # Two-label public suffixes of countries and administrations.
        ("a.example.co.uk", "example.co.uk"),
        ("www.service-public.gouv.fr", "service-public.gouv.fr"),
        ("shop.example.com.au", "example.com.au"),
        # The jar's spelling of a Domain cookie, and hosts that are sites of their own.
        (".Tracker.Example.COM", "example.com"),
        ("localhost", "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
    ],
)
def test_the_registrable_domain_comes_from_the_public_suffix_list(host, site):
    assert urls.registrable_domain(host) == site


def test_tenants_of_a_hosting_platform_are_third_parties_to_each_other_and_to_the_platform():
    assert urls.party("shop.azurewebsites.net", "https://x.github.io/") == "third"
    assert urls.party("shop.azurewebsites.net", "https://azurewebsites.net/") == "third"
    assert urls.party("azurewebsites.net", "https://shop.azurewebsites.net/") == "third"
    assert urls.party(".x.github.io", "https://y.github.io/") == "third"
    assert urls.party("github.io", "https://x.github.io/") == "third"
    assert urls.party("cdn.shop.azurewebsites.net", "https://shop.azurewebsites.net/") == "first"


def test_subdomains_of_one_domain_under_a_two_label_suffix_are_one_site():
    assert urls.party("a.example.co.uk", "https://b.example.co.uk/") == "first"
    assert urls.party("a.example.co.uk", "https://b.other.co.uk/") == "third"


def test_the_public_suffix_list_is_read_from_the_package_without_any_network_access():
    # A fresh interpreter, so the list is parsed here, with every way out to the network cut.
    code = (
        "import socket\n"
        "def no_network(*args, **kwargs):\n"
        "    raise SystemExit('the Public Suffix List must not be fetched')\n"
        "socket.socket.connect = socket.create_connection = socket.getaddrinfo = no_network\n"
        "from scanner import urls\n"
        "print(urls.registrable_domain('a.b.example.co.uk'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "example.co.uk\n", "")


def test_sitemap_locations_and_indexes_are_read():
    sitemap = """<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc> https://shop.example/a?x=1&amp;y=2 </loc></url><url><loc><![CDATA[https://shop.example/b]]></loc></url>
    </urlset>"""
    assert urls.sitemap_locations(sitemap) == ["https://shop.example/a?x=1&y=2", "https://shop.example/b"]
    assert not urls.is_sitemap_index(sitemap)
    assert urls.is_sitemap_index('<sitemapindex xmlns="x"><sitemap><loc>https://s/1.xml</loc></sitemap></sitemapindex>')
