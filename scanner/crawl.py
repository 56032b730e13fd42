"""Breadth-first crawl of one site within one browser context: same-site links up to a depth
and a page limit, several pages at once, each visited until its network settles."""

import asyncio
import logging
import time

from playwright.async_api import Error as PlaywrightError

from . import urls

log = logging.getLogger("scanner")
# Playwright calls the network idle after 500 ms without requests; pages that poll forever are
# left after this cap.
NETWORK_IDLE_CAP_MS = 5000


async def settle(page, since, grace_s):
    """Wait for the network to go quiet, and at least ``grace_s`` after ``since`` (monotonic)
    for cookies that scripts set on a timer."""
    try:
        await page.wait_for_load_state("networkidle", timeout=NETWORK_IDLE_CAP_MS)
    except PlaywrightError:
        pass
    remaining = since + grace_s - time.monotonic()
    if remaining > 0:
        await asyncio.sleep(remaining)


async def load(collector, page, url, options):
    """Load ``url`` in ``page`` (watched by ``collector``) and wait for it to settle; the response."""
    collector.visit(page, url)
    response = await page.goto(url, wait_until="load", timeout=options.page_timeout_s * 1000)
    await settle(page, time.monotonic(), options.grace_s)
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
    """Visits ``options.url`` and what it links to; ``first_page`` is awaited with the start page."""

    def __init__(self, context, collector, options, phase, extra_urls=(), progress=None, first_page=None, tabs=()):
        self.context, self.collector, self.options, self.phase = context, collector, options, phase
        self.start = urls.normalize(options.url)
        self.extra_urls = extra_urls
        self.progress = progress
        self.first_page = first_page
        self.pages = []
        self._seen = set()
        self._queue = asyncio.Queue()
        self._failure = None
        self._spare_tabs = list(tabs)  # open tabs, already watched by the collector, to use first

    def _schedule(self, url, depth):
        if url is None or url in self._seen or len(self._seen) >= self.options.max_pages:
            return
        if depth > self.options.depth or not urls.same_site(url, self.start) or urls.is_download(url):
            return
        self._seen.add(url)
        self._queue.put_nowait((url, depth))

    def _report(self):
        if self.progress:
            self.progress.pages(self.phase, len(self.pages), len(self._seen))

    async def run(self):
        self._schedule(self.start, 0)
        for url in self.extra_urls:
            self._schedule(url, 1)
        self._report()
        workers = [asyncio.create_task(self._work()) for _ in range(self.options.concurrency)]
        try:
            await self._queue.join()
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            for page in self._spare_tabs:
                await self._close(page)
        if self._failure is not None:
            raise self._failure
        self.pages.sort(key=lambda p: (p["depth"], p["url"]))
        return self.pages

    async def _work(self):
        # Each worker keeps its tab from page to page, as a visitor would: no renderer process
        # to start and stop for every page (the dearest part of a visit on two cores).
        page = None
        try:
            while True:
                url, depth = await self._queue.get()
                try:
                    if page is None and self._spare_tabs:
                        page = self._spare_tabs.pop()
                    elif page is None:
                        page = await self.context.new_page()
                        await self.collector.attach(self.context, page)
                    if not await self._visit(page, url, depth):
                        await self._close(page)
                        page = None  # a failed load may leave the tab unusable: start afresh
                except Exception as exc:
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

    async def _visit(self, page, url, depth):
        """Visit ``url``; False when it failed."""
        entry = {"url": url, "phase": self.phase, "status": None, "depth": depth}
        try:
            response = await load(self.collector, page, url, self.options)
            entry["status"] = response.status if response else None
            final = urls.normalize(page.url)
            if final and final != url:
                entry["final_url"] = final
                self._seen.add(final)
            if final and urls.same_site(final, self.start) and await is_html(response):
                for link in await links(page):
                    self._schedule(link, depth + 1)
            await self.collector.snapshot(self.context, page, url)
            if depth == 0 and self.first_page:
                await self.first_page(page)
        except PlaywrightError as exc:
            entry["error"] = str(exc).strip().splitlines()[0]
            log.info("[%s] %s: %s", self.phase, url, entry["error"])
        self.pages.append(entry)
        if self.progress:
            self.progress.page_line(entry)
        return "error" not in entry
