"""The briefing pack as a PDF (A4 landscape), with reportlab.

Why reportlab: pure Python, no system libraries (WeasyPrint needs Pango), mature, and its
layout engine (platypus) wraps table cells and paragraphs so long French labels never run off
the page. Text uses DejaVu Sans shipped with matplotlib, so every accent, the narrow no-break
space of French numbers and the minus sign print the same on every machine.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from briefing.model import BriefingContent
from briefing.model import Table as ContentTable
from briefing.pack import Images
from briefing.texts import bt

# Binary (not ASCII85) streams: smaller files, and without reportlab's optional C accelerator
# the pure-Python ASCII85 encoder is most of the time spent writing the pack's pictures.
rl_config.useA85 = 0

PAGE = landscape(A4)
MARGIN = 1.4 * cm
BAND = 0.8 * cm  # the top band: demo mark and member mark
FONT, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
DEMO = colors.HexColor("#b3261e")
HEAD = colors.HexColor("#e9edf2")
MEMBER = colors.HexColor("#7a4b00")


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in (
        (FONT, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (ITALIC, "DejaVuSans-Oblique.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK)
    return {
        "body": base,
        "para": ParagraphStyle("para", base, spaceAfter=5),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "note": ParagraphStyle(
            "note", base, fontSize=7.5, leading=9.5, textColor=MUTED, spaceBefore=2
        ),
        "title": ParagraphStyle(
            "title", base, fontName=BOLD, fontSize=22, leading=27, spaceAfter=4
        ),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=16, leading=20, spaceAfter=8),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=14, leading=18, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", base, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=4, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=9.6),
        "cell_num": ParagraphStyle("cell_num", base, fontSize=8, leading=9.6, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", base, fontSize=7, leading=8.6),
        "kf_label": ParagraphStyle("kf_label", base, fontSize=10, leading=13),
        "kf_value": ParagraphStyle(
            "kf_value", base, fontName=BOLD, fontSize=15, leading=18, alignment=TA_RIGHT
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _image(png: bytes, width: float) -> Image:
    picture = Image(io.BytesIO(png))
    ratio = picture.imageHeight / picture.imageWidth
    return Image(io.BytesIO(png), width=width, height=width * ratio)


def _table(content: ContentTable, styles, width: float, widths: list[float] | None = None) -> Table:
    # "/ " lets a long header such as "Physical/psychological" wrap at the slash
    head = [_p(c.replace("/", "/ "), styles["cell_head"]) for c in content.columns]
    rows = [head]
    for row, strong in zip(
        content.rows, content.strong or [False] * len(content.rows), strict=True
    ):
        cells = []
        for text, numeric in zip(row, content.numeric, strict=True):
            style = styles["cell_num" if numeric else "cell"]
            cells.append(Paragraph(f"<b>{escape(text)}</b>" if strong else escape(text), style))
        rows.append(cells)
    if widths is None:
        first = width * 0.19
        rest = (width - first) / max(len(content.columns) - 1, 1)
        widths = [first, *[rest] * (len(content.columns) - 1)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _side_by_side(left, right, widths: tuple[float, float]) -> Table:
    holder = Table([[left, right]], colWidths=list(widths))
    holder.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 10),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return holder


def _fit(flowables: list, width: float, height: float) -> KeepInFrame:
    """A column that shrinks its content rather than overflowing the page."""
    return KeepInFrame(width, height, flowables, mode="shrink")


def _decorate(content: BriefingContent):
    """The band at the top (demo mark, members-only mark) and the footer, on every page."""

    def draw(canvas, doc) -> None:
        width, height = PAGE
        canvas.saveState()
        if content.is_demo:
            canvas.setFillColor(DEMO)
            canvas.rect(0, height - BAND, width, BAND, stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont(BOLD, 10)
            canvas.drawString(MARGIN, height - BAND + 0.28 * cm, content.demo_badge)
            canvas.setFont(FONT, 8)
            canvas.drawString(
                MARGIN + pdfmetrics.stringWidth(content.demo_badge, BOLD, 10) + 12,
                height - BAND + 0.29 * cm,
                content.demo_note,
            )
            # a faint diagonal mark too: a crop of the page still says "demo"
            canvas.setFillColor(DEMO)
            canvas.setFillAlpha(0.07)
            canvas.setFont(BOLD, 54)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(24)
            canvas.drawCentredString(0, -18, content.demo_badge)
            canvas.restoreState()
            canvas.saveState()
        if content.role != "public":
            canvas.setFillColor(colors.white if content.is_demo else MEMBER)
            canvas.setFont(BOLD, 8)
            canvas.drawRightString(
                width - MARGIN, height - BAND + 0.29 * cm, content.headings["member_mark"]
            )
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(MARGIN, 0.7 * cm, content.footer)
        canvas.drawRightString(width - MARGIN, 0.7 * cm, bt("page", content.lang, n=doc.page))
        canvas.restoreState()

    return draw


def pdf_bytes(content: BriefingContent, images: Images) -> bytes:
    """The pack as PDF bytes: title and key figures, incidents map, gap map and priorities,
    trends, method and data protection."""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    width, height = PAGE
    frame_w = width - 2 * MARGIN
    frame_h = height - BAND - 0.4 * cm - 1.3 * cm
    frame = Frame(MARGIN, 1.2 * cm, frame_w, frame_h, 0, 0, 0, 0, id="body")
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        title=f"{content.title} — {content.subtitle}",
        author="Cluster Protection Mali",
        subject=content.view,
        pageTemplates=[PageTemplate(id="page", frames=[frame], onPage=_decorate(content))],
    )
    body_h = frame_h - 30
    story: list = []
    story += _title_page(content, styles, frame_w, frame_h)
    story.append(PageBreak())
    first, *more = content.unit_tables
    story += _map_page(
        content.headings["maps_incidents"],
        content.incidents_map.title,
        images.incidents_map,
        [
            *_tables([first], styles, frame_w * 0.54),
            *[
                _p(n, styles["note"])
                for n in content.incidents_map.notes
                if n not in content.unit_tables[-1].notes
            ],
        ],
        styles,
        frame_w,
        body_h,
    )
    # more than 6 categories selected: the rest of the table flows below, full width
    story += _tables(more, styles, frame_w, flowing=True)
    story.append(PageBreak())
    deserts = [_p(content.headings["gap_deserts"], styles["h2"])]
    deserts += [_p(d, styles["body"]) for d in content.deserts] or [
        _p(content.headings["no_deserts"], styles["body"])
    ]
    story += _map_page(
        content.headings["maps_gap"],
        content.gap_map.title,
        images.gap_map,
        [*_tables([content.priorities], styles, frame_w * 0.54, priority=True), *deserts],
        styles,
        frame_w,
        body_h,
    )
    story.append(PageBreak())
    story += _trend_page(content, images, styles, frame_w, body_h)
    story.append(PageBreak())
    story += _method_page(content, styles, frame_w, body_h)
    doc.build(story)
    return buffer.getvalue()


def _tables(tables, styles, width: float, priority: bool = False, flowing: bool = False) -> list:
    """Title, table and notes of each table; ``flowing`` (in the page's flow, not in a column):
    each table starts on the page where it fits whole."""
    out: list = []
    for table in tables:
        widths = None
        if priority:
            unit = width / 100
            widths = [unit * w for w in (8, 18, 18, 12, 13, 18, 13)]
        block = [_p(table.title, styles["h2"]), _table(table, styles, width, widths)]
        block += [_p(n, styles["note"]) for n in table.notes]
        out += [KeepTogether(block), Spacer(1, 6)] if flowing else [*block, Spacer(1, 6)]
    return out


def _title_page(content: BriefingContent, styles, width: float, height: float) -> list:
    kf_rows = [
        [
            _p(bt("col_indicator", content.lang), styles["cell_head"]),
            _p(bt("col_value", content.lang), styles["cell_head"]),
            _p(bt("col_previous", content.lang), styles["cell_head"]),
            _p(bt("col_change", content.lang), styles["cell_head"]),
        ]
    ]
    for fig in content.key_figures:
        kf_rows.append(
            [
                _p(fig.label, styles["kf_label"]),
                _p(fig.value, styles["kf_value"]),
                _p(
                    fig.previous,
                    ParagraphStyle("prev", styles["kf_label"], alignment=TA_RIGHT, textColor=MUTED),
                ),
                _p(fig.change, ParagraphStyle("chg", styles["kf_label"], alignment=TA_RIGHT)),
            ]
        )
    left_w = width * 0.55
    kf = Table(kf_rows, colWidths=[left_w * 0.44, left_w * 0.2, left_w * 0.18, left_w * 0.18])
    kf.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("TOPPADDING", (0, 1), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
            ]
        )
    )
    left = [_p(content.headings["key_figures"], styles["h2"]), kf]
    left += [_p(n, styles["note"]) for n in content.key_notes]
    right = [_p(content.headings["sources"], styles["h2"])]
    right += [_p(s, styles["small"]) for s in content.sources]
    head = [
        _p(content.title, styles["title"]),
        _p(content.subtitle, styles["subtitle"]),
        *[_p(line, styles["body"]) for line in content.info_lines],
        Spacer(1, 10),
    ]
    right_w = width - left_w - 14
    return [
        *head,
        _side_by_side(
            _fit(left, left_w, height - 140),
            _fit(right, right_w, height - 140),
            (left_w + 14, right_w),
        ),
    ]


def _map_page(heading, title, png, right, styles, width, height) -> list:
    map_w = width * 0.46
    left = [_p(title, styles["h2"]), _image(png, map_w - 10)]
    return [
        _p(heading, styles["h1"]),
        _side_by_side(
            _fit(left, map_w, height), _fit(right, width - map_w, height), (map_w, width - map_w)
        ),
    ]


def _trend_page(content: BriefingContent, images: Images, styles, width, height) -> list:
    half = width / 2
    trends = content.trends
    left = [_p(trends.title, styles["h2"]), _image(images.incident_trend, half - 14)]
    left += [_p(n, styles["note"]) for n in trends.incident_notes]
    right = [
        _p(trends.displacement_title, styles["h2"]),
        _image(images.displacement_trend, half - 14),
    ]
    return [
        _p(content.headings["trends"], styles["h1"]),
        _side_by_side(_fit(left, half, height), _fit(right, half, height), (half, half)),
    ]


def _method_page(content: BriefingContent, styles, width, height) -> list:
    half = width / 2
    left = [_p(content.headings["method_title"], styles["h2"])]
    left += [_p(line, styles["para"]) for line in content.method]
    right = [_p(content.protection_title, styles["h2"]), _p(content.protection, styles["para"])]
    right += [Spacer(1, 8), _p(content.headings["sources"], styles["h2"])]
    right += [_p(s, styles["small"]) for s in content.sources]
    return [
        _p(content.headings["method"], styles["h1"]),
        _side_by_side(_fit(left, half - 6, height), _fit(right, half - 6, height), (half, half)),
    ]
