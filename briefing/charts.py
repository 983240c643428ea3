"""Trend charts of a briefing pack (matplotlib, Agg): incidents by category and month as
stacked bars, displacement over time as lines. Inputs are the gate's tables as collected in
:class:`briefing.model.TrendContent`; categories withheld from the viewer are not in them."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from briefing.maps import DPI, FONT  # noqa: E402
from layouts.figures import COLORWAY  # noqa: E402
from layouts.i18n import number  # noqa: E402

CHART_SIZE = (5.2, 4.4)  # inches: printed at about this size, so the type stays readable
DISPLACEMENT_COLOURS = ("#00204d", "#7c7b78", "#c9b659")  # the page's displacement colours


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, transparent=True, metadata={"Software": None})
    return buffer.getvalue()


def _axes(fig: Figure, lang: str, ylabel: str):
    ax = fig.add_subplot()
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, lang)))
    ax.set_ylabel(ylabel, fontsize=9, family=FONT)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def _month_ticks(ax, labels: list[str]) -> None:
    step = 1 if len(labels) <= 12 else int(np.ceil(len(labels) / 12))
    positions = list(range(0, len(labels), step))
    ax.set_xticks(positions)
    ax.set_xticklabels([labels[i] for i in positions], rotation=45, ha="right", fontsize=8)


def _legend(fig: Figure, ax) -> None:
    """Below the chart, in one or two columns depending on the labels' length (constrained
    layout makes room for it, so long French category names are never cut)."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    columns = 2 if max(len(label) for label in labels) <= 34 else 1
    fig.legend(
        handles,
        labels,
        loc="outside lower left",
        ncol=columns,
        frameon=False,
        prop={"family": FONT, "size": 8.5},
    )


def incident_chart(
    table: pd.DataFrame, lang: str, ylabel: str, empty: str, size=CHART_SIZE
) -> bytes:
    """Stacked monthly bars, one colour per category (legend below the chart)."""
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    ax = _axes(fig, lang, ylabel)
    labels = [str(m) for m in table.index]
    x = np.arange(len(labels))
    bottom = np.zeros(len(labels))
    for i, column in enumerate(table.columns):
        values = table[column].fillna(0).to_numpy(dtype=float)
        ax.bar(
            x, values, bottom=bottom, color=COLORWAY[i % len(COLORWAY)], label=column, width=0.75
        )
        bottom += values
    _month_ticks(ax, labels)
    if len(table.columns):
        _legend(fig, ax)
    else:
        ax.text(0.5, 0.5, empty, ha="center", va="center", transform=ax.transAxes, fontsize=9)
    return _png(fig)


def displacement_chart(table: pd.DataFrame, lang: str, ylabel: str, size=CHART_SIZE) -> bytes:
    """IDPs, returnees and repatriated per reporting month (legend below the chart)."""
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    ax = _axes(fig, lang, ylabel)
    labels = [str(m) for m in table.index]
    x = np.arange(len(labels))
    for colour, column in zip(DISPLACEMENT_COLOURS, table.columns, strict=False):
        ax.plot(
            x,
            table[column].to_numpy(dtype=float),
            marker="o",
            markersize=3,
            linewidth=1.8,
            color=colour,
            label=column,
        )
    ax.set_ylim(bottom=0)
    _month_ticks(ax, labels)
    _legend(fig, ax)
    return _png(fig)
