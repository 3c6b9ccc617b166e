# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The ledger's commonest writes, compiled: :meth:`sim.state.ledger.Ledger.move` and
:meth:`~sim.state.ledger.Ledger.dispose` of an id array to one state, site, order or time,
and :meth:`~sim.state.ledger.Ledger.add` of a batch given as arrays (a pickup's bags).

Every unit changes state several times in a run, mostly in batches of a few bags, where the
checks and fancy-index writes in NumPy cost more than the work. These do the same checks
(every id in the ledger, none already terminal, none twice for a disposal; codes in range,
sizes positive and finite, times not NaN) and the same writes in one pass each. They write nothing and return -1 when a check fails or a value is
not a plain scalar: the ledger then runs its Python path, which raises the error (or
handles the case) as it always did, so the results and the errors are the Python ones.
"""

import numpy as np

from libc.math cimport INFINITY, NAN
from libc.stdint cimport int8_t, int32_t, int64_t, uint16_t
from libc.stdlib cimport free, malloc, qsort


cdef int _order(const void* a, const void* b) noexcept nogil:
    cdef int64_t x = (<const int64_t*>a)[0], y = (<const int64_t*>b)[0]
    return (x > y) - (x < y)


cdef int64_t _live_smallest(
    const int8_t[::1] state, Py_ssize_t n, const int64_t[::1] ids, const unsigned char[::1] terminal
) noexcept:
    """The smallest of ``ids`` if every id is a ledger row (``0 <= id < n``) not in a
    terminal state, else -1."""
    cdef Py_ssize_t j
    cdef int64_t i, smallest = n
    for j in range(ids.shape[0]):
        i = ids[j]
        if i < 0 or i >= n or terminal[<unsigned char>state[i]]:
            return -1
        if i < smallest:
            smallest = i
    return smallest


cdef class Columns:
    """Typed views of a ledger's state, site, order and disposal columns, kept between
    calls: :meth:`move` and :meth:`dispose` are :func:`move_live` and :func:`dispose_live`
    on them. Each call first checks that the ledger's column arrays are still the ones
    viewed (they are replaced when the ledger grows) and views the new ones if not."""

    cdef object _state_array, _site_array, _order_array, _disposed_array
    cdef int8_t[::1] state
    cdef int32_t[::1] site
    cdef int64_t[::1] order
    cdef double[::1] disposed_at
    cdef const unsigned char[::1] terminal
    cdef tuple _rows_arrays  # the arrays :meth:`add` writes, as last viewed
    cdef _RowColumns rows

    def __init__(self, const unsigned char[::1] terminal):
        """``terminal``: 1 for each terminal state code (the ledger's table)."""
        self.terminal = terminal
        self._rows_arrays = ()  # none viewed yet: the first add views them

    cdef inline void _view(self, dict cols) except *:
        state, site = cols["state"], cols["site"]
        order, disposed = cols["order_id"], cols["disposed_at"]
        if (
            state is not self._state_array
            or site is not self._site_array
            or order is not self._order_array
            or disposed is not self._disposed_array
        ):
            self.state, self.site, self.order, self.disposed_at = state, site, order, disposed
            self._state_array, self._site_array = state, site
            self._order_array, self._disposed_array = order, disposed

    def move(self, dict cols, Py_ssize_t n, const int64_t[::1] ids, int8_t code, site, order_id):
        """:func:`move_live` on the columns of ``cols``."""
        self._view(cols)
        return move_live(
            self.state, n, ids, code, self.terminal, self.site, site, self.order, order_id
        )

    def dispose(self, dict cols, Py_ssize_t n, const int64_t[::1] ids, int8_t code, double time):
        """:func:`dispose_live` on the columns of ``cols``."""
        self._view(cols)
        return dispose_live(self.state, n, ids, code, self.terminal, self.disposed_at, time)

    def add(self, dict cols, Py_ssize_t start, *values):
        """:func:`add_rows` on the columns of ``cols`` (``values`` as it takes them after
        its first two), viewed again only when an array was replaced."""
        arrays = tuple([cols[name] for name in _ROW_NAMES])
        cdef Py_ssize_t j
        cdef bint same = len(arrays) == len(self._rows_arrays)
        if same:
            for j in range(len(arrays)):
                if arrays[j] is not self._rows_arrays[j]:
                    same = False
                    break
        if not same:
            self.rows = _RowColumns(*arrays)
            self._rows_arrays = arrays
        return add_rows(self.rows, start, *values)


cpdef int64_t move_live(
    int8_t[::1] state,
    Py_ssize_t n,
    const int64_t[::1] ids,
    int8_t code,
    const unsigned char[::1] terminal,
    int32_t[::1] site_col,
    site,
    int64_t[::1] order_col,
    order_id,
) except? -2:
    """Set ``state[ids] = code`` (and ``site_col[ids] = site``, ``order_col[ids] =
    order_id`` unless None) for live ids; returns the smallest id, or -1 (nothing written)
    if there are none or a check fails."""
    cdef Py_ssize_t j, k = ids.shape[0]
    cdef int32_t site_code = 0
    cdef int64_t order_code = 0
    if k == 0:
        return -1
    cdef int64_t smallest = _live_smallest(state, n, ids, terminal)
    if smallest < 0:
        return -1
    if site is not None:
        site_code = site
    if order_id is not None:
        order_code = order_id
    for j in range(k):
        state[ids[j]] = code
    if site is not None:
        for j in range(k):
            site_col[ids[j]] = site_code
    if order_id is not None:
        for j in range(k):
            order_col[ids[j]] = order_code
    return smallest


cpdef int dispose_live(
    int8_t[::1] state,
    Py_ssize_t n,
    const int64_t[::1] ids,
    int8_t code,
    const unsigned char[::1] terminal,
    double[::1] disposed_at,
    double time,
) except? -2:
    """Set ``state[ids] = code`` and ``disposed_at[ids] = time`` for live ids given once
    each; returns 0, or -1 (nothing written) if there are none or a check fails."""
    cdef Py_ssize_t j, k = ids.shape[0]
    cdef int64_t* sorted_ids
    if k == 0 or _live_smallest(state, n, ids, terminal) < 0:
        return -1
    if k > 1:  # an id twice: sort a copy and compare neighbours
        sorted_ids = <int64_t*>malloc(k * sizeof(int64_t))
        if sorted_ids == NULL:
            raise MemoryError()
        try:
            for j in range(k):
                sorted_ids[j] = ids[j]
            qsort(sorted_ids, k, sizeof(int64_t), _order)
            for j in range(1, k):
                if sorted_ids[j] == sorted_ids[j - 1]:
                    return -1
        finally:
            free(sorted_ids)
    for j in range(k):
        state[ids[j]] = code
        disposed_at[ids[j]] = time
    return 0


_ROW_NAMES = (
    "product", "abo", "rhd", "state", "cell", "antigens", "size_u", "donation_id", "order_id",
    "collected_at", "expires_at", "released_at", "disposed_at", "site", "collection_site",
)


cdef class _RowColumns:
    """Typed views of the columns a new row writes (in :data:`_ROW_NAMES` order)."""

    cdef int8_t[::1] product, abo, rhd, state, cell
    cdef uint16_t[::1] antigens
    cdef float[::1] size
    cdef int64_t[::1] donation, order
    cdef double[::1] collected, expires, released, disposed
    cdef int32_t[::1] site, collection_site
    cdef Py_ssize_t length

    def __init__(self, *arrays):
        (
            self.product, self.abo, self.rhd, self.state, self.cell, self.antigens, self.size,
            self.donation, self.order, self.collected, self.expires, self.released,
            self.disposed, self.site, self.collection_site,
        ) = arrays
        self.length = self.state.shape[0]


def add_rows(
    _RowColumns c,
    Py_ssize_t start,
    const int8_t[::1] product,
    const int8_t[::1] abo,
    const int8_t[::1] rhd,
    const uint16_t[::1] antigens,
    const double[::1] size_u,
    const int64_t[::1] donation_id,
    const double[::1] collected_at,
    const double[::1] expires_at,
    site,
    state,
    const unsigned char[::1] terminal,
    int n_products,
    int n_states,
):
    """:meth:`~sim.state.ledger.Ledger.add` of rows given as arrays of the ledger's own
    dtypes (one site and state for all), written from row ``start`` into the columns ``c``:
    returns the number of rows; -1 (nothing written) if the arrays differ in length or a
    value fails the ledger's checks; -2 (nothing written) if they pass but the columns have
    no room for them."""
    cdef Py_ssize_t j, k = product.shape[0]
    cdef int64_t site_code = site, state_code = state
    if k == 0 or not (
        abo.shape[0] == k and rhd.shape[0] == k and antigens.shape[0] == k
        and size_u.shape[0] == k and donation_id.shape[0] == k
        and collected_at.shape[0] == k and expires_at.shape[0] == k
    ):
        return -1
    if not (0 <= site_code < 2147483647 and 0 <= state_code < n_states):
        return -1
    if terminal[state_code]:
        return -1
    for j in range(k):
        if not (0 <= product[j] < n_products and 0 <= abo[j] < 4 and 0 <= rhd[j] < 2):
            return -1
        if not (0.0 < size_u[j] < INFINITY and -INFINITY < collected_at[j] < INFINITY):
            return -1  # a NaN fails both
        if expires_at[j] != expires_at[j]:
            return -1
    if start + k > c.length:
        return -2
    cdef Py_ssize_t r
    for j in range(k):
        r = start + j
        c.product[r] = product[j]
        c.abo[r] = abo[j]
        c.rhd[r] = rhd[j]
        c.antigens[r] = antigens[j]
        c.size[r] = <float>size_u[j]
        c.donation[r] = donation_id[j]
        c.collected[r] = collected_at[j]
        c.expires[r] = expires_at[j]
        c.state[r] = <int8_t>state_code
        c.site[r] = <int32_t>site_code
        c.released[r] = NAN
        c.disposed[r] = NAN
        c.order[r] = -1
        c.collection_site[r] = <int32_t>site_code
        c.cell[r] = product[j] * 8 + abo[j] * 2 + rhd[j]
    return k


def units_by_site_product(
    const int8_t[::1] state,
    const int32_t[::1] site,
    const int8_t[::1] product,
    const float[::1] size,
    Py_ssize_t n,
    int8_t code,
    Py_ssize_t n_sites,
    Py_ssize_t n_products,
):
    """Summed size (float64) of the first ``n`` rows in state ``code`` per
    ``site * n_products + product``, rows added in id order (``np.bincount``'s order);
    None (nothing computed) if a site or product code is out of range."""
    cdef Py_ssize_t i, key, cells = n_sites * n_products
    out = np.zeros(cells, np.float64)
    cdef double[::1] units = out
    for i in range(n):
        if state[i] == code:
            key = <Py_ssize_t>site[i] * n_products + product[i]
            if site[i] < 0 or product[i] < 0 or product[i] >= n_products or key >= cells:
                return None
            units[key] += <double>size[i]
    return out
