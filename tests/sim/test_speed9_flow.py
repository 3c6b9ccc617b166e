"""Ninth-session fast paths of collection and receiving each equal the path they replaced.

- ``donors.chosen`` with ``donors.cdf`` picks what ``Generator.choice(..., p=...)`` picks,
  from the same draws, and refuses the shares ``choice`` refuses;
- the ledger's few-row checks (sums and extremes first) accept exactly what the
  value-by-value checks accepted.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.processes import donors
from sim.state import ledger as ledger_module
from sim.state.ledger import Ledger, LedgerError

_FAST = settings(max_examples=150, deadline=None)


_SHARES = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=30).filter(lambda p: sum(p) > 0)


@_FAST
@given(_SHARES, st.integers(0, 2**32), st.integers(1, 200))
def test_chosen_picks_what_choice_picks(weights: list[float], seed: int, n: int):
    total = math.fsum(weights)
    shares = [w / total for w in weights]
    try:
        expected = np.random.default_rng(seed).choice(len(shares), n, p=shares)
    except ValueError:  # shares choice refuses (rounding): cdf refuses them too
        with pytest.raises(ValueError):
            donors.cdf(shares)
        return
    rng = np.random.default_rng(seed)
    got = donors.chosen(rng, donors.cdf(shares), n)
    assert got.dtype == expected.dtype and got.tolist() == expected.tolist()
    after = np.random.default_rng(seed)
    after.random(n)
    assert rng.random() == after.random()  # the same draws used up


class _Draws:
    """A generator stand-in whose uniform draws are given."""

    def __init__(self, draws: list[float]) -> None:
        self.draws = draws

    def random(self, n: int) -> np.ndarray:
        return np.array(self.draws[:n])


def test_a_draw_on_a_boundary_goes_up_as_in_choice():
    """``choice`` searches its cumulative shares from the right: a draw equal to a boundary
    picks the next index (zero shares are never picked)."""
    got = donors.chosen(_Draws([0.0, 0.25, 0.5, 0.75]), donors.cdf([0.25, 0.0, 0.75]), 4)
    assert got.tolist() == [0, 2, 2, 2]


@pytest.mark.parametrize("shares", [[0.5, 0.6], [1.2, -0.2], [float("nan"), 1.0]])
def test_cdf_refuses_what_choice_refuses(shares: list[float]):
    with pytest.raises(ValueError):
        donors.cdf(shares)


_VALUES = st.lists(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0.0, -0.0, 0.5, 1e308, -1e308, math.inf, -math.inf, math.nan]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(_VALUES, st.sampled_from([(0.0, math.inf), (-math.inf, math.inf)]))
def test_between_checks_accept_what_value_by_value_accepts(values: list[float], bounds):
    low, high = bounds
    assert ledger_module._all_between(values, low, high) == all(low < v < high for v in values)
    assert ledger_module._none_nan(values) == all(v == v for v in values)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("size_u", [1.0, math.nan]),
        ("size_u", [1.0, 0.0]),
        ("size_u", [math.inf, 1.0]),
        ("collected_at", [math.inf, -math.inf]),
        ("collected_at", [0.0, math.nan]),
        ("expires_at", [math.inf, math.nan]),
    ],
)
def test_a_bad_few_row_batch_is_still_refused(column: str, value: list[float]):
    batch = {
        "product": 0,
        "abo": 0,
        "rhd": 0,
        "size_u": [1.0, 1.0],
        "donation_id": [0, 1],
        "collected_at": [0.0, 1.0],
        "expires_at": [10.0, math.inf],
        "site": 0,
        "state": 0,
        column: value,
    }
    with pytest.raises(LedgerError):
        Ledger().add(**batch)


def test_expiries_of_plus_and_minus_inf_pass_as_before():
    """The sum of inf and -inf is NaN: the value-by-value check decides (no NaN here)."""
    ids = Ledger().add(0, 0, 0, 1.0, [0, 1], [0.0, 1.0], [math.inf, -math.inf], 0, 0)
    assert ids.tolist() == [0, 1]


def test_arrays_of_different_lengths_are_named():
    with pytest.raises(LedgerError, match="differ in length: {'size_u': 2, 'donation_id': 3}"):
        Ledger().add(0, 0, 0, [1.0, 1.0], [0, 1, 2], 0.0, 1.0, 0, 0)
    with pytest.raises(LedgerError, match="abo must be a scalar or 1-D"):
        Ledger().add(0, [[0]], 0, 1.0, 0, 0.0, 1.0, 0, 0)
    assert Ledger().add(0, 0, 0, 1.0, 0, 0.0, 1.0, 0, 0).tolist() == [0]  # all scalars: 1


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5000), st.integers(0, 2**62), st.data())
def test_any_negative_on_many_ids_is_min_below_zero(n: int, base: int, data) -> None:
    """Both sides of ``_MANY_IDS``: a negative id anywhere (or none) is found."""
    ids = np.arange(base, base + n, dtype=np.int64)
    if data.draw(st.booleans()):
        ids[data.draw(st.integers(0, n - 1))] = data.draw(st.integers(-(2**63), -1))
    assert ledger_module.any_negative(ids) == bool(ids.min() < 0)
    assert ledger_module.any_negative(ids[::3]) == bool(ids[::3].min() < 0)
