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

A stream used once for a few uniforms (each pickup's antigen typing, keyed by its first
donation id) costs about 9 microseconds to make as a ``Generator``, most of it in Python;
:func:`seeded_uniforms` computes those uniforms straight from the seed words.

Anything a check would refuse (a negative or non-finite mean, probabilities that do not
sum to at most 1) goes to the ``Generator`` method, which raises its own error.
:mod:`sim.core.draws` uses this module only after checking on fixed seeds that it gives
the installed NumPy's numbers.
"""

import numpy as np

cimport numpy as cnp
from cpython.pycapsule cimport PyCapsule_GetPointer
from libc.math cimport isfinite
from libc.stdint cimport int64_t, uint32_t, uint64_t
from libc.string cimport memset
from numpy.random cimport bitgen_t
from numpy.random.c_distributions cimport (
    binomial_t,
    random_gamma,
    random_interval,
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


def shuffled_range(object rng, Py_ssize_t n):
    """``list(range(n))`` shuffled as ``rng.shuffle`` shuffles a list: from the last
    position down, each swapped with one drawn up to it."""
    cdef list out = list(range(n)) if n > 0 else []
    cdef bitgen_t* state = _bitgen(rng)
    cdef Py_ssize_t i, j
    for i in range(n - 1, 0, -1):
        j = <Py_ssize_t>random_interval(state, <uint64_t>i)
        out[i], out[j] = out[j], out[i]
    return out


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


# -- a stream's first uniforms, from its seed words ------------------------------------------
# ``numpy.random.default_rng(SeedSequence(seed, spawn_key=(key, entity))).random(n)`` made
# from scratch: SeedSequence's hash of the entropy words into a pool of four 32-bit words
# and out again into 128-bit seed and increment (M. E. O'Neill's seed_seq_fe, with NumPy's
# constants), PCG64's seeding and its XSL-RR output, and NumPy's 53-bit doubles. Checked
# against NumPy in tests/sim/core/test_draws.py and at import (:func:`sim.core.draws._agrees`).

cdef extern from *:
    """
    #include <stdint.h>
    #if defined(__SIZEOF_INT128__)
    #define BF_HAVE_U128 1
    typedef unsigned __int128 bf_u128;
    static const bf_u128 BF_PCG_MULT =
        (((bf_u128)0x2360ED051FC65DA4ULL) << 64) | (bf_u128)0x4385DF649FCCF645ULL;
    /* PCG64 seeded with (seed, inc) as NumPy seeds it; n doubles in [0, 1) into out. */
    static void bf_pcg64_doubles(const uint64_t *words, double *out, Py_ssize_t n) {
        bf_u128 seed = (((bf_u128)words[0]) << 64) | words[1];
        bf_u128 inc = (((((bf_u128)words[2]) << 64) | words[3]) << 1) | 1u;
        bf_u128 state = 0;
        state = state * BF_PCG_MULT + inc;
        state += seed;
        state = state * BF_PCG_MULT + inc;
        for (Py_ssize_t i = 0; i < n; i++) {
            state = state * BF_PCG_MULT + inc;
            uint64_t folded = ((uint64_t)(state >> 64)) ^ (uint64_t)state;
            unsigned rot = (unsigned)(state >> 122);
            uint64_t x = (folded >> rot) | (folded << ((64u - rot) & 63u));
            out[i] = (double)(x >> 11) * (1.0 / 9007199254740992.0);
        }
    }
    #else
    #define BF_HAVE_U128 0
    static void bf_pcg64_doubles(const uint64_t *words, double *out, Py_ssize_t n) {}
    #endif
    """
    int BF_HAVE_U128
    void bf_pcg64_doubles(const uint64_t *words, double *out, Py_ssize_t n)


cdef uint32_t _INIT_A = 0x43b0d7e5, _MULT_A = 0x931e8875
cdef uint32_t _INIT_B = 0x8b51f9dd, _MULT_B = 0x58f38ded
cdef uint32_t _MIX_L = 0xca01f9dd, _MIX_R = 0x4973f715


cdef inline uint32_t _hash(uint32_t value, uint32_t* multiplier):
    value ^= multiplier[0]
    multiplier[0] *= _MULT_A
    value *= multiplier[0]
    return value ^ (value >> 16)


cdef inline uint32_t _mix(uint32_t x, uint32_t y):
    cdef uint32_t r = _MIX_L * x - _MIX_R * y
    return r ^ (r >> 16)


cdef Py_ssize_t _words(uint64_t value, uint32_t* out):
    """``value`` as 32-bit words, lowest first (one word for 0); returns how many."""
    out[0] = <uint32_t>value
    if value >> 32:
        out[1] = <uint32_t>(value >> 32)
        return 2
    return 1


def seeded_uniforms(seed, key, entity, Py_ssize_t n):
    """``default_rng(SeedSequence(seed, spawn_key=(key, entity))).random(n).tolist()``
    for ``seed``, ``key`` and ``entity`` in [0, 2**64); None where not computed here (out
    of range, or a compiler without 128-bit integers)."""
    if not BF_HAVE_U128 or n < 0:
        return None
    if not (0 <= seed < 2**64 and 0 <= key < 2**64 and 0 <= entity < 2**64):
        return None
    cdef uint32_t entropy[8]
    cdef Py_ssize_t size = _words(seed, entropy), i, j
    while size < 4:  # a spawn key follows: the seed's words padded to the pool's size
        entropy[size] = 0
        size += 1
    size += _words(key, &entropy[size])
    size += _words(entity, &entropy[size])
    cdef uint32_t pool[4]
    cdef uint32_t multiplier = _INIT_A
    for i in range(4):
        pool[i] = _hash(entropy[i], &multiplier)
    for i in range(4):
        for j in range(4):
            if i != j:
                pool[j] = _mix(pool[j], _hash(pool[i], &multiplier))
    for i in range(4, size):
        for j in range(4):
            pool[j] = _mix(pool[j], _hash(entropy[i], &multiplier))
    cdef uint32_t state[8]
    multiplier = _INIT_B
    cdef uint32_t value
    for i in range(8):
        value = pool[i % 4] ^ multiplier
        multiplier *= _MULT_B
        value *= multiplier
        state[i] = value ^ (value >> 16)
    cdef uint64_t words[4]
    for i in range(4):
        words[i] = (<uint64_t>state[2 * i]) | ((<uint64_t>state[2 * i + 1]) << 32)
    out = np.empty(n, np.float64)
    cdef double[::1] doubles = out
    if n:
        bf_pcg64_doubles(words, &doubles[0], n)
    return out.tolist()
