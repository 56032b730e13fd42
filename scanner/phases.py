"""One scan: three phases (no decision, refuse all, accept all), each in a fresh browser context,
run side by side in one Chromium, alongside the sitemap's fetch, all within the scan's deadline.
Returns raw pages, banner accounts, observations and what ran out of time."""

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from playwright.async_api import async_playwright

from . import banners, urls
from .browser import Browser
from .collect import BINDING, Collector, hooks_script
from .crawl import STOPPED_AT_DEADLINE, Crawler, is_html, links, load, settle
from .deadline import HARD_STOP_MARGIN_S, Deadline
from .items import PHASES

MAX_NESTED_SITEMAPS = 5


class ScanError(Exception):
    """The scan could not run (browser or target unreachable)."""


@dataclass
class ScanOptions:
    url: str
    max_pages: int = 50
    depth: int = 3
    concurrency: int = 4
    grace_s: float = 1.0
    page_timeout_s: float = 30.0  # each network wait: a page load, the sitemap
    deadline_s: float | None = None  # the whole scan; None: DEFAULT_DEADLINE_TIMEOUTS x page_timeout_s
    storage_state: str | None = None
    cookies: tuple = ()  # (name, value) pairs sent to the target
    block_third_party: bool = False
    accept_selector: str | None = None
    refuse_selector: str | None = None


@dataclass
class PhaseResult:
    phase: str
    pages: list
    banner: dict
    screenshot: bytes | None
    observations: list


@dataclass
class ScanResult:
    target: str
    started_at: float
    finished_at: float
    phases: list = field(default_factory=list)
    sitemap_urls: list = field(default_factory=list)
    limits: dict = field(default_factory=dict)  # report.json's "limits": timeouts, deadline
    bounds: dict = field(default_factory=dict)  # report.json's "bounds": links left out, heavy pages
    error: str | None = None  # why the scan could not run (its start page loaded in no phase)


async def fetch_sitemap(playwright, options, deadline):
    """Same-site page URLs listed by ``/sitemap.xml`` (and the sitemaps it indexes), if any.

    The whole step, nested sitemaps included, has one ``--timeout``.
    """
    request = await playwright.request.new_context(storage_state=options.storage_state, ignore_https_errors=True)
    start = urls.normalize(options.url)
    found, pending, fetched = [], [urls.normalize("/sitemap.xml", start)], 0
    allowed = deadline.wait_s()
    ends = time.monotonic() + allowed
    try:
        while pending and fetched <= MAX_NESTED_SITEMAPS:
            sitemap = pending.pop(0)
            fetched += 1
            try:
                response = await request.get(sitemap, timeout=max(1.0, (ends - time.monotonic()) * 1000))
                if not response.ok:
                    continue
                text = await response.text()
            except PlaywrightTimeoutError:
                deadline.timed_out("sitemap", None, sitemap, allowed)
                break
            except PlaywrightError:
                continue
            locations = [urls.normalize(u, sitemap) for u in urls.sitemap_locations(text)]
            if urls.is_sitemap_index(text):
                pending += [u for u in locations if u and urls.same_site(u, start)]
            else:
                found += [u for u in locations if u and urls.same_site(u, start) and not urls.is_download(u)]
    finally:
        await request.dispose()
    return list(dict.fromkeys(found))[: options.max_pages]


def injected_items(options):
    """(kind, name, domain) of what we put in the browser for an authenticated scan: ours, not
    the site's, so snapshots leave them out (a write by the site is still reported)."""
    host = urlsplit(options.url).hostname
    found = {("cookie", name, host) for name, _ in options.cookies}
    if options.storage_state:
        state = json.loads(Path(options.storage_state).read_text(encoding="utf-8"))
        found |= {("cookie", c.get("name"), c.get("domain")) for c in state.get("cookies", [])}
        for origin in state.get("origins", []):
            origin_host = urlsplit(origin.get("origin", "")).hostname
            found |= {("localStorage", e.get("name"), origin_host) for e in origin.get("localStorage", [])}
    return found


