"""What the dry-run report page shows of a draft, computed from the draft's report and its
comparison with the active version (no template logic beyond loops)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from data.ingest import MEASURES
from imports.web.i18n import texts
from layouts.i18n import number

REJECTED_PER_PAGE = 100
METHOD_ORDER = ("pcode", "name", "fuzzy", "learned", "point", "unresolved")


@dataclass
class RejectedPage:
    rows: list[dict[str, Any]]
    total: int
    first: int
    last: int
    previous: int | None
    next: int | None


class ReportView:
    """One draft seen in one language."""

    def __init__(self, draft: Any, lang: str) -> None:
        self.draft = draft
        self.report: dict[str, Any] = draft.report or {}
        self.lang = lang

    def comparison(self) -> dict[str, Any]:
        """The draft's comparison with the active version, with every key the page reads."""
        comparison = dict(self.draft.comparison or {})
        comparison.setdefault("active_version", None)
        comparison.setdefault("regions", [])
        rows = comparison.get("rows") or {}
        comparison["rows"] = {"active": rows.get("active") or 0, "draft": rows.get("draft") or 0}
        return comparison

    def measures(self) -> tuple[str, ...]:
        """The summed measures of the draft's stream (events, IDPs…), compared by région."""
        return MEASURES.get(self.draft.stream, ())

    def loss_percent(self) -> str:
        """The share of active rows the draft loses, as "37,5" (empty when it loses none)."""
        share = float(self.comparison().get("loss_share") or 0.0)
        return number(share * 100, self.lang, 1) if share > 0 else ""

    def methods(self) -> list[tuple[str, int]]:
        """(method, rows) in a fixed order, then any method this page does not know."""
        counts = dict(self.report.get("resolved_by") or {})
        known = [(m, int(counts.pop(m))) for m in METHOD_ORDER if m in counts]
        return known + sorted((str(m), int(c)) for m, c in counts.items())

    def dates(self) -> tuple[str, str] | None:
        """First and last date of the accepted rows, if the report has them."""
        found = self.report.get("date_range")
        if isinstance(found, dict):
            first = found.get("first") or found.get("min") or found.get("start")
            last = found.get("last") or found.get("max") or found.get("end")
        elif isinstance(found, list | tuple) and len(found) == 2:
            first, last = found
        else:
            return None
        return (str(first)[:10], str(last)[:10]) if first and last else None

    def warnings(self) -> list[str]:
        """The reader's warnings, and counts of flagged cells and contradicted coordinates."""
        t = texts(self.lang)
        out = [str(w) for w in self.report.get("warnings") or []]
        if self.report.get("flagged"):
            out.append(t("flagged", count=number(len(self.report["flagged"]), self.lang)))
        if self.report.get("conflicts"):
            out.append(t("conflicts", count=number(len(self.report["conflicts"]), self.lang)))
        return out

    def rejected_page(self, page: str) -> RejectedPage:
        """One page of the rejected rows (a file can reject a million)."""
        rows = self.report.get("rejected") or []
        total = len(rows)
        pages = max(1, -(-total // REJECTED_PER_PAGE))
        try:
            number_ = min(max(int(page), 1), pages)
        except ValueError:
            number_ = 1
        start = (number_ - 1) * REJECTED_PER_PAGE
        shown = rows[start : start + REJECTED_PER_PAGE]
        return RejectedPage(
            rows=shown,
            total=total,
            first=start + 1 if shown else 0,
            last=start + len(shown),
            previous=number_ - 1 if number_ > 1 else None,
            next=number_ + 1 if number_ < pages else None,
        )

    def signed(self, value: float | int | None) -> str:
        """+12 / −3 / 0, written the page's way."""
        if value is None:
            return "–"
        text = number(abs(value), self.lang)
        return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)
