"""One scan: three phases (no decision, refuse all, accept all), each in a fresh browser context,
run side by side in one Chromium. Returns raw pages, banner accounts and observations."""

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

from . import banners, urls
from .browser import Browser
from .collect import BINDING, Collector, hooks_script
from .crawl import Crawler, is_html, links, load, settle
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
    page_timeout_s: float = 30.0
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


async def fetch_sitemap(playwright, options):
    """Same-site page URLs listed by ``/sitemap.xml`` (and the sitemaps it indexes), if any."""
    request = await playwright.request.new_context(storage_state=options.storage_state, ignore_https_errors=True)
    start = urls.normalize(options.url)
    found, pending, fetched = [], [urls.normalize("/sitemap.xml", start)], 0
    try:
        while pending and fetched <= MAX_NESTED_SITEMAPS:
            sitemap = pending.pop(0)
            fetched += 1
            try:
                response = await request.get(sitemap, timeout=options.page_timeout_s * 1000)
            except PlaywrightError:
                continue
            if not response.ok:
                continue
            text = await response.text()
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


async def _answer_banner(context, collector, page, phase, options):
    """Load the start page in ``page``, answer its banner for ``phase`` and let the answer settle.

    Returns (banner account, screenshot, the start page's links); the crawl goes on in ``page``.
    """
    selector = options.refuse_selector if phase == "refuse" else options.accept_selector
    response = await load(collector, page, options.url, options)
    method, found = await banners.locate(page, phase, selector)
    entry = await banners.describe(method, found, page, phase)
    collector.decided = True
    if method == "none":
        shot = await page.screenshot(type="jpeg", quality=60)
    else:
        clicked_at = time.monotonic()
        shot = await banners.answer(page, method, found, phase)
        await page.wait_for_load_state("load")
        await settle(page, clicked_at, options.grace_s)
    await collector.snapshot(context, page, options.url)
    found_links = await links(page) if await is_html(response) else []
    return entry, shot, found_links


async def run_phase(browser, phase, options, sitemap_urls, progress=None):
    """One phase in a fresh context: answer the banner (refuse, accept), then crawl."""
    context = await browser.new_context(options.storage_state)
    collector = Collector(phase, ignored=injected_items(options))
    if progress:
        collector.on_new = progress.observation
    await context.expose_binding(BINDING, collector.binding)
    await context.add_init_script(hooks_script())
    if options.cookies:
        await context.add_cookies([{"name": n, "value": v, "url": options.url} for n, v in options.cookies])
    result = {"links": []}

    async def detect(page):
        # No decision in this phase: only say whether (and how) a banner could be answered.
        method, found = await banners.locate(page, "refuse")
        result["banner"] = await banners.describe(method, found, page, None)
        result["shot"] = await page.screenshot(type="jpeg", quality=60)

    try:
        tabs = []
        if phase != "before":
            page = await context.new_page()
            await collector.attach(context, page)
            try:
                result["banner"], result["shot"], result["links"] = await _answer_banner(
                    context, collector, page, phase, options
                )
                tabs.append(page)  # the crawl goes on in this tab: a new one costs a renderer
            except PlaywrightError as exc:
                result["banner"] = {**banners.not_found(phase), "error": str(exc).strip().splitlines()[0]}
                collector.forget(page)
                await page.close()
        # The start page's links are known from the banner visit: crawl them while the start
        # page itself is visited again, now with the decision made.
        crawler = Crawler(
            context,
            collector,
            options,
            phase,
            list(sitemap_urls) + result["links"],
            progress,
            first_page=detect if phase == "before" else None,
            tabs=tabs,
        )
        pages = await crawler.run()
    finally:
        await context.close()
    banner = result.get("banner") or banners.not_found(None)  # the start page failed to load
    return PhaseResult(phase, pages, {"phase": phase, **banner}, result.get("shot"), collector.observations)


async def scan(options, progress=None):
    """Run the three phases; raises :class:`ScanError` when the browser or the site is unusable."""
    started = time.time()
    async with async_playwright() as playwright:
        try:
            async with Browser(playwright, options.block_third_party) as browser:
                sitemap_urls = await fetch_sitemap(playwright, options)
                phases = await asyncio.gather(
                    *(run_phase(browser, phase, options, sitemap_urls, progress) for phase in PHASES)
                )
        except PlaywrightError as exc:
            raise ScanError(f"the browser failed: {str(exc).strip().splitlines()[0]}") from exc
    start = urls.normalize(options.url)
    if all(not any(p["url"] == start and p["status"] for p in ph.pages) for ph in phases):
        errors = [p.get("error") for ph in phases for p in ph.pages if p["url"] == start]
        raise ScanError(f"{options.url} could not be loaded: {next((e for e in errors if e), 'no response')}")
    return ScanResult(options.url, started, time.time(), list(phases), sitemap_urls)
