# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The hot paths of a FEFO bucket (:class:`sim.state.stock._Bucket`), compiled, and a
stock's loops over its buckets.

A bucket's issue, front removal, unit count and additions run a few times per demand block
at every hospital, mostly on a few bags. In Python each is a dozen NumPy calls on tiny
arrays, and those calls are most of their cost. Here they are typed loops over the same
arrays. Every operation does the Python bucket's arithmetic in the same order (sums left to
right, the same subtractions), so the arrays are the same bits after every operation.
``tests/sim/test_fefo_core.py`` checks this against the pure-Python bucket on random
sequences of operations, and a run writes the same run folder with either.

The paths that run seldom or on many units at once stay in Python, in
:class:`sim.state.stock._BucketPaths`, which the compiled bucket inherits: merges of units
arriving out of order, re-sorts, removal by mask, growing the arrays. They reach the
arrays through the same attributes.
"""

import numpy as np

cimport cython
cimport numpy as cnp
from libc.stdint cimport int64_t
from libc.string cimport memcpy, memmove

cnp.import_array()

EPS_U = 1e-6
"""Tolerance (U) when summing bag sizes against a need: ``sim.state.stock.EPS_U`` (tested)."""
cdef double _EPS_U = EPS_U
SMALL_MERGE = 48
"""Up to this many units a merge runs on lists: ``sim.state.stock._SMALL_MERGE`` (tested)."""
BLOCK_FROM = 8
"""From this many held units after new ones, a block insert: ``stock._BLOCK_FROM`` (tested)."""


cdef class FefoCore:
    """Units of one (product, group) sorted by (expiry, id), live in ``[head, tail)``,
    with running sums of their sizes (U): the attributes of the Python bucket."""

    cdef object _ids, _exp, _cum  # the NumPy arrays
    cdef int64_t[::1] _i  # typed views of the same memory
    cdef double[::1] _e
    cdef double[::1] _c
    cdef public Py_ssize_t head, tail

    def __init__(self, Py_ssize_t capacity=16):
        self.ids = np.empty(capacity, np.int64)
        self.exp = np.empty(capacity, np.float64)
        self.cum = np.zeros(capacity + 1, np.float64)
        self.head = self.tail = 0

    @property
    def ids(self):
        """Unit ids by position (int64)."""
        return self._ids

    @ids.setter
    def ids(self, value):  # a new array (the bucket grew): the typed view follows it
        self._i = value
        self._ids = value

    @property
    def exp(self):
        """Expiry by position (minutes, float64)."""
        return self._exp

    @exp.setter
    def exp(self, value):
        self._e = value
        self._exp = value

    @property
    def cum(self):
        """Running sums of sizes: ``cum[i]`` is the size (U) stored before position ``i``."""
        return self._cum

    @cum.setter
    def cum(self, value):
        self._c = value
        self._cum = value

    def __len__(self):
        return self.tail - self.head

    cdef inline Py_ssize_t _fresh(self, double now):
        """First position from ``head`` with an expiry after ``now`` (``searchsorted``
        right: the first position whose expiry is not ``<= now``)."""
        cdef Py_ssize_t lo = self.head, hi = self.tail, mid
        if lo == hi or self._e[lo] > now:
            return lo
        while lo < hi:
            mid = lo + (hi - lo) // 2
            if self._e[mid] <= now:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def first_fresh(self, now):
        """Position of the first unit with ``expires_at > now`` (``head`` if now is None)."""
        if now is None:
            return self.head
        return self._fresh(now)

    def units(self, now=None):
        """Summed size (U) of the units not expired at ``now`` (minutes)."""
        return self._units(now)

    cdef double _units(self, now):
        cdef Py_ssize_t h = self.head if now is None else self._fresh(now)
        return self._c[self.tail] - self._c[h]

    def take(self, double need_u, double now):
        """Take fresh units from the front until their size reaches ``need_u`` (U)."""
        return self._take(need_u, now)

    cdef tuple _take(self, double need_u, double now):
        cdef Py_ssize_t s = self._fresh(now), t = self.tail, e, lo, hi, mid
        cdef double base = self._c[s]
        cdef double target = base + need_u - _EPS_U
        if self._c[t] <= target:  # not enough: take everything fresh
            e = t
        else:
            if s + 1 >= self._c.shape[0]:
                raise IndexError("index out of bounds")  # as NumPy past the last sum
            if self._c[s + 1] >= target:  # the first bag covers the need
                e = s + 1
            else:  # the first running sum not below the target (searchsorted left)
                lo, hi = s + 1, t + 1
                while lo < hi:
                    mid = lo + (hi - lo) // 2
                    if self._c[mid] < target:
                        lo = mid + 1
                    else:
                        hi = mid
                e = lo
        got = self._c[e] - base
        return self._remove_range(s, e), got

    def remove_range(self, Py_ssize_t s, Py_ssize_t e):
        """Remove positions ``[s, e)``; the units before ``s`` (expired) shift up to close it."""
        if not self.head <= s <= e <= self.tail:  # unchecked memory below: check here
            raise IndexError(f"positions [{s}, {e}) outside [{self.head}, {self.tail}]")
        return self._remove_range(s, e)

    cdef object _remove_range(self, Py_ssize_t s, Py_ssize_t e):
        cdef Py_ssize_t d = e - s, h = self.head, j
        out = _ids_copy(&self._i[s] if d else NULL, d)
        cdef double shift
        if d and s > h:
            memmove(&self._i[h + d], &self._i[h], (s - h) * sizeof(int64_t))
            memmove(&self._e[h + d], &self._e[h], (s - h) * sizeof(double))
            shift = self._c[e] - self._c[s]
            for j in range(s - h, -1, -1):  # from the top: the ranges overlap
                self._c[h + d + j] = self._c[h + j] + shift
        self.head = h + d
        return out

    def _close_up(self, positions):
        """The kept runs between removed positions move down to position 0, their running
        sums shifted by the sizes removed before them (sizes multiples of 0.5 U)."""
        cdef Py_ssize_t h = self.head, t = self.tail, dst = 0, prev = h, at, n, j, q
        cdef Py_ssize_t m = len(positions)
        cdef double shift = self._c[h], cut
        cuts = []  # the sizes removed, read before any write
        for q in range(m):
            at = positions[q]
            if not prev <= at < t:  # ascending, inside the live units: unchecked memory below
                raise IndexError(f"positions {positions} not ascending in [{h}, {t})")
            prev = at + 1
            cuts.append(self._c[at + 1] - self._c[at])
        prev = h
        for q in range(m + 1):
            if q < m:
                at, cut = positions[q], cuts[q]
            else:
                at, cut = t, 0.0
            n = at - prev
            if n:  # kept units [prev, at) go to [dst, dst + n)
                memmove(&self._i[dst], &self._i[prev], n * sizeof(int64_t))
                memmove(&self._e[dst], &self._e[prev], n * sizeof(double))
                for j in range(n):  # from the bottom: dst <= prev
                    self._c[dst + 1 + j] = self._c[prev + 1 + j] - shift
                dst += n
            shift += cut
            prev = at + 1
        self._c[0] = 0.0
        self.head, self.tail = 0, dst

    # -------------------------------------------------------------- adding
    def add(self, ids, exp, size, exact=False):
        """Insert distinct units sorted by (exp, id); append if all sort after the tail."""
        cdef Py_ssize_t last = self.tail - 1
        if last < self.head:
            self._append(ids, exp, size)
            return
        cdef double first_exp = exp[0], last_exp = self._e[last]
        if first_exp > last_exp or (first_exp == last_exp and ids[0] > self._i[last]):
            self._append(ids, exp, size)
        elif exact:
            self._merge(ids, exp, size, exact)
        else:
            self._merge(ids, exp, size)

    def _merge(self, ids, exp, size, exact=False):
        """Merge sorted new units into the bucket from the first held unit after them:
        the Python bucket's choice of path (the paths after ``_shift_in`` are Python)."""
        cdef Py_ssize_t h = self.head, t = self.tail, k = len(ids), p = h, lo = h, hi = t, mid
        cdef double first = exp[0]
        while lo < hi:  # the first held unit with an expiry after ``first`` (searchsorted right)
            mid = lo + (hi - lo) // 2
            if self._e[mid] <= first:
                lo = mid + 1
            else:
                hi = mid
        p = lo
        room = t + k <= self._i.shape[0]
        before = p < t and room and exp[k - 1] < self._e[p]  # all new units sort before p
        if exact and before:
            self._shift_in(p, ids, exp, size)
        elif t - p >= BLOCK_FROM and before:
            self._insert_block(p, ids, exp, size)
        elif t - p + k <= SMALL_MERGE:
            self._merge_lists(p, ids, exp, size)
        else:
            self._merge_arrays(ids, exp, size)

    def _append(self, ids, exp, size):
        """Units sorting after every held one go after the tail, with their running sums
        (the base plus the sizes summed left to right, as ``np.cumsum``)."""
        cdef Py_ssize_t k = len(ids), t = self.tail, j
        cdef double base, run = 0.0
        if t + k > self._i.shape[0]:
            self._reserve(k)
            t = self.tail
        if k == 1:
            self._i[t] = ids[0]
            self._e[t] = exp[0]
            self._c[t + 1] = self._c[t] + <double>size[0]
        elif k <= SMALL_MERGE:  # a few: on Python numbers
            ids, exp, size = _listed(ids), _listed(exp), _listed(size)
            base = self._c[t]
            for j in range(k):
                self._i[t + j] = ids[j]
                self._e[t + j] = exp[j]
                run = <double>size[0] if j == 0 else run + <double>size[j]
                self._c[t + j + 1] = base + run
        elif k:  # many (a re-sort, a stock filled at the start): on typed arrays
            ids, exp, size = _typed(ids, exp, size)
            self._put(t, ids, exp, size)
        self.tail = t + k

    cdef void _put(
        self, Py_ssize_t at, const int64_t[::1] ids, const double[::1] exp,
        const double[::1] size,
    ):
        """Write units into positions ``[at, at + k)`` with running sums from ``cum[at]``
        (the sizes summed left to right, then added to it)."""
        cdef Py_ssize_t j
        cdef double base = self._c[at], run = 0.0
        for j in range(ids.shape[0]):
            self._i[at + j] = ids[j]
            self._e[at + j] = exp[j]
            run = size[0] if j == 0 else run + size[j]
            self._c[at + j + 1] = base + run

    def _shift_in(self, Py_ssize_t p, ids, exp, size):
        """Insert new units that all sort between held units ``p - 1`` and ``p`` (there
        being room after the tail): the held units from ``p`` shift up in place and their
        running sums by the new units' size (exact sums); the tie check first."""
        cdef Py_ssize_t h = self.head, t = self.tail, k = len(ids), j
        cdef double base, run = 0.0, added
        if p > h and self._e[p - 1] == <double>exp[0] and self._i[p - 1] >= ids[0]:
            self._resort(ids, exp, size)  # equal expiry with a higher held id, or a duplicate
            return
        memmove(&self._i[p + k], &self._i[p], (t - p) * sizeof(int64_t))
        memmove(&self._e[p + k], &self._e[p], (t - p) * sizeof(double))
        base = self._c[p]
        if k == 1:
            self._i[p] = ids[0]
            self._e[p] = exp[0]
            added = <double>size[0]
            for j in range(t - p - 1, -1, -1):  # from the top: the ranges overlap
                self._c[p + 2 + j] = self._c[p + 1 + j] + added
            self._c[p + 1] = base + added
            self.tail = t + k
            return
        if k > SMALL_MERGE:  # many: on typed arrays
            ids, exp, size = _typed(ids, exp, size)
            run = _total(size)
        else:  # a few: on Python numbers
            ids, exp, size = _listed(ids), _listed(exp), _listed(size)
            for j in range(k):  # the new units' total, summed as their running sums
                run = <double>size[0] if j == 0 else run + <double>size[j]
        added = (base + run) - base  # what the Python bucket shifts by
        for j in range(t - p - 1, -1, -1):
            self._c[p + k + 1 + j] = self._c[p + 1 + j] + added
        if k > SMALL_MERGE:
            self._put(p, ids, exp, size)
        else:
            for j in range(k):
                self._i[p + j] = ids[j]
                self._e[p + j] = exp[j]
                run = <double>size[0] if j == 0 else run + <double>size[j]
                self._c[p + 1 + j] = base + run
        self.tail = t + k


