"""The policy's cookie table, rendered from the inventory in HTML or Markdown.

Columns follow the policies' own table: provider, name, purpose, retention, controller.
Rows are grouped by category, in the inventory's order.
"""

from html import escape

COLUMNS = {
    "fr": ("Prestataires", "Nom du cookie", "Finalité", "Durée de conservation", "Responsable du traitement"),
    "en": ("Providers", "Cookie name", "Purpose", "Retention period", "Data controller"),
}
CAPTION = {"fr": "Tableau des cookies et traceurs de {site}", "en": "Cookies and trackers used by {site}"}
KIND_NOTE = {
    "fr": {
        "localStorage": "stockage local",
        "sessionStorage": "stockage de session",
        "indexedDB": "base IndexedDB",
        "cacheStorage": "cache du navigateur",
        "serviceWorker": "service worker",
    },
    "en": {
        "localStorage": "local storage",
        "sessionStorage": "session storage",
        "indexedDB": "IndexedDB database",
        "cacheStorage": "browser cache",
        "serviceWorker": "service worker",
    },
}
EXEMPT_NOTE = {"fr": "exemptés de consentement", "en": "exempt from consent"}
REQUIRED_NOTE = {"fr": "strictement nécessaires", "en": "strictly necessary"}
CONSENT_NOTE = {"fr": "soumis à votre consentement", "en": "subject to your consent"}
# A category the panel shows but that sets nothing yet still gets its row group, so the table
# lists what the visitor is asked about, no less.
NONE_YET = {"fr": "Aucun cookie à ce jour", "en": "No cookies at present"}


def _words(table, lang):
    return table.get(lang, table["en"])


def rows(site, lang):
    """Yield ``(category, [cells…])`` for each declared item, cells as plain text; a category
    without any item yields one row saying so."""
    for category in site.categories:
        if not any(service.items for service in site.services_in(category.id)):
            yield category, [_words(NONE_YET, lang), "", "", "", ""]
        for service in site.services_in(category.id):
            for item in service.items:
                name = item.name
                if item.kind != "cookie":
                    name = f"{name} ({_words(KIND_NOTE, lang)[item.kind]})"
                yield (
                    category,
                    [
                        service.provider or service.name,
                        name,
                        site.text(item.purpose, lang),
                        item.retention.label(lang),
                        site.controller_of(service),
                    ],
                )


def category_heading(site, category, lang):
    note = REQUIRED_NOTE if category.required else EXEMPT_NOTE if category.exempt else CONSENT_NOTE
    return f"{site.text(category.label, lang)} ({_words(note, lang)})"


def render_html(site, lang):
    lang = site.pick_language(lang)
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in _words(COLUMNS, lang))
    out = [
        f'<table class="cmp-cookie-table" lang="{lang}">',
        f"<caption>{escape(_words(CAPTION, lang).format(site=site.name))}</caption>",
        f"<thead><tr>{head}</tr></thead>",
    ]
    current = None
    for category, cells in rows(site, lang):
        if category is not current:
            if current is not None:
                out.append("</tbody>")
            out.append(
                f'<tbody data-category="{escape(category.id)}">'
                f'<tr><th scope="rowgroup" colspan="5">{escape(category_heading(site, category, lang))}</th></tr>'
            )
            current = category
        out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    if current is not None:
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out) + "\n"


def _md_cell(text):
    """Inventory text made inert in a Markdown table: Markdown passes raw HTML through, so
    ``<script>`` would run once rendered; ``|`` and line breaks would end the cell or the table;
    ``[`` would start a link, possibly to ``javascript:``."""
    text = " ".join(text.splitlines())
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
    return escape(text, quote=True)


def render_markdown(site, lang):
    lang = site.pick_language(lang)
    columns = _words(COLUMNS, lang)
    out = [f"**{_md_cell(_words(CAPTION, lang).format(site=site.name))}**", ""]
    current = None
    for category, cells in rows(site, lang):
        if category is not current:
            out += ([""] if current else []) + [
                f"*{_md_cell(category_heading(site, category, lang))}*",
                "",
                "| " + " | ".join(columns) + " |",
                "|" + "---|" * len(columns),
            ]
            current = category
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


def render(site, lang, fmt):
    if fmt == "html":
        return render_html(site, lang)
    if fmt == "md":
        return render_markdown(site, lang)
    raise ValueError(f"unknown format {fmt!r}: expected html or md")
