"""Which URLs the crawler visits: normalisation, same-site and download tests, sitemap parsing,
and the first/third-party test for domains."""

import functools
import html
import ipaddress
import posixpath
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from publicsuffixlist import PublicSuffixList

# Links to these are files to download, not pages to scan.
DOWNLOAD_EXTENSIONS = frozenset(
    {"pdf", "zip", "gz", "tgz", "bz2", "xz", "7z", "rar", "tar", "dmg", "exe", "msi", "apk", "iso", "bin"}
    | {"csv", "tsv", "xls", "xlsx", "ods", "doc", "docx", "odt", "ppt", "pptx", "odp", "rtf", "txt", "xml", "json"}
    | {"jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff"}
    | {"mp3", "mp4", "m4a", "m4v", "mov", "avi", "mkv", "webm", "wav", "ogg", "flac"}
    | {"ics", "vcf", "eml", "epub"}
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


@functools.cache
def _public_suffixes():
    # The snapshot bundled with the package, parsed once: publicsuffixlist only downloads a newer
    # list when its ``update`` module is run, which a scan never does (results stay reproducible).
    return PublicSuffixList()


def registrable_domain(host):
    """The site a host belongs to: its registrable domain under the Public Suffix List, private
    section included (``a.example.co.uk`` -> ``example.co.uk``, ``x.github.io`` -> ``x.github.io``).

    A host that is itself a public suffix (``github.io``, ``localhost``), an IP address or a single
    label is a site of its own.
    """
    host = host.lower().strip(".").strip("[]")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _public_suffixes().privatesuffix(host) or host


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
