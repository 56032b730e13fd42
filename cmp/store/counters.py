"""The consent-analytics counters: per site and UTC day, named counters (see :mod:`cmp.outcomes`
for what the names mean). A decision's counters are added by :meth:`ConsentStore.save` in the
same write as the decision; this interface adds the others (banner displays) and reads them.

Reading costs one lookup per day, whatever the number of decisions counted.
"""

import datetime as dt
from abc import ABC, abstractmethod


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
        included) that have any count; days without any are left out."""