# ------------------------------------------------------------------ a site's buckets
# The loops of :class:`sim.state.stock.SiteStock` over its buckets (a list by key,
# ``product * 8 + abo * 2 + rhd``, None where nothing was ever held), for the compiled
# stock (:class:`sim.state.stock._CompiledSiteStock`), whose buckets are all compiled.

NO_IDS = np.empty(0, np.int64)
NO_IDS.flags.writeable = False


@cython.boundscheck(True)  # keys come from the caller's groups
def take_groups(list buckets, Py_ssize_t base, groups, double need_u, double now):
    """``SiteStock.take_groups`` from the product's first key ``base``: FEFO from each
    donor group in order until ``need_u`` (U) is met; the ids taken and their size (U)."""
    cdef FefoCore bucket
    cdef double total = 0.0, got
    parts = []
    for abo, rhd in groups:
        if need_u <= _EPS_U:
            break
        found = buckets[base + abo * 2 + rhd]
        if found is None:
            continue
        bucket = <FefoCore>found
        if bucket.head == bucket.tail:
            continue
        ids, got = bucket._take(need_u, now)
        parts.append(ids)
        need_u -= got
        total += got
    if not parts:
        return NO_IDS, 0.0
    return (parts[0] if len(parts) == 1 else np.concatenate(parts)), total