async def _answer_banner(context, collector, page, phase, options, deadline):
    """Load the start page in ``page``, answer its banner for ``phase`` and let the answer settle.

    Returns (banner account, screenshot, the start page's links); the crawl goes on in ``page``.
    """
    selector = options.refuse_selector if phase == "refuse" else options.accept_selector
    response = await load(collector, page, options.url, options, deadline, step="banner")
    method, found = await banners.locate(page, phase, selector, deadline.wait_s(banners.APPEAR_TIMEOUT_S))
    entry = await banners.describe(method, found, page, phase)
    collector.decided = True
    if method == "none":
        shot = await page.screenshot(type="jpeg", quality=60)
    else:
        clicked_at = time.monotonic()
        shot = await banners.answer(page, method, found, phase)
        try:
            await page.wait_for_load_state("load", timeout=deadline.wait_ms())
        except PlaywrightTimeoutError:
            pass  # the answer was given; a reload it started that outlasts our time is not an error
        await settle(page, clicked_at, options.grace_s, deadline)
    await collector.snapshot(context, page, options.url)
    found_links = await links(page) if await is_html(response) else []
    return entry, shot, found_links


class PhaseRun:
    """One phase in a fresh context: answer the banner (refuse, accept), then crawl. What it has
    gathered stays readable when the scan's deadline stops it midway (:meth:`result`)."""

    def __init__(self, browser, phase, options, sitemap, deadline, progress=None):
        self.browser, self.phase, self.options, self.deadline = browser, phase, options, deadline
        self.sitemap, self.progress = sitemap, progress
        self.collector = Collector(phase, ignored=injected_items(options))
        if progress:
            self.collector.on_new = progress.observation
        self.banner = None
        self.shot = None
        self.crawler = None
        self.answering = False  # loading the start page to answer the banner

    async def run(self):
        options, collector = self.options, self.collector
        context = await self.browser.new_context(options.storage_state)
        # Playwright's own default (30 s) would outlast a shorter --timeout in clicks and screenshots.
        context.set_default_timeout(options.page_timeout_s * 1000)
        await context.expose_binding(BINDING, collector.binding)
        await context.add_init_script(hooks_script())
        if options.cookies:
            await context.add_cookies([{"name": n, "value": v, "url": options.url} for n, v in options.cookies])
        found_links, tabs, start_failure = [], [], None
        try:
            if self.phase != "before":
                page = await context.new_page()
                await collector.attach(context, page)
                self.answering = True
                try:
                    self.banner, self.shot, found_links = await _answer_banner(
                        context, collector, page, self.phase, options, self.deadline
                    )
                    tabs.append(page)  # the crawl goes on in this tab: a new one costs a renderer
                except PlaywrightError as exc:
                    error = str(exc).strip().splitlines()[0]
                    self.banner = {**banners.not_found(self.phase), "error": error}
                    if isinstance(exc, PlaywrightTimeoutError):
                        start = urls.normalize(options.url)
                        start_failure = {"url": start, "phase": self.phase, "status": None, "depth": 0, "error": error}
                    collector.forget(page)
                    await page.close()
                self.answering = False
            # The start page's links are known from the banner visit: crawl them while the start
            # page itself is visited again, now with the decision made.
            self.crawler = Crawler(
                context,
                collector,
                options,
                self.deadline,
                self.sitemap,
                found_links,
                self.progress,
                first_page=self._detect if self.phase == "before" else None,
                tabs=tabs,
                start_failure=start_failure,
            )
            await self.crawler.run()
        finally:
            await context.close()

    async def _detect(self, page):
        # No decision in this phase: only say whether (and how) a banner could be answered.
        method, found = await banners.locate(page, "refuse", wait_s=self.deadline.wait_s(banners.APPEAR_TIMEOUT_S))
        self.banner = await banners.describe(method, found, page, None)
        self.shot = await page.screenshot(type="jpeg", quality=60)

    def stopped(self):
        """Record, as deadline timeouts, the steps this phase was in when the scan stopped it."""
        if self.answering:
            self.deadline.timed_out("banner", self.phase, urls.normalize(self.options.url))
            self.banner = {**banners.not_found(self.phase), "error": STOPPED_AT_DEADLINE}
        for page in self.crawler.all_pages() if self.crawler else []:
            if page.get("error") == STOPPED_AT_DEADLINE:
                self.deadline.timed_out("page", self.phase, page["url"])

    def result(self):
        pages = self.crawler.all_pages() if self.crawler else []
        banner = self.banner or banners.not_found(None)  # the start page failed to load
        return PhaseResult(self.phase, pages, {"phase": self.phase, **banner}, self.shot, self.collector.observations)


