"""The console summary printed at the end of a scan: verdict, counts, banner handling and a
table of findings, from the report dictionary."""

VERDICT_WORDS = {"fail": "FAIL", "warn": "WARN", "pass": "PASS"}
COLUMNS = (
    ("rule", "RULE"),
    ("severity", "SEVERITY"),
    ("item", "ITEM"),
    ("domain", "DOMAIN"),
    ("phase", "PHASE"),
    ("detail", "DETAIL"),
)
MAX_CELL = 60


def _cell(value):
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def table(rows, columns):
    """Plain aligned columns; the last column is never padded."""
    cells = [[title for _, title in columns]] + [
        [_cell(row.get(key)) for key, _ in columns[:-1]] + [str(row.get(columns[-1][0]) or "")] for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r[:-1], widths)) + "  " + r[-1] for r in cells)


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
    for phase, banner in report["banner"].items():
        lines.append(f"Banner, {phase}: {banner['detail']}")
    lines.append("")
    if report["findings"]:
        lines.append(table(report["findings"], COLUMNS))
    else:
        lines.append("No findings.")
    if written:
        lines += ["", "Reports: " + ", ".join(str(p) for p in written)]
    return "\n".join(lines)
