"""Random streams: one scenario seed, an independent generator per entity and purpose.

Two runs with the same seed see the same demand, donors and lab results whatever the
policies do (common random numbers), because no stream is shared between purposes.
"""

from __future__ import annotations

import zlib

import numpy as np


class Streams:
    """Factory of reproducible, independent NumPy generators.

    Parameters
    ----------
    seed : int
        The scenario seed (non-negative).
    """

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f"seed {seed} is negative (a non-negative integer)")
        self.seed = seed
        self._purposes: dict[str, _Pool] = {}  # pool after seed + purpose words
        self._bits = np.random.PCG64(0)  # reseeded by :meth:`uniforms`, never handed out
        self._draws = np.random.Generator(self._bits)

    def get(self, purpose: str, entity: int = 0) -> np.random.Generator:
        """The generator for ``purpose`` (e.g. ``"demand"``) and entity number ``entity``."""
        key = (zlib.crc32(purpose.encode("utf-8")), int(entity))
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))

    def uniforms(self, purpose: str, entity: int, n: int) -> np.ndarray:
        """``self.get(purpose, entity).random(n)``: the first ``n`` uniform draws in [0, 1)
        of that stream, for a stream used once (e.g. one per donation batch). Faster: the
        seed's and purpose's share of the seeding is mixed once per purpose
        (NumPy's ``SeedSequence`` and ``PCG64`` seeding, redone on Python integers)."""
        pool = self._purposes.get(purpose)
        if pool is None:
            words = _words(self.seed, pad=True) + _words(_crc(purpose))
            pool = self._purposes[purpose] = _mixed(words)
        self._bits.state = _pcg64_state(_added(pool, _words(entity)))
        return self._draws.random(n)


def _crc(purpose: str) -> int:
    return zlib.crc32(purpose.encode("utf-8"))


# NumPy's SeedSequence (numpy/random/bit_generator.pyx) and PCG64 seeding, on Python ints;
# tests check the states against NumPy's for many seeds, purposes and entities.
_MASK32, _MASK64, _MASK128 = (1 << 32) - 1, (1 << 64) - 1, (1 << 128) - 1
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_MULT_L, _MIX_MULT_R, _XSHIFT = 0xCA01F9DD, 0x4973F715, 16
_POOL_SIZE = 4  # SeedSequence's default pool (32-bit words)
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645  # PCG64's 128-bit multiplier

_Pool = tuple[list[int], int]  # the mixed pool words and the running hash constant


def _words(value: int, *, pad: bool = False) -> list[int]:
    """The 32-bit words of a non-negative int, least significant first ([0] for 0); with
    ``pad``, zeros up to the pool size (a seed followed by a spawn key)."""
    words = [value & _MASK32]
    value >>= 32
    while value:
        words.append(value & _MASK32)
        value >>= 32
    return words + [0] * (_POOL_SIZE - len(words)) if pad else words


def _mixed(words: list[int]) -> _Pool:
    """SeedSequence's pool after mixing ``words`` (at least the pool size of them)."""
    pool, const = [], _INIT_A
    for word in words[:_POOL_SIZE]:
        value, const = _hashmix(word, const)
        pool.append(value)
    for src in range(_POOL_SIZE):
        for dst in range(_POOL_SIZE):
            if src != dst:
                value, const = _hashmix(pool[src], const)
                pool[dst] = _mix(pool[dst], value)
    return _added((pool, const), words[_POOL_SIZE:])


def _added(pool: _Pool, words: list[int]) -> _Pool:
    """The pool after mixing in further entropy ``words`` (``pool`` itself is not changed);
    :func:`_hashmix` and :func:`_mix` written out (this runs once per stream)."""
    mixer, const = list(pool[0]), pool[1]
    for word in words:
        for dst in range(_POOL_SIZE):
            value = word ^ const
            const = const * _MULT_A & _MASK32
            value = value * const & _MASK32
            value ^= value >> _XSHIFT
            result = (_MIX_MULT_L * mixer[dst] - _MIX_MULT_R * value) & _MASK32
            mixer[dst] = result ^ result >> _XSHIFT
    return mixer, const


def _hashmix(value: int, const: int) -> tuple[int, int]:
    value ^= const
    const = const * _MULT_A & _MASK32
    value = value * const & _MASK32
    return value ^ value >> _XSHIFT, const


def _mix(x: int, y: int) -> int:
    result = (_MIX_MULT_L * x - _MIX_MULT_R * y) & _MASK32
    return result ^ result >> _XSHIFT


def _pcg64_state(pool: _Pool) -> dict:
    """PCG64's state seeded from the pool: ``generate_state(4, uint64)`` (eight 32-bit words
    hashed from the pool words in turn), then PCG's set-sequence seeding of the 128-bit
    state and increment."""
    const, words = _INIT_B, []
    for word in pool[0] + pool[0]:
        value = word ^ const
        const = const * _MULT_B & _MASK32
        value = value * const & _MASK32
        words.append(value ^ value >> _XSHIFT)
    init = words[0] << 64 | words[1] << 96 | words[2] | words[3] << 32  # little-endian uint64s
    inc = (words[4] << 64 | words[5] << 96 | words[6] | words[7] << 32) << 1 & _MASK128 | 1
    state = ((inc + init) * _PCG_MULT + inc) & _MASK128  # from 0: step, add init, step
    return {
        "bit_generator": "PCG64",
        "state": {"state": state, "inc": inc},
        "has_uint32": 0,
        "uinteger": 0,
    }
