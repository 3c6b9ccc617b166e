"""Python's cyclic garbage collector during a simulation: fewer, cheaper passes.

A run builds its world once (sites, stock, tables: objects that live as long as the run)
and then schedules millions of short-lived SimPy events, whose processes and callbacks
form reference cycles. With Python's default thresholds the collector runs a young pass
every 700 allocations and now and then rescans the whole world; in a 30-day Zhejiang
run that is about 1,000 passes and 4 % of the CPU time. Freezing what exists when the
simulation starts (it cannot become garbage before the run ends) and raising the young
threshold cuts this to a few dozen passes. Results cannot change: no model code depends
on when garbage is freed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
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
