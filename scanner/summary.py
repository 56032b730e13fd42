"""The console summary printed at the end of a scan: verdict, counts, banner handling and a
table of findings, from the report dictionary."""

VERDICT_WORDS = {"fail": "FAIL", "warn": "WARN", "pass": "PASS", "error": "ERROR"}
COLUMNS = (
    ("rule", "RULE"),
    ("severity", "SEVERITY"),
    ("item", "ITEM"),
    ("domain", "DOMAIN"),
    ("phase", "PHASE"),
    ("detail", "DETAIL"),
)
MAX_CELL = 60
MAX_TIMEOUT_LINES = 10  # a site that hangs everywhere would fill the console otherwise


def _cell(value):
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def table(rows, columns):
    """Plain aligned columns; the last column is never padded."""
    cells = [[title for _, title in columns]] + [
        [_cell(row.get(key)) for key, _ in columns[:-1]] + [str(row.get(columns[-1][0]) or "")] for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns) - 1)]
    return "\n".join("  ".join([*(c.ljust(w) for c, w in zip(r, widths, strict=False)), r[-1]]) for r in cells)


def render(report, written=()):
    s = report["summary"]
    sev = s["by_severity"]
    lines = [
        f"Scan of {report['target']} against inventory '{report['site']}': {VERDICT_WORDS[s['verdict']]} "
        f"({sev['error']} error(s), {sev['warning']} warning(s), {sev['info']} note(s)) in {report['duration_s']} s",
        "Pages: "
        + ", ".join(f"{phase} {n}" for phase, n in s["pages"].items())
        + f"; items: {s['items']} ({s['third_party']} third-party, {s['undeclared']} undeclared)",
    ]
    if report.get("error"):
        lines.append(f"The scan could not run: {report['error']}")
    for phase, banner in report["banner"].items():
        lines.append(f"Banner, {phase}: {banner['detail']}")
    if (report.get("bounds") or {}).get("detail"):
        lines.append(f"Crawl bounds: {report['bounds']['detail']}")
    limits = report.get("limits") or {}
    if limits.get("detail"):
        lines.append(f"Time limits: {limits['detail']}")
        timeouts = limits["timeouts"]
        lines += [f"  timed out: {t['detail']}" for t in timeouts[:MAX_TIMEOUT_LINES]]
        if len(timeouts) > MAX_TIMEOUT_LINES:
            lines.append(f"  … and {len(timeouts) - MAX_TIMEOUT_LINES} more (report.json: limits.timeouts)")
    lines.append("")
    if report["findings"]:
        lines.append(table(report["findings"], COLUMNS))
    else:
        lines.append("No findings.")
    if written:
        lines += ["", "Reports: " + ", ".join(str(p) for p in written)]
    return "\n".join(lines)
