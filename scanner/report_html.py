"""``report.html``: one self-contained page (styles, screenshots and the small filter script
inline) that a compliance officer can read and forward. Rendered from the report dictionary."""

import base64
from importlib import resources

import jinja2

from .rules import human

RULE_HELP = {
    "undeclared": "matches no declaration of the inventory",
    "pre-consent": "a tracker needing consent was present before any decision",
    "after-refusal": "present after 'refuse all' (set, or left behind) though not strictly necessary",
    "over-13-months": "asks for a lifetime above 13 months",
    "exceeds-declared": "asks for a longer lifetime than the inventory declares",
    "declared-not-seen": "declared in the inventory but seen in no phase",
}


def lifetime(seconds, kind="cookie"):
    """``730 days (63072000 s)``; storage has no lifetime of its own."""
    if seconds is None:
        return "session" if kind in ("cookie", "sessionStorage") else "until deleted"
    return f"{human(seconds)} ({seconds} s)"


def _environment():
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (resources.files("scanner") / "templates" / name).read_text(encoding="utf-8")
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["lifetime"] = lifetime
    return env


def render(report, screenshots):
    """``screenshots`` maps phase -> JPEG bytes (or None); they are embedded as base64."""
    shots = {phase: base64.b64encode(data).decode("ascii") for phase, data in screenshots.items() if data}
    return _environment().get_template("report.html").render(r=report, shots=shots, rule_help=RULE_HELP)
