"""Available stock at one site, issued first-expiring-first-out (FEFO), vectorised.

A :class:`SiteStock` keeps the ids of the AVAILABLE units at one site in one bucket per
(product, ABO, RhD). A bucket is a set of NumPy arrays sorted by ``(expires_at, unit id)``
with a head offset: issuing ``k`` bags from the front is a slice, and a batch arriving with
later expiries than everything held (the usual case) is an append into spare capacity
(amortised O(k)). Out-of-order arrivals re-sort only the overlapping tail of the bucket.

Each bucket caches the expiries (minutes) and a running sum of bag sizes (U, platelets:
doses) of its units, so that ``on_hand`` is O(1) and finding how many bags cover a need is a
binary search. The cache is filled from the ledger on :meth:`SiteStock.add`: change a held
unit's expiry only by taking it out (:meth:`SiteStock.take_ids`) and adding it back.

The stock never changes the ledger; the caller records what it takes (state, site, time).

Runs make their stocks with :func:`site_stock`. It gives a stock whose buckets and loops
over buckets are compiled (:mod:`sim.state.fefo_core`) when that module is built, and the
pure-Python :class:`SiteStock` otherwise. The two give the same results to the bit.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from itertools import accumulate, pairwise
from typing import Any

import numpy as np

from sim.core.compatibility import CompatibilityRule, donor_groups
from sim.core.compiled import built
from sim.core.domain import ABO, Product, RhD, UnitState
from sim.state.ledger import Ledger, any_negative

N_RHD = len(RhD)
N_GROUPS = len(ABO) * N_RHD
N_PRODUCTS = len(Product)
_AVAILABLE = int(UnitState.AVAILABLE)
EPS_U = 1e-6
"""Tolerance (U) when summing bag sizes against a need."""
_SMALL_MERGE = 48
"""Up to this many units (held after the new ones + new) a merge or an append runs on
Python lists (faster than NumPy calls on a few elements; the same arithmetic)."""
_BLOCK_FROM = 8
"""From this many held units after the new ones, new units that all sort before the same
held unit are inserted in place with NumPy (the list merge costs more per unit)."""


class StockError(ValueError):
    """An invalid stock operation: units not available here, held twice, or not held."""


class _BucketPaths:
    """The paths of a bucket (:class:`_Bucket`) that run seldom or on many units at once:
    merges of units arriving out of order, re-sorts, removals by mask, views of the live
    units. Pure Python on NumPy arrays, shared by the pure-Python bucket and the compiled
    one (:mod:`sim.state.fefo_core`), whose attributes are the same."""

    __slots__ = ()

    def live_ids(self) -> np.ndarray:
        return self.ids[self.head : self.tail]

    def live_exp(self) -> np.ndarray:
        return self.exp[self.head : self.tail]

    def live_sizes(self) -> np.ndarray:
        return self._sizes(self.head)

    def _merge(
        self, ids: np.ndarray, exp: np.ndarray, size: np.ndarray, exact: bool = False
    ) -> None:
        """Merge sorted new units into the bucket from the first held unit after them.

        The units to merge are usually few (a median of 7 in a Zhejiang run): then plain
        Python lists beat a dozen NumPy calls on tiny arrays. Both paths give the same
        arrays to the last bit (same positions, same running sums).
        """
        h, t = self.head, self.tail
        p = h + int(self.exp[h:t].searchsorted(exp[0], side="right"))
        k = len(ids)
        if exact and p < t and t + k <= len(self.ids) and exp[k - 1] < self.exp[p]:
            self._shift_in(p, ids, exp, size)  # all new units sort before unit p
        elif t - p >= _BLOCK_FROM and t + k <= len(self.ids) and exp[k - 1] < self.exp[p]:
            self._insert_block(p, ids, exp, size)  # all new units sort before unit p
        elif t - p + k <= _SMALL_MERGE:
            self._merge_lists(p, ids, exp, size)
        else:
            self._merge_arrays(ids, exp, size)

    def _merge_lists(self, p: int, ids: np.ndarray, exp: np.ndarray, size: np.ndarray) -> None:
        """:meth:`_merge_arrays` on lists; ``p``: position of the first held unit after
        ``exp[0]``.

        Each new unit goes right after the last held unit with an expiry not after its own
        (one bisection each); both runs are sorted, so interleaving them at those places is
        the sorted order by (expiry, id) without sorting.
        """
        lo, t = (p - 1 if p > self.head else p), self.tail  # unit lo decides a tie at p
        held_exp, held_ids = self.exp[lo:t].tolist(), self.ids[lo:t].tolist()
        new_exp, new_ids = _listed(exp), _listed(ids)
        start = p - lo
        slots = []
        for e, i in zip(new_exp, new_ids, strict=True):
            after = bisect_right(held_exp, e, start)  # list index of the held unit after
            if after and held_exp[after - 1] == e and held_ids[after - 1] >= i:
                self._resort(ids, exp, size)  # equal expiry with a higher held id, or a duplicate
                return
            slots.append(after)
        cum = self.cum[p : t + 1].tolist()
        sizes = [b - a for a, b in pairwise(cum)]  # as np.diff
        merged_exp, merged_ids, merged_sizes = [], [], []
        prev = start
        for after, e, i, s in zip(slots, new_exp, new_ids, _listed(size), strict=True):
            if after > prev:
                merged_exp += held_exp[prev:after]
                merged_ids += held_ids[prev:after]
                merged_sizes += sizes[prev - start : after - start]
                prev = after
            merged_exp.append(e)
            merged_ids.append(i)
            merged_sizes.append(s)
        merged_exp += held_exp[prev:]
        merged_ids += held_ids[prev:]
        merged_sizes += sizes[prev - start :]
        k = len(merged_exp)
        self.tail = p
        self._reserve(k)
        t = self.tail
        self.exp[t : t + k] = merged_exp
        self.ids[t : t + k] = merged_ids
        self.cum[t + 1 : t + k + 1] = _running_sums(float(self.cum[t]), merged_sizes)
        self.tail = t + k

    def _insert_block(self, p: int, ids: np.ndarray, exp: np.ndarray, size: np.ndarray) -> None:
        """Insert new units that all sort between held units ``p - 1`` and ``p`` (there
        being room after the tail): the held units from ``p`` shift up in place and the
        running sums from ``p`` are formed again as the merges form them."""
        h, t, k, cum = self.head, self.tail, len(ids), self.cum
        if p > h and self.exp[p - 1] == exp[0] and self.ids[p - 1] >= ids[0]:
            self._resort(ids, exp, size)  # equal expiry with a higher held id, or a duplicate
            return
        sizes = np.concatenate((size, np.diff(cum[p : t + 1])))
        self.ids[p + k : t + k] = self.ids[p:t]  # NumPy copies overlapping slices safely
        self.exp[p + k : t + k] = self.exp[p:t]
        self.ids[p : p + k] = ids
        self.exp[p : p + k] = exp
        sums = cum[p + 1 : t + k + 1]
        np.cumsum(sizes, out=sums)
        sums += cum[p]
        self.tail = t + k

    def _merge_arrays(self, ids: np.ndarray, exp: np.ndarray, size: np.ndarray) -> None:
        """Merge sorted new units into the bucket: O(k log n) search + O(n) copy, no sort."""
        h, old_exp = self.head, self.live_exp()
        pos = np.searchsorted(old_exp, exp, side="right")  # held units sorting before each
        prev = np.maximum(pos - 1, 0)
        if np.any((pos > 0) & (old_exp[prev] == exp) & (self.ids[h + prev] >= ids)):
            self._resort(ids, exp, size)  # equal expiry with a higher held id, or a duplicate
            return
        p = h + int(pos[0])
        slots = pos - pos[0] + np.arange(len(ids))
        merged = [np.empty(self.tail - p + len(ids), dt) for dt in (np.int64, float, float)]
        is_new = np.zeros(len(merged[0]), bool)
        is_new[slots] = True
        old = (self.ids[p : self.tail], self.exp[p : self.tail], self._sizes(p))
        for out, new_part, old_part in zip(merged, (ids, exp, size), old, strict=True):
            out[is_new] = new_part
            out[~is_new] = old_part
        self.tail = p
        self._append(*merged)

    def _resort(self, ids: np.ndarray, exp: np.ndarray, size: np.ndarray) -> None:
        """Re-sort the bucket from the first unit not before the new ones (rare path)."""
        p = self.head + int(np.searchsorted(self.live_exp(), exp[0], side="left"))
        all_ids = np.concatenate([self.ids[p : self.tail], ids])
        all_exp = np.concatenate([self.exp[p : self.tail], exp])
        all_size = np.concatenate([self._sizes(p), size])
        order = np.lexsort((all_ids, all_exp))
        all_ids = all_ids[order]
        if np.any(all_ids[1:] == all_ids[:-1]):
            raise StockError("unit(s) added that the stock already holds")
        self.tail = p
        self._append(all_ids, all_exp[order], all_size[order])

    def _sizes(self, start: int) -> np.ndarray:
        """Bag sizes (U) of the units stored from position ``start`` to the tail."""
        return np.diff(self.cum[start : self.tail + 1])

    def remove_mask(self, mask: np.ndarray) -> None:
        """Remove the live units where ``mask`` is True (any positions)."""
        keep = ~mask
        ids, exp, size = self.live_ids()[keep], self.live_exp()[keep], self.live_sizes()[keep]
        self.head = self.tail = 0
        self.cum[0] = 0.0
        self._append(ids, exp, size)

    def _reserve(self, k: int) -> None:
        """Room for ``k`` more units after ``tail``: compact, or grow by doubling."""
        cap = len(self.ids)
        if self.tail + k <= cap:
            return
        n = len(self)
        new_cap = cap if 2 * (n + k) <= cap else max(2 * cap, 2 * (n + k))
        ids, exp, cum = self.ids, self.exp, self.cum
        if new_cap != cap:
            self.ids = np.empty(new_cap, np.int64)
            self.exp = np.empty(new_cap, np.float64)
            self.cum = np.zeros(new_cap + 1, np.float64)
        h, t = self.head, self.tail
        self.ids[:n] = ids[h:t].copy()
        self.exp[:n] = exp[h:t].copy()
        self.cum[: n + 1] = cum[h : t + 1] - cum[h]
        self.head, self.tail = 0, n

    def remove_positions(self, positions: Sequence[int], exact: bool = False) -> np.ndarray:
        """Remove the units at distinct absolute ``positions`` (ints in ``[head, tail)``,
        ascending); returns their ids. The bucket ends as :meth:`remove_mask` leaves it
        (the same arithmetic; ``exact`` as in :meth:`add`)."""
        out = self.ids[positions]
        if exact:
            self._close_up(positions)
        else:
            self._remove_listed(positions)
        return out

    def _remove_listed(self, positions: Sequence[int]) -> None:
        """:meth:`remove_positions` when sizes may not be multiples of 0.5 U: the kept
        units formed again as :meth:`remove_mask` forms them (on lists for a few units)."""
        h, t = self.head, self.tail
        if t - h > _SMALL_MERGE:
            mask = np.zeros(t - h, bool)
            mask[[at - h for at in positions]] = True
            self.remove_mask(mask)
            return
        ids, exp = self.ids[h:t].tolist(), self.exp[h:t].tolist()  # remove_mask's arithmetic
        sizes = [after - before for before, after in pairwise(self.cum[h : t + 1].tolist())]
        for at in reversed(positions):  # as np.diff, then the kept ones
            at -= h
            del ids[at], exp[at], sizes[at]
        k = len(ids)
        self.cum[0] = 0.0
        if k:
            self.ids[:k], self.exp[:k] = ids, exp
            self.cum[1 : k + 1] = _running_sums(0.0, sizes)
        self.head, self.tail = 0, k


class _Bucket(_BucketPaths):
    """Units of one (product, abo, rhd) sorted by (expiry, id), live in ``[head, tail)``.

    ``cum[i]`` is the summed size (U) of the units stored before position ``i``, so the
    units in positions ``[a, b)`` hold ``cum[b] - cum[a]``.

    This is the pure-Python bucket. It is the reference for the compiled one
    (:mod:`sim.state.fefo_core`), which must leave the same arrays after every operation
    (tested). It runs where that module is not built or ``BLOODFLOW_PURE_PYTHON`` is set.
    """

    __slots__ = ("ids", "exp", "cum", "head", "tail")

    def __init__(self, capacity: int = 16) -> None:
        self.ids = np.empty(capacity, np.int64)
        self.exp = np.empty(capacity, np.float64)
        self.cum = np.zeros(capacity + 1, np.float64)
        self.head = self.tail = 0

    def __len__(self) -> int:
        return self.tail - self.head

    def first_fresh(self, now: float | None) -> int:
        """Position of the first unit with ``expires_at > now`` (``head`` if now is None)."""
        head = self.head
        if now is None or head == self.tail or self.exp[head] > now:
            return head  # fast path: the oldest unit is still fresh
        return head + int(self.exp[head : self.tail].searchsorted(now, side="right"))

    def units(self, now: float | None = None) -> float:
        """Summed size (U) of the units not expired at ``now``."""
        h, t = self.head, self.tail  # first_fresh inlined (a hot path)
        if now is not None and h != t and not self.exp[h] > now:
            h += int(self.exp[h:t].searchsorted(now, side="right"))
        return float(self.cum[t] - self.cum[h])

    def add(self, ids: np.ndarray, exp: np.ndarray, size: np.ndarray, exact: bool = False) -> None:
        """Insert distinct units sorted by (exp, id); append if all sort after the tail.

        ``exact``: every size held and added is a multiple of 0.5 U (see
        :attr:`~sim.state.ledger.Ledger.half_sizes`), so running sums (U) may be shifted
        instead of formed again (the same bits)."""
        last = self.tail - 1
        if last < self.head:
            self._append(ids, exp, size)
            return
        first_exp, last_exp = float(exp[0]), float(self.exp[last])  # no NumPy scalar compares
        if first_exp > last_exp or (first_exp == last_exp and int(ids[0]) > int(self.ids[last])):
            self._append(ids, exp, size)
        elif exact:
            self._merge(ids, exp, size, exact)
        else:
            self._merge(ids, exp, size)

    def _append(self, ids: np.ndarray, exp: np.ndarray, size: np.ndarray) -> None:
        k, t = len(ids), self.tail
        if t + k > len(self.ids):
            self._reserve(k)
            t = self.tail
        if k == 1:  # one bag (the commonest batch): scalars, the same sum as _sums
            self.ids[t] = ids[0]
            self.exp[t] = exp[0]
            self.cum[t + 1] = float(self.cum[t]) + float(size[0])
        else:
            self.ids[t : t + k] = ids
            self.exp[t : t + k] = exp
            self.cum[t + 1 : t + k + 1] = self._sums(t, size)
        self.tail = t + k

    def _sums(self, t: int, size: np.ndarray) -> Any:
        """``cum[t] + cumsum(size)``: running sums (U) of bags placed after position ``t``;
        on a list for a few bags (the same sums in the same order, no NumPy overhead)."""
        if len(size) <= _SMALL_MERGE:
            return _running_sums(float(self.cum[t]), _listed(size))
        return self.cum[t] + np.cumsum(size, dtype=np.float64)

    def _shift_in(self, p: int, ids: np.ndarray, exp: np.ndarray, size: np.ndarray) -> None:
        """:meth:`_insert_block` when every size is a multiple of 0.5 U: the running sums
        from ``p`` are shifted by the new units' size instead of formed again (exact sums,
        so the same bits); the same tie check first."""
        h, t, k, cum = self.head, self.tail, len(ids), self.cum
        if p > h and self.exp[p - 1] == exp[0] and self.ids[p - 1] >= ids[0]:
            self._resort(ids, exp, size)  # equal expiry with a higher held id, or a duplicate
            return
        self.ids[p + k : t + k] = self.ids[p:t]  # NumPy copies overlapping slices safely
        self.exp[p + k : t + k] = self.exp[p:t]
        base = float(cum[p])
        if k == 1:  # one bag (the commonest): scalars
            self.ids[p], self.exp[p], added = ids[0], exp[0], float(size[0])
            cum[p + 2 : t + 2] = cum[p + 1 : t + 1] + added
            cum[p + 1] = base + added
        else:
            self.ids[p : p + k], self.exp[p : p + k] = ids, exp
            sums = _running_sums(base, _listed(size))
            cum[p + k + 1 : t + k + 1] = cum[p + 1 : t + 1] + (sums[-1] - base)
            cum[p + 1 : p + k + 1] = sums
        self.tail = t + k

    def take(self, need_u: float, now: float) -> tuple[np.ndarray, float]:
        """Take fresh units from the front until their size reaches ``need_u`` (U)."""
        s, t = self.head, self.tail  # first_fresh inlined (a hot path)
        if s != t and not self.exp[s] > now:
            s += int(self.exp[s:t].searchsorted(now, side="right"))
        cum = self.cum
        base = float(cum[s])  # float64 arithmetic as on NumPy scalars, without their cost
        target = base + float(need_u) - EPS_U
        if cum[t] <= target:  # not enough: take everything fresh
            e = t
        elif cum[s + 1] >= target:  # the first bag covers the need (the usual case)
            e = s + 1
        else:
            e = s + 1 + int(cum[s + 1 : t + 1].searchsorted(target, side="left"))
        got = float(cum[e]) - base
        return self.remove_range(s, e), got

    def remove_range(self, s: int, e: int) -> np.ndarray:
        """Remove positions ``[s, e)``; the units before ``s`` (expired) shift up to close it."""
        out = self.ids[s:e].copy()
        d, h = e - s, self.head
        if d and s > h:
            self.ids[h + d : e] = self.ids[h:s].copy()
            self.exp[h + d : e] = self.exp[h:s].copy()
            self.cum[h + d : e + 1] = self.cum[h : s + 1] + (self.cum[e] - self.cum[s])
        self.head = h + d
        return out

    def _close_up(self, positions: Sequence[int]) -> None:
        """:meth:`remove_positions` when every size is a multiple of 0.5 U: the kept runs
        between the removed units move down to position 0 and their running sums are
        shifted by what is removed before them (exact sums, so the bits of
        :meth:`remove_mask`)."""
        h, t, ids, exp, cum = self.head, self.tail, self.ids, self.exp, self.cum
        cut = [float(cum[at + 1]) - float(cum[at]) for at in positions]  # before any write
        shift, dst, prev = float(cum[h]), 0, h
        for at, size in zip([*positions, t], [*cut, 0.0], strict=True):
            n = at - prev
            if n:  # kept units [prev, at) go to [dst, dst + n)
                ids[dst : dst + n] = ids[prev:at]
                exp[dst : dst + n] = exp[prev:at]
                cum[dst + 1 : dst + n + 1] = cum[prev + 1 : at + 1] - shift
                dst += n
            shift += size
            prev = at + 1
        cum[0] = 0.0
        self.head, self.tail = 0, dst


fefo_core = built("fefo_core")  # the compiled hot paths (None: not built at install)

COMPILED = fefo_core is not None
"""Whether :func:`site_stock` makes compiled stocks: the extension is built and
``BLOODFLOW_PURE_PYTHON`` is not set (set it to run the pure-Python reference)."""


class SiteStock:
    """AVAILABLE units at one site, by (product, ABO, RhD), for FEFO issue.

    Parameters
    ----------
    ledger : Ledger
        The run's unit ledger (read for product, group, size and expiry on :meth:`add`).
    site : int
        Index of this site in the run's site list.
    """

    _bucket_class: type = _Bucket  # what a new bucket is

    def __init__(self, ledger: Ledger, site: int) -> None:
        self.ledger = ledger
        self.site = int(site)
        self._buckets: list[_Bucket | None] = [None] * (N_PRODUCTS * N_GROUPS)

    def __len__(self) -> int:
        return sum(len(b) for b in self._buckets if b is not None)

    def __repr__(self) -> str:
        return f"SiteStock(site={self.site}, bags={len(self)})"

    def _select(
        self, product: int | None, abo: int | None = None, rhd: int | None = None
    ) -> list[_Bucket]:
        """Existing buckets matching the given product / ABO / RhD (None = any), by key."""
        buckets = self._buckets
        return [b for k in _keys(product, abo, rhd) if (b := buckets[k]) is not None]

    # -------------------------------------------------------------- adding
    def add(self, ids: Any) -> None:
        """Add units to the stock, each into its (product, group) bucket in FEFO order.

        Parameters
        ----------
        ids : array of int
            Unit ids; they must be AVAILABLE at this site in the ledger and not held yet.

        Raises
        ------
        StockError
            If a unit is not AVAILABLE here, has a NaN expiry, or is already held.
        """
        ids = np.atleast_1d(np.asarray(ids, dtype=np.int64))
        if not ids.size:
            return
        lg = self.ledger
        exp = self._check_addable(ids)
        key = lg.cell[ids]  # the bucket of each unit: product * 8 + abo * 2 + rhd
        size = lg.size_u[ids]
        if len(ids) <= _SMALL_ADD:
            self._add_listed(key.tolist(), exp.tolist(), ids.tolist(), size.tolist())
            return
        order = np.lexsort((ids, exp, key))
        ids, exp, size, key = ids[order], exp[order], size[order], key[order]
        if (ids[1:] == ids[:-1]).any():
            raise StockError("the same unit id was added twice")
        keys, exact = key.tolist(), lg.half_sizes
        buckets, s = self._buckets, 0
        for e in [*(np.flatnonzero(key[1:] != key[:-1]) + 1).tolist(), len(keys)]:
            bucket = buckets[keys[s]]
            if bucket is None:
                bucket = buckets[keys[s]] = self._bucket_class()
            bucket.add(ids[s:e], exp[s:e], size[s:e], exact)
            s = e

    def add_moved(self, ids: np.ndarray, cells: list[int], sizes: list[float]) -> None:
        """:meth:`add` of units the caller has just moved to AVAILABLE at this site with
        :meth:`~sim.state.ledger.Ledger.move` (which checked that they are live ledger
        units), given their cells (``Ledger.cell``) and sizes (``Ledger.size_u``) as lists
        it read already: the state and site checks of :meth:`add` are left out, the rest
        (NaN expiry, an id twice) kept; the same buckets as :meth:`add`.

        Raises
        ------
        StockError
            If a unit has a NaN expiry or is given twice.
        """
        if len(cells) > _SMALL_ADD:
            self.add(ids)
            return
        ids = np.asarray(ids, dtype=np.int64)  # the array itself when it is one
        exps = self.ledger.expires_at[ids].tolist()
        if any(e != e for e in exps):
            raise StockError("unit(s) with NaN expires_at cannot be stocked")
        self._add_listed(cells, exps, ids.tolist(), sizes)

    def _add_listed(
        self, keys: list[int], exps: list[float], ids: list[int], sizes: list[float]
    ) -> None:
        """:meth:`add` of a few units given as Python lists (bucket key, expiry, id, size):
        sorted by (key, expiry, id) as its ``lexsort``, each bucket's run added as lists
        (the same values, so the same buckets)."""
        rows = sorted(zip(keys, exps, ids, sizes, strict=True))
        if any(a[2] == b[2] for a, b in pairwise(rows)):
            raise StockError("the same unit id was added twice")
        buckets, exact, s, n = self._buckets, self.ledger.half_sizes, 0, len(rows)
        while s < n:
            key, e = rows[s][0], s + 1
            while e < n and rows[e][0] == key:
                e += 1
            bucket = buckets[key]
            if bucket is None:
                bucket = buckets[key] = self._bucket_class()
            run = rows[s:e]
            bucket.add([r[2] for r in run], [r[1] for r in run], [r[3] for r in run], exact)
            s = e

    def _check_addable(self, ids: np.ndarray) -> np.ndarray:
        """Checks that ``ids`` may enter this stock; returns their expiries (minutes).

        The states and sites are compared as bytes with those of an AVAILABLE unit here
        (no NumPy reductions: most batches are a few bags).
        """
        lg = self.ledger
        try:
            state = lg.state[ids]  # IndexError beyond the last row
        except IndexError:
            state = None
        if state is None or any_negative(ids):
            raise StockError(f"unit ids outside the ledger (0..{len(lg) - 1})")
        site, n = lg.site[ids], len(ids)
        available, here = _code_bytes(_AVAILABLE, state.dtype), _code_bytes(self.site, site.dtype)
        if state.tobytes() != available * n or site.tobytes() != here * n:
            bad = (state != _AVAILABLE) | (site != self.site)
            raise StockError(
                f"unit(s) {ids[bad][:10].tolist()} are not AVAILABLE at site {self.site}"
            )
        exp = lg.expires_at[ids]
        if np.isnan(exp).any():
            raise StockError("unit(s) with NaN expires_at cannot be stocked")
        return exp

    # -------------------------------------------------------------- queries
    def on_hand(
        self,
        product: int,
        abo: int | None = None,
        rhd: int | None = None,
        *,
        now: float | None = None,
    ) -> float:
        """Units on hand (sum of size_u: U, platelets: doses).

        Parameters
        ----------
        product : int
            Product code.
        abo, rhd : int, optional
            Restrict to an ABO group and/or RhD type (None = all).
        now : float, optional
            Time (minutes); units with ``expires_at <= now`` are not counted.
        """
        if abo in _ABO_CODES and rhd in _RHD_CODES:  # one bucket (the hot path): no selection
            bucket = self._buckets[_base(product) + abo * N_RHD + rhd]
            return 0.0 if bucket is None else bucket.units(now)
        return float(sum(b.units(now) for b in self._select(product, abo, rhd)))

    def on_hand_bags(
        self,
        product: int,
        abo: int | None = None,
        rhd: int | None = None,
        *,
        now: float | None = None,
    ) -> int:
        """Bags on hand; arguments as :meth:`on_hand`."""
        return sum(b.tail - b.first_fresh(now) for b in self._select(product, abo, rhd))

    def on_hand_by_group(self, product: int, *, now: float | None = None) -> np.ndarray:
        """Units on hand per group: float array ``(4, 2)`` indexed ``[abo, rhd]``."""
        base = _base(product)
        units = [0.0 if b is None else b.units(now) for b in self._buckets[base : base + N_GROUPS]]
        return np.array(units).reshape(len(ABO), len(RhD))

    def on_hand_by_product_group(
        self, products: Sequence[int], *, now: float | None = None
    ) -> np.ndarray:
        """Units on hand per product and group: float array ``(len(products), 4, 2)``
        indexed ``[k, abo, rhd]`` for ``products[k]``; :meth:`on_hand_by_group` of each
        product in one pass (the same values)."""
        buckets = self._buckets
        units = [
            [0.0 if b is None else b.units(now) for b in buckets[base : base + N_GROUPS]]
            for base in map(_base, products)
        ]
        return np.array(units).reshape(len(units), len(ABO), len(RhD))

    def ids(self, product: int | None = None) -> np.ndarray:
        """Ids of all units held (of one product if given), bucket by bucket in FEFO order."""
        parts = [b.live_ids() for b in self._select(product)]
        return np.concatenate(parts) if parts else np.empty(0, np.int64)

    # -------------------------------------------------------------- issuing
    def take(
        self,
        product: int,
        abo: int,
        rhd: int,
        need_u: float,
        *,
        rule: str | CompatibilityRule,
        now: float,
    ) -> np.ndarray:
        """Issue whole bags FEFO for a recipient group, substituting per ``rule``.

        Parameters
        ----------
        product : int
            Product code.
        abo, rhd : int
            Recipient group codes.
        need_u : float
            Units needed (U, platelets: doses).
        rule : str or CompatibilityRule
            Substitution rule; donor groups are used in the order of
            :func:`~sim.core.compatibility.donor_groups` (identical group first), each
            oldest-expiring first.
        now : float
            Time (minutes); units with ``expires_at <= now`` are never issued.

        Returns
        -------
        numpy.ndarray of int64
            Ids removed from the stock; their summed size is >= ``need_u`` unless the
            compatible stock ran out (the caller records the shortfall and the ledger).
        """
        return self.take_groups(product, donor_groups(rule, abo, rhd), need_u, now)[0]

    def take_counted(
        self, product: int, abo: int, rhd: int, need_u: float, *, rule: str, now: float
    ) -> tuple[np.ndarray, float]:
        """Like :meth:`take`, also returning the units taken (summed size_u)."""
        return self.take_groups(product, donor_groups(rule, abo, rhd), need_u, now)

    def take_exact(
        self, product: int, abo: int, rhd: int, need_u: float, *, now: float
    ) -> np.ndarray:
        """Like :meth:`take` with the identical group only (no substitution)."""
        return self.take_groups(product, ((abo, rhd),), need_u, now)[0]

    def take_groups(
        self, product: int, groups: tuple[tuple[int, int], ...], need_u: float, now: float
    ) -> tuple[np.ndarray, float]:
        """Like :meth:`take_counted` with the donor ``groups`` ((abo, rhd) codes, in order of
        preference, e.g. from :func:`~sim.core.compatibility.donor_groups`) given: the
        ids taken and their summed size (U); ``need_u`` (U) and ``now`` (minutes) as there."""
        parts, total = [], 0.0
        buckets = self._buckets
        base = _base(product)
        for abo, rhd in groups:
            if need_u <= EPS_U:
                break
            bucket = buckets[base + abo * N_RHD + rhd]
            if bucket is None or bucket.head == bucket.tail:
                continue
            got_ids, got_u = bucket.take(need_u, now)
            parts.append(got_ids)
            need_u -= got_u
            total += got_u
        if not parts:
            return _NO_IDS, 0.0
        return (parts[0] if len(parts) == 1 else np.concatenate(parts)), total

    def take_ids(self, ids: Any) -> np.ndarray:
        """Remove specific units (e.g. for a rebalancing transfer); returns their ids.

        Raises
        ------
        StockError
            If any id is not held (nothing is removed then).
        """
        ids = np.unique(np.asarray(ids, dtype=np.int64))
        if not ids.size:
            return ids
        lg = self.ledger
        if ids.min() < 0 or ids.max() >= len(lg):
            raise StockError("unit ids outside the ledger")
        keys = np.unique(lg.cell[ids])
        buckets = [b for k in keys if (b := self._buckets[k]) is not None]
        masks = [np.isin(b.live_ids(), ids) for b in buckets]
        if sum(int(m.sum()) for m in masks) != ids.size:
            raise StockError(f"take_ids(): some of {ids[:10].tolist()} are not held")
        for b, mask in zip(buckets, masks, strict=True):
            b.remove_mask(mask)
        return ids

    # -------------------------------------------------------------- one bucket by position
    def fresh(self, product: int, abo: int, rhd: int, now: float) -> np.ndarray:
        """Ids of one (product, group)'s units with ``expires_at > now`` (minutes), FEFO.

        A read-only view, valid until this stock next changes; positions in it are what
        :meth:`take_fresh` takes.
        """
        bucket = self._buckets[_base(product) + abo * N_RHD + rhd]
        if bucket is None:
            return _NO_IDS
        view = bucket.ids[bucket.first_fresh(now) : bucket.tail]
        view.flags.writeable = False
        return view

    def fresh_sizes(self, product: int, abo: int, rhd: int, now: float) -> list[float]:
        """Sizes (U, Python floats) of the units of :meth:`fresh` (same arguments), FEFO;
        read from the running sums where those are exact (every size a multiple of 0.5 U,
        :attr:`~sim.state.ledger.Ledger.half_sizes`), else from the ledger."""
        bucket = self._buckets[_base(product) + abo * N_RHD + rhd]
        if bucket is None:
            return []
        s, t = bucket.first_fresh(now), bucket.tail
        if s == t:
            return []
        if self.ledger.half_sizes:
            return [b - a for a, b in pairwise(bucket.cum[s : t + 1].tolist())]
        return self.ledger.size_u[bucket.ids[s:t]].tolist()

    def take_fresh(
        self, product: int, abo: int, rhd: int, now: float, positions: Any
    ) -> np.ndarray:
        """Remove the units at ``positions`` of :meth:`fresh` (same arguments, no change to
        the stock in between); returns their ids. Like :meth:`take_ids` on those ids
        without searching for them.

        Parameters
        ----------
        positions : list or array of int
            Distinct positions in :meth:`fresh`'s array, ascending (a list of ints is
            taken as it is: no array is built).
        """
        bucket = self._buckets[_base(product) + abo * N_RHD + rhd]
        if not isinstance(positions, list):
            positions = np.asarray(positions, dtype=np.intp).tolist()
        if not positions:
            return _NO_IDS
        start = bucket.first_fresh(now) if bucket is not None else 0
        if bucket is None or positions[0] < 0 or start + positions[-1] >= bucket.tail:
            raise StockError("take_fresh(): positions outside the fresh units")
        exact = self.ledger.half_sizes
        return bucket.remove_positions([start + at for at in positions], exact)

    def restore(
        self,
        product: int,
        abo: int,
        rhd: int,
        ids: np.ndarray,
        *,
        expires_at: np.ndarray | None = None,
        size_u: np.ndarray | None = None,
    ) -> None:
        """Put back units of one (product, group) taken from this stock, sorted by
        (expiry, id) as :meth:`take_fresh` returned them; they must be AVAILABLE here again.

        The bucket ends as :meth:`add` leaves it; the checks of :meth:`add` are left out
        (the units came from this bucket and the caller moved them back). ``expires_at``
        (minutes) and ``size_u`` (U): the units' ledger values if the caller read them
        already.
        """
        if not len(ids):
            return
        key = _base(product) + abo * N_RHD + rhd
        bucket = self._buckets[key]
        if bucket is None:
            bucket = self._buckets[key] = self._bucket_class()
        lg = self.ledger
        exp = lg.expires_at[ids] if expires_at is None else expires_at
        size = lg.size_u[ids] if size_u is None else size_u
        bucket.add(ids, exp, size, lg.half_sizes)

    def expire(self, now: float) -> np.ndarray:
        """Remove and return all units with ``expires_at <= now`` (minutes).

        The caller records them as EXPIRED in the ledger.
        """
        parts = []
        for b in self._select(None):
            s = b.first_fresh(now)
            if s > b.head:
                parts.append(b.remove_range(b.head, s))
        return np.concatenate(parts) if parts else np.empty(0, np.int64)


if fefo_core is not None:

    class _CompiledBucket(fefo_core.FefoCore, _BucketPaths):
        """:class:`_Bucket` with its hot paths compiled (:mod:`sim.state.fefo_core`): the
        same arrays after every operation."""

        __slots__ = ()

    class _CompiledSiteStock(SiteStock):
        """:class:`SiteStock` with compiled buckets, and its loops over them compiled
        (:mod:`sim.state.fefo_core`): the same results."""

        _bucket_class = _CompiledBucket

        def _add_listed(
            self, keys: list[int], exps: list[float], ids: list[int], sizes: list[float]
        ) -> None:
            if not len(keys) == len(exps) == len(ids) == len(sizes):
                super()._add_listed(keys, exps, ids, sizes)  # raises as zip(strict=True)
            elif not fefo_core.add_listed(
                self._buckets, keys, exps, ids, sizes, self.ledger.half_sizes, _CompiledBucket
            ):
                raise StockError("the same unit id was added twice")

        def take_groups(
            self, product: int, groups: tuple[tuple[int, int], ...], need_u: float, now: float
        ) -> tuple[np.ndarray, float]:
            return fefo_core.take_groups(self._buckets, _base(product), groups, need_u, now)

        def fresh_sizes(self, product: int, abo: int, rhd: int, now: float) -> list[float]:
            bucket = self._buckets[_base(product) + abo * N_RHD + rhd]
            if bucket is None or not self.ledger.half_sizes:
                return super().fresh_sizes(product, abo, rhd, now)
            return fefo_core.fresh_sizes(bucket, now)

        def on_hand_by_product_group(
            self, products: Sequence[int], *, now: float | None = None
        ) -> np.ndarray:
            units = fefo_core.units_by_group(self._buckets, [_base(p) for p in products], now)
            return np.array(units).reshape(len(units), len(ABO), len(RhD))


def site_stock(ledger: Ledger, site: int) -> SiteStock:
    """A site's stock: compiled where :data:`COMPILED` says so, else pure Python (the same
    behaviour)."""
    return (_CompiledSiteStock if COMPILED else SiteStock)(ledger, site)


_SMALL_ADD = 64
"""Up to this many units, :meth:`SiteStock.add` sorts and splits them on Python lists."""


def _listed(values: Any) -> list:
    """``values`` as a list (an array's :meth:`~numpy.ndarray.tolist`, a list as it is)."""
    return values if isinstance(values, list) else values.tolist()


def _running_sums(base: float, sizes: Sequence[float]) -> list[float]:
    """``base + cumsum(sizes)`` (U) added up left to right as ``np.cumsum`` does (from the
    first size, not from 0.0)."""
    return [base + running for running in accumulate(sizes)]


_ABO_CODES, _RHD_CODES = frozenset(range(len(ABO))), frozenset(range(N_RHD))
_NO_IDS = np.empty(0, np.int64)
_NO_IDS.flags.writeable = False


def _base(product: int) -> int:
    """First bucket key of a valid product code (``product * 8``)."""
    try:
        return _BASES[product]
    except (KeyError, TypeError):  # not a plain code: validate (raises if invalid)
        return _product(product) * N_GROUPS


_BASES = {product: product * N_GROUPS for product in range(N_PRODUCTS)}


@cache
def _code_bytes(code: int, dtype: np.dtype) -> bytes:
    """The bytes of ``code`` stored as ``dtype``."""
    return np.array(code, dtype).tobytes()


def _product(product: int) -> int:
    """Validated product code."""
    if not 0 <= product < N_PRODUCTS:
        raise StockError(f"invalid product code {product!r}")
    return int(product)


@cache
def _keys(product: int | None, abo: int | None, rhd: int | None) -> tuple[int, ...]:
    """Bucket keys matching a product / ABO / RhD (None = any), ascending."""
    if product is not None:
        _product(product)
    return tuple(
        key
        for key in range(N_PRODUCTS * N_GROUPS)
        if product in (None, key // N_GROUPS)
        and abo in (None, key % N_GROUPS // N_RHD)
        and rhd in (None, key % N_RHD)
    )
