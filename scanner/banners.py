"""Find and answer a consent banner: a selector given by the user, or any banner's button found
by its text (French or English), in every frame and inside open shadow roots (our widget's
"Tout refuser" / "Tout accepter" included: it is clicked like a visitor would). Our widget is
answered through ``window.CMP`` only when none of its buttons shows. Returns how the banner was
handled, for the report."""

import asyncio
import time

# Exact button texts after normalisation (lower case, no accents, no surrounding symbols),
# best first: "refuse all" before a plain "refuse".
PHRASES = {
    "refuse": [
        "tout refuser",
        "refuser tout",
        "tout rejeter",
        "rejeter tout",
        "refuser tous les cookies",
        "refuser les cookies",
        "continuer sans accepter",
        "refuser et fermer",
        "je refuse",
        "refuser",
        "rejeter",
        "reject all",
        "refuse all",
        "decline all",
        "deny all",
        "reject all cookies",
        "decline all cookies",
        "continue without accepting",
        "use necessary cookies only",
        "only necessary cookies",
        "necessary cookies only",
        "reject",
        "decline",
        "deny",
        "refuse",
    ],
    "accept": [
        "tout accepter",
        "accepter tout",
        "accepter tous les cookies",
        "accepter les cookies",
        "accepter et fermer",
        "accepter et continuer",
        "j'accepte",
        "accepter",
        "accept all",
        "accept all cookies",
        "allow all",
        "allow all cookies",
        "accept cookies",
        "accept and close",
        "accept & close",
        "i accept",
        "i agree",
        "agree",
        "accept",
        "allow cookies",
    ],
}
WIDGET_CALL = {"refuse": "refuseAll", "accept": "acceptAll"}
# How long a banner may take to appear after the page has settled (polled, not slept).
APPEAR_TIMEOUT_S = 3.0
# Once our widget's API is there, how long its banner's buttons may take to show before the
# scanner falls back to calling the API.
WIDGET_BUTTON_WAIT_S = 1.5

# The site id of the project's widget embedded in the page: the generic tag's data-site, else the
# per-site script's URL (/v1/sites/<site>/widget.js), else null.
_WIDGET_SITE_JS = """() => {
  for (const s of document.querySelectorAll("script[src]")) {
    if (s.dataset.site) return s.dataset.site;
    const m = new URL(s.src, location.href).pathname.match(/\\/v1\\/sites\\/([^/]+)\\/widget\\.js$/);
    if (m) return decodeURIComponent(m[1]);
  }
  return null;
}"""

_FIND_JS = """([phrases, selector]) => {
  const norm = (s) => (s || "").normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").replace(/[\\u2019`]/g, "'")
    .toLowerCase().replace(/\\s+/g, " ").replace(/^[^a-z0-9']+|[^a-z0-9']+$/g, "");
  const visible = (el) => {
    const r = el.getBoundingClientRect(), st = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && st.visibility !== "hidden" && st.display !== "none";
  };
  const clickable = "button, a, [role=button], input[type=button], input[type=submit], [onclick]";
  let best = null;
  const walk = (root, shadow) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) walk(el.shadowRoot, true);
      let rank = -1;
      if (selector) rank = el.matches(selector) ? 0 : -1;
      else if (el.matches(clickable))
        rank = phrases.indexOf(norm(el.innerText || el.value || el.getAttribute("aria-label")));
      if (rank >= 0 && visible(el) && (!best || rank < best.rank)) best = {el, rank, shadow};
    }
  };
  walk(document, false);
  if (!best) return null;
  best.el.__cmpScanShadow = best.shadow;
  best.el.__cmpScanRank = best.rank;
  return best.el;
}"""


async def find_button(page, action, selector=None):
    """(element, frame, rank) of the best matching control over all frames, or None."""
    found = None
    for frame in page.frames:
        try:
            handle = await frame.evaluate_handle(_FIND_JS, [PHRASES[action], selector])
        except Exception:
            continue
        element = handle.as_element()
        if element is None:
            continue
        rank = await element.evaluate("e => e.__cmpScanRank")
        if found is None or rank < found[2]:
            found = (element, frame, rank)
    return found


async def has_widget(page, action):
    call = WIDGET_CALL[action]
    try:
        return await page.evaluate(f"() => !!(window.CMP && typeof window.CMP.{call} === 'function')")
    except Exception:
        return False


async def widget_site(page):
    """The site id our widget was embedded for in ``page`` (None: no widget tag found)."""
    try:
        return await page.evaluate(_WIDGET_SITE_JS)
    except Exception:
        return None


async def locate(page, action, selector=None, wait_s=APPEAR_TIMEOUT_S):
    """Wait up to ``wait_s`` for a visible button; (method, found), ("widget-api", None) when only
    our widget's API answers (no button of its showed within WIDGET_BUTTON_WAIT_S), or ("none", None)."""
    deadline = time.monotonic() + wait_s
    widget_since = None
    while True:
        found = await find_button(page, action, selector)
        if found:
            return ("selector" if selector else "button-text"), found
        now = time.monotonic()
        if selector is None and await has_widget(page, action):
            widget_since = widget_since or now
            if now - widget_since >= WIDGET_BUTTON_WAIT_S or now >= deadline:
                return "widget-api", None
        elif now >= deadline:
            return "none", None
        await asyncio.sleep(0.2)


def not_found(action):
    return {
        "method": "none",
        "action": action,
        "clicked": None,
        "frame_url": None,
        "in_shadow_root": False,
        "widget_site": None,
    }


async def describe(method, found, page, action):
    """The report's account of how the banner was (or would be) handled."""
    entry = {**not_found(action), "method": method, "widget_site": await widget_site(page)}
    if method == "widget-api":
        entry["clicked"] = f"window.CMP.{WIDGET_CALL[action]}()" if action else None
        entry["frame_url"] = page.url
    elif found:
        element, frame, _rank = found
        entry["clicked"] = " ".join(
            (await element.evaluate("e => e.innerText || e.value || e.getAttribute('aria-label') || e.tagName")).split()
        )
        entry["frame_url"] = frame.url
        entry["in_shadow_root"] = bool(await element.evaluate("e => !!e.__cmpScanShadow"))
    return entry


# The control about to be clicked, outlined in the screenshot (over the page's own focus styles).
_OUTLINE_JS = """e => {
  e.style.setProperty('outline', '4px solid #d00', 'important');
  e.style.setProperty('outline-offset', '2px', 'important');
}"""


async def answer(page, method, found, action):
    """Click the button (outlined in the screenshot first) or call the widget; returns the screenshot."""
    if method == "widget-api":
        shot = await page.screenshot(type="jpeg", quality=60)
        await page.evaluate(f"async () => {{ await window.CMP.{WIDGET_CALL[action]}(); }}")
        return shot
    element = found[0]
    await element.evaluate(_OUTLINE_JS)
    shot = await page.screenshot(type="jpeg", quality=60)
    try:
        await element.click(timeout=3000)
    except Exception:
        await element.evaluate("e => e.click()")
    return shot
