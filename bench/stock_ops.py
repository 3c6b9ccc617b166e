"""Operations per second of :class:`sim.state.stock.SiteStock` on a 50,000-unit station stock.

Run: ``.venv/bin/python bench/stock_ops.py`` (prints figures; asserts nothing).
Red cells, groups drawn with Chinese-like shares (O 32 %, A 28 %, B 31 %, AB 9 %; RhD− 0.4 %),
bags of 1.5 or 2 U, 35-day shelf life. Each timed loop keeps the stock near 50,000 bags.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable

import numpy as np

from sim.core.domain import Product, RhD, UnitState
from sim.state.ledger import Ledger
from sim.state.stock import COMPILED, SiteStock, site_stock

STOCK_BAGS = 50_000
BATCH = 40  # bags per arriving batch (one shipment / one release run)
SHELF_MIN = 35 * 1440.0
ABO_SHARES = [0.32, 0.28, 0.31, 0.09]
RHD_NEG_SHARE = 0.004


def new_bags(ledger: Ledger, rng: np.random.Generator, n: int, now: float, spread: float):
    """Append ``n`` AVAILABLE red-cell bags expiring in ``SHELF_MIN - spread .. SHELF_MIN``."""
    abo = rng.choice(4, size=n, p=ABO_SHARES)
    rhd = np.where(rng.random(n) < RHD_NEG_SHARE, RhD.NEG, RhD.POS)
    expires = now + SHELF_MIN - spread * rng.random(n)
    size = rng.choice([1.5, 2.0], size=n)
    return ledger.add(Product.RBC, abo, rhd, size, 0, now, expires, 0, UnitState.AVAILABLE)


def filled_stock(rng: np.random.Generator) -> tuple[Ledger, SiteStock]:
    """A stock of ``STOCK_BAGS`` bags with expiries spread over the shelf life."""
    ledger = Ledger(capacity=1 << 20)
    stock = site_stock(ledger, 0)  # compiled unless BLOODFLOW_PURE_PYTHON=1
    stock.add(new_bags(ledger, rng, STOCK_BAGS, 0.0, SHELF_MIN - 1440.0))
    return ledger, stock


def rate(label: str, n_ops: int, run: Callable[[int], None]) -> None:
    """Time ``run(i)`` for ``i < n_ops`` and print operations per second."""
    start = time.perf_counter()
    for i in range(n_ops):
        run(i)
    seconds = time.perf_counter() - start
    print(f"{label:<58} {n_ops / seconds:>12,.0f} ops/s  ({seconds * 1e6 / n_ops:7.1f} µs/op)")


def main() -> None:
    rng = np.random.default_rng(2024)
    print(
        f"SiteStock ops on a {STOCK_BAGS:,}-bag stock "
        f"({'compiled' if COMPILED else 'pure Python'}); "
        f"python {platform.python_version()}, "
        f"numpy {np.__version__}, {platform.machine()} {platform.processor() or ''}".rstrip()
    )
    ledger, stock = filled_stock(rng)
    n = 2_000
    batches = [new_bags(ledger, rng, BATCH, 60.0 * (i + 1), 30.0) for i in range(n)]
    rate(f"add, {BATCH} bags in expiry order (fast path)", n, lambda i: stock.add(batches[i]))

    groups = [(int(a), RhD.POS) for a in rng.choice(4, size=n, p=ABO_SHARES)]
    needs = rng.choice([1.5, 2.0, 4.0, 6.0], size=n)

    def take(i: int) -> None:
        stock.take(Product.RBC, *groups[i], needs[i], rule="red_cell", now=1.0)

    rate("take, 1.5-6 U for a random RhD+ recipient (red_cell rule)", n, take)

    def take_and_refill(i: int) -> None:
        taken = stock.take(Product.RBC, *groups[i], BATCH * 1.75, rule="red_cell", now=1.0)
        stock.add(new_bags(ledger, rng, len(taken), 1.0, SHELF_MIN - 1440.0))

    rate(f"take ~{BATCH} bags + add {BATCH} bags out of expiry order (merge)", 500, take_and_refill)
    rate("on_hand_by_group(RBC, now=...)", n, lambda i: stock.on_hand_by_group(0, now=1.0))
    rate("expire(now) sweep, nothing due", n, lambda i: stock.expire(0.0))
    print(f"stock now holds {len(stock):,} bags ({stock.on_hand(Product.RBC):,.1f} U)")


if __name__ == "__main__":
    main()
