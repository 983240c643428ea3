"""The briefing pack as PowerPoint slides (16:9), with python-pptx.

Why python-pptx: the one well-kept library that writes real, editable .pptx files (tables stay
tables, pictures stay pictures) without Office. Every slide is built on the blank layout so the
look does not depend on the default template; the demo mark and, for members, the
"members only" mark are on every slide.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from briefing.model import BriefingContent
from briefing.model import Table as ContentTable
from briefing.pack import Images
from briefing.texts import bt

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
BAND = Inches(0.5)  # the demo band at the top of every slide
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x55, 0x55, 0x55)
DEMO = RGBColor(0xB3, 0x26, 0x1E)
HEAD = RGBColor(0xE9, 0xED, 0xF2)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
FONT = "DejaVu Sans"


def _text(slide, left, top, width, height, lines, size=12, bold=False, colour=INK, align=None):
    """A text box with one paragraph per line (long lines wrap inside the box)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate([lines] if isinstance(lines, str) else lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = colour
            run.font.name = FONT
    return box


def _slide(prs, content: BriefingContent, heading: str | None = None):
    number = len(prs.slides) + 1
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    if content.is_demo:
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, BAND)
        band.fill.solid()
        band.fill.fore_color.rgb = DEMO
        band.line.fill.background()
        box = _text(
            slide,
            MARGIN,
            0,
            Inches(8.1) if content.role != "public" else Inches(12.4),
            BAND,
            f"{content.demo_badge} — {content.demo_note}",
            size=11,
            bold=True,
            colour=WHITE,
        )
        box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    if content.role != "public":
        box = _text(
            slide,
            Inches(8.6),
            0,
            Inches(4.3),
            BAND,
            content.headings["member_mark"],
            size=10,
            bold=True,
            colour=WHITE if content.is_demo else DEMO,
            align=PP_ALIGN.RIGHT,
        )
        box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _text(slide, MARGIN, Inches(7.05), Inches(10.5), Inches(0.35), content.footer, 10, colour=MUTED)
    _text(
        slide,
        Inches(11.3),
        Inches(7.05),
        Inches(1.6),
        Inches(0.35),
        bt("page", content.lang, n=number),
        10,
        colour=MUTED,
        align=PP_ALIGN.RIGHT,
    )
    if heading:
        _text(slide, MARGIN, Inches(0.52), Inches(12.4), Inches(0.6), heading, 24, bold=True)
    return slide


def _lines(text: str, width: int, size: float) -> int:
    """Lines ``text`` takes in a cell ``width`` EMU wide at ``size`` points (greedy word wrap,
    an average glyph taken as 0.58 em: DejaVu Sans and Calibri are narrower)."""
    per_line = max(int((width - Inches(0.1)) / (Pt(size) * 0.58)), 1)
    lines, current = 1, 0
    for word in text.split():
        if current and current + 1 + len(word) > per_line:
            lines, current = lines + 1, len(word)
        else:
            current += (1 if current else 0) + len(word)
        while current > per_line:
            lines, current = lines + 1, current - per_line
    return lines


def _heights(table: ContentTable, widths: list[int], size: float) -> list[int]:
    """Row heights (EMU) that hold the wrapped texts: header first."""
    out = []
    for i, row in enumerate([table.columns, *table.rows]):
        font = size - 1 if i == 0 else size
        lines = max(_lines(text, w, font) for text, w in zip(row, widths, strict=True))
        out.append(int(Pt(font) * 1.2 * lines + Inches(0.06)))
    return out


def _table(slide, table: ContentTable, left, top, width, size=11, first=0.2, bottom=None):
    """A table whose rows are as tall as their wrapped text; the font shrinks (down to 8 pt)
    when it would reach ``bottom``. Returns the shape (its height is the table's)."""
    rows, cols = len(table.rows) + 1, len(table.columns)
    first_w = int(width * first)
    rest = int((width - first_w) / max(cols - 1, 1))
    widths = [first_w, *[rest] * (cols - 1)]
    heights = _heights(table, widths, size)
    while bottom is not None and size > 8 and top + sum(heights) > bottom:
        size -= 1
        heights = _heights(table, widths, size)
    shape = slide.shapes.add_table(rows, cols, left, top, sum(widths), sum(heights))
    grid = shape.table
    for i, w in enumerate(widths):
        grid.columns[i].width = Emu(w)
    for i, h in enumerate(heights):
        grid.rows[i].height = Emu(h)
    for j, header in enumerate(table.columns):
        _cell(grid.cell(0, j), header, size - 1, True, HEAD, table.numeric[j])
    strong = table.strong or [False] * len(table.rows)
    for i, (row, bold) in enumerate(zip(table.rows, strong, strict=True), start=1):
        for j, value in enumerate(row):
            _cell(grid.cell(i, j), value, size, bold, WHITE, table.numeric[j])
    shape.height = Emu(sum(heights))
    return shape


def _cell(cell, text: str, size: float, bold: bool, fill: RGBColor, numeric: bool) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.margin_left = cell.margin_right = Inches(0.05)
    cell.margin_top = cell.margin_bottom = Inches(0.02)
    frame = cell.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.alignment = PP_ALIGN.RIGHT if numeric else PP_ALIGN.LEFT
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = INK
        run.font.name = FONT


def _picture(slide, png: bytes, left, top, max_width, max_height):
    """The picture as large as fits in the box, keeping its proportions."""
    picture = slide.shapes.add_picture(io.BytesIO(png), left, top)
    scale = min(max_width / picture.width, max_height / picture.height)
    picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
    return picture


DESERT_LINES = 3  # what fits under the priority table; the PDF and the HTML list them all


