"""What a decision counts as in the consent analytics, decided here and nowhere else: the
counter names one decision (or one banner display) adds one to, for its site and UTC day.
A decision's outcome, revision and categories are stored as one combined field, its language and
source as two plain ones (:func:`decision_counts`): three increments per decision, not one per
counter, and a day holds a few fields per category combination, whatever the languages and
sources (a read expands every field of every day it covers).

Accept all = every refusable category granted; refuse all = every refusable category refused;
custom = the rest. A withdrawal counts as ``withdrawn`` only (and in its revision's totals):
not as a refusal, nor in the categories, languages or sources, which describe decisions.
"""

from .store.counters import combine

OUTCOMES = ("accept_all", "refuse_all", "custom", "withdrawn")
TOTALS = ("shown", *OUTCOMES)
SHOWN = "shown"


def category(category_id, granted):
    return f"cat:{category_id}:{'granted' if granted else 'refused'}"


def revision(revision_id, total):
    return f"rev:{revision_id}:{total}"


def language(lang):
    return f"lang:{lang}"


def source(name):
    return f"source:{name}"


def outcome(site, record):
    """``accept_all``, ``refuse_all``, ``custom`` or ``withdrawn`` for a stored decision of ``site``."""
    if record.action == "withdraw":
        return "withdrawn"
    refusable = [record.choices.get(c.id, False) for c in site.categories if c.refusable]
    if all(refusable):
        return "accept_all"
    if not any(refusable):
        return "refuse_all"
    return "custom"


def decision_counters(site, record):
    """Every counter ``record`` adds one to."""
    result = outcome(site, record)
    names = [result, revision(record.revision, result)]
    if result != "withdrawn":
        names += [category(c, granted) for c, granted in record.choices.items()]
        names += [language(record.lang), source(record.source)]
    return names


def decision_counts(site, record):
    """What :meth:`ConsentStore.save` adds one to for ``record``: the counters of
    :func:`decision_counters`, its outcome, revision and categories combined in one field.

    Language and source stay apart: combined too, they would multiply the fields of a day (48
    instead of 13 on a site of three refusable categories, two languages and three sources),
    and a year's read with them (`bench/stats_speed.py`) from about 5 ms to about 35 ms."""
    result = outcome(site, record)
    names = [result, revision(record.revision, result)]
    if result == "withdrawn":
        return (combine(names),)
    names += [category(c, granted) for c, granted in record.choices.items()]
    return (combine(names), language(record.lang), source(record.source))


def shown_counters(site):
    """The counters one display of ``site``'s banner adds one to (its current revision's too)."""
    return [SHOWN, revision(site.revision, SHOWN)]
