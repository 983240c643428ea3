"""Small-count suppression: primary "<5", complementary cells, members see everything."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.suppression import public_values, public_view, suppress, suppression_masks

SENSITIVE = {"pm_gbv", "mrm_abduction"}


def test_counts_one_to_four_show_as_less_than_five_and_zero_stays():
    shown = suppress(pd.Series([0, 1, 2, 3, 4, 5, 12]))
    assert list(shown) == ["0", "<5", "<5", "<5", "<5", "5", "12"]


def test_unknown_value_is_blank_not_zero():
    assert suppress(pd.Series([np.nan]))[0] == ""


def test_threshold_is_configurable():
    assert list(suppress(pd.Series([9, 10]), threshold=10)) == ["<10", "10"]


def test_non_sensitive_small_counts_are_untouched():
    table = pd.DataFrame({"pm_life": [1, 2], "pm_property": [3, 0]}, index=["a", "b"])
    view = public_view(table, SENSITIVE)
    assert not view.suppressed.to_numpy().any()
    assert view.display.loc["a", "pm_life"] == "1"
    assert view.display.loc["Total", "Total"] == "6"


def test_secondary_cell_hidden_when_row_total_would_reveal():
    # Row a: gbv 3 is small; total 3 + 10 + 6 = 19 would give it back from 10 and 6.
    table = pd.DataFrame(
        {"pm_gbv": [3, 20], "pm_life": [10, 30], "mrm_abduction": [6, 8]}, index=["a", "b"]
    )
    view = public_view(table, SENSITIVE)
    assert view.display.loc["a", "pm_gbv"] == "<5"
    assert view.secondary.loc["a", "mrm_abduction"]  # the sensitive complement is preferred
    assert view.display.loc["a", "mrm_abduction"] == "*"
    assert view.display.loc["a", "pm_life"] == "10"
    assert view.display.loc["a", "Total"] == "19"
    # the column totals then need a second hidden cell in each of those columns
    assert view.suppressed.loc["b", "pm_gbv"] and view.suppressed.loc["b", "mrm_abduction"]
    assert np.isnan(view.values.loc["a", "pm_gbv"])


def test_no_line_with_a_published_total_has_exactly_one_hidden_cell():
    rng = np.random.default_rng(1)
    table = pd.DataFrame(
        rng.integers(0, 9, (8, 4)), columns=["pm_gbv", "pm_life", "mrm_abduction", "pm_property"]
    )
    view = public_view(table, SENSITIVE)
    hidden = view.suppressed
    body = hidden.drop(index="Total", columns="Total")
    for _, row in hidden.iterrows():
        if not row["Total"]:
            assert row.drop("Total").sum() != 1
    for column in hidden.columns:
        if not hidden.loc["Total", column]:
            assert hidden[column].drop("Total").sum() != 1
    small = (table > 0) & (table < 5)
    assert body[["pm_gbv", "mrm_abduction"]].values[small[["pm_gbv", "mrm_abduction"]].values].all()


def test_without_published_totals_only_primary_cells_are_hidden():
    table = pd.DataFrame({"pm_gbv": [3, 20], "mrm_abduction": [6, 8]}, index=["a", "b"])
    view = public_view(table, SENSITIVE, row_totals=False, column_totals=False)
    assert view.suppressed.to_numpy().sum() == 1
    assert "Total" not in view.display.index and "Total" not in view.display.columns


def test_line_total_is_hidden_when_no_complement_exists():
    table = pd.DataFrame({"pm_gbv": [2], "pm_life": [0]}, index=["a"])
    _, primary, secondary = suppression_masks(
        table, SENSITIVE, row_totals=True, column_totals=False
    )
    assert primary[0, 0]
    assert primary[0, 2] or secondary[0, 2]  # the row total 2 would reveal the cell


def test_member_view_is_not_suppressed():
    table = pd.DataFrame({"pm_gbv": [3, 20], "mrm_abduction": [6, 8]}, index=["a", "b"])
    view = public_view(table, SENSITIVE, member=True)
    assert not view.suppressed.to_numpy().any()
    assert view.display.loc["a", "pm_gbv"] == "3"
    assert view.values.loc["Total", "Total"] == 37


def test_public_values_for_a_map_layer():
    values = pd.Series({"ML05": 3, "ML06": 12, "ML07": 0, "ML08": 40}, name="pm_gbv")
    numbers, shown = public_values(values, sensitive=True)
    assert shown["ML05"] == "<5" and shown["ML07"] == "0"
    assert np.isnan(numbers["ML06"]) and shown["ML06"] == "*"  # smallest non-zero complement
    assert numbers["ML08"] == 40
    numbers, shown = public_values(values, sensitive=False)
    assert shown["ML05"] == "3" and not numbers.isna().any()
    numbers, shown = public_values(values, sensitive=True, member=True)
    assert shown["ML05"] == "3"


# ---------------------------------------------------------------- vectorised vs reference


def _reference_view(table, sensitive, threshold=5, member=False, row_totals=True, column_totals=True):
    """The original cell-by-cell algorithm: lines visited one by one, every cell formatted alone."""
    sensitive = set(sensitive)
    values = table.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64")
    rows, cols = values.shape
    matrix = np.zeros((rows + 1, cols + 1))
    matrix[:rows, :cols] = values
    matrix[:rows, cols] = np.nansum(values, axis=1)
    matrix[rows, :cols] = np.nansum(values, axis=0)
    matrix[rows, cols] = np.nansum(values)
    is_sensitive = [str(c) in sensitive for c in table.columns] + [False]
    small = (matrix > 0) & (matrix < threshold)
    primary = np.zeros_like(matrix, dtype=bool)
    for i in range(rows):
        for j in range(cols):
            primary[i, j] = small[i, j] and is_sensitive[j]
    for j in range(cols):
        primary[rows, j] = small[rows, j] and is_sensitive[j] and column_totals
    for i in range(rows):
        only = all(is_sensitive[j] or not (values[i, j] > 0) for j in range(cols))
        primary[i, cols] = small[i, cols] and only and row_totals
    every = cols > 0 and all(is_sensitive[:cols])
    primary[rows, cols] = small[rows, cols] and every and row_totals and column_totals
    lines = []
    if row_totals:
        lines += [([(i, j) for j in range(cols)], (i, cols)) for i in range(rows)]
    if column_totals:
        lines += [([(i, j) for i in range(rows)], (rows, j)) for j in range(cols)]
    if row_totals and column_totals:
        lines.append(([(i, cols) for i in range(rows)], (rows, cols)))
        lines.append(([(rows, j) for j in range(cols)], (rows, cols)))
    hidden = primary.copy()
    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            if hidden[total] or sum(hidden[c] for c in cells) != 1:
                continue
            candidates = [c for c in cells if not hidden[c] and matrix[c] > 0]
            pick = (
                min(candidates, key=lambda c: (not is_sensitive[c[1]], matrix[c], c))
                if candidates
                else total
            )
            hidden[pick] = True
            changed = True
    secondary = hidden & ~primary
    if member:
        primary, secondary, hidden = (np.zeros_like(primary) for _ in range(3))

    def shown(v):
        return "" if pd.isna(v) else f"{int(round(float(v))):,}".replace(",", "\u202f")

    display = np.array([[shown(v) for v in row] for row in matrix], dtype=object)
    display[primary] = f"<{threshold}"
    display[secondary] = "*"
    index = list(table.index) + ["Total"]
    columns = list(table.columns) + ["Total"]

    def frame(data):
        out = pd.DataFrame(data, index=index, columns=columns)
        return out.loc[
            index if column_totals else index[:-1], columns if row_totals else columns[:-1]
        ]

    return (
        frame(np.where(hidden, np.nan, matrix)).astype("float64"),
        frame(display),
        frame(hidden).astype(bool),
        frame(secondary).astype(bool),
    )


def _random_table(rng, rows, cols, nan_share=0.0):
    pool = ["pm_gbv", "pm_life", "mrm_abduction", "pm_property", "conflict_battles"]
    names = [pool[j] if j < len(pool) else f"cat_{j}" for j in range(cols)]
    # mostly small counts (what suppression is about), some zeros, some thousands
    counts = np.where(
        rng.random((rows, cols)) < 0.9, rng.integers(0, 9, (rows, cols)), rng.integers(0, 25_000, (rows, cols))
    ).astype("float64")
    counts[rng.random((rows, cols)) < nan_share] = np.nan
    return pd.DataFrame(counts, index=[f"ML{i:04d}" for i in range(rows)], columns=names)


@pytest.mark.parametrize("seed", range(12))
def test_public_view_matches_reference_on_random_tables(seed):
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(1, 60)), int(rng.integers(1, 12))
    table = _random_table(rng, rows, cols, nan_share=0.05 if seed % 3 == 0 else 0.0)
    if seed % 4 == 1:
        table = table.astype("int64", errors="ignore").fillna(0).astype("int64")
    sensitive = [SENSITIVE, set(table.columns), set()][seed % 3]
    threshold = 5 if seed % 5 else 10
    for row_totals, column_totals in ((True, True), (True, False), (False, True), (False, False)):
        for member in (False, True):
            got = public_view(
                table, sensitive, threshold, member, row_totals=row_totals, column_totals=column_totals
            )
            want = _reference_view(table, sensitive, threshold, member, row_totals, column_totals)
            for name, frame, expected in zip(
                ("values", "display", "suppressed", "secondary"),
                (got.values, got.display, got.suppressed, got.secondary),
                want,
                strict=True,
            ):
                pd.testing.assert_frame_equal(frame, expected, obj=f"{name} {row_totals=} {column_totals=} {member=}")


def test_public_view_matches_reference_on_a_large_sparse_table():
    # a commune-level table: 700 units, mostly zeros, a few small sensitive counts
    rng = np.random.default_rng(7)
    table = _random_table(rng, 700, 20) * (rng.random((700, 20)) < 0.2)
    got = public_view(table, SENSITIVE)
    want = _reference_view(table, SENSITIVE)
    assert got.secondary.to_numpy().any()  # the complementary path is exercised
    for frame, expected in zip((got.values, got.display, got.suppressed, got.secondary), want, strict=True):
        pd.testing.assert_frame_equal(frame, expected)


@pytest.mark.parametrize("seed", range(6))
def test_public_values_matches_reference(seed):
    rng = np.random.default_rng(100 + seed)
    values = pd.Series(
        rng.integers(0, 8, 40) * (rng.random(40) < 0.6), index=[f"ML{i:02d}" for i in range(40)], name="pm_gbv"
    )
    values.index.name = "unit"
    for sensitive in (True, False):
        for total in (True, False):
            numbers, shown = public_values(values, sensitive, total_published=total)
            ref_values, ref_display, _, _ = _reference_view(
                values.to_frame("pm_gbv"), {"pm_gbv"} if sensitive else set(), row_totals=False, column_totals=total
            )
            rows = list(values.index)
            pd.testing.assert_series_equal(numbers, ref_values.loc[rows, "pm_gbv"])
            pd.testing.assert_series_equal(shown, ref_display.loc[rows, "pm_gbv"])


def test_reference_and_fast_path_agree_on_repeated_labels_and_large_numbers():
    table = pd.DataFrame(
        {"pm_gbv": [3, 1_234_567, 0], "pm_life": [-2, 10_000.5, np.nan]}, index=["a", "a", "Total"]
    )
    got = public_view(table, SENSITIVE)
    want = _reference_view(table, SENSITIVE)
    for frame, expected in zip((got.values, got.display, got.suppressed, got.secondary), want, strict=True):
        pd.testing.assert_frame_equal(frame, expected)
    shown = public_view(table, SENSITIVE, member=True).display
    assert shown.iloc[1, 0] == "1\u202f234\u202f567" and shown.iloc[1, 1] == "10\u202f000"
