"""The consent-analytics counters: per site and UTC day, named counters (see :mod:`cmp.outcomes`
for what the names mean). A decision's counters are added by :meth:`ConsentStore.save` in the
same write as the decision; this interface adds the others (banner displays) and reads them.

A stored field may stand for several counters at once: :func:`combine` joins their names, and
one increment of the combined field counts one for each. A decision adds one to a field naming
its outcome, revision and choices together, and to its language and source
(:func:`cmp.outcomes.decision_counts`), not one per counter; reading expands fields into
counters (a few fields a day per combination of categories).

Reading costs one lookup per day, whatever the number of decisions counted.
"""

import datetime as dt
import functools
from abc import ABC, abstractmethod

SEPARATOR = "|"  # in no counter name (ids, languages and sources never hold it)


def combine(names):
    """One field counting one for each of ``names``."""
    return SEPARATOR.join(names)


@functools.lru_cache(maxsize=4096)
def _names(field):
    return field.split(SEPARATOR)


def expand(fields):
    """``{name: count}`` from stored ``{field: count}``, combined fields counted in each of their names."""
    counts = {}
    for field, n in fields.items():
        for name in _names(field):
            counts[name] = counts.get(name, 0) + n
    return counts


def days(first, last):
    """Every date from ``first`` to ``last``, both included."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


class Counters(ABC):
    @abstractmethod
    def add(self, site, day, names):
        """Add one to each counter in ``names`` for ``site`` on ``day`` (a date), atomically."""

    @abstractmethod
    def read(self, site, first, last):
        """``{date: {name: count}}`` for the days from ``first`` to ``last`` (dates, both
        included) that have any count, combined fields expanded (:func:`expand`); days without
        any are left out."""
