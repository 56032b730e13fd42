"""What the compliance console asks of scan jobs: start a scan, add or remove a schedule, compare
two reports. The service never imports ``jobs/`` or the scanner; it loads this module by the name
in ``CMP_SCAN_JOBS`` when one of these is asked for, so every path here is the command line's own."""

from pathlib import Path

from . import schedules, submit


def _inventory_text(site):
    # The inventory travels with the scan, as with `cmpctl scan --enqueue`: a worker elsewhere needs no copy.
    return Path(site.source).read_text(encoding="utf-8")


def start_scan(values, index, site, url):
    """Queue a scan of ``url`` for ``site`` with the default scan options; returns its id."""
    from .scan import scan_options

    options = scan_options(url, {})
    return submit.enqueue(values, index, submit.new_record(site, url, options, _inventory_text(site)))


def parse_timing(text):
    """``1d`` / ``12h`` or a cron expression → ``(every_s, cron)``; ValueError otherwise."""
    return schedules.parse_timing(text)


def add_schedule(values, index, site, url, every_s, cron):
    schedule = schedules.new_schedule(site, url, _inventory_text(site), {}, every_s=every_s, cron=cron)
    schedules.add(values, index, schedule)
    return schedule


def remove_schedule(values, index, schedule):
    schedules.remove(values, index, schedule)


def diff(old_report, new_report):
    """The scanner's own comparison of two stored reports (see docs/scans.md, "Diffs")."""
    from scanner.diff import diff as compare

    return compare(old_report, new_report)