def fresh_sizes(FefoCore bucket, double now):
    """Sizes (U) of a bucket's units not expired at ``now``, FEFO, from its running sums
    (exact where every size is a multiple of 0.5 U)."""
    cdef Py_ssize_t s = bucket._fresh(now), j
    return [bucket._c[j + 1] - bucket._c[j] for j in range(s, bucket.tail)]


@cython.boundscheck(True)  # keys come from the caller's products
def units_by_group(list buckets, bases, now):
    """Units (U) not expired at ``now`` (None: all) of the 8 groups from each first key of
    ``bases``: a list of 8 per base."""
    cdef Py_ssize_t base, k
    out = []
    for base in bases:
        row = []
        for k in range(base, base + 8):
            found = buckets[k]
            row.append(0.0 if found is None else (<FefoCore>found)._units(now))
        out.append(row)
    return out


cdef object _ids_copy(const int64_t* first, Py_ssize_t n):
    """A new int64 array of the ``n`` ids from ``first``: ``ids[s:e].copy()`` without the
    slice object and two NumPy calls."""
    cdef cnp.npy_intp size = n
    out = cnp.PyArray_SimpleNew(1, &size, cnp.NPY_INT64)
    if n:
        memcpy(cnp.PyArray_DATA(out), first, n * sizeof(int64_t))
    return out


