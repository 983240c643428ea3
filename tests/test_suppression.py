"""Small-count suppression: primary "<5", complementary cells, members see everything."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