def _shortened(lines, limit: int) -> list[str]:
    lines = list(lines)
    if len(lines) <= limit:
        return lines
    return [*lines[: limit - 1], f"… (+{len(lines) - limit + 1})"]


def pptx_bytes(content: BriefingContent, images: Images) -> bytes:
    """Slides: title, key figures, incidents map, gap map and priorities, trends, method and
    data protection, sources."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    lang = content.lang
    body_top = Inches(1.15)

    slide = _slide(prs, content)
    _text(slide, MARGIN, Inches(1.6), Inches(12.4), Inches(1.0), content.title, 34, bold=True)
    _text(slide, MARGIN, Inches(2.7), Inches(12.4), Inches(0.7), content.subtitle, 26)
    _text(slide, MARGIN, Inches(3.6), Inches(12.4), Inches(1.6), list(content.info_lines), 16)
    _text(
        slide,
        MARGIN,
        Inches(5.3),
        Inches(12.4),
        Inches(1.6),
        list(content.sources[-1:]),
        11,
        colour=MUTED,
    )

    slide = _slide(prs, content, content.headings["key_figures"])
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
    _table(slide, figures, MARGIN, body_top, Inches(8.2), size=16, first=0.46)
    _text(
        slide,
        Inches(9.0),
        body_top,
        Inches(3.9),
        Inches(5.5),
        list(content.key_notes),
        12,
        colour=MUTED,
    )

    slide = _slide(prs, content, content.headings["maps_incidents"])
    _text(
        slide,
        MARGIN,
        body_top,
        Inches(6.0),
        Inches(0.4),
        content.incidents_map.title,
        13,
        bold=True,
    )
    _picture(slide, images.incidents_map, MARGIN, Inches(1.6), Inches(5.8), Inches(5.4))
    first, *more = content.unit_tables
    _text(slide, Inches(6.45), body_top, Inches(6.4), Inches(0.4), first.title, 13, bold=True)
    shape = _table(
        slide,
        first,
        Inches(6.45),
        body_top + Inches(0.45),
        Inches(6.45),
        size=10,
        first=0.16,
        bottom=Inches(6.2),
    )
    notes_top = min(shape.top + shape.height + Inches(0.1), Inches(6.3))
    notes = [*content.unit_tables[-1].notes, *content.incidents_map.notes]
    for table in more:  # more than 6 categories selected: the rest on their own slides
        extra = _slide(
            prs, content, f"{content.headings['maps_incidents']} {bt('continued', lang)}"
        )
        _text(extra, MARGIN, body_top, Inches(12.4), Inches(0.4), table.title, 13, bold=True)
        _table(
            extra,
            table,
            MARGIN,
            body_top + Inches(0.45),
            Inches(12.4),
            size=10,
            first=0.16,
            bottom=Inches(6.9),
        )
    _text(
        slide,
        Inches(6.45),
        notes_top,
        Inches(6.45),
        Inches(7.0) - notes_top,
        list(dict.fromkeys(notes)),
        10,
        colour=MUTED,
    )

    slide = _slide(prs, content, content.headings["maps_gap"])
    _text(slide, MARGIN, body_top, Inches(6.0), Inches(0.4), content.gap_map.title, 13, bold=True)
    _picture(slide, images.gap_map, MARGIN, Inches(1.6), Inches(5.8), Inches(5.4))
    _text(
        slide,
        Inches(6.45),
        body_top,
        Inches(6.4),
        Inches(0.4),
        content.priorities.title,
        13,
        bold=True,
    )
    shape = _table(
        slide,
        content.priorities,
        Inches(6.45),
        body_top + Inches(0.45),
        Inches(6.45),
        size=10,
        first=0.08,
        bottom=Inches(5.1),
    )
    deserts = [
        content.headings["gap_deserts"],
        *(_shortened(content.deserts, DESERT_LINES) or [content.headings["no_deserts"]]),
    ]
    deserts_top = min(shape.top + shape.height + Inches(0.1), Inches(5.2))
    deserts_h = Inches(0.22) * len(deserts) + Inches(0.1)
    _text(slide, Inches(6.45), deserts_top, Inches(6.45), deserts_h, deserts, 11)
    notes_top = deserts_top + deserts_h
    _text(
        slide,
        Inches(6.45),
        notes_top,
        Inches(6.45),
        Inches(7.0) - notes_top,
        list(content.priorities.notes),
        10,
        colour=MUTED,
    )

    slide = _slide(prs, content, content.headings["trends"])
    trends = content.trends
    _text(slide, MARGIN, body_top, Inches(6.1), Inches(0.4), trends.title, 13, bold=True)
    _picture(slide, images.incident_trend, MARGIN, Inches(1.6), Inches(6.1), Inches(4.4))
    _text(
        slide,
        Inches(6.8),
        body_top,
        Inches(6.1),
        Inches(0.4),
        trends.displacement_title,
        13,
        bold=True,
    )
    _picture(slide, images.displacement_trend, Inches(6.8), Inches(1.6), Inches(6.1), Inches(4.4))
    _text(
        slide,
        MARGIN,
        Inches(6.05),
        Inches(12.4),
        Inches(0.9),
        list(trends.incident_notes),
        10,
        colour=MUTED,
    )

    slide = _slide(prs, content, content.headings["method"])
    _text(
        slide,
        MARGIN,
        body_top,
        Inches(6.1),
        Inches(5.8),
        [content.headings["method_title"], *content.method],
        10.5,
    )
    _text(
        slide,
        Inches(6.8),
        body_top,
        Inches(6.1),
        Inches(3.2),
        [content.protection_title, content.protection],
        10.5,
    )
    _text(
        slide,
        Inches(6.8),
        Inches(4.5),
        Inches(6.1),
        Inches(2.4),
        [content.headings["sources"], *content.sources],
        9,
        colour=MUTED,
    )

    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
