"""``cmpctl scan``: options, checks of bad input (exit 2), the scan, reports, exit code.

Only click is imported at the top: ``cmpctl --help`` must not pay for Playwright, and the
API-only install (without the ``[scanner]`` extra) must still list the command.
"""

import asyncio
import importlib.util
import json
import sys
import traceback
from pathlib import Path
from urllib.parse import urlsplit

import click

from .common import ExitStatus, fail, load_site_option

RULE_NAMES = (
    "undeclared, pre-consent, after-refusal, over-13-months, exceeds-declared, declared-not-seen, other-site-widget"
)
FORMATS = ("json", "html")


def _split(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@click.command("scan", short_help="Scan a site's cookies and storage against its inventory.")
@click.argument("url")
@click.option("--site", "site_id", help="Site id in the inventory folder.")
@click.option("--inventory", "inventory_file", type=click.Path(dir_okay=False), help="An inventory file instead.")
@click.option("--max-pages", default=50, show_default=True, type=click.IntRange(1, 10000), help="Pages per phase.")
@click.option("--depth", default=3, show_default=True, type=click.IntRange(0, 100), help="Clicks from the start page.")
@click.option(
    "--concurrency",
    default=4,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Pages loaded at once in each phase (the three phases run side by side).",
)
@click.option(
    "--out",
    "out_dir",
    default="scan-out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for report.json, report.html and the banner screenshots.",
)
@click.option(
    "--report-lang",
    default="en",
    show_default=True,
    type=click.Choice(["en", "fr"]),
    help="Language of report.html (report.json is the same in both).",
)
@click.option("--format", "formats", default="json,html", show_default=True, help="Reports to write: json, html.")
@click.option(
    "--fail-on",
    "fail_on",
    default="",
    metavar="RULE[,RULE…]",
    help=f"Exit 1 when a finding of these rules exists ({RULE_NAMES}).",
)
@click.option(
    "--storage-state",
    type=click.Path(dir_okay=False),
    help="Playwright storage state (JSON) for an authenticated scan.",
)
@click.option("--cookie", "cookies", multiple=True, metavar="NAME=VALUE", help="Send this cookie (repeatable).")
@click.option("--block-third-party", is_flag=True, help="Block third-party cookies, as a default Chromium does.")
@click.option("--accept-selector", help="CSS selector of the banner's 'accept all' control.")
@click.option("--refuse-selector", help="CSS selector of the banner's 'refuse all' control.")
@click.option(
    "--suggest",
    "suggest_file",
    type=click.Path(dir_okay=False),
    help="Write inventory entries for undeclared items to this YAML file.",
)
@click.option(
    "--known-cookies",
    type=click.Path(dir_okay=False),
    help="Open Cookie Database CSV: with --suggest, classifies what the built-in knowledge base does not know.",
)
@click.option(
    "--grace",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0, 30),
    help="Seconds after each page load to wait for cookies set on a timer.",
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(1, 600),
    help="Seconds one network wait may take: a page load, the sitemap. A site that never answers "
    "ends the scan after about one timeout.",
)
@click.option(
    "--deadline",
    type=click.FloatRange(1, 86400),
    help="Seconds the whole scan may take (plus a few to close the browser and write the reports); "
    "pages still queued are reported as not visited. Default: 10 times --timeout.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@click.option(
    "--enqueue",
    is_flag=True,
    help="Queue the scan instead of running it here: a worker (Redis) or a background process (SQLite) "
    "runs it and keeps its report in the scan history. Prints the scan's id on the last line.",
)
@click.pass_context
def scan(
    ctx,
    url,
    site_id,
    inventory_file,
    max_pages,
    depth,
    concurrency,
    out_dir,
    report_lang,
    formats,
    fail_on,
    storage_state,
    cookies,
    block_third_party,
    accept_selector,
    refuse_selector,
    suggest_file,
    known_cookies,
    grace,
    timeout,
    deadline,
    quiet,
    enqueue,
):
    """Crawl URL in three phases (no decision, refuse all, accept all) and check its cookies and
    storage against the site's inventory.

    Exit status: 0 when no finding of --fail-on exists, 1 when one does, 2 on bad input or when
    the scan cannot run.
    """
    if importlib.util.find_spec("playwright") is None or importlib.util.find_spec("publicsuffixlist") is None:
        fail("cmpctl scan needs the scanner extra: pip install 'cmp-consent[scanner]'")
    from scanner import rules

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        fail(f"URL {url!r}: must be an http:// or https:// address")
    wanted_formats = _split(formats)
    if not wanted_formats or any(f not in FORMATS for f in wanted_formats):
        fail(f"--format {formats!r}: choose among {', '.join(FORMATS)} (comma-separated)")
    fail_rules = _split(fail_on)
    unknown = [r for r in fail_rules if r not in rules.RULES]
    if unknown:
        fail(f"--fail-on: unknown rule(s) {', '.join(unknown)}; rules are {', '.join(rules.RULES)}")
    pairs = []
    for cookie in cookies:
        name, sep, value = cookie.partition("=")
        if not sep or not name.strip():
            fail(f"--cookie {cookie!r}: must be NAME=VALUE")
        pairs.append((name.strip(), value))
    if storage_state:
        _check_storage_state(storage_state, fail)
    site = load_site_option(site_id, inventory_file)
    if enqueue:
        _refuse_with_enqueue(ctx)
    knowledge = _knowledge(known_cookies, fail) if suggest_file or known_cookies else None

    from scanner.phases import ScanError, ScanOptions
    from scanner.phases import scan as run_scan
    from scanner.progress import Progress
    from scanner.run import finish

    options = ScanOptions(
        url,
        max_pages=max_pages,
        depth=depth,
        concurrency=concurrency,
        grace_s=grace,
        page_timeout_s=timeout,
        deadline_s=deadline,
        storage_state=storage_state,
        cookies=tuple(pairs),
        block_third_party=block_third_party,
        accept_selector=accept_selector,
        refuse_selector=refuse_selector,
    )
    if enqueue:
        from .queued import enqueue_scan

        enqueue_scan(site, options)
        return
    progress = Progress(enabled=not quiet)
    # Exit 1 means "findings": anything else that stops the scan must exit 2, crashes included.
    try:
        try:
            result = asyncio.run(run_scan(options, progress))
        finally:
            progress.close()
        report = finish(
            result, site, options, Path(out_dir), wanted_formats, suggest_file, knowledge, report_lang=report_lang
        )
        if result.error:
            # The reports say what was tried and what timed out; the status says it did not run.
            fail(f"scan of {url} failed: {result.error}")
    except ScanError as exc:
        fail(f"scan of {url} failed: {exc}")
    except OSError as exc:
        fail(f"cannot write the reports: {exc}")
    except KeyboardInterrupt:
        fail("interrupted")
    except Exception:
        traceback.print_exc()
        fail("the scan stopped on an unexpected error (traceback above)")
    if any(f["rule"] in fail_rules for f in report["findings"]):
        sys.exit(int(ExitStatus.FINDINGS))


