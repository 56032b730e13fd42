"""Breadth-first crawl of one site within one browser context: same-site links up to a depth
and a page limit, several pages at once, each visited until its network settles, all within
the scan's :class:`~scanner.deadline.Deadline`."""

import asyncio
import logging
import time

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from . import urls

log = logging.getLogger("scanner")
# Playwright calls the network idle after 500 ms without requests; pages that poll forever are
# left after this cap.
NETWORK_IDLE_CAP_S = 5.0
STOPPED_AT_DEADLINE = "stopped at the scan's deadline"
# A page is not started with less time than this left before the deadline (no page loads that
# fast, least of all on a busy machine): it is counted as not visited instead.
MIN_PAGE_TIME_S = 1.0
# A page weighing more than this is named in the report: few real pages do, hostile ones may.
LARGE_PAGE_BYTES = 5 * 1024 * 1024
REDIRECT_LOOP = "ERR_TOO_MANY_REDIRECTS"
SIZE_WAIT_S = 1.0


async def settle(page, since, grace_s, deadline):
    """Wait for the network to go quiet, and at least ``grace_s`` after ``since`` (monotonic)
    for cookies that scripts set on a timer; never past the deadline."""
    try:
        await page.wait_for_load_state("networkidle", timeout=deadline.wait_ms(NETWORK_IDLE_CAP_S))
    except PlaywrightError:
        pass
    remaining = min(since + grace_s - time.monotonic(), deadline.remaining_s())
    if remaining > 0:
        await asyncio.sleep(remaining)


def timeout_message(deadline, allowed_s):
    limit = "--timeout" if allowed_s >= deadline.timeout_s else "the scan's --deadline"
    return f"timed out after {round(allowed_s, 1):g} s ({limit})"


async def load(collector, page, url, options, deadline, step="page"):
    """Load ``url`` in ``page`` (watched by ``collector``) and wait for it to settle; the response.

    A load that runs out of time is recorded in ``deadline`` as ``step`` of the collector's phase
    and raises :class:`PlaywrightTimeoutError` with a message saying which limit it hit.
    """
    collector.visit(page, url)
    allowed = deadline.wait_s()
    try:
        response = await page.goto(url, wait_until="load", timeout=max(1.0, allowed * 1000))
    except PlaywrightTimeoutError as exc:
        deadline.timed_out(step, collector.phase, url, allowed)
        raise PlaywrightTimeoutError(timeout_message(deadline, allowed)) from exc
    await settle(page, time.monotonic(), options.grace_s, deadline)
    return response


async def is_html(response):
    return response is not None and "html" in (await response.header_value("content-type") or "")


async def links(page):
    """Normalised targets of the page's links (main frame: the site's own navigation)."""
    # A plain evaluate: Playwright's selector engine would be injected into every page for this.
    # SVG links keep their target in href.baseVal.
    hrefs = await page.evaluate("""() => Array.from(document.querySelectorAll("a[href]"),
        (e) => typeof e.href === "string" ? e.href : (e.href && e.href.baseVal) || "")""")
    return [u for u in (urls.normalize(h, page.url) for h in hrefs if h) if u]


