"""After the browser work: items, findings, report files, the suggestion file and the console
summary, in that order. Shared by the CLI and the benchmark."""

import click

from . import report as report_mod
from . import report_html, rules, suggest, summary
from .items import build_items


def analyse(result, site):
    """(items, findings) of a finished scan; findings are decided in :mod:`scanner.rules`."""
    observations = [o for phase in result.phases for o in phase.observations]
    items = build_items(observations, result.target)
    widget_sites = [(phase.phase, phase.banner.get("widget_site")) for phase in result.phases]
    return items, rules.findings(items, site, site_loaded=result.error is None, widget_sites=widget_sites)


def finish(
    result, site, options, out_dir, formats, suggest_file=None, knowledge=None, echo=click.echo, report_lang="en"
):
    items, findings = analyse(result, site)
    out_dir.mkdir(parents=True, exist_ok=True)
    shots, written = {}, []
    for phase in result.phases:
        if phase.screenshot and "json" in formats:
            name = f"banner-{phase.phase}.jpg"
            (out_dir / name).write_bytes(phase.screenshot)
            shots[phase.phase] = name
    report = report_mod.build(result, site, items, findings, options, shots)
    if "json" in formats:
        report_mod.write_json(report, out_dir / "report.json")
        written.append(out_dir / "report.json")
    if "html" in formats:
        html = report_html.render(report, {p.phase: p.screenshot for p in result.phases}, report_lang)
        (out_dir / "report.html").write_text(html, encoding="utf-8")
        written.append(out_dir / "report.html")
    if suggest_file:
        text = suggest.render(items, site, knowledge, result.target)
        with open(suggest_file, "w", encoding="utf-8") as handle:
            handle.write(text)
        written.append(suggest_file)
    echo(summary.render(report, written))
    return report
