"""Start Chromium for a scan with the third-party cookie policy we want.

Chromium 156 blocks third-party cookies by default, and neither a launch flag nor CDP's
``Network.setCookieControls`` lifts it for Playwright's contexts (tried: the cookies stay
refused with reason ``UserPreferences``). What works is the profile preference
``profile.cookie_controls_mode``: we seed it in a fresh profile, launch that profile, and open
each phase's context from the same browser (the contexts inherit the preference).
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

# cookie_controls_mode: 0 lets third-party cookies through, 1 blocks them (a default browser).
ALLOW_THIRD_PARTY, BLOCK_THIRD_PARTY = 0, 1
DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # One renderer per page instead of one per site: third-party frames share the page's CDP
    # session (their Set-Cookie headers and refusals reach us) and two cores go further.
    "--disable-site-isolation-trials",
]
VIEWPORT = {"width": 1280, "height": 800}


def chromium_path():
    """``$CMP_CHROMIUM``, else Debian's chromium, else Playwright's own download (None)."""
    path = os.environ.get("CMP_CHROMIUM") or DEFAULT_CHROMIUM
    return path if Path(path).exists() else None


class Browser:
    """``async with Browser(pw, block_third_party) as browser: ctx = await browser.new_context()``."""

    def __init__(self, playwright, block_third_party=False, executable_path=None):
        self._pw = playwright
        self._mode = BLOCK_THIRD_PARTY if block_third_party else ALLOW_THIRD_PARTY
        self._executable = executable_path or chromium_path()
        self._profile = None
        self._default = None
        self.browser = None

    async def __aenter__(self):
        self._profile = tempfile.mkdtemp(prefix="cmp-scan-profile-")
        (Path(self._profile) / "Default").mkdir()
        prefs = {"profile": {"cookie_controls_mode": self._mode, "block_third_party_cookies": bool(self._mode)}}
        (Path(self._profile) / "Default" / "Preferences").write_text(json.dumps(prefs), encoding="utf-8")
        try:
            self._default = await self._pw.chromium.launch_persistent_context(
                self._profile, executable_path=self._executable, args=LAUNCH_ARGS, headless=True
            )
        except Exception:
            shutil.rmtree(self._profile, ignore_errors=True)
            raise
        self.browser = self._default.browser
        return self

    async def new_context(self, storage_state=None):
        """A fresh context (own cookie jar, storage and cache) for one phase."""
        return await self.browser.new_context(
            storage_state=storage_state, viewport=VIEWPORT, ignore_https_errors=True, locale="fr-FR"
        )

    async def __aexit__(self, *exc):
        try:
            await self._default.close()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)