class Crawler:
    """Visits ``options.url`` and what it links to; ``first_page`` is awaited with the start page.

    ``sitemap`` is a task giving the sitemap's pages: they join the crawl at depth 1, before the
    start page's links, whenever the sitemap arrives. ``start_failure`` is the page entry of a
    start page that already timed out in this phase (answering its banner): it is not loaded
    again, for a site that never answers would cost one more timeout.
    """

    def __init__(
        self,
        context,
        collector,
        options,
        deadline,
        sitemap,
        extra_urls=(),
        progress=None,
        first_page=None,
        tabs=(),
        start_failure=None,
    ):
        self.context, self.collector, self.options, self.deadline = context, collector, options, deadline
        self.phase = collector.phase
        self.start = urls.normalize(options.url)
        self.sitemap = sitemap
        self.extra_urls = extra_urls
        self.progress = progress
        self.first_page = first_page
        self.start_failure = start_failure
        self.pages = []
        self.not_visited = []  # queued when the deadline came
        # Same-site links left out by the crawl's bounds (distinct URLs), and heavy pages.
        self.over_page_limit = set()
        self.over_depth = set()
        self.large_pages = []
        self._in_flight = {}  # url -> depth of the pages being visited
        self._seen = set()
        self._queue = asyncio.Queue()
        self._failure = None
        self._spare_tabs = list(tabs)  # open tabs, already watched by the collector, to use first
        self._sitemap_scheduled = asyncio.Event()

    def _schedule(self, url, depth):
        if url is None or url in self._seen or not urls.same_site(url, self.start) or urls.is_download(url):
            return
        if depth > self.options.depth:
            self.over_depth.add(url)
            return
        if len(self._seen) >= self.options.max_pages:
            self.over_page_limit.add(url)
            return
        self._seen.add(url)
        self._queue.put_nowait((url, depth))

    def _report(self):
        if self.progress:
            self.progress.pages(self.phase, len(self.pages), len(self._seen))

    async def run(self):
        if self.start_failure is not None:
            self._seen.add(self.start)
            self.pages.append(self.start_failure)
        else:
            self._schedule(self.start, 0)
        self._report()
        workers = [asyncio.create_task(self._work()) for _ in range(self.options.concurrency)]
        try:
            # Shielded: the three phases share the sitemap's task, and a phase stopped at the
            # deadline must not cancel it for the others.
            for url in await asyncio.shield(self.sitemap):
                self._schedule(url, 1)
            for url in self.extra_urls:
                self._schedule(url, 1)
            self._sitemap_scheduled.set()
            self._report()
            await self._queue.join()
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            for page in self._spare_tabs:
                await self._close(page)
        if self._failure is not None:
            raise self._failure
        return self.all_pages()

    def all_pages(self):
        """Pages visited, and those being visited when the scan was stopped, by depth and URL."""
        stopped = [
            {"url": url, "phase": self.phase, "status": None, "depth": depth, "error": STOPPED_AT_DEADLINE}
            for url, depth in self._in_flight.items()
        ]
        return sorted(self.pages + stopped, key=lambda p: (p["depth"], p["url"]))

    async def _work(self):
        # Each worker keeps its tab from page to page, as a visitor would: no renderer process
        # to start and stop for every page (the dearest part of a visit on two cores).
        page = None
        try:
            while True:
                url, depth = await self._queue.get()
                try:
                    if self.deadline.remaining_s() < MIN_PAGE_TIME_S:
                        self.not_visited.append(url)
                        continue
                    if page is None and self._spare_tabs:
                        page = self._spare_tabs.pop()
                    elif page is None:
                        page = await self.context.new_page()
                        await self.collector.attach(self.context, page)
                    self._in_flight[url] = depth
                    ok = await self._visit(page, url, depth)
                    del self._in_flight[url]
                    if not ok:
                        await self._close(page)
                        page = None  # a failed load may leave the tab unusable: start afresh
                except Exception as exc:
                    self._in_flight.pop(url, None)
                    self._failure = self._failure or exc
                finally:
                    self._queue.task_done()
                    self._report()
        finally:
            if page is not None:
                await self._close(page)

    async def _close(self, page):
        self.collector.forget(page)
        try:
            await page.close()
        except PlaywrightError:
            pass

    async def _weigh(self, response, entry):
        """Note the page's size when it is large: its Content-Length, else what the browser says it
        received, asked for briefly (a body still streaming must not hold the crawl)."""
        if response is None:
            return
        length = await response.header_value("content-length")
        if length is not None and length.isdigit():
            size = int(length)
        else:
            try:
                sizes = await asyncio.wait_for(response.request.sizes(), self.deadline.wait_s(SIZE_WAIT_S))
                size = sizes["responseBodySize"]
            except (PlaywrightError, TimeoutError):
                return
        if size > LARGE_PAGE_BYTES:
            entry["size_bytes"] = size
            self.large_pages.append({"url": entry["url"], "phase": self.phase, "bytes": size})

    async def _visit(self, page, url, depth):
        """Visit ``url``; False when it failed."""
        entry = {"url": url, "phase": self.phase, "status": None, "depth": depth}
        try:
            response = await load(self.collector, page, url, self.options, self.deadline)
            entry["status"] = response.status if response else None
            await self._weigh(response, entry)
            final = urls.normalize(page.url)
            if final and final != url:
                entry["final_url"] = final
                self._seen.add(final)
            if final and urls.same_site(final, self.start) and await is_html(response):
                found = await links(page)
                await self._sitemap_scheduled.wait()  # the sitemap's pages come first
                for link in found:
                    self._schedule(link, depth + 1)
            await self.collector.snapshot(self.context, page, url)
            if depth == 0 and self.first_page:
                await self.first_page(page)
        except PlaywrightError as exc:
            entry["error"] = str(exc).strip().splitlines()[0]
            if REDIRECT_LOOP in entry["error"]:
                entry["error"] = f"redirect loop (the browser gave up after 20 redirects): {entry['error']}"
            log.info("[%s] %s: %s", self.phase, url, entry["error"])
        self.pages.append(entry)
        if self.progress:
            self.progress.page_line(entry)
        return "error" not in entry
