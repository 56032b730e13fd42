"""The scan index as the console's pages read it: opened once per request, beside the store."""

from flask import current_app, g

from ..store.scans import scan_index_from_url


def scan_index():
    """This request's scan index, closed when the request ends."""
    if "scan_index" not in g:
        g.scan_index = scan_index_from_url(current_app.extensions["cmp.store_url"])
    return g.scan_index


def close(_exc=None):
    index = g.pop("scan_index", None)
    if index is not None:
        index.close()


def latest(site_id):
    """The site's latest scan as readers see it (a lost worker's scan reads failed), or None."""
    found = scan_index().list(site_id, limit=1)
    return found[0].current() if found else None
