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


def add_rows(
    dict cols,
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
    dtypes (one site and state for all), written from row ``start``: returns the number of
    rows; -1 (nothing written) if the arrays differ in length or a value fails the ledger's
    checks; -2 (nothing written) if they pass but the columns have no room for them."""
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
    if start + k > len(cols["state"]):
        return -2
    cdef int8_t[::1] c_product = cols["product"], c_abo = cols["abo"], c_rhd = cols["rhd"]
    cdef int8_t[::1] c_state = cols["state"], c_cell = cols["cell"]
    cdef uint16_t[::1] c_antigens = cols["antigens"]
    cdef float[::1] c_size = cols["size_u"]
    cdef int64_t[::1] c_donation = cols["donation_id"], c_order = cols["order_id"]
    cdef double[::1] c_collected = cols["collected_at"], c_expires = cols["expires_at"]
    cdef double[::1] c_released = cols["released_at"], c_disposed = cols["disposed_at"]
    cdef int32_t[::1] c_site = cols["site"], c_from = cols["collection_site"]
    cdef Py_ssize_t r
    for j in range(k):
        r = start + j
        c_product[r] = product[j]
        c_abo[r] = abo[j]
        c_rhd[r] = rhd[j]
        c_antigens[r] = antigens[j]
        c_size[r] = <float>size_u[j]
        c_donation[r] = donation_id[j]
        c_collected[r] = collected_at[j]
        c_expires[r] = expires_at[j]
        c_state[r] = <int8_t>state_code
        c_site[r] = <int32_t>site_code
        c_released[r] = NAN
        c_disposed[r] = NAN
        c_order[r] = -1
        c_from[r] = <int32_t>site_code
        c_cell[r] = product[j] * 8 + abo[j] * 2 + rhd[j]
    return k
