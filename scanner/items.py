"""Merge the observations of all phases into one :class:`Item` per distinct kind, name, domain and,
for cookies, path: where and how it was set, what lifetime it asked for and got, and in which
phases it was present."""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from .urls import party

PHASES = ("before", "refuse", "accept")  # no decision, after "refuse all", after "accept all"
# Every kind of item, in report order: what the inventory can declare.
KINDS = ("cookie", "localStorage", "sessionStorage", "indexedDB", "cacheStorage", "serviceWorker")
PHASE_ORDER = {phase: i for i, phase in enumerate(PHASES)}
# A script's document.cookie write the jar never showed: the browser dropped it without a reason.
JS_WRITE_IGNORED = "IgnoredByBrowser"


@dataclass
class Item:
    name: str
    kind: str  # one of KINDS
    domain: str
    party: str  # first | third
    phases: list  # phases it was present in, in phase order
    first_seen_url: str
    set_by: str | None  # "http" or "js"; None when only found stored
    initiator: str | None  # the response URL or script URL that set it
    requested_lifetime_s: int | None  # what the site asked for; None for a session cookie or storage
    stored_lifetime_s: int | None  # what the browser kept (Chromium caps at 400 days)
    secure: bool | None = None
    http_only: bool | None = None
    same_site: str | None = None
    stored: bool = True
    blocked_reasons: list = field(default_factory=list)
    declared: object = None  # a scanner.match.Declaration, set by rules.findings; None: undeclared
    path: str | None = None  # cookies: the same name on "/" and on "/compte" is two cookies

    @property
    def key(self):
        return self.kind, self.name, self.domain, self.path


# A write reaches us as an event shortly after the browser stored it: a snapshot taken by another
# tab meanwhile may already hold the cookie. Within this delay, the write is the one it shows.
EVENT_LATENCY_S = 1.0


def _order(obs):
    return PHASE_ORDER.get(obs.phase, 9), obs.at


def _first_seen(present):
    """Where it first appeared: in its first phase, the page of a write rather than a snapshot."""
    first_phase = present[0].phase
    in_phase = [o for o in present if o.phase == first_phase]
    return next((o for o in in_phase if o.how is not None), in_phase[0]).page_url


def _present(obs):
    return not (obs.write is not None and obs.write.deletes)


def _ascii(domain):
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def _stored_domain(obs, held):
    """The domain the browser's jar gave the cookie ``obs`` wrote; ``held`` is the set of domains
    the jar showed a cookie of that name under, in any phase.

    Parsing alone cannot always tell: a Domain equal to an IP address or a public suffix host
    makes a host-only cookie, an internationalised Domain is stored in its ASCII form, and a
    write whose page or response we could not place has no host. A write the browser refused
    keeps the domain it asked for: no jar entry is its.
    """
    if obs.domain in held or obs.blocked:
        return obs.domain
    host = obs.write.host
    if not host:
        return next(iter(held)) if len(held) == 1 else obs.domain
    asked = obs.domain.removeprefix(".")
    if asked == host and host in held:
        return host
    dotted = "." + _ascii(asked)
    return dotted if dotted in held else obs.domain


def _with_jar_domains(observations):
    """Observations whose cookie writes carry the domain the browser stored them under."""
    held = defaultdict(set)
    for obs in observations:
        if obs.kind == "cookie" and obs.stored_expires is not None:
            held[obs.name].add(obs.domain)
    for obs in observations:
        if obs.write is not None:
            domain = _stored_domain(obs, held[obs.name])
            if domain != obs.domain:
                obs = replace(obs, domain=domain)
        yield obs


def build_items(observations, target_url):
    """Items sorted by kind, domain and name; items that were only ever deleted are left out.

    A cookie is one item under the domain the browser's jar gave it (see :func:`_stored_domain`).
    """
    groups = defaultdict(list)
    for obs in _with_jar_domains(observations):
        groups[(obs.kind, obs.name, obs.domain, obs.path if obs.kind == "cookie" else None)].append(obs)
    items = []
    for (kind, name, domain, path), group in groups.items():
        group.sort(key=_order)
        present = [o for o in group if _present(o)]
        if not present:
            continue
        writes = [o for o in present if o.how is not None]
        jar = [o for o in group if o.stored_expires is not None]
        first_write = writes[0] if writes else None
        item = Item(
            name=name,
            kind=kind,
            domain=domain,
            party=party(domain, target_url),
            phases=sorted({o.phase for o in present}, key=PHASE_ORDER.get),
            first_seen_url=_first_seen(present),
            set_by=first_write.how if first_write else None,
            initiator=first_write.initiator if first_write else None,
            requested_lifetime_s=None,
            stored_lifetime_s=None,
            path=path,
        )
        if kind == "cookie":
            _cookie_details(item, writes, jar)
        items.append(item)
    items.sort(key=lambda i: (KINDS.index(i.kind), i.party, i.domain, i.name, i.path or ""))
    return items


def _cookie_details(item, writes, jar):
    cookie_writes = [o for o in writes if o.write is not None]
    asked = [o.write.lifetime_s for o in cookie_writes if o.write.lifetime_s is not None]
    # Several writes may ask for different lifetimes: the longest is the one to answer for.
    item.requested_lifetime_s = max(asked) if asked else None
    stored = []
    for snap in jar:
        if snap.stored_expires is None or snap.stored_expires < 0:
            continue
        earlier = [o.at for o in cookie_writes if o.phase == snap.phase and o.at <= snap.at + EVENT_LATENCY_S]
        stored.append(round(snap.stored_expires - (max(earlier) if earlier else snap.at)))
    item.stored_lifetime_s = max(stored) if stored else None
    if item.requested_lifetime_s is None and not cookie_writes and item.stored_lifetime_s is not None:
        item.requested_lifetime_s = item.stored_lifetime_s  # only ever seen in the jar
    last = cookie_writes[-1].write if cookie_writes else None
    flags = next((o.stored_flags for o in jar if o.stored_flags), None)
    if last is not None:
        item.secure, item.http_only, item.same_site = last.secure, last.http_only, last.same_site
    elif flags is not None:
        item.secure, item.http_only, item.same_site = flags
    reasons = sorted({r for o in cookie_writes for r in o.blocked})
    accepted_http = any(o.how == "http" and not o.blocked for o in cookie_writes)
    item.stored = bool(jar) or accepted_http
    if not item.stored and not reasons:
        reasons = [JS_WRITE_IGNORED]
    item.blocked_reasons = reasons
