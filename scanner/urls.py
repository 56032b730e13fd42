"""Which URLs the crawler visits: normalisation, same-site and download tests, sitemap parsing,
and the first/third-party test for domains."""

import html
import ipaddress
import posixpath
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Links to these are files to download, not pages to scan.
DOWNLOAD_EXTENSIONS = frozenset(
    [
        "pdf",
        "zip",
        "gz",
        "tgz",
        "bz2",
        "xz",
        "7z",
        "rar",
        "tar",
        "dmg",
        "exe",
        "msi",
        "apk",
        "iso",
        "bin",
        "csv",
        "tsv",
        "xls",
        "xlsx",
        "ods",
        "doc",
        "docx",
        "odt",
        "ppt",
        "pptx",
        "odp",
        "rtf",
        "txt",
        "xml",
        "json",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "webp",
        "svg",
        "ico",
        "bmp",
        "tif",
        "tiff",
        "mp3",
        "mp4",
        "m4a",
        "m4v",
        "mov",
        "avi",
        "mkv",
        "webm",
        "wav",
        "ogg",
        "flac",
        "ics",
        "vcf",
        "eml",
        "epub",
    ]
)
# Public suffixes with two labels that a site's registrable domain sits under (not a full list:
# enough to tell first from third party on the sites we scan).
_TWO_LABEL_SUFFIXES = frozenset(
    [
        "co.uk",
        "org.uk",
        "gov.uk",
        "ac.uk",
        "me.uk",
        "ltd.uk",
        "plc.uk",
        "com.au",
        "net.au",
        "org.au",
        "gov.au",
        "co.nz",
        "co.jp",
        "ne.jp",
        "or.jp",
        "com.br",
        "com.cn",
        "com.mx",
        "com.tr",
        "co.za",
        "co.in",
        "gouv.fr",
        "asso.fr",
        "nom.fr",
        "com.fr",
        "cci.fr",
        "co.il",
        "com.sg",
        "com.hk",
    ]
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize(url, base=None):
    """The canonical form of ``url`` (resolved against ``base``) or None when it is not http(s).

    Lower-case scheme and host, no default port, no fragment, ``.``/``..`` resolved, an empty
    path as ``/``, query parameters sorted: two spellings of one page become one URL.
    """
    if base is not None:
        url = urljoin(base, url.strip())
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    path = "/" if path in (".", "/", "//") else path.replace("//", "/")
    if trailing and not path.endswith("/"):
        path += "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((scheme, netloc, path, query, ""))


def site_key(url):
    """Host and port that make two URLs the same site to crawl (``www.`` is ignored)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    return host, parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)


def same_site(url, start):
    return site_key(url) == site_key(start)


def is_download(url):
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in DOWNLOAD_EXTENSIONS


def registrable_domain(host):
    """``www.shop.example.co.uk`` -> ``example.co.uk``; IP addresses and single labels stay as they are."""
    host = host.lower().strip(".").strip("[]")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) <= 2:
        return host
    keep = 3 if ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def party(domain, site_url):
    """``first`` when a cookie or storage domain belongs to the scanned site, else ``third``."""
    site_host = urlsplit(site_url).hostname or ""
    return "first" if registrable_domain(domain) == registrable_domain(site_host) else "third"


def sitemap_locations(xml_text):
    """The ``<loc>`` URLs of a sitemap or sitemap index (namespaces and CDATA tolerated)."""
    found = re.findall(r"<(?:\w+:)?loc>\s*(?:<!\[CDATA\[)?\s*(.*?)\s*(?:\]\]>)?\s*</(?:\w+:)?loc>", xml_text, re.S)
    return [html.unescape(u) for u in found if u]


def is_sitemap_index(xml_text):
    return re.search(r"<(?:\w+:)?sitemapindex[\s>]", xml_text) is not None
