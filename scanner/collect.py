"""Everything the browser shows us about cookies and storage, as :class:`Observation` records:
Set-Cookie headers (raw, with the browser's refusals), script writes, and snapshots of the
cookie jar and of each frame's storage. One :class:`Collector` per phase."""

import logging
import time
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

from . import setcookie

log = logging.getLogger("scanner")
BINDING = "__cmpScanReport"

# Kinds of storage a site can deposit besides cookies, as the inventory names them.
STORAGE_KINDS = ("localStorage", "sessionStorage", "indexedDB", "cacheStorage", "serviceWorker")
# Each asynchronous listing is given this long: a frame whose storage never answers is skipped.
_LISTING_TIMEOUT_MS = 1000
_STORAGE_KEYS_JS = """async (timeoutMs) => {
  const keys = (name) => { try { return Object.keys(window[name]); } catch (e) { return []; } };
  const listed = async (list) => {
    try {
      const late = new Promise((resolve) => setTimeout(() => resolve([]), timeoutMs));
      return (await Promise.race([list(), late])) || [];
    } catch (e) { return []; }
  };
  const worker = (r) => r.active || r.waiting || r.installing;
  return {origin: location.origin, host: location.hostname,
          localStorage: keys("localStorage"), sessionStorage: keys("sessionStorage"),
          indexedDB: await listed(async () => (await indexedDB.databases()).map((d) => d.name)),
          cacheStorage: await listed(() => caches.keys()),
          serviceWorker: await listed(async () => (await navigator.serviceWorker.getRegistrations())
            .map((r) => new URL(worker(r) ? worker(r).scriptURL : r.scope).pathname))};
}"""


def hooks_script():
    return (resources.files("scanner") / "hooks.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Observation:
    kind: str  # cookie or one of STORAGE_KINDS
    name: str
    domain: str
    phase: str  # "before" until the banner is answered, then the phase's own name
    page_url: str  # the page being visited
    at: float  # epoch seconds
    how: str | None = None  # "http" or "js" for a write; None for a jar or storage snapshot
    initiator: str | None = None  # the response URL (http) or the script URL (js)
    write: setcookie.CookieWrite | None = None
    blocked: tuple = ()  # the browser's reasons for refusing to store it
    stored_expires: float | None = None  # jar snapshots: epoch seconds, -1 for a session cookie
    stored_flags: tuple | None = None  # jar snapshots: (secure, http_only, same_site)
    path: str | None = None  # cookies: the path the cookie is set for (same name, other path: another cookie)


class Collector:
    """Gathers observations for one phase; ``decided`` flips once the banner has been answered."""

    def __init__(self, phase, ignored=()):
        self.phase = phase
        self.decided = phase == "before"
        self.observations = []
        self.on_new = None  # called with each observation (progress display)
        self._ignored = set(ignored)  # (kind, name, domain) we injected: not the site's doing
        self._page_urls = {}

    def add(self, **fields):
        # Until the banner is answered, the refuse and accept phases see the "no decision" state.
        obs = Observation(phase=self.phase if self.decided else "before", **fields)
        self.observations.append(obs)
        if self.on_new:
            self.on_new(obs)

    def visit(self, page, url):
        """``page`` is now visiting ``url``: what it observes is attributed to that URL."""
        self._page_urls[page] = url

    async def attach(self, context, page):
        """Listen to the raw network traffic of ``page`` (all its frames: site isolation is off)."""
        urls, waiting = {}, {}
        cdp = await context.new_cdp_session(page)

        def request_sent(event):
            urls[event["requestId"]] = event["request"]["url"]
            if event["requestId"] in waiting:
                extra_info(waiting.pop(event["requestId"]))

        def extra_info(event):
            lines = setcookie.header_lines(event.get("headers", {}))
            if not lines:
                return
            if event["requestId"] not in urls:
                # DevTools may send a response's extra info before its request: without the
                # URL, the host a host-only cookie belongs to is unknown. Wait for the request.
                waiting[event["requestId"]] = event
                return
            blocked = {}
            for entry in event.get("blockedCookies", []):
                blocked.setdefault(entry.get("cookieLine", "").strip(), entry.get("blockedReasons", []))
            response_url = urls[event["requestId"]]
            host = urlsplit(response_url).hostname or ""
            url_path = urlsplit(response_url).path
            date = setcookie.header(event.get("headers", {}), "date")
            now = time.time()
            for line in lines:
                write = setcookie.parse(line, host, now, date, url_path=url_path)
                if write is None:
                    continue
                self.add(
                    kind="cookie",
                    name=write.name,
                    domain=write.domain,
                    page_url=self._page_urls.get(page, response_url),
                    at=now,
                    how="http",
                    initiator=response_url,
                    write=write,
                    blocked=tuple(blocked.get(line.strip(), ())),
                    path=write.path,
                )

        cdp.on("Network.requestWillBeSent", request_sent)
        cdp.on("Network.responseReceivedExtraInfo", extra_info)
        await cdp.send("Network.enable")
        return cdp

    def binding(self, source, event):
        """Called from :file:`hooks.js` in any frame for a script's cookie or storage write."""
        page_url = self._page_urls.get(source.get("page"), source["frame"].url)
        at = event.get("at", time.time() * 1000) / 1000
        # The document's origin, not the frame's URL: an about:blank or srcdoc frame writes
        # under its parent's origin. A frame whose script does not answer falls back to its URL.
        origin = event.get("origin") or source["frame"].url
        if event.get("type") == "cookie":
            host = urlsplit(origin).hostname or ""
            write = setcookie.parse(event.get("line", ""), host, at, url_path=event.get("path"))
            if write is not None:
                self.add(
                    kind="cookie",
                    name=write.name,
                    domain=write.domain,
                    page_url=page_url,
                    at=at,
                    how="js",
                    initiator=event.get("script"),
                    write=write,
                    path=write.path,
                )
        elif event.get("type") == "storage" and event.get("kind") in STORAGE_KINDS:
            host = urlsplit(origin).hostname or ""
            self.add(
                kind=event["kind"],
                name=event.get("key", ""),
                domain=host,
                page_url=page_url,
                at=at,
                how="js",
                initiator=event.get("script"),
            )

    async def snapshot(self, context, page, page_url):
        """Record what is stored now: the context's cookie jar and the storage of every frame."""
        now = time.time()
        for cookie in await context.cookies():
            if ("cookie", cookie["name"], cookie["domain"]) in self._ignored:
                continue
            self.add(
                kind="cookie",
                name=cookie["name"],
                domain=cookie["domain"],
                page_url=page_url,
                at=now,
                stored_expires=cookie.get("expires", -1),
                stored_flags=(cookie.get("secure", False), cookie.get("httpOnly", False), cookie.get("sameSite")),
                path=cookie.get("path", "/"),
            )
        for frame in page.frames:
            try:
                found = await frame.evaluate(_STORAGE_KEYS_JS, _LISTING_TIMEOUT_MS)
            except Exception as exc:
                log.debug("storage of %s not readable: %s", frame.url, exc)
                continue
            if not found or not found.get("host"):
                continue
            for kind in STORAGE_KINDS:
                for key in found.get(kind) or []:
                    if (kind, key, found["host"]) in self._ignored:
                        continue
                    self.add(kind=kind, name=key, domain=found["host"], page_url=page_url, at=now)

    def forget(self, page):
        self._page_urls.pop(page, None)
