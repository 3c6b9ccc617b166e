"""The list paths of a stock bucket (merge, append) give the NumPy paths' state to the bit.

The reference bucket below is the NumPy-only bucket: every append sums bag sizes with
``np.cumsum`` and every merge places units with boolean masks.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.state.stock import StockError, _Bucket, _running_sums

# Bag sizes (U), some not exact in binary (float64, unlike the ledger's float32), so that the
# running sums round and any difference in how they are formed would show.
SIZES = np.array([0.1, 0.3, 0.7, 1.0, 1.5, 2.0])

held_units = st.lists(
    st.tuples(st.integers(0, 12), st.integers(0, 5)), min_size=1, max_size=40
)  # (expiry minute, size index); ids are drawn apart
new_units = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 5)), min_size=1, max_size=20)


class ReferenceBucket(_Bucket):
    """The bucket on NumPy arrays only (no list path)."""

    def _sums(self, t: int, size: np.ndarray) -> np.ndarray:
        return self.cum[t] + np.cumsum(size, dtype=np.float64)

    def _merge(self, ids: np.ndarray, exp: np.ndarray, size: np.ndarray) -> None:
        self._merge_arrays(ids, exp, size)


def _bucket(
    units: list[tuple[int, int, int]], batches: int, taken: int, kind: type = _Bucket
) -> _Bucket:
    """A bucket holding ``units`` ``(expiry, size index, id)``, appended in ``batches``
    parts, with the first ``taken`` units issued (so ``head`` moves and the capacity may
    need compacting)."""
    exp, size, ids = _arrays(units)
    bucket = kind(capacity=4)
    for part in np.array_split(np.arange(len(ids)), batches):
        if len(part):
            bucket._append(ids[part], exp[part], size[part])
    if taken:
        bucket.take(float(size[:taken].sum()) - 0.05, now=-1.0)
    return bucket


def _arrays(units: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(expiries, sizes, ids) sorted by (expiry, id)."""
    units = sorted(units, key=lambda u: (u[0], u[2]))
    exp = np.array([u[0] for u in units], float)
    return exp, SIZES[[u[1] for u in units]], np.array([u[2] for u in units], np.int64)


def _state(bucket: _Bucket) -> tuple:
    h, t = bucket.head, bucket.tail
    live = (bucket.ids[h:t], bucket.exp[h:t], bucket.cum[h : t + 1])
    return h, t, len(bucket.ids), *(a.tobytes() for a in live)


@settings(max_examples=150, deadline=None)
@given(
    held=held_units,
    new=new_units,
    ids=st.permutations(range(60)),
    batches=st.integers(1, 4),
    taken=st.integers(0, 5),
    again=st.booleans(),
)
def test_list_merge_equals_array_merge(held, new, ids, batches, taken, again) -> None:
    held = [(e, s, i) for (e, s), i in zip(held, ids, strict=False)]
    new = [(e, s, i) for (e, s), i in zip(new, ids[len(held) :], strict=False)]
    if again:  # a unit held already (same id and expiry): both must refuse it
        new = [*new[1:], held[len(held) // 2]]
    fast, slow = _bucket(held, batches, taken), _bucket(held, batches, taken, ReferenceBucket)
    assert _state(fast) == _state(slow)
    assume(len(fast) > 0)  # an empty bucket appends (no merge)
    exp, size, add = _arrays(new)
    outcomes = []
    for bucket in (fast, slow):
        try:
            bucket.add(add, exp, size)
            outcomes.append("added")
        except StockError:
            outcomes.append("refused")
    assert outcomes[0] == outcomes[1]
    assert _state(fast) == _state(slow)
    assert outcomes[0] == "added" or again


@settings(max_examples=200, deadline=None)
@given(
    base=st.floats(0, 1e6),
    sizes=st.lists(st.sampled_from(SIZES.tolist()) | st.floats(0.01, 5.0), max_size=60),
)
def test_running_sums_are_numpys_cumsum(base, sizes) -> None:
    expected = np.float64(base) + np.cumsum(np.array(sizes, float), dtype=np.float64)
    assert np.array(_running_sums(base, sizes)).tobytes() == expected.tobytes()


def test_a_held_unit_added_again_is_refused_by_both_merges() -> None:
    args = (np.array([1]), np.array([5.0]), SIZES[[3]])
    bucket = _bucket([(5, 3, 1), (9, 3, 2)], 1, 0)
    with pytest.raises(StockError, match="already holds"):
        bucket._merge_lists(bucket.head + 1, *args)
    with pytest.raises(StockError, match="already holds"):
        bucket._merge_arrays(*args)