cdef double _total(const double[::1] size):
    """The sizes (U) summed left to right, from the first (as ``np.cumsum``'s last)."""
    cdef Py_ssize_t j
    cdef double run = 0.0
    for j in range(size.shape[0]):
        run = size[0] if j == 0 else run + size[j]
    return run


cdef inline tuple _typed(ids, exp, size):
    """Ids, expiries and sizes as contiguous int64 and float64 arrays (exact: float32
    sizes widen to the same values)."""
    return (
        np.ascontiguousarray(ids, np.int64),
        np.ascontiguousarray(exp, np.float64),
        np.ascontiguousarray(size, np.float64),
    )


cdef inline object _listed(values):
    """``values`` as a list (an array's ``tolist()``, a list as it is)."""
    return values if isinstance(values, list) else values.tolist()


def add_listed(list buckets, list keys, list exps, list ids, list sizes, bint exact, make):
    """``SiteStock._add_listed``: a few units given as lists (bucket key, expiry, id, size)
    sorted by (key, expiry, id, size) as Python sorts their tuples, each key's run added to
    its bucket (made with ``make()`` where there is none yet) in that order. Returns False,
    adding nothing, where two units in a row of that order have the same id."""
    cdef Py_ssize_t n = len(keys), i, j, s, e
    cdef list order = list(range(n))
    for i in range(1, n):  # insertion sort: a batch holds a few units
        j = i
        while j > 0 and _before(keys, exps, ids, sizes, order[j], order[j - 1]):
            order[j], order[j - 1] = order[j - 1], order[j]
            j -= 1
    for i in range(1, n):
        if ids[order[i]] == ids[order[i - 1]]:
            return False
    s = 0
    while s < n:
        key, e = keys[order[s]], s + 1
        while e < n and keys[order[e]] == key:
            e += 1
        bucket = buckets[key]
        if bucket is None:
            bucket = buckets[key] = make()
        run = order[s:e]
        bucket.add([ids[k] for k in run], [exps[k] for k in run], [sizes[k] for k in run], exact)
        s = e
    return True


cdef inline bint _before(list keys, list exps, list ids, list sizes, Py_ssize_t a, Py_ssize_t b):
    """Whether row ``a``'s tuple (key, expiry, id, size) sorts before row ``b``'s."""
    if keys[a] != keys[b]:
        return keys[a] < keys[b]
    if exps[a] != exps[b]:
        return exps[a] < exps[b]
    if ids[a] != ids[b]:
        return ids[a] < ids[b]
    return sizes[a] < sizes[b]
