# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The ledger's commonest state changes, compiled: :meth:`sim.state.ledger.Ledger.move` and
:meth:`~sim.state.ledger.Ledger.dispose` of an id array to one state, site, order or time.

Every unit changes state several times in a run, mostly in batches of a few bags, where the
checks and fancy-index writes in NumPy cost more than the work. These do the same checks
(every id in the ledger, none already terminal, none twice for a disposal) and the same
writes in one pass each. They write nothing and return -1 when a check fails or a value is
not a plain scalar: the ledger then runs its Python path, which raises the error (or
handles the case) as it always did, so the results and the errors are the Python ones.
"""

from libc.stdint cimport int8_t, int32_t, int64_t
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


def move_live(
    int8_t[::1] state,
    Py_ssize_t n,
    const int64_t[::1] ids,
    int8_t code,
    const unsigned char[::1] terminal,
    int32_t[::1] site_col,
    site,
    int64_t[::1] order_col,
    order_id,
):
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


def dispose_live(
    int8_t[::1] state,
    Py_ssize_t n,
    const int64_t[::1] ids,
    int8_t code,
    const unsigned char[::1] terminal,
    double[::1] disposed_at,
    double time,
):
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
