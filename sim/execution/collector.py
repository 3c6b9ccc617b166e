"""The process's memory during a run: fewer collector passes, free pages handed back.

A run builds its world once (sites, stock, tables: objects that live as long as the run)
and then schedules millions of short-lived SimPy events, whose processes and callbacks
form reference cycles. With Python's default thresholds the collector runs a young pass
every 700 allocations and now and then rescans the whole world; in a 30-day Zhejiang
run that is about 1,000 passes and 4 % of the CPU time. Freezing what exists when the
simulation starts (it cannot become garbage before the run ends) and raising the young
threshold cuts this to a few dozen passes. Results cannot change: no model code depends
on when garbage is freed. After the simulation, :func:`give_back_memory` returns the C
heap's free pages to the operating system between the steps of tabulating a year.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 50_000  # allocations between young-generation passes (Python's default 700)
OLDER_THRESHOLDS = (20, 100)  # passes of one generation between passes of the next


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Within the block: objects alive at its start frozen, young passes rarer.

    The collector's thresholds and frozen objects are restored on leaving, also on error.
    """
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def give_back_memory() -> None:
    """Hand the heap's free pages back to the operating system (glibc's ``malloc_trim``;
    nothing elsewhere).

    The C heap keeps pages that freed arrays and lists leave in its middle, and large new
    arrays do not always reuse them, so after the world and each temporary of a year's
    tabulation the process would hold hundreds of MB it no longer uses. Outputs are not
    affected; a call takes milliseconds.
    """
    if _LIBC_TRIM is not None:
        _LIBC_TRIM(0)


def _libc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (not Linux, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None


_LIBC_TRIM = _libc_trim()
