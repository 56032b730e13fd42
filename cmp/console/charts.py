"""Charts drawn on the server as SVG geometry (the templates write the SVG): no script, so the
console's strict CSP holds and the charts show without JavaScript. Every mark carries its
figure (``data-*`` and a ``<title>``); the tables under the charts give the same figures."""

from dataclasses import dataclass

from .. import stats

# Bottom to top, as stacked in the bars and listed in the legend.
STACK = ("accept_all", "custom", "refuse_all", "withdrawn")
WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 36


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    width: float
    height: float
    key: str  # an outcome, or a category id
    label: str  # the day, or the category's name
    value: int | float


def nice_ceiling(value):
    """The smallest of 1, 2, 5 × 10^n at least ``value`` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def stacked_days(days):
    """Bars per day, stacked by outcome: ``{"marks", "ticks", "labels", "width", "height"}``."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_ceiling(max((sum(day[k] for k in STACK) for day in days), default=0))
    slot = plot_w / max(len(days), 1)
    bar = max(slot * 0.8, 1)
    marks = []
    for i, day in enumerate(days):
        base = TOP + plot_h
        for key in STACK:
            if day[key]:
                height = day[key] / top * plot_h
                base -= height
                marks.append(Mark(LEFT + i * slot + (slot - bar) / 2, base, bar, height, key, day["date"], day[key]))
    ticks = [(TOP + plot_h - plot_h * f, round(top * f)) for f in (0, 0.5, 1)]
    picks = sorted({0, len(days) // 2, len(days) - 1}) if days else []
    labels = [(LEFT + i * slot + slot / 2, days[i]["date"]) for i in picks]
    return {"marks": marks, "ticks": ticks, "labels": labels, "width": WIDTH, "height": HEIGHT, "left": LEFT}


def category_rates(categories, names):
    """One horizontal bar per category, its length the opt-in rate (``names``: id → label)."""
    row, label_w = 30, 180
    marks = []
    for i, (category_id, counts) in enumerate(categories.items()):
        rate = stats.opt_in_rate(counts)
        width = (WIDTH - label_w - 60) * (rate or 0)
        marks.append(
            Mark(
                label_w,
                i * row + 6,
                width,
                row - 12,
                category_id,
                names.get(category_id, category_id),
                None if rate is None else round(rate * 100, 1),
            )
        )
    return {"marks": marks, "width": WIDTH, "height": max(len(marks), 1) * row + 4, "label_w": label_w}