async def _run_until_deadline(runs, sitemap, deadline):
    """Run the phases; those still running at the deadline (plus a margin) are cancelled, their
    partial results kept. Re-raises what a phase failed with."""
    tasks = [asyncio.create_task(run.run()) for run in runs]
    _, pending = await asyncio.wait(tasks, timeout=deadline.remaining_s() + HARD_STOP_MARGIN_S)
    for run, task in zip(runs, tasks, strict=True):
        if task in pending:
            run.stopped()
            task.cancel()
    if not sitemap.done():
        sitemap.cancel()
    # Cancelled phases still close their contexts; the browser's closing ends the rest.
    await asyncio.wait([*pending, sitemap], timeout=HARD_STOP_MARGIN_S)
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise task.exception()


def _limits(deadline, runs):
    not_visited = {run.phase: sorted(run.crawler.not_visited) if run.crawler else [] for run in runs}
    return {
        "timeout_s": deadline.timeout_s,
        "deadline_s": deadline.deadline_s,
        "deadline_reached": any(t["limit"] == "deadline" for t in deadline.timeouts) or any(not_visited.values()),
        "timeouts": deadline.timeouts,
        "not_visited": not_visited,
    }


def _bounds(options, runs):
    crawlers = [run for run in runs if run.crawler]
    return {
        "max_pages": options.max_pages,
        "depth": options.depth,
        "links_over_page_limit": {run.phase: len(run.crawler.over_page_limit) for run in crawlers},
        "links_over_depth": {run.phase: len(run.crawler.over_depth) for run in crawlers},
        "large_pages": [page for run in crawlers for page in run.crawler.large_pages],
    }


async def scan(options, progress=None):
    """Run the three phases within the scan's deadline; raises :class:`ScanError` when the browser
    fails. A start page loaded in no phase is the result's ``error``."""
    started = time.time()
    deadline = Deadline(options.page_timeout_s, options.deadline_s)
    async with async_playwright() as playwright:
        try:
            async with Browser(playwright, options.block_third_party) as browser:
                sitemap = asyncio.create_task(fetch_sitemap(playwright, options, deadline))
                runs = [PhaseRun(browser, phase, options, sitemap, deadline, progress) for phase in PHASES]
                await _run_until_deadline(runs, sitemap, deadline)
                sitemap_urls = sitemap.result() if sitemap.done() and not sitemap.cancelled() else []
        except PlaywrightError as exc:
            raise ScanError(f"the browser failed: {str(exc).strip().splitlines()[0]}") from exc
    phases = [run.result() for run in runs]
    start = urls.normalize(options.url)
    error = None
    if all(not any(p["url"] == start and p["status"] for p in ph.pages) for ph in phases):
        errors = [p.get("error") for ph in phases for p in ph.pages if p["url"] == start]
        errors += [ph.banner.get("error") for ph in phases]
        error = f"{options.url} could not be loaded: {next((e for e in errors if e), 'no response')}"
    return ScanResult(
        options.url,
        started,
        time.time(),
        phases,
        sitemap_urls,
        limits=_limits(deadline, runs),
        error=error,
        bounds=_bounds(options, runs),
    )
