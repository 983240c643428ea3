"""Build a briefing pack: collect the content once, draw the pictures once, write each format.

:func:`build_pack` is what the command line and the dashboard's download call; the writers
(:mod:`briefing.pdf`, :mod:`briefing.slides`, :mod:`briefing.snapshot`) only lay out a
:class:`~briefing.model.BriefingContent` and its :class:`Images`, they compute nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from analysis.dataset import DashboardData
from briefing.charts import displacement_chart, incident_chart
from briefing.content import collect
from briefing.maps import render_map
from briefing.model import BriefingContent

FORMATS = ("pdf", "pptx", "html")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html; charset=utf-8",
}


@dataclass(frozen=True)
class Images:
    """PNG bytes of the pack's pictures."""

    incidents_map: bytes
    gap_map: bytes
    incident_trend: bytes
    displacement_trend: bytes


def render_images(data: DashboardData, content: BriefingContent) -> Images:
    texts = {**content.headings, "lang": content.lang}
    regions = data.display(1)
    trends = content.trends
    return Images(
        incidents_map=render_map(
            content.incidents_map, data.display(content.incidents_map.level), regions, texts
        ),
        gap_map=render_map(content.gap_map, data.display(content.gap_map.level), regions, texts),
        incident_trend=incident_chart(
            trends.incidents, content.lang, trends.axis_events, texts["no_incident_data"]
        ),
        displacement_trend=displacement_chart(
            trends.displacement, content.lang, trends.axis_people
        ),
    )


def filename(content: BriefingContent, fmt: str) -> str:
    """``briefing_ML05_2019-10_2019-12_fr_public.pdf`` (scope ``ML`` for Mali)."""
    scope = content.scope or "ML"
    return f"briefing_{scope}_{content.start}_{content.end}_{content.lang}_{content.role}.{fmt}"


def write(content: BriefingContent, images: Images, fmt: str) -> bytes:
    """The pack in one format, as bytes."""
    if fmt == "pdf":
        from briefing.pdf import pdf_bytes

        return pdf_bytes(content, images)
    if fmt == "pptx":
        from briefing.slides import pptx_bytes

        return pptx_bytes(content, images)
    if fmt == "html":
        from briefing.snapshot import html_bytes

        return html_bytes(content, images)
    raise ValueError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")


def _check(formats: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(
            f"unknown format {unknown[0] if unknown else ''!r} (use {', '.join(FORMATS)})"
        )
    return chosen


def build_pack(
    data: DashboardData, state: dict, role: str, formats: Iterable[str], out_dir: Path | str
) -> list[Path]:
    """Write the pack of ``state`` (validated view state: scope, period, filters, language)
    as seen by ``role`` in each of ``formats`` into ``out_dir``; the paths written."""
    chosen = _check(formats)
    content = collect(data, state, role)
    images = render_images(data, content)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in chosen:
        path = folder / filename(content, fmt)
        path.write_bytes(write(content, images, fmt))
        paths.append(path)
    return paths


def pack_bytes(data: DashboardData, state: dict, role: str, fmt: str) -> tuple[str, bytes]:
    """(file name, bytes) of the pack in one format: what a download button sends."""
    (fmt,) = _check([fmt])
    content = collect(data, state, role)
    return filename(content, fmt), write(content, render_images(data, content), fmt)
