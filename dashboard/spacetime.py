"""Emerging hot spots of activity results per ward.

An emerging hot spot analysis in the manner of Esri's "Emerging Hot Spot
Analysis" (ArcGIS Pro, Space Time Pattern Mining), built on PySAL:

1. Activity results (by default ``violations_found``) are summed per ward and
   per period (quarter by default): :func:`period_counts`.
2. In every period, the Getis-Ord Gi* statistic of each ward is computed over
   binary Queen contiguity weights that include the ward itself:
   :func:`gi_star`. z-scores are analytical and p-values two-sided normal, so
   the result is deterministic (no permutations). A period where every ward
   has the same value (for example no results at all) has z = 0 and p = 1.
3. A period is *hot* for a ward when z > 0 and p < ``alpha``, *cold* when
   z < 0 and p < ``alpha``. The default significance level is
   :data:`ALPHA` = 0.10 (90 % confidence, |z| > 1.645).
4. The trend of each ward's z-scores over time is tested with the
   Mann-Kendall test (Kendall's tau of z against time): :func:`trend`.
5. Each ward gets one category, :func:`classify`; the rules are evaluated in
   this order, with n periods and "most" meaning at least 90 % of them:

   - ``new`` (New Hot Spot): the final period is hot and no earlier one is;
   - ``consecutive`` (Consecutive Hot Spot): one uninterrupted run of hot
     periods ends with the final period, covers less than 90 % of the periods,
     and no period before the run is hot;
   - ``intensifying`` (Intensifying Hot Spot): hot in most periods, the final
     one included, with a significant increasing trend;
   - ``persistent`` (Persistent Hot Spot): hot in most periods, the final one
     included, with no significant trend;
   - ``diminishing`` (Diminishing Hot Spot): hot in most periods, the final
     one included, with a significant decreasing trend;
   - ``sporadic`` (Sporadic Hot Spot): the final period is hot, less than 90 %
     are, the earlier hot periods are not one run ending with the final
     period, and no period is cold;
   - ``oscillating`` (Oscillating Hot Spot): the final period is hot and at
     least one earlier period is cold;
   - ``historical`` (Historical Hot Spot): the final period is not hot but at
     least 90 % of the periods are;
   - ``none`` (No Pattern Detected): anything else.

   A trend is significant when its p-value is below the same ``alpha``.
   Esri's cold-spot categories are not computed.

Weights are the Queen contiguity (shared edge or corner) of the 126 wards of
the 2025 administrative map, on the simplified display layer. Every activity is
counted in its ``ward_code``: the ward of its hotspot, also for activities
before 01/07/2025 (the hotspot's point lies in one of today's wards). Area-wide
work recorded before the reform only by district has no ward and is left out.

Categories are returned as codes (:data:`CATEGORIES`); their labels belong to
the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from esda.getisord import G_Local
from libpysal.weights import Queen, W
from scipy import stats

from dashboard.caches import boundary_cache
from dashboard.domain import COUNT_COLUMNS, UnitLevel
from dashboard.geo import load_units

#: Category codes, in the order the rules are evaluated.
CATEGORIES = (
    "new",
    "consecutive",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "oscillating",
    "historical",
    "none",
)
#: Default significance level (90 % confidence) for hot/cold periods and trends.
ALPHA = 0.10
#: Share of the periods, in percent, that counts as "most" (Esri's 90 %).
MOST_PERCENT = 90
#: Period lengths accepted by :func:`period_counts`: month, quarter, year.
FREQS = ("M", "Q", "Y")
#: Activity columns that can be summed.
VALUES = COUNT_COLUMNS


@boundary_cache(maxsize=1)
def ward_weights() -> W:
    """Binary Queen contiguity of the 126 wards, ids = ward codes.

    Built once from the display layer and shared: callers must not change it.

    Returns
    -------
    libpysal.weights.W
        Ids in ward-code order, no self-neighbours (Gi* adds the focal ward).

    Raises
    ------
    ValueError
        If a ward has no neighbour (the layer would not be a coverage).
    """
    units = load_units(UnitLevel.WARD, display=True)
    w = Queen.from_dataframe(units, use_index=True, silence_warnings=True)
    if w.islands:
        raise ValueError(f"wards without a neighbour in the ward layer: {', '.join(map(str, w.islands))}")
    return w


def period_counts(
    activities: pd.DataFrame,
    value: str = "violations_found",
    freq: str = "Q",
    start=None,
    end=None,
) -> pd.DataFrame:
    """Sum of ``value`` per ward and period.

    Parameters
    ----------
    activities : DataFrame
        Activity rows with at least ``date``, ``ward_code`` and ``value``.
        Rows without a ward code are ignored.
    value : str
        The column to sum, one of :data:`VALUES`.
    freq : str
        Period length, one of :data:`FREQS` (month, quarter, year).
    start, end : date-like, optional
        The first and last periods are the ones holding these dates; whole
        periods are counted. Default: the first and last dates of the
        activities with a ward code.

    Returns
    -------
    DataFrame
        One row per ward code (all 126, index ``ward_code``), one column per
        period start (``Timestamp``, index ``period``), integer sums; zero
        where a ward had no activity.

    Raises
    ------
    ValueError
        For an unknown ``value`` or ``freq``, ``start`` after ``end``, ward
        codes that are not current wards, or no dates to span.
    """
    if value not in VALUES:
        raise ValueError(f"unknown value column {value!r}; expected one of {', '.join(VALUES)}")
    if freq not in FREQS:
        raise ValueError(
            f"unknown period {freq!r}; expected one of {', '.join(FREQS)} (month, quarter, year)"
        )
    missing = {"date", "ward_code", value} - set(activities.columns)
    if missing:
        raise ValueError(f"activities lack the column(s) {', '.join(sorted(missing))}")
    wards = load_units(UnitLevel.WARD, display=True).index
    acts = activities[activities["ward_code"].notna()]
    unknown = sorted(set(acts["ward_code"]) - set(wards))
    if unknown:
        raise ValueError(f"activities name ward codes that are not current wards: {', '.join(unknown)}")
    dates = pd.to_datetime(acts["date"])
    if (start is None or end is None) and dates.empty:
        raise ValueError("no activity has a ward code; give start and end to span the periods")
    first = pd.Period(pd.Timestamp(start if start is not None else dates.min()), freq=freq)
    last = pd.Period(pd.Timestamp(end if end is not None else dates.max()), freq=freq)
    if first > last:
        raise ValueError(f"start ({first}) is after end ({last})")
    periods = pd.period_range(first, last, freq=freq)
    table = (
        acts[value]
        .groupby([acts["ward_code"].to_numpy(), dates.dt.to_period(freq).to_numpy()])
        .sum()
        .unstack(fill_value=0)
    )
    table = table.reindex(index=wards, columns=periods, fill_value=0).astype("int64")
    table.index = pd.Index(wards.astype(str), name="ward_code")
    table.columns = pd.DatetimeIndex(periods.to_timestamp(), name="period")
    return table


def gi_star(values: pd.Series, w: W) -> pd.DataFrame:
    """Getis-Ord Gi* z-score and two-sided p-value of each unit.

    Parameters
    ----------
    values : Series
        One non-negative value per id of ``w`` (index = ids, any order).
    w : libpysal.weights.W
        Binary contiguity without self-neighbours; Gi* includes the focal unit.

    Returns
    -------
    DataFrame
        Columns ``z`` and ``p``, indexed like ``values``. When all values are
        equal (for example all zero) there is nothing to cluster: z = 0, p = 1.

    Raises
    ------
    ValueError
        If the ids of ``values`` and ``w`` differ, or a value is missing.
    """
    if set(values.index) != set(w.id_order) or len(values) != w.n:
        raise ValueError("values must hold exactly one value per id of the weights")
    y = values.reindex(w.id_order).to_numpy(dtype=float)
    if np.isnan(y).any():
        raise ValueError("values must not be missing")
    # Equal values (all zero, say) have no variance: nothing clusters.
    z = np.zeros(w.n) if np.ptp(y) == 0 else G_Local(y, w, star=True, transform="B", permutations=0).Zs
    p = np.minimum(1.0, 2 * stats.norm.sf(np.abs(z)))
    result = pd.DataFrame({"z": z, "p": p}, index=pd.Index(w.id_order, name=values.index.name))
    return result.reindex(values.index)


def trend(z_series: Sequence[float]) -> tuple[float, float]:
    """Mann-Kendall trend test of z-scores in time order.

    Returns
    -------
    (tau, p) : tuple of float
        Kendall's tau of the values against time and its two-sided p-value;
        ``(0.0, 1.0)`` for fewer than 3 values or a constant series.
    """
    z = np.asarray(z_series, dtype=float)
    if np.isnan(z).any():
        raise ValueError("z-scores must not be missing")
    if len(z) < 3 or np.ptp(z) == 0:
        return 0.0, 1.0
    result = stats.kendalltau(np.arange(len(z)), z)
    return float(result.statistic), float(result.pvalue)


def classify(
    hot: Sequence[bool], cold: Sequence[bool], tau: float, trend_p: float, alpha: float = ALPHA
) -> str:
    """The category code of one ward's sequence of hot and cold periods.

    Parameters
    ----------
    hot, cold : sequence of bool
        Per period in time order: significant hot spot / cold spot.
    tau, trend_p : float
        Mann-Kendall trend of the ward's z-scores (see :func:`trend`).
    alpha : float
        Significance level for the trend.

    Returns
    -------
    str
        One of :data:`CATEGORIES`; see the module docstring for the rules.
    """
    hot = [bool(h) for h in hot]
    cold = [bool(c) for c in cold]
    if len(hot) != len(cold) or not hot:
        raise ValueError("hot and cold must be non-empty and of the same length")
    if any(h and c for h, c in zip(hot, cold, strict=True)):
        raise ValueError("a period cannot be both hot and cold")
    n = len(hot)
    most = 100 * sum(hot) >= MOST_PERCENT * n
    final = hot[-1]
    run = hot[::-1].index(False) if False in hot else n  # hot periods ending with the final one
    hot_before_run = any(hot[: n - run])
    significant = trend_p < alpha and tau != 0
    if final and sum(hot) == 1:
        return "new"
    if final and not most and not hot_before_run:
        return "consecutive"
    if final and most:
        if significant:
            return "intensifying" if tau > 0 else "diminishing"
        return "persistent"
    if final and not any(cold):
        return "sporadic"
    if final and any(cold[:-1]):
        return "oscillating"
    if not final and most:
        return "historical"
    return "none"


def z_table(counts: pd.DataFrame, w: W) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gi* z-scores and p-values of every ward (rows) in every period (columns)."""
    results = {period: gi_star(counts[period], w) for period in counts.columns}
    z = pd.DataFrame({period: r["z"] for period, r in results.items()}, index=counts.index)
    p = pd.DataFrame({period: r["p"] for period, r in results.items()}, index=counts.index)
    return z, p


