# cython: language_level=3
"""A hospital's commonest issue, compiled: :meth:`sim.processes.hospital.Hospital._issue_pairs`.

Every demand block, each hospital issues a few (product, group) pairs, about 1.6 million a
Zhejiang year. Nearly all of them take the same short path: whole units, no routine demand
of the pair waiting, the need met. In Python that path is five method calls per pair. Here
it is one loop per block that does the same steps in the same order, with the same float
arithmetic:

1. the need is the block's units (U) summed; the credit left by an earlier larger bag pays
   for part of it (:attr:`Hospital.credit`);
2. the stock gives the rest FEFO (``SiteStock.take_groups`` over the pair's donor groups,
   or :meth:`Hospital._take` for red cells where emergency group O units are kept);
3. what a bag gives beyond the need becomes credit;
4. the units met are added to the day's met demand, and each priority's units are booked as
   issued on time (``DemandBook.on_time``) when the whole need is met.

A pair off that path is issued by the Python method itself (:meth:`Hospital._issue`): one
whose routine demand waits, one whose units are not whole (an injected incident's), one
whose donor groups are not looked up yet. When the need is not met, the shares are given
out by :meth:`Hospital._share_out`. The model's rules stay in Python; this module only
runs their commonest case without the calls between them. ``tests/sim/test_issue_core.py``
checks that both give the same arrays, ids and calls, and a run writes the same run folder
with either.
"""

cimport cython


cdef class IssueCore:
    """One hospital's compiled issue: :meth:`Hospital._issue_pairs` for its blocks.

    Keeps typed views of the arrays the path writes (the hospital's credits, the world's met
    demand, the hospital's demand book), which are made once and never replaced."""

    cdef object hospital, world
    cdef dict waiting, donors_of
    cdef set credited
    cdef double[:, :] credits, met_u
    cdef double[:, :, :, :] book
    cdef tuple codes, product_codes, urgency
    cdef list donors  # per product code x group: its donor groups once looked up, else None
    cdef Py_ssize_t rbc, n_groups

    def __init__(self, hospital, tuple product_codes, tuple urgency, Py_ssize_t rbc):
        """``product_codes``: the product code of each row of a day's plan; ``urgency``:
        the priority code of each urgency column; ``rbc``: the red-cell product code."""
        self.hospital, self.world = hospital, hospital.world
        self.waiting, self.donors_of = hospital.waiting, hospital._donors
        self.credited, self.credits = hospital._credited, hospital.credit
        self.met_u, self.book = self.world.met_u, hospital.book.units
        self.codes = tuple(self.world.groups.codes)
        self.product_codes, self.urgency, self.rbc = product_codes, urgency, rbc
        self.n_groups = len(self.codes)
        self.donors = [None] * ((max(product_codes) + 1) * self.n_groups)

    def issue_pairs(self, Py_ssize_t day, list demand):
        """The ids issued (non-empty arrays, in order) for ``demand``: ``(product row,
        group, units per urgency)`` of one block, as :meth:`Hospital._issue_pairs`."""
        cdef list taken = []
        cdef object hospital = self.hospital, world = self.world
        cdef object stock = world.stock[hospital.site]
        cdef object take_groups = stock.take_groups, now = world.now
        cdef dict emergency_o = hospital.emergency_o
        cdef Py_ssize_t product, group
        cdef long long u0, u1, u2
        cdef double need, credit, got, met
        for r, g, units in demand:
            product, group = self.product_codes[r], g
            key = (product, g)
            donors = self._donors_of(product, group)
            if donors is None or not _whole(units) or (self.waiting and self.waiting.get(key)):
                ids = hospital._issue(day, product, g, units)  # the Python path, whole
                if len(ids):
                    taken.append(ids)
                continue
            u0, u1, u2 = units[0], units[1], units[2]
            need = <double>(u0 + u1 + u2)
            credit = self.credits[product, group] if key in self.credited else 0.0
            if need < credit:
                credit = need
            if credit != 0.0:
                self.credits[product, group] -= credit
                self.credited.add(key)
            kept = _kept(stock, product, emergency_o, self.codes[group], now) if product == self.rbc else ()
            if kept:
                ids, got = hospital._take_keeping(
                    product, self.codes[group], donors, <double>u0, need - credit, kept
                )
            else:
                ids, got = take_groups(product, donors, need - credit, now)
            got += credit
            if got > need:
                self.credits[product, group] += got - need
                self.credited.add(key)
            met = need if need < got else got
            self.met_u[day, product] += met
            if met == need:
                self._all_on_time(day, product, u0, u1, u2)
            else:
                hospital._share_out(day, product, g, units, met)
            if len(ids):
                taken.append(ids)
        return taken

    cdef inline object _donors_of(self, Py_ssize_t product, Py_ssize_t group):
        """The donor groups of (product, recipient group) once :meth:`Hospital._take` has
        looked them up (None before)."""
        cdef Py_ssize_t at = product * self.n_groups + group
        donors = self.donors[at]
        if donors is None:
            donors = self.donors[at] = self.donors_of.get((product, self.codes[group]))
        return donors

    cdef inline void _all_on_time(
        self, Py_ssize_t day, Py_ssize_t product, long long u0, long long u1, long long u2
    ):
        """:meth:`Hospital._all_on_time`: each priority's units (U) issued on time."""
        cdef Py_ssize_t u
        cdef long long units[3]
        units[0], units[1], units[2] = u0, u1, u2
        for u in range(3):
            if units[u] > 0:
                self.book[day, product, <Py_ssize_t>self.urgency[u], 1] += <double>units[u]


cdef tuple _kept(object stock, Py_ssize_t product, dict emergency_o, tuple group, object now):
    """:meth:`Hospital._kept` for red cells: the emergency O groups at or below their floor
    that ``group`` is not."""
    if not emergency_o:
        return ()
    return tuple([
        o
        for o, floor in emergency_o.items()
        if o != group and stock.on_hand(product, o[0], o[1], now=now) <= floor
    ])


cdef inline bint _whole(object units):
    """Whether ``units`` holds three whole numbers (Python ints within 2**40), as a day's
    plan does."""
    if type(units) is not list or len(<list>units) != 3:
        return False
    for u in <list>units:
        if type(u) is not int or not -_WHOLE_MAX < u < _WHOLE_MAX:
            return False
    return True


cdef long long _WHOLE_MAX = 2 ** 40  # units per block (sums exact as floats, no overflow)


def day_plan(const long long[:, :, :, ::1] cells):
    """:func:`sim.processes.hospital._day_plan`: per block, the ``(product row, group,
    units per urgency)`` whose units summed over urgency are not 0, sorted by (row, group),
    from a day's int64 ``cells[row, block, group, urgency]``; units as Python ints."""
    cdef Py_ssize_t rows = cells.shape[0], blocks = cells.shape[1]
    cdef Py_ssize_t groups = cells.shape[2], urgency = cells.shape[3]
    cdef Py_ssize_t r, b, g, u
    cdef long long total
    plan = [[] for _ in range(blocks)]
    for r in range(rows):
        for b in range(blocks):
            for g in range(groups):
                total = 0
                for u in range(urgency):
                    total += cells[r, b, g, u]
                if total != 0:
                    (<list>plan[b]).append(
                        (r, g, [cells[r, b, g, u] for u in range(urgency)])
                    )
    return plan
