# cython: language_level=3
"""Scalar random draws of the hot paths on NumPy's own C samplers (compiled twin of
:mod:`sim.core.draws`).

Every hospital draws its day's demand (a gamma noise, a Poisson total per product, a
multinomial split over blocks, groups and urgency) and every crossmatching blood bank draws
a Poisson count per group and block: about 2 million scalar draws a Zhejiang year. Each
call of a ``numpy.random.Generator`` method on a scalar costs about a microsecond of
argument handling around a sampler that takes a few nanoseconds. Here the samplers are
called directly, through NumPy's documented C interface (``numpy.random.c_distributions``,
linked from ``libnpyrandom``), on the generator's own bit generator: the same functions on
the same state, so the same numbers, and the generator's state afterwards is the same.

Anything a check would refuse (a negative or non-finite mean, probabilities that do not
sum to at most 1) goes to the ``Generator`` method, which raises its own error.
:mod:`sim.core.draws` uses this module only after checking on fixed seeds that it gives
the installed NumPy's numbers.
"""

import numpy as np

cimport numpy as cnp
from cpython.pycapsule cimport PyCapsule_GetPointer
from libc.math cimport isfinite
from libc.stdint cimport int64_t
from libc.string cimport memset
from numpy.random cimport bitgen_t
from numpy.random.c_distributions cimport (
    binomial_t,
    random_gamma,
    random_multinomial,
    random_poisson,
    random_standard_uniform,
)

cnp.import_array()

cdef double _POISSON_SAFE = 1e15  # means (per draw) up to this go to the C sampler


cdef bitgen_t* _bitgen(object rng) except NULL:
    """The bit generator under a ``numpy.random.Generator``."""
    return <bitgen_t*>PyCapsule_GetPointer(rng.bit_generator.capsule, "BitGenerator")


def poisson_each(object rng, list means, double a, double b=1.0):
    """``[rng.poisson(m * a * b) for m in means]`` (the products in that order)."""
    cdef bitgen_t* state = _bitgen(rng)
    cdef list out = []
    cdef double lam
    for m in means:
        lam = <double>m * a * b
        if 0.0 <= lam <= _POISSON_SAFE:
            out.append(random_poisson(state, lam))
        else:
            out.append(rng.poisson(lam))  # refused, or a huge mean: NumPy's own path
    return out


def uniforms(object rng, Py_ssize_t n):
    """``rng.random(n).tolist()``: ``n`` uniform draws in [0, 1) as Python floats."""
    if n < 0:
        return rng.random(n).tolist()  # refused: NumPy's own error
    cdef bitgen_t* state = _bitgen(rng)
    return [random_standard_uniform(state) for _ in range(n)]


def gamma(object rng, double shape, double scale):
    """``float(rng.gamma(shape, scale))``."""
    if not (shape >= 0.0 and scale >= 0.0 and isfinite(shape) and isfinite(scale)):
        return float(rng.gamma(shape, scale))
    return random_gamma(_bitgen(rng), shape, scale)


def multinomial_rows(object rng, list counts, cnp.ndarray[double, ndim=1, mode="c"] pvals):
    """``rng.multinomial(counts, pvals)``: one row of ``len(pvals)`` per count (int64).

    ``pvals`` must have passed NumPy's checks (each in [0, 1], the first ``len - 1``
    summing to at most 1): :func:`sim.core.draws.checked_pvals`."""
    cdef Py_ssize_t d = pvals.shape[0], n = len(counts), i
    cdef int64_t count
    for i in range(n):
        if counts[i] < 0:
            return rng.multinomial(counts, pvals)  # refused: NumPy's own error
    out = np.zeros((n, d), np.int64)
    cdef int64_t[:, ::1] cells = out
    cdef binomial_t binomial  # the sampler's cache of its last (n, p): no effect on draws
    memset(&binomial, 0, sizeof(binomial_t))
    cdef bitgen_t* state = _bitgen(rng)
    if d == 0:
        return out
    for i in range(n):
        count = counts[i]
        random_multinomial(state, count, &cells[i, 0], &pvals[0], d, &binomial)
    return out
