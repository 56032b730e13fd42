"""The policy's cookie table, generated from the inventory."""

from pathlib import Path

import inventory
from inventory.table import render

SITES = inventory.load_dir(Path(inventory.__file__).parent / "sites")


def test_the_markdown_table_has_the_policys_columns_and_one_row_per_item():
    md = render(SITES["amex-portal"], "fr", "md")
    assert "| Prestataires | Nom du cookie | Finalité | Durée de conservation | Responsable du traitement |" in md
    rows = [line for line in md.splitlines() if line.startswith("| ") and "Prestataires" not in line]
    items = [line for line in rows if not line.startswith("| Aucun cookie")]
    assert len(items) == sum(len(s.items) for s in SITES["amex-portal"].services)
    assert "| Microsoft | ai_user | Cookie de suivi Microsoft Application Insights" in md
    assert "| 1 an | Europ Assistance France |" in md


def test_rows_are_grouped_under_their_category_with_its_legal_basis():
    md = render(SITES["amex-portal"], "fr", "md")
    assert "*Cookies de navigation (strictement nécessaires)*" in md
    assert "*Mesure d&#x27;audience (exemptés de consentement)*" in md  # quotes escaped, as all HTML
    assert "*Suivi des performances (soumis à votre consentement)*" in md


def test_inventory_texts_are_escaped_in_html():
    site = inventory.parse_site(
        (Path(inventory.__file__).parent / "sites" / "amex-portal.yaml")
        .read_text(encoding="utf-8")
        .replace("Lets Azure sites scale (session affinity).", "<script>alert(1)</script>")
    )
    html = render(site, "en", "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_pipe_in_a_text_does_not_break_the_markdown_table():
    site = inventory.parse_site(
        (Path(inventory.__file__).parent / "sites" / "milleis.yaml")
        .read_text(encoding="utf-8")
        .replace("Lets Azure sites scale (session affinity).", "a | b")
    )
    assert "a \\| b" in render(site, "en", "md")


def test_inventory_texts_are_inert_in_the_markdown_table():
    source = (Path(inventory.__file__).parent / "sites" / "milleis.yaml").read_text(encoding="utf-8")
    site = inventory.parse_site(
        source.replace(
            '"Lets Azure sites scale (session affinity)."',
            '"<script>alert(1)</script> | it\'s \\"quoted\\"\\nsecond line, [a link](javascript:alert(2))"',
        ).replace(
            "name: Azure App Service\n    provider: Microsoft", 'name: Azure\n    provider: "<b>Micro</b>soft & Co"'
        )
    )
    md = render(site, "en", "md")
    assert "<script>" not in md and "<b>" not in md
    row = next(line for line in md.splitlines() if "| ARRAffinity |" in line)
    assert row == (
        "| &lt;b&gt;Micro&lt;/b&gt;soft &amp; Co | ARRAffinity "
        "| &lt;script&gt;alert(1)&lt;/script&gt; \\| it&#x27;s &quot;quoted&quot; second line, "
        "\\[a link\\](javascript:alert(2)) | Session | Europ Assistance France |"
    )


def test_a_category_without_cookies_is_listed_saying_so_in_both_formats():
    site = SITES["amex-portal"]
    assert "*Publicité et réseaux sociaux (soumis à votre consentement)*" in render(site, "fr", "md")
    assert "| Aucun cookie à ce jour |" in render(site, "fr", "md")
    html = render(site, "en", "html")
    assert '<tbody data-category="advertising">' in html and "<td>No cookies at present</td>" in html