# What only a scan run here can do: write files beside the caller, or exit 1 on findings.
LOCAL_ONLY = ("out_dir", "report_lang", "formats", "fail_on", "suggest_file", "known_cookies", "storage_state")


def _refuse_with_enqueue(ctx):
    from click.core import ParameterSource

    for param in ctx.command.params:
        if param.name in LOCAL_ONLY and ctx.get_parameter_source(param.name) is not ParameterSource.DEFAULT:
            fail(f"{param.opts[0]} cannot be used with --enqueue: a queued scan keeps its report in the scan history")


def _check_storage_state(path, fail):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"--storage-state {path}: cannot be read: {exc}")
    except json.JSONDecodeError as exc:
        fail(f"--storage-state {path}: not JSON: {exc}")
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("cookies", []), list)
        or not isinstance(data.get("origins", []), list)
    ):
        fail(f"--storage-state {path}: not a Playwright storage state (an object with 'cookies' and 'origins' lists)")


def _knowledge(known_cookies, fail):
    from scanner.knowledge import KnowledgeBase, KnownCookiesError, load_open_cookie_database

    knowledge = KnowledgeBase.builtin()
    if known_cookies:
        try:
            knowledge = knowledge.extend(load_open_cookie_database(known_cookies))
        except KnownCookiesError as exc:
            fail(f"--known-cookies {exc}")
    return knowledge
