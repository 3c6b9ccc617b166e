"""Collection-side speed rewrites against their plain versions (issue 12)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.processes.rare import _bit_masks
from sim.state.ledger import any_negative


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 15).flatmap(lambda k: arrays(bool, st.tuples(st.integers(0, 20), st.just(k))))
)
def test_bit_masks_are_the_sum_of_the_flag_bits(flags) -> None:
    expected = (flags * (1 << np.arange(flags.shape[1]))).sum(axis=1).astype(np.uint16)
    got = _bit_masks(flags)
    assert got.dtype == np.uint16
    assert got.tolist() == expected.tolist()


@settings(max_examples=50, deadline=None)
@given(arrays(np.int64, st.integers(0, 70), elements=st.integers(-(2**63), 2**63 - 1)))
def test_any_negative_is_min_below_zero(ids) -> None:
    assert any_negative(ids) == bool(ids.size and ids.min() < 0)
    assert any_negative(ids[::2]) == bool(ids[::2].size and ids[::2].min() < 0)
