"""Emerging hot spots: category rules, trend, Gi*, ward weights, period counts."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from libpysal.weights import W, lat2W

from dashboard import spacetime
from dashboard.domain import UnitLevel
from dashboard.geo import load_units
from dashboard.spacetime import CATEGORIES, classify, gi_star, period_counts, trend

T, F = True, False


def hot_at(n: int, *positions: int) -> list[bool]:
    """``n`` periods, hot at ``positions`` (0-based; -1 is the final period)."""
    out = [False] * n
    for i in positions:
        out[i] = True
    return out


NEVER = [False] * 10
RISING = (0.8, 0.001)  # tau, trend p: significant increase
FALLING = (-0.8, 0.001)
FLAT = (0.1, 0.6)


# --------------------------------------------------------------------------
# classify


@pytest.mark.parametrize(
    ("hot", "cold", "tau_p", "expected"),
    [
        # only the final period hot
        (hot_at(10, 9), NEVER, FLAT, "new"),
        # a single period, hot: new, not persistent
        ([T], [F], (0.0, 1.0), "new"),
        # earlier cold does not stop a first hot final period being new
        (hot_at(10, 9), hot_at(10, 2), FLAT, "new"),
        # the last three periods hot, nothing before
        (hot_at(10, 7, 8, 9), NEVER, RISING, "consecutive"),
        # a run of 8 of 10 (< 90 %) with earlier cold periods
        (hot_at(10, *range(2, 10)), hot_at(10, 0), FLAT, "consecutive"),
        # all 10 hot, rising trend
        ([T] * 10, NEVER, RISING, "intensifying"),
        # 9 of 10 hot (exactly 90 %) including the final, no trend
        (hot_at(10, *range(1, 10)), NEVER, FLAT, "persistent"),
        # 9 of 10 hot, first missing: a run, but >= 90 % so not consecutive
        (hot_at(10, 0, 1, 2, 3, 4, 6, 7, 8, 9), NEVER, FLAT, "persistent"),
        # a rising tau that is not significant is no trend
        ([T] * 10, NEVER, (0.3, 0.2), "persistent"),
        ([T] * 10, NEVER, FALLING, "diminishing"),
        # hot at 2, 5 and the final 9: on and off, never cold
        (hot_at(10, 2, 5, 9), NEVER, FLAT, "sporadic"),
        # 8 of 10 hot with a gap: < 90 %, not one run
        (hot_at(10, 0, 1, 2, 3, 5, 6, 7, 9), NEVER, RISING, "sporadic"),
        # a cold period earlier, hot before and at the end
        (hot_at(10, 4, 9), hot_at(10, 1), FLAT, "oscillating"),
        # cold earlier, then a run with an earlier hot period
        (hot_at(10, 0, 7, 8, 9), hot_at(10, 3), FLAT, "oscillating"),
        # 90 % hot even with a cold period: persistent wins over oscillating
        (hot_at(10, *range(1, 10)), hot_at(10, 0), FLAT, "persistent"),
        # 10 hot, then the final not hot (10 of 11 = 91 %)
        ([T] * 10 + [F], [F] * 11, FALLING, "historical"),
        # 9 hot, the final not hot (9 of 10 = 90 %)
        ([T] * 9 + [F], NEVER, FLAT, "historical"),
        # 8 hot, the final not hot (80 %)
        ([T] * 8 + [F, F], NEVER, FLAT, "none"),
        (NEVER, NEVER, FLAT, "none"),
        # hot once or in one run, but not at the end
        (hot_at(10, 3), NEVER, FLAT, "none"),
        (hot_at(10, 3, 4, 5), NEVER, RISING, "none"),
        (NEVER, hot_at(10, 9), FALLING, "none"),
    ],
)
def test_classify(hot, cold, tau_p, expected):
    assert classify(hot, cold, *tau_p, alpha=0.10) == expected


def test_classify_trend_uses_alpha():
    hot = [T] * 10
    assert classify(hot, NEVER, 0.5, 0.03, alpha=0.05) == "intensifying"
    assert classify(hot, NEVER, 0.5, 0.03, alpha=0.01) == "persistent"


def test_classify_rejects_bad_sequences():
    with pytest.raises(ValueError, match="same length"):
        classify([T, F], [F], 0.0, 1.0)
    with pytest.raises(ValueError, match="same length"):
        classify([], [], 0.0, 1.0)
    with pytest.raises(ValueError, match="both hot and cold"):
        classify([T, T], [F, T], 0.0, 1.0)


def test_categories_are_ordered_codes():
    assert CATEGORIES[0] == "new" and CATEGORIES[-1] == "none"
    assert len(set(CATEGORIES)) == 9


# --------------------------------------------------------------------------
# trend


def test_trend_increasing_and_decreasing():
    # Every pair concordant: tau = 1; exact two-sided p = 2 / 10!.
    tau, p = trend(np.arange(10) * 0.5 - 1)
    assert tau == pytest.approx(1.0)
    assert p == pytest.approx(2 / math.factorial(10))
    tau, p = trend([3.0, 2.5, 1.0, 0.0, -2.0])
    assert tau == pytest.approx(-1.0)
    assert p == pytest.approx(2 / math.factorial(5))


def test_trend_constant_or_short_has_none():
    assert trend([1.5] * 8) == (0.0, 1.0)
    assert trend([0.0, 4.0]) == (0.0, 1.0)
    assert trend([]) == (0.0, 1.0)


# --------------------------------------------------------------------------
# gi_star on a 3 x 3 rook lattice
#
#   c0 c1 c2        0 10  0
#   c3 c4 c5   =   10 10 10
#   c6 c7 c8        0 10  0
#
# n = 9, sum 50, mean 50/9, population variance 2000/81, s^2 / mean^2 = 0.8.
# Centre c4: Gi* = (c4 + 4 neighbours) / 50 = 1, E = 5/9,
# Var = 5 (9 - 5) / 8 / 81 * 0.8 = 2/81, z = (4/9) / (sqrt(2)/9) = 2 sqrt(2).
# Edge c1: Gi* = 20/50, E = 4/9, Var = 2/81, z = (-0.4/9) / (sqrt(2)/9) = -0.2 sqrt(2).


@pytest.fixture
def lattice() -> W:
    w = lat2W(3, 3)
    return W({f"c{i}": [f"c{j}" for j in nbrs] for i, nbrs in w.neighbors.items()})


CROSS = pd.Series([0, 10, 0, 10, 10, 10, 0, 10, 0], index=[f"c{i}" for i in range(9)], dtype=float)


def test_gi_star_cluster_centre_is_hottest(lattice):
    result = gi_star(CROSS, lattice)
    assert result["z"].idxmax() == "c4"
    assert result.loc["c4", "z"] == pytest.approx(2 * math.sqrt(2))
    assert result.loc["c1", "z"] == pytest.approx(-0.2 * math.sqrt(2))
    # two-sided: |z| = 2.83 is significant at 1 %, |z| = 0.28 is not at 10 %
    assert result.loc["c4", "p"] < 0.01
    assert result.loc["c1", "p"] > 0.7


def test_gi_star_aligns_by_label(lattice):
    shuffled = CROSS.iloc[::-1]
    result = gi_star(shuffled, lattice)
    assert list(result.index) == list(shuffled.index)
    assert result.loc["c4", "z"] == pytest.approx(2 * math.sqrt(2))


def test_gi_star_all_equal_is_nothing(lattice):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for value in (0.0, 3.0):
            result = gi_star(pd.Series(value, index=CROSS.index), lattice)
            assert (result["z"] == 0).all()
            assert (result["p"] == 1).all()


def test_gi_star_needs_one_value_per_id(lattice):
    with pytest.raises(ValueError, match="one value per id"):
        gi_star(CROSS.drop("c8"), lattice)
    with pytest.raises(ValueError, match="missing"):
        gi_star(CROSS.where(CROSS.index != "c8"), lattice)


# --------------------------------------------------------------------------
# ward weights


def test_ward_weights_are_the_126_wards():
    w = spacetime.ward_weights()
    assert w.n == 126
    assert sorted(w.id_order) == sorted(load_units(UnitLevel.WARD, display=True).index)
    assert not w.islands
    assert min(w.cardinalities.values()) >= 1
    assert (abs(w.sparse - w.sparse.T)).nnz == 0
    assert w.sparse.diagonal().sum() == 0
    # Hoàn Kiếm ward borders Cửa Nam ward (both in the former Quận Hoàn Kiếm).
    assert "00082" in w.neighbors["00070"]
    assert spacetime.ward_weights() is w


# --------------------------------------------------------------------------
# period counts

HK, CN = "00070", "00082"  # Phường Hoàn Kiếm, Phường Cửa Nam


@pytest.fixture
def acts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2024-01-05", "2024-03-31", "2024-02-10", "2024-04-01", "2024-09-30", "2024-05-05"]
            ),
            "ward_code": [HK, HK, CN, CN, HK, None],
            "violations_found": [2, 3, 1, 4, 5, 100],
            "cases_handled": [1, 0, 1, 1, 2, 50],
        }
    )


def test_period_counts_by_quarter(acts):
    counts = period_counts(acts)
    assert counts.shape == (126, 3)
    assert list(counts.columns) == list(pd.to_datetime(["2024-01-01", "2024-04-01", "2024-07-01"]))
    assert counts.loc[HK].tolist() == [5, 0, 5]
    assert counts.loc[CN].tolist() == [1, 4, 0]
    # the activity without a ward (100 violations) is left out
    assert counts.to_numpy().sum() == 15
    assert counts.drop([HK, CN]).to_numpy().sum() == 0


def test_period_counts_other_value_span_and_freq(acts):
    counts = period_counts(acts, "cases_handled", "Y", start="2023-06-01", end="2025-01-01")
    assert list(counts.columns) == list(pd.to_datetime(["2023-01-01", "2024-01-01", "2025-01-01"]))
    assert counts.loc[HK].tolist() == [0, 3, 0]
    assert counts.loc[CN].tolist() == [0, 2, 0]
    monthly = period_counts(acts, freq="M", start="2024-03-15", end="2024-04-15")
    assert list(monthly.columns) == list(pd.to_datetime(["2024-03-01", "2024-04-01"]))
    assert monthly.loc[HK].tolist() == [3, 0]
    assert monthly.loc[CN].tolist() == [0, 4]


def test_period_counts_rejects_bad_arguments(acts):
    with pytest.raises(ValueError, match="unknown value column 'kind'"):
        period_counts(acts, value="kind")
    with pytest.raises(ValueError, match="unknown period 'W'"):
        period_counts(acts, freq="W")
    with pytest.raises(ValueError, match="after end"):
        period_counts(acts, start="2024-12-01", end="2024-01-01")
    with pytest.raises(ValueError, match="not current wards: 99999"):
        period_counts(acts.assign(ward_code=["99999"] * 6))
    with pytest.raises(ValueError, match="no activity has a ward"):
        period_counts(acts.assign(ward_code=None))


# --------------------------------------------------------------------------
# the whole analysis


def test_emerging_hotspots_on_lattice(lattice):
    # The cross is hot at the centre only in the last three periods.
    empty = pd.Series(0.0, index=CROSS.index)
    counts = pd.concat([empty] * 5 + [CROSS] * 3, axis=1)
    result = spacetime.emerging_hotspots(counts, lattice)
    assert result.loc["c4", "category"] == "consecutive"
    assert result.loc["c4", "hot_periods"] == 3
    assert result.loc["c4", "final_hot"]
    assert result.loc["c4", "final_z"] == pytest.approx(2 * math.sqrt(2))
    assert (result.drop("c4")["category"] == "none").all()
    assert (result["periods"] == 8).all()
    assert (result["cold_periods"] == 0).all()
    with pytest.raises(ValueError, match="alpha"):
        spacetime.emerging_hotspots(counts, lattice, alpha=1.5)
    assert spacetime.latest_z(counts, lattice).loc["c4", "z"] == pytest.approx(2 * math.sqrt(2))


def test_ward_emerging_on_sample(sample_dataset):
    result = spacetime.ward_emerging(sample_dataset.activities)
    assert len(result) == 126
    assert sorted(result.index) == sorted(load_units(UnitLevel.WARD, display=True).index)
    assert set(result["category"]) <= set(CATEGORIES)
    assert (result["category"] != "none").any()
    assert list(result.columns) == [
        "category",
        "tau",
        "trend_p",
        "hot_periods",
        "cold_periods",
        "periods",
        "final_z",
        "final_hot",
    ]
    # a ward with a category other than historical/none is hot in the final period
    active = result[~result["category"].isin(["historical", "none"])]
    assert active["final_hot"].all()
