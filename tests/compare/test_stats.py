"""The t-intervals against hand-computed values."""

from __future__ import annotations

import math

import pytest

from sim.compare.stats import paired_interval, t_interval


def test_t_interval_hand_computed():
    # mean 3, s = sqrt(2.5), se = sqrt(0.5), t(0.975, 4) = 2.7764451
    interval = t_interval([1.0, 2.0, 3.0, 4.0, 5.0])
    half = 2.7764451052 * math.sqrt(0.5)
    assert interval.mean == pytest.approx(3.0)
    assert interval.low == pytest.approx(3.0 - half, abs=1e-8)
    assert interval.high == pytest.approx(3.0 + half, abs=1e-8)
    assert interval.low == pytest.approx(1.036757, abs=1e-6)


def test_paired_interval_hand_computed():
    # differences 2, 3, 1: mean 2, s = 1, se = 1/sqrt(3), t(0.975, 2) = 4.3026527
    interval = paired_interval([10.0, 12.0, 11.0], [8.0, 9.0, 10.0])
    assert interval.mean == pytest.approx(2.0)
    assert interval.low == pytest.approx(-0.484138, abs=1e-6)
    assert interval.high == pytest.approx(4.484138, abs=1e-6)


def test_pairing_removes_shared_noise():
    # Large common noise, constant difference: the paired interval is exactly the difference.
    base = [100.0, 250.0, 40.0, 900.0]
    interval = paired_interval([b + 5.0 for b in base], base)
    assert (interval.mean, interval.low, interval.high) == (5.0, 5.0, 5.0)


def test_single_value_has_nan_bounds():
    interval = t_interval([7.0])
    assert interval.mean == 7.0
    assert math.isnan(interval.low) and math.isnan(interval.high)


def test_nan_values_are_left_out():
    assert t_interval([1.0, math.nan, 3.0]).mean == 2.0
    assert math.isnan(t_interval([math.nan, math.nan]).mean)
    # a pair with a NaN side is dropped: differences 2 and 3 remain
    assert paired_interval([4.0, math.nan, 6.0], [2.0, 1.0, 3.0]).mean == 2.5


def test_paired_lengths_must_match():
    with pytest.raises(ValueError, match="different lengths"):
        paired_interval([1.0, 2.0], [1.0])
