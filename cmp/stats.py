"""Consent analytics for one site and a range of days, read from the counters (one lookup per
day, never per decision): the stats API's JSON and CSV, and the figures the console draws."""

import csv
import datetime as dt
import functools
import io

from . import outcomes
from .store.counters import days

# The years a day may name, as for the proof export (and the OpenAPI description says).
FIRST_YEAR, LAST_YEAR = 1970, 9998
MAX_DAYS = 3660  # ten years: a range a person asks for, never an accidental million days
SPAN_MESSAGE = f"the range may span at most {MAX_DAYS} days"
CSV_COLUMNS = ("date", *outcomes.TOTALS)


def _zero():
    return dict.fromkeys(outcomes.TOTALS, 0)


@functools.lru_cache(maxsize=4096)
def _parse(name):
    """``(kind, key, part)`` of a counter name: ``("total", "shown", "")``, ``("cat", "audience",
    "granted")``, ``("rev", "<revision>", "accept_all")``, ``("lang", "fr", "")``…"""
    if name in outcomes.TOTALS:
        return "total", name, ""
    kind, _, rest = name.partition(":")
    if kind in ("cat", "rev"):
        key, _, part = rest.rpartition(":")
        return kind, key, part
    return kind, rest, ""


def report(counters, site, first, last):
    """``{"site", "from", "to", "totals", "categories", "revisions", "languages", "sources", "days"}``
    for ``site`` from ``first`` to ``last`` (dates, both included)."""
    counted = counters.read(site.id, first, last)
    totals = _zero()
    categories = {c.id: {"granted": 0, "refused": 0} for c in site.categories}
    revisions, languages, sources, rows = {}, {}, {}, []
    for day in days(first, last):
        counts = counted.get(day, {})
        row = {"date": day.isoformat(), **_zero()}
        for name, n in counts.items():
            kind, key, part = _parse(name)
            if kind == "total":
                totals[key] += n
                row[key] += n
            elif kind == "cat":
                categories.setdefault(key, {"granted": 0, "refused": 0})[part] += n
            elif kind == "rev":
                revisions.setdefault(key, _zero())[part] += n
            elif kind == "lang":
                languages[key] = languages.get(key, 0) + n
            elif kind == "source":
                sources[key] = sources.get(key, 0) + n
        rows.append(row)
    return {
        "site": site.id,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "totals": totals,
        "categories": categories,
        "revisions": revisions,
        "languages": languages,
        "sources": sources,
        "days": rows,
    }


def decisions(totals):
    """Decisions made (withdrawals apart): accept all, refuse all and custom."""
    return totals["accept_all"] + totals["refuse_all"] + totals["custom"]


def consent_rate(totals):
    """Share of decisions that accepted everything, or None without decisions."""
    made = decisions(totals)
    return totals["accept_all"] / made if made else None


def opt_in_rate(category):
    """Share of decisions that granted ``category`` (``{"granted", "refused"}``), or None."""
    made = category["granted"] + category["refused"]
    return category["granted"] / made if made else None


def to_csv(figures):
    """The days of a :func:`report` as CSV, one line per day."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in figures["days"]:
        writer.writerow([row[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


def parse_range(args, today):
    """``(first, last)`` from ``from``/``to`` query values (YYYY-MM-DD, both included); the last
    30 days by default. Returns ``(range, None)`` or ``(None, (field, message))``."""
    values = {}
    for name in ("from", "to"):
        raw = args.get(name)
        if raw in (None, ""):
            continue
        try:
            values[name] = dt.date.fromisoformat(raw) if len(raw) == 10 else None
        except ValueError:
            values[name] = None
        if values[name] is None:
            return None, (name, "must be a date, YYYY-MM-DD")
        if not FIRST_YEAR <= values[name].year <= LAST_YEAR:
            return None, (name, f"must be between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31")
    last = values.get("to", today)
    first = values.get("from", last - dt.timedelta(days=29))
    if last < first:
        return None, ("to", "must not be before 'from'")
    if (last - first).days + 1 > MAX_DAYS:
        return None, ("from", SPAN_MESSAGE)
    return (first, last), None
