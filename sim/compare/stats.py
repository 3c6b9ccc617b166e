"""Confidence intervals over replications: Student-t intervals, plain and paired."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    """A mean and its two-sided confidence interval (NaN where undefined)."""

    mean: float
    low: float
    high: float


def t_interval(values: ArrayLike, confidence: float = CONFIDENCE) -> Interval:
    """Mean and Student-t confidence interval of independent replications.

    ``mean ± t(1 - (1 - confidence) / 2, n - 1) · s / √n`` with ``s`` the sample standard
    deviation. NaN values (a KPI undefined in a replication, e.g. a lead time without
    emergency orders) are left out; with one value the bounds are NaN, with none the mean too.

    Parameters
    ----------
    values : array-like of float
        One value per replication, in the KPI's unit.
    confidence : float
        Two-sided confidence level, 0 < confidence < 1.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return Interval(math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if x.size == 1:
        return Interval(mean, math.nan, math.nan)
    from scipy import stats  # 30 MB, 0.4 s: loaded by the first interval, not by `import sim`

    half = stats.t.ppf(0.5 + confidence / 2, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    return Interval(mean, mean - float(half), mean + float(half))


def paired_interval(
    values: ArrayLike, baseline: ArrayLike, confidence: float = CONFIDENCE
) -> Interval:
    """Mean difference ``values - baseline`` paired by replication, with its t-interval.

    Pairs where either value is NaN are left out.

    Parameters
    ----------
    values, baseline : array-like of float
        One value per replication, same length and order (replication i on the same seed).
    confidence : float
        Two-sided confidence level, 0 < confidence < 1.
    """
    a = np.asarray(values, dtype=float)
    b = np.asarray(baseline, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired values have different lengths ({a.size} and {b.size})")
    return t_interval(a - b, confidence)
