"""The fixture site the scanner is tested against: a small shop on 127.0.0.1 with its own
(non-CMP) banner, and a third party on localhost (another host, so another site for cookies).

What each page sets, and when, is listed in ``expected.yaml`` beside this file.
"""

import secrets
import threading
from pathlib import Path

from flask import Flask, make_response, request

STATIC = Path(__file__).parent / "static"

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1>
<nav>{links}</nav>
{body}
<script src="/static/banner.js"></script>
<script src="/static/stats.js"></script>
{accepted}
</body></html>"""

HOME_LINKS = [
    "/a",
    "/a#team",
    "/b",
    "/c?y=2&x=1",
    "/c?x=1&y=2",
    "/files/guide.pdf",
    "{third}/elsewhere",
    "mailto:contact@example.com",
    "javascript:void(0)",
]
HOME_BODY = """<p>Bienvenue.</p>
<script>
  localStorage.setItem("fx_prefs", "{}");
  sessionStorage.setItem("fx_tab", "1");
  setTimeout(function () { document.cookie = "late_probe=1; Max-Age=3600; Path=/"; }, 800);
</script>"""


WIDGET_PAGE = """<!doctype html><html><body><h1>Widget</h1><script>
  window.CMP = {
    acceptAll: async function () { document.cookie = "w_choice=all; Max-Age=600; Path=/"; },
    refuseAll: async function () { document.cookie = "w_choice=none; Max-Age=600; Path=/"; },
    getConsent: function () { return null; }
  };
</script></body></html>"""


# Set-Cookie lines a parser gets wrong, for /odd-cookies: what Chromium keeps of each is in
# tests/scanner/test_odd_cookies.py.
ODD_SET_COOKIE_LINES = [
    " spaced name = v w ; Path=/",
    '"quoted"=1; Path=/',
    "=nameless; Path=/",
    'semi="a;b=c"; Path=/',
    "odd_case=1; mAx-AgE=60; PATH=/; sAmEsItE=sTrIcT; HTTPONLY",
    "dotted_ip=1; Domain=.127.0.0.1; Path=/",
    "two_domains=1; Domain=example.com; Domain=127.0.0.1; Path=/",
    "empty_domain=1; Domain=; Path=/",
    "foreign=1; Domain=example.com; Path=/",
]
ODD_PAGE = """<!doctype html><html><body><h1>Odd cookies</h1><iframe></iframe><script>
  // An about:blank frame writes under its parent's origin, though its URL has no host.
  document.querySelector("iframe").contentDocument.cookie = "from_blank=1; Path=/";
</script></body></html>"""


HANGING_PAGES = 6
# Never set: /hang/<n> answers only after the scans that visit it have given up on it.
_NEVER = threading.Event()


def create_site_app(third_party_url):
    app = Flask("fixture_site", static_folder=str(STATIC), static_url_path="/static")

    def page(title, links=("/",), body="", extra=""):
        accepted = request.cookies.get("fx_choice") == "accepted"
        html = PAGE.format(
            title=title,
            links=" ".join(f'<a href="{href.format(third=third_party_url)}">{href}</a>' for href in links),
            body=body,
            accepted=(f'<script src="{third_party_url}/tag.js"></script>' + extra) if accepted else "",
        )
        response = make_response(html)
        if "sid" not in request.cookies:
            response.headers.add("Set-Cookie", f"sid={secrets.token_hex(8)}; Path=/; HttpOnly; SameSite=Lax")
        return response

    @app.get("/")
    def home():
        links = HOME_LINKS + (["/account"] if request.cookies.get("auth") == "ok" else [])
        return page("Accueil", links, HOME_BODY, extra=f'<iframe src="{third_party_url}/embed"></iframe>')

    @app.get("/account")
    def account():
        # Only an authenticated visitor (cookie auth=ok) is linked here and may see it.
        if request.cookies.get("auth") != "ok":
            return make_response("<!doctype html><p>Connectez-vous.</p>", 401)
        return page("Mon compte", ["/"])

    # Single pages outside the crawl (nothing links to them), scanned on their own: a banner
    # inside a third-party iframe, a page driven through window.CMP, odd Set-Cookie lines, and
    # a page whose links never answer.
    @app.get("/framed")
    def framed():
        frame = f'<iframe src="{third_party_url}/consent-frame"></iframe>'
        return f"<!doctype html><html><body><h1>Framed</h1>{frame}</body></html>"

    @app.get("/widget")
    def widget():
        return WIDGET_PAGE

    @app.get("/hangs")
    def hangs():
        links = "".join(f'<a href="/hang/{n}">{n}</a> ' for n in range(1, HANGING_PAGES + 1))
        return f"<!doctype html><html><body><h1>Lent</h1>{links}</body></html>"

    @app.get("/hang/<int:n>")
    def hang(n):
        _NEVER.wait(60)
        return "<!doctype html><p>Trop tard.</p>"

    @app.get("/odd-cookies")
    def odd_cookies():
        response = make_response(ODD_PAGE)
        for line in ODD_SET_COOKIE_LINES:
            response.headers.add("Set-Cookie", line)
        return response

    @app.get("/a")
    def page_a():
        return page("A", ["/", "/b"])

    @app.get("/b")
    def page_b():
        return page("B", ["/", "/b/deep"])

    @app.get("/c")
    def page_c():
        return page("C", ["/"])

    @app.get("/b/deep")
    def deep():
        response = page("Panier", ["/", "/b"])
        response.headers.add("Set-Cookie", "cart=empty; Max-Age=7200; Path=/; HttpOnly; SameSite=Lax")
        return response

    @app.get("/sitemap-only")
    def sitemap_only():
        return page("Plan", ["/"])

    @app.get("/files/guide.pdf")
    def pdf():
        response = make_response(b"%PDF-1.4\n%%EOF\n")
        response.mimetype = "application/pdf"
        return response

    @app.get("/sitemap.xml")
    def sitemap():
        base = request.host_url.rstrip("/")
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{base}/</loc></url><url><loc>{base}/sitemap-only</loc></url></urlset>"
        )
        response = make_response(body)
        response.mimetype = "application/xml"
        return response

    return app


def create_third_party_app():
    app = Flask("fixture_third_party", static_folder=None)

    @app.get("/embed")
    def embed():
        response = make_response("""<!doctype html><html><body>Partenaire
<script>
  document.cookie = "tp_js=1; Path=/; SameSite=None; Secure";
  localStorage.setItem("tp_ls", "1");
</script></body></html>""")
        response.headers.add("Set-Cookie", "tp_uid=u42; Max-Age=31536000; Path=/; SameSite=None; Secure")
        # No SameSite: treated as Lax, which a cross-site frame may not set; the browser refuses it.
        response.headers.add("Set-Cookie", "tp_lax=1; Max-Age=86400; Path=/")
        return response

    @app.get("/consent-frame")
    def consent_frame():
        return """<!doctype html><html><body><p>We use cookies.</p>
<a href="#" role="button" onclick="choose('all')">Accept all</a>
<a href="#" role="button" onclick="choose('none')">Reject all</a>
<script>
  function choose(value) {
    document.cookie = "frame_choice=" + value + "; Max-Age=600; Path=/; SameSite=None; Secure";
  }
</script></body></html>"""

    @app.get("/tag.js")
    def tag():
        response = make_response((STATIC / "tag.js").read_text())
        response.mimetype = "text/javascript"
        return response

    @app.get("/elsewhere")
    def elsewhere():
        return "<!doctype html><p>Another site.</p>"

    return app