def latest_z(counts: pd.DataFrame, w: W) -> pd.DataFrame:
    """Gi* ``z`` and ``p`` of each ward in the final period of ``counts``."""
    if counts.shape[1] == 0:
        raise ValueError("counts have no period")
    return gi_star(counts[counts.columns[-1]], w)


def emerging_hotspots(counts: pd.DataFrame, w: W, alpha: float = ALPHA) -> pd.DataFrame:
    """Emerging hot spot category of every ward.

    Parameters
    ----------
    counts : DataFrame
        Wards (rows, the ids of ``w``) by periods (columns, in time order), as
        given by :func:`period_counts`.
    w : libpysal.weights.W
        Binary contiguity of the wards, for example :func:`ward_weights`.
    alpha : float
        Significance level for hot/cold periods and for the trend.

    Returns
    -------
    DataFrame
        Indexed like ``counts``, with ``category`` (a code of
        :data:`CATEGORIES`), ``tau`` and ``trend_p`` (Mann-Kendall trend of
        the z-scores), ``hot_periods``, ``cold_periods``, ``periods``,
        ``final_z`` and ``final_hot``.

    Raises
    ------
    ValueError
        For ``alpha`` outside (0, 1) or counts without periods.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if counts.shape[1] == 0:
        raise ValueError("counts have no period")
    z, p = z_table(counts, w)
    hot = (z > 0) & (p < alpha)
    cold = (z < 0) & (p < alpha)
    rows = {}
    for code in counts.index:
        tau, trend_p = trend(z.loc[code].to_numpy())
        rows[code] = {
            "category": classify(hot.loc[code].tolist(), cold.loc[code].tolist(), tau, trend_p, alpha),
            "tau": tau,
            "trend_p": trend_p,
            "hot_periods": int(hot.loc[code].sum()),
            "cold_periods": int(cold.loc[code].sum()),
            "periods": counts.shape[1],
            "final_z": float(z.loc[code].iloc[-1]),
            "final_hot": bool(hot.loc[code].iloc[-1]),
        }
    result = pd.DataFrame.from_dict(rows, orient="index")
    result.index.name = counts.index.name
    return result


def ward_emerging(
    activities: pd.DataFrame,
    value: str = "violations_found",
    freq: str = "Q",
    start=None,
    end=None,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Emerging hot spot category of every ward from activity rows.

    :func:`period_counts` then :func:`emerging_hotspots` over
    :func:`ward_weights`; see those for the parameters and the result.
    """
    return emerging_hotspots(period_counts(activities, value, freq, start, end), ward_weights(), alpha)
