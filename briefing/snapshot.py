"""The offline snapshot: one self-contained HTML file of a briefing pack.

It opens from a USB stick or an e-mail attachment in any browser with no server and no
internet: the CSS is inline, the maps and charts are PNG ``data:`` URIs, there is no script and
no link to any other file or host. Texts are escaped; the numbers are those of the pack.
"""

from __future__ import annotations

import base64
from html import escape

from briefing.model import BriefingContent
from briefing.model import Table as ContentTable
from briefing.pack import Images
from briefing.texts import bt

CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;
color:#1a1a1a;background:#f6f7f9;line-height:1.4}
.demo{position:sticky;top:0;z-index:2;background:#b3261e;color:#fff;padding:.45rem 1rem;
font-weight:700}
.demo span{font-weight:400;margin-left:.6rem}
.members{background:#7a4b00;color:#fff;padding:.35rem 1rem;font-weight:700}
main{max-width:1200px;margin:0 auto;padding:1rem}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:1rem 1.2rem;
margin:0 0 1rem}
h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.25rem;margin:.2rem 0 .6rem}
h3{font-size:1rem;margin:.8rem 0 .4rem}
.subtitle{font-size:1.25rem;margin:.2rem 0 .6rem}
.info,.note,.sources{color:#555;font-size:.85rem}
.note{margin:.3rem 0}
.cols{display:flex;flex-wrap:wrap;gap:1.2rem}.cols>div{flex:1 1 400px;min-width:0}
.cols>div.wide{flex:1.4 1 480px}
img{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th{background:#e9edf2;text-align:left;font-weight:600;padding:.3rem .4rem;vertical-align:bottom}
.scroll{overflow-x:auto}
td{border-bottom:1px solid #ddd;padding:.25rem .4rem;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}
tr.strong td{font-weight:700}
.kf td{font-size:1rem}.kf td.value{font-size:1.3rem;font-weight:700}
footer{color:#555;font-size:.8rem;text-align:center;padding:1rem}
@media print{.demo{position:static}section{break-inside:avoid}}
"""


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">'


def _header(text: str) -> str:
    """A header that may wrap after a slash ("physique et/ou psychique")."""
    return escape(text).replace("/", "/<wbr>")


def _table(table: ContentTable, css: str = "") -> str:
    head = "".join(
        f'<th class="num">{_header(c)}</th>' if n else f"<th>{_header(c)}</th>"
        for c, n in zip(table.columns, table.numeric, strict=True)
    )
    body = []
    strong = table.strong or [False] * len(table.rows)
    for row, bold in zip(table.rows, strong, strict=True):
        cells = "".join(
            f'<td class="num">{escape(v)}</td>' if n else f"<td>{escape(v)}</td>"
            for v, n in zip(row, table.numeric, strict=True)
        )
        body.append(f'<tr class="strong">{cells}</tr>' if bold else f"<tr>{cells}</tr>")
    attr = f' class="{css}"' if css else ""
    rows = "".join(body)
    markup = f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    return f'<div class="scroll">{markup}</div>'


def _notes(notes) -> str:
    return "".join(f'<p class="note">{escape(n)}</p>' for n in notes)


def html_text(content: BriefingContent, images: Images) -> str:
    lang = content.lang
    h = content.headings
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(content.title)} — {escape(content.subtitle)}</title>",
        f"<style>{CSS}</style></head><body>",
    ]
    if content.is_demo:
        parts.append(
            f'<div class="demo" role="status">{escape(content.demo_badge)}'
            f"<span>{escape(content.demo_note)}</span></div>"
        )
    if content.role != "public":
        parts.append(f'<div class="members">{escape(h["member_mark"])}</div>')
    parts.append("<main>")
    parts.append(
        "<section>"
        f"<h1>{escape(content.title)}</h1>"
        f'<p class="subtitle">{escape(content.subtitle)}</p>'
        + "".join(f'<div class="info">{escape(line)}</div>' for line in content.info_lines)
        + f'<p class="note">{escape(h["snapshot_title"])} — {escape(h["snapshot_note"])}</p>'
        "</section>"
    )
    figures = ContentTable(
        title="",
        columns=(
            bt("col_indicator", lang),
            bt("col_value", lang),
            bt("col_previous", lang),
            bt("col_change", lang),
        ),
        rows=tuple((f.label, f.value, f.previous, f.change) for f in content.key_figures),
        numeric=(False, True, True, True),
    )
    parts.append(
        f"<section><h2>{escape(h['key_figures'])}</h2>{_table(figures, 'kf')}"
        f"{_notes(content.key_notes)}</section>"
    )
    unit_tables = "".join(
        f"<h3>{escape(t.title)}</h3>{_table(t)}{_notes(t.notes)}" for t in content.unit_tables
    )
    parts.append(
        f'<section><h2>{escape(h["maps_incidents"])}</h2><div class="cols">'
        f"<div><h3>{escape(content.incidents_map.title)}</h3>"
        f"{_img(images.incidents_map, content.incidents_map.title)}</div>"
        f'<div class="wide">{unit_tables}</div></div></section>'
    )
    deserts = "".join(f"<li>{escape(d)}</li>" for d in content.deserts)
    deserts = f"<ul>{deserts}</ul>" if deserts else f"<p>{escape(h['no_deserts'])}</p>"
    parts.append(
        f'<section><h2>{escape(h["maps_gap"])}</h2><div class="cols">'
        f"<div><h3>{escape(content.gap_map.title)}</h3>"
        f"{_img(images.gap_map, content.gap_map.title)}</div>"
        f"<div><h3>{escape(content.priorities.title)}</h3>{_table(content.priorities)}"
        f"{_notes(content.priorities.notes)}<h3>{escape(h['gap_deserts'])}</h3>{deserts}"
        "</div></div></section>"
    )
    trends = content.trends
    parts.append(
        f'<section><h2>{escape(h["trends"])}</h2><div class="cols">'
        f"<div><h3>{escape(trends.title)}</h3>{_img(images.incident_trend, trends.title)}"
        f"{_notes(trends.incident_notes)}</div>"
        f"<div><h3>{escape(trends.displacement_title)}</h3>"
        f"{_img(images.displacement_trend, trends.displacement_title)}</div>"
        "</div></section>"
    )
    parts.append(
        f'<section><h2>{escape(h["method"])}</h2><div class="cols">'
        f"<div><h3>{escape(h['method_title'])}</h3>"
        + "".join(f"<p>{escape(line)}</p>" for line in content.method)
        + f"</div><div><h3>{escape(content.protection_title)}</h3>"
        f"<p>{escape(content.protection)}</p>"
        f"<h3>{escape(h['sources'])}</h3>"
        + "".join(f'<div class="sources">{escape(s)}</div>' for s in content.sources)
        + "</div></div></section>"
    )
    parts.append(f"</main><footer>{escape(content.footer)}</footer></body></html>")
    return "\n".join(parts)


def html_bytes(content: BriefingContent, images: Images) -> bytes:
    return html_text(content, images).encode("utf-8")
