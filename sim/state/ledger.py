"""The columnar unit ledger: one row per bag ever collected ("donor vein to patient vein").

Each column is a NumPy array that grows by doubling, so appending a batch of ``k`` bags costs
amortised O(k). A unit's id is its row number. State changes take arrays of ids and are
vectorised; they refuse to touch a unit that has reached a terminal state, so every unit is
disposed of exactly once.

Columns (dtype, meaning, unit):

=============  =======  ==============================================================
product        int8     :class:`~sim.core.domain.Product` code
abo            int8     :class:`~sim.core.domain.ABO` code
rhd            int8     :class:`~sim.core.domain.RhD` code
antigens       uint16   bit mask of antigen-negative flags (0 = none known)
size_u         float32  bag size, Chinese units (1 U = 200 mL whole blood); PLT: doses
donation_id    int64    donation the bag came from
collected_at   float64  minutes since scenario start
released_at    float64  minutes; NaN until released to stock
expires_at     float64  minutes; ``inf`` for a product that does not outdate
state          int8     :class:`~sim.core.domain.UnitState` code
site           int32    index into the run's site list; current or final location, the
                        destination while in transit
disposed_at    float64  minutes; NaN until a terminal state
order_id       int64    order the unit is assigned to, -1 if none
collection_    int32    site index where the bag was created: the donation house for whole
site                    blood, the station for apheresis platelets and opening stock
=============  =======  ==============================================================
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.core.compiled import built
from sim.core.domain import ABO, TERMINAL_STATES, Product, RhD, UnitState, group_label

ledger_core = built("ledger_core")  # the compiled writes (None: not built at install)

COMPILED = ledger_core is not None
"""Whether :meth:`Ledger.add`, :meth:`Ledger.move` and :meth:`Ledger.dispose` try the
compiled pass first (:mod:`sim.state.ledger_core`; the same results).
``BLOODFLOW_PURE_PYTHON`` turns it off."""

COLUMNS: dict[str, np.dtype] = {
    "product": np.dtype(np.int8),
    "abo": np.dtype(np.int8),
    "rhd": np.dtype(np.int8),
    "antigens": np.dtype(np.uint16),
    "size_u": np.dtype(np.float32),
    "donation_id": np.dtype(np.int64),
    "collected_at": np.dtype(np.float64),
    "released_at": np.dtype(np.float64),
    "expires_at": np.dtype(np.float64),
    "state": np.dtype(np.int8),
    "site": np.dtype(np.int32),
    "disposed_at": np.dtype(np.float64),
    "order_id": np.dtype(np.int64),
    "collection_site": np.dtype(np.int32),
}
"""Ledger columns and their dtypes."""
_STORED = {**COLUMNS, "cell": np.dtype(np.int8)}
"""Arrays the ledger keeps: its columns, and each unit's (product, ABO, RhD) cell
``product * 8 + abo * 2 + rhd`` (derived on add, for stock and order bookkeeping; not a
column of the frame)."""

N_PRODUCTS = len(Product)
N_CELLS_PER_PRODUCT = len(ABO) * len(RhD)
N_STATES = len(UnitState)
_TERMINAL_CODES = np.array(sorted(TERMINAL_STATES), dtype=np.int8)
# Lookup table state code -> terminal? (much faster than np.isin on the hot path)
_IS_TERMINAL = np.zeros(256, dtype=bool)
_IS_TERMINAL[_TERMINAL_CODES] = True
PRE_RELEASE_STATES = (UnitState.COLLECTED, UnitState.IN_TESTING, UnitState.QUARANTINED)
"""States before the lab releases a unit (or disposes of it)."""
_TERMINAL_TABLE = _IS_TERMINAL.view(np.uint8)  # the same table as bytes, for ledger_core
_IS_PRE_RELEASE = np.zeros(256, dtype=bool)
_IS_PRE_RELEASE[list(PRE_RELEASE_STATES)] = True
_STOCK_STATES = (
    UnitState.COLLECTED,
    UnitState.IN_TESTING,
    UnitState.QUARANTINED,
    UnitState.AVAILABLE,
    UnitState.RESERVED,
)

# Valid ranges of the coded columns checked on add (inclusive low, exclusive high).
# What ledger_core.add_rows checks the rows against (its arguments after the arrays).
_ROW_LIMITS = (_TERMINAL_TABLE, N_PRODUCTS, N_STATES)
_CODE_RANGES = {
    "product": N_PRODUCTS,
    "abo": len(ABO),
    "rhd": len(RhD),
    "state": N_STATES,
    "antigens": 1 << 16,
    "site": np.iinfo(np.int32).max,
}


class ConservationError(AssertionError):
    """Units were created or lost: a bug in the simulation, never a user error."""


class LedgerError(ValueError):
    """An invalid ledger operation: bad ids, lengths, codes or state transition."""


class _Column:
    """Descriptor exposing ``ledger.<name>`` as a read-only view of the used rows."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Ledger | None, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        view = obj._views.get(self.name)  # noqa: SLF001 - the view cache of col()
        return obj.col(self.name) if view is None else view


class Ledger:
    """Columnar ledger of every unit ever collected in one run.

    Parameters
    ----------
    capacity : int
        Initial number of rows allocated (bags); doubled whenever an append needs more.
    """

    product = _Column()
    abo = _Column()
    rhd = _Column()
    antigens = _Column()
    size_u = _Column()
    donation_id = _Column()
    collected_at = _Column()
    released_at = _Column()
    expires_at = _Column()
    state = _Column()
    site = _Column()
    disposed_at = _Column()
    order_id = _Column()
    collection_site = _Column()
    cell = _Column()

    def __init__(self, capacity: int = 1024) -> None:
        self._n = 0
        self._cols = {name: np.empty(max(int(capacity), 1), dt) for name, dt in _STORED.items()}
        self._views: dict[str, np.ndarray] = {}  # read-only views, dropped when rows change
        self._pre_release_from = 0  # no row below it is in a pre-release state
        self.half_sizes = True  # see :attr:`half_sizes`

    half_sizes = False
    """Whether every bag size added so far (``size_u`` as stored) is a whole multiple of
    0.5 U of at most :data:`HALF_SIZES_MAX` U: then any sum or difference of sizes of
    fewer than 2**31 bags is exact in float64 whatever the order of the additions (every
    partial sum is a multiple of 0.5 below 2**52), which :mod:`sim.state.stock` uses.
    A ledger not made by ``__init__`` says False (no claim)."""

    def __len__(self) -> int:
        return self._n

    @property
    def capacity(self) -> int:
        """Rows allocated (bags)."""
        return len(self._cols["state"])

    def col(self, name: str) -> np.ndarray:
        """Read-only view of column ``name`` over the used rows (index = unit id)."""
        view = self._views.get(name)
        if view is None:
            view = self._cols[name][: self._n]
            view.flags.writeable = False
            self._views[name] = view
        return view

    # ------------------------------------------------------------------ appending
    def add(
        self,
        product: Any,
        abo: Any,
        rhd: Any,
        size_u: Any,
        donation_id: Any,
        collected_at: Any,
        expires_at: Any,
        site: Any,
        state: Any,
        antigens: Any = 0,
    ) -> np.ndarray:
        """Append a batch of bags; scalars are broadcast to the batch length.

        Parameters
        ----------
        product, abo, rhd : int or array of int
            Product and group codes.
        size_u : float or array
            Bag size, units (U, 200 mL whole blood) or platelet doses; > 0.
        donation_id : int or array
            Donation each bag came from.
        collected_at, expires_at : float or array
            Minutes since scenario start (``expires_at`` may be ``inf``, not NaN).
        site : int or array
            Site index where the bag is; also kept as its ``collection_site``.
        state : int or array
            Initial :class:`~sim.core.domain.UnitState`; must not be terminal (use :meth:`dispose`).
        antigens : int or array
            Antigen-negative bit mask.

        Returns
        -------
        numpy.ndarray of int64
            The new unit ids, a contiguous range.
        """
        if COMPILED and type(product) is np.ndarray:  # arrays: try one compiled pass
            rows = (product, abo, rhd, antigens, size_u, donation_id, collected_at, expires_at)
            ids = self._add_compiled(rows, site, state)
            if ids is not None:
                return ids
        values = {
            "product": product,
            "abo": abo,
            "rhd": rhd,
            "antigens": antigens,
            "size_u": size_u,
            "donation_id": donation_id,
            "collected_at": collected_at,
            "expires_at": expires_at,
            "state": state,
            "site": site,
        }
        batch = {k: np.asarray(v) for k, v in values.items()}
        n = _batch_length(batch)
        _validate_batch(batch, n)
        start = self._reserve(n)
        rows = slice(start, start + n)
        cols = self._cols
        for name, arr in batch.items():
            cols[name][rows] = arr  # a scalar fills the rows (NumPy broadcasting)
        cols["released_at"][rows] = np.nan
        cols["disposed_at"][rows] = np.nan
        cols["order_id"][rows] = -1
        cols["collection_site"][rows] = batch["site"]
        cols["cell"][rows] = (
            batch["product"] * N_CELLS_PER_PRODUCT + batch["abo"] * 2 + batch["rhd"]
        )
        if self.half_sizes and n:
            self.half_sizes = _half_sizes(cols["size_u"][rows])
        self._n += n
        self._views.clear()
        return np.arange(start, start + n, dtype=np.int64)

    def _add_compiled(self, rows: tuple, site: Any, state: Any) -> np.ndarray | None:
        """:meth:`add` by :mod:`sim.state.ledger_core` of ``rows`` (product, abo, rhd,
        antigens, size_u, donation_id, collected_at, expires_at) when each is an array of
        the ledger's dtype (int8 codes, uint16 masks, float64 sizes and times, int64
        donations) and ``site`` and ``state`` are numbers; None when it does not apply or a
        check fails (nothing written: :meth:`add` goes on in Python, which raises what it
        always raised)."""
        values, start = (*rows, site, state), self._n
        try:
            add = self._compiled_columns().add
            n = add(self._cols, start, *values, *_ROW_LIMITS)
            if n == -2:  # valid, but no room: grow (as add does) and write
                self._reserve(len(rows[0]))
                n = add(self._cols, start, *values, *_ROW_LIMITS)
        except (TypeError, ValueError, OverflowError):  # other dtypes, an array of sites
            return None
        if n < 0:
            return None
        if self.half_sizes:
            self.half_sizes = _half_sizes(self._cols["size_u"][start : start + n])
        self._n += n
        self._views.clear()
        return np.arange(start, start + n, dtype=np.int64)

    def _reserve(self, n: int) -> int:
        """Make room for ``n`` more rows (doubling); return the first new row."""
        needed = self._n + n
        if needed > self.capacity:
            new_cap = max(needed, 2 * self.capacity)
            for name, old in self._cols.items():
                grown = np.empty(new_cap, old.dtype)
                grown[: self._n] = old[: self._n]
                self._cols[name] = grown
            self._drop_compiled_columns()  # their views would keep the old arrays alive
        return self._n

    # ------------------------------------------------------------------ state changes
    def move(self, ids: Any, state: int, site: Any = None, *, order_id: Any = None) -> None:
        """Set a non-terminal ``state`` (and optionally ``site`` and ``order_id``) of live
        units; with ``order_id``, :meth:`assign_order` and this move with one check of the ids.

        Parameters
        ----------
        ids : array of int
            Unit ids.
        state : int
            New non-terminal :class:`~sim.core.domain.UnitState`.
        site : int or array of int, optional
            New site index (for in-transit units: the destination).
        order_id : int or array of int, optional
            Order the units are assigned to (-1 for none), as :meth:`assign_order`.
        """
        if int(state) in TERMINAL_STATES or not 0 <= int(state) < N_STATES:
            raise LedgerError(f"move() needs a non-terminal state, got {state!r}; use dispose()")
        if COMPILED and type(ids) is np.ndarray:  # one compiled pass, else the Python one
            smallest = self._move_compiled(ids, state, site, order_id)
            if smallest >= 0:
                if _IS_PRE_RELEASE[int(state)]:  # keep pre_release_start() exact
                    self._pre_release_from = min(self._pre_release_from, smallest)
                return
        ids = self._live_ids(ids, "move")
        if _IS_PRE_RELEASE[int(state)] and ids.size:  # keep pre_release_start() exact
            self._pre_release_from = min(self._pre_release_from, _smallest(ids))
        cols = self._cols
        cols["state"][ids] = state
        if site is not None:
            cols["site"][ids] = site
        if order_id is not None:
            cols["order_id"][ids] = order_id

    def _move_compiled(self, ids: np.ndarray, state: int, site: Any, order_id: Any) -> int:
        """:meth:`move` by :mod:`sim.state.ledger_core`: the smallest id moved, or -1 when
        nothing was written (a check failed, or ids or values it does not take)."""
        try:
            return self._compiled_columns().move(self._cols, self._n, ids, state, site, order_id)
        except (TypeError, ValueError, OverflowError):  # e.g. not int64, an array of sites
            return -1

    def _dispose_compiled(self, ids: np.ndarray, state: int, time: float) -> int:
        """:meth:`dispose` by :mod:`sim.state.ledger_core`: 0, or -1 when nothing was
        written (a check failed, or ids it does not take)."""
        try:
            return self._compiled_columns().dispose(self._cols, self._n, ids, state, time)
        except (TypeError, ValueError):  # e.g. not an int64 array
            return -1

    def units_by_site_product(self, state: int, n_sites: int, n_products: int) -> np.ndarray:
        """Summed ``size_u`` (U) of the units in ``state`` per ``site * n_products +
        product`` (float64, ``n_sites * n_products`` cells), each cell summed in id order."""
        if COMPILED:
            cols = self._cols
            units = ledger_core.units_by_site_product(
                cols["state"], cols["site"], cols["product"], cols["size_u"],
                self._n, state, n_sites, n_products,
            )  # fmt: skip
            if units is not None:
                return units
        rows = np.flatnonzero(self.state == state)
        key = self.site[rows].astype(np.int64) * n_products + self.product[rows]
        return np.bincount(key, weights=self.size_u[rows], minlength=n_sites * n_products)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the compiled columns' views (made again on first use)."""
        state = dict(self.__dict__)
        state.pop("_columns", None)
        return state

    def _drop_compiled_columns(self) -> None:
        """Let go of the compiled columns' views (made again on next use): called where the
        column arrays are replaced, so that the old ones can be freed at once."""
        self.__dict__.pop("_columns", None)

    def _compiled_columns(self) -> Any:
        """The ledger's :class:`ledger_core.Columns`, made on first use (it follows the
        column arrays when they are replaced)."""
        columns = self.__dict__.get("_columns")
        if columns is None:
            columns = self._columns = ledger_core.Columns(_TERMINAL_TABLE)
        return columns

    def release(self, ids: Any, time: Any) -> None:
        """Release live units to stock: ``released_at = time`` (minutes), state AVAILABLE."""
        ids = self._live_ids(ids, "release")
        self._cols["released_at"][ids] = time
        self._cols["state"][ids] = UnitState.AVAILABLE

    def dispose(self, ids: Any, state: int, time: Any) -> None:
        """Give live units their terminal state (TRANSFUSED/EXPIRED/DISCARDED) at ``time``.

        Raises
        ------
        LedgerError
            If ``state`` is not terminal, ``time`` is NaN, an id repeats, or a unit is
            already terminal (a unit is disposed of once).
        """
        if int(state) not in TERMINAL_STATES:
            raise LedgerError(f"dispose() needs a terminal state, got {state!r}")
        if time != time if isinstance(time, float) else np.isnan(np.asarray(time, float)).any():
            raise LedgerError("dispose() time must not be NaN")
        compiled = COMPILED and type(ids) is np.ndarray and isinstance(time, float)
        if compiled and self._dispose_compiled(ids, state, time) == 0:
            return  # one compiled pass, else the Python one
        ids = self._live_ids(ids, "dispose")
        if ids.size > 1 and _repeats(ids):
            raise LedgerError("dispose() got the same unit id more than once")
        self._cols["state"][ids] = state
        self._cols["disposed_at"][ids] = time

    def set_expiry(self, ids: Any, expires_at: Any) -> None:
        """Set the expiry (minutes) of live units, e.g. when frozen plasma is thawed.

        A :class:`~sim.state.stock.SiteStock` caches expiries: take the units out of it first.
        """
        self._cols["expires_at"][self._live_ids(ids, "set_expiry")] = expires_at

    def set_antigens(self, ids: Any, antigens: Any) -> None:
        """Record the antigen mask of live units found by screening (bit mask, uint16)."""
        self._cols["antigens"][self._live_ids(ids, "set_antigens")] = antigens

    def assign_order(self, ids: Any, order_id: Any) -> None:
        """Record the order (id, or -1 for none) the units are assigned to."""
        self._cols["order_id"][self._live_ids(ids, "assign_order")] = order_id

    def _ids(self, ids: Any) -> np.ndarray:
        """Validated 1-D int64 id array."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 1:
            ids = np.atleast_1d(ids)
            if ids.ndim != 1:
                raise LedgerError(f"unit ids must be 1-D, got shape {ids.shape}")
        if ids.size and (ids.min() < 0 or ids.max() >= self._n):
            raise LedgerError(f"unit ids outside 0..{self._n - 1}")
        return ids

    def _live_ids(self, ids: Any, op: str) -> np.ndarray:
        """Validated ids of units that are not yet in a terminal state.

        One fancy index checks the upper bound (NumPy raises ``IndexError``) and reads the
        states; the lower bound and the terminal codes are checked on the raw bytes (no NumPy
        reduction: these calls mostly see a few ids).
        """
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 1:
            ids = self._ids(ids)  # a scalar id is one unit; more dimensions are refused
        if not ids.size:
            return ids
        try:
            codes = self._cols["state"][: self._n][ids]
        except IndexError:
            codes = None
        if codes is None or any_negative(ids):
            raise LedgerError(f"unit ids outside 0..{self._n - 1}")
        if codes.tobytes().translate(None, _NOT_TERMINAL_BYTES):  # a terminal code is left
            dead = _IS_TERMINAL[codes.view(np.uint8)]
            raise LedgerError(f"{op}(): unit(s) {ids[dead][:10].tolist()} already terminal")
        return ids

    def pre_release_start(self) -> int:
        """First row that may be in a pre-release state (COLLECTED, IN_TESTING, QUARANTINED).

        Every row before it is released, in transit or disposed of, so a scan for units not
        yet released can start there. Units are released within days, so each call scans
        only the rows added (or still held) since the previous one, not the whole ledger;
        :meth:`move` lowers the mark when it puts an older unit back into such a state.
        """
        start = self._pre_release_from
        held = _IS_PRE_RELEASE[self._cols["state"][start : self._n].view(np.uint8)]
        first = int(held.argmax()) if held.size else 0
        self._pre_release_from = start + (first if held.size and held[first] else held.size)
        return self._pre_release_from

    # ------------------------------------------------------------------ summaries
    def counts_by_product_state(self) -> np.ndarray:
        """Bags per product and state, int64 array ``(n_products, n_states)``."""
        return self._by_product_state(None).astype(np.int64)

    def units_by_product_state(self) -> np.ndarray:
        """Units (sum of size_u: U, platelets: doses) per product and state, like counts."""
        return self._by_product_state(self.size_u.astype(np.float64))

    def _by_product_state(self, weights: np.ndarray | None) -> np.ndarray:
        """bincount over valid (product, state) codes; invalid codes are left out."""
        product, state = self.product.astype(np.intp), self.state.astype(np.intp)
        ok = (product >= 0) & (product < N_PRODUCTS) & (state >= 0) & (state < N_STATES)
        w = None if weights is None else weights[ok]
        flat = np.bincount(
            product[ok] * N_STATES + state[ok], weights=w, minlength=N_PRODUCTS * N_STATES
        )
        return flat.reshape(N_PRODUCTS, N_STATES)

    def check_conservation(self, collected: Sequence[int] | np.ndarray | None = None) -> None:
        """Check that every bag collected is accounted for, per product.

        collected = transfused + expired + discarded + in stock + in transit, where "in
        stock" is COLLECTED/IN_TESTING/QUARANTINED/AVAILABLE/RESERVED. Also checks that a
        unit has ``disposed_at`` set if and only if it is terminal.

        Parameters
        ----------
        collected : sequence of int, optional
            Bags collected per product as counted independently by the caller (indexed by
            :class:`~sim.core.domain.Product`); by default the number of ledger rows per product.

        Raises
        ------
        ConservationError
            With the per-product figures, on any violation.
        """
        product = self.product.astype(np.intp)
        rows = np.bincount(product[(product >= 0) & (product < N_PRODUCTS)], minlength=N_PRODUCTS)
        expected = rows if collected is None else np.asarray(collected, dtype=np.int64)
        problems = _conservation_problems(expected, rows, self.counts_by_product_state())
        problems += self._code_problems() + self._disposal_problems()
        if problems:
            raise ConservationError("unit conservation violated:\n  " + "\n  ".join(problems))

    def _code_problems(self) -> list[str]:
        """Rows whose product or state code is not a valid code."""
        out = []
        for name, high in (("product", N_PRODUCTS), ("state", N_STATES)):
            col = self.col(name)
            if (bad := np.flatnonzero((col < 0) | (col >= high))).size:
                out.append(f"{bad.size} unit(s) with invalid {name} code, e.g. {bad[:5].tolist()}")
        return out

    def _disposal_problems(self) -> list[str]:
        """Rows whose disposed_at disagrees with their state."""
        terminal = np.isin(self.state, _TERMINAL_CODES)
        no_time = np.isnan(self.disposed_at)
        out = []
        if (bad := np.flatnonzero(terminal & no_time)).size:
            out.append(f"{bad.size} terminal unit(s) without disposed_at, e.g. {bad[:5].tolist()}")
        if (bad := np.flatnonzero(~terminal & ~no_time)).size:
            out.append(f"{bad.size} non-terminal unit(s) with disposed_at, e.g. {bad[:5].tolist()}")
        return out

    # ------------------------------------------------------------------ output
    def to_frame(self, site_ids: Sequence[str]) -> pd.DataFrame:
        """The ledger as a DataFrame (``ledger.parquet``), one row per bag.

        Parameters
        ----------
        site_ids : sequence of str
            Site id of each site index used in the ``site`` column.

        Returns
        -------
        pandas.DataFrame
            Columns ``unit_id, donation_id, product, abo, rhd, group, size_u, antigens,
            collected_at, released_at, expires_at, state, site_id, disposed_at, order_id,
            collection_site``;
            ``product`` (e.g. ``"RBC"``), ``abo`` (``"O"``...) and ``state`` (lower-case
            name) are Categorical; ``rhd`` is ``"+"``/``"-"``; ``group`` e.g. ``"O+"``;
            times in minutes since scenario start; ``size_u`` in U (platelets: doses).
            The frame owns its data: the ledger is unchanged and may go on.
        """
        sites = self._checked_sites(site_ids)
        return _frame({name: self.col(name) for name in COLUMNS}, self._n, sites)

    def pop_frame(self, site_ids: Sequence[str]) -> pd.DataFrame:
        """:meth:`to_frame`, emptying the ledger as it goes (the end of a run).

        Each column is let go once it is copied into the frame, so building a year's frame
        needs the frame plus one column, not the frame plus the whole ledger. The ledger is
        left empty (no rows); it is unchanged if the site ids are refused.
        """
        sites = self._checked_sites(site_ids)
        columns, n = {name: self.col(name) for name in COLUMNS}, self._n
        self._cols = {name: np.empty(1, dt) for name, dt in _STORED.items()}
        self._drop_compiled_columns()  # else their views keep the full columns alive
        self._n, self._pre_release_from = 0, 0
        self._views.clear()  # ``columns`` now holds the only views of the full-size arrays
        return _frame(columns, n, sites)

    def _checked_sites(self, site_ids: Sequence[str]) -> list[str]:
        """The site ids as a list, checked to cover every site index of the ledger."""
        sites = list(site_ids)
        for name in ("site", "collection_site"):
            used = self.col(name)
            if len(used) and (used.min() < 0 or used.max() >= len(sites)):
                raise LedgerError(f"site index outside the {len(sites)} site ids given")
        return sites


_GROUP_LABELS = [group_label(a, r) for a in ABO for r in RhD]
_RHD_LABELS = ["-", "+"]


def _frame(columns: dict[str, np.ndarray], n: int, sites: list[str]) -> pd.DataFrame:
    """The ledger frame of :meth:`Ledger.to_frame` from the ledger's ``n`` rows in
    ``columns``; each column is popped from ``columns`` once copied (its last reference
    there, when the ledger let it go) and the frame takes the copies without another."""
    out: dict[str, Any] = {"unit_id": np.arange(n, dtype=np.int64)}
    abo, rhd = columns["abo"], columns["rhd"]
    group = _text(_GROUP_LABELS, abo * np.int8(2) + rhd)  # codes 0..7: no int8 overflow
    for name in COLUMNS:
        values = columns.pop(name)
        if name in _CATEGORIES:
            out[name] = _categorical(values, _CATEGORIES[name])
        elif name in ("site", "collection_site"):
            out["site_id" if name == "site" else name] = _text(sites, values)
        elif name == "rhd":
            out["rhd"], out["group"] = _text(_RHD_LABELS, values), group
        else:
            out[name] = np.array(values)  # a copy of the used rows only
        del values
    return pd.DataFrame({name: out[name] for name in FRAME_COLUMNS}, copy=False)


FRAME_COLUMNS = (
    "unit_id", "donation_id", "product", "abo", "rhd", "group", "size_u", "antigens",
    "collected_at", "released_at", "expires_at", "state", "site_id", "disposed_at", "order_id",
    "collection_site",
)  # fmt: skip
"""Columns of :meth:`Ledger.to_frame`, in order."""

_CATEGORIES = {
    "product": [p.name for p in Product],
    "abo": [a.name for a in ABO],
    "state": [s.name.lower() for s in UnitState],
}


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    """Categorical from integer codes with a fixed category list (int8 codes, as pandas
    stores them for so few categories). The codes are copied: ``from_codes`` would keep the
    ledger's array, which goes on changing after :meth:`Ledger.to_frame`."""
    return pd.Categorical.from_codes(np.array(codes), categories=categories)


def _text(labels: list[str], codes: np.ndarray) -> Any:
    """``labels[code]`` for every code, as the text column pandas makes of those strings
    (Arrow strings, or ``object`` when empty) without a Python object per row."""
    if not len(codes):
        return np.array([], dtype=object)
    strings = pa.array(labels, type=pa.large_string()).take(pa.array(codes))
    return pd.array(strings, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _batch_length(batch: dict[str, np.ndarray]) -> int:
    """Common length of the array arguments (1 if all are scalars)."""
    lengths = []
    for name, v in batch.items():
        if v.ndim:
            if v.ndim > 1:
                raise LedgerError(f"add(): {name} must be a scalar or 1-D, got {v.ndim}-D")
            lengths.append(len(v))
    if not lengths:
        return 1
    if min(lengths) != max(lengths):
        lengths_of = {name: len(v) for name, v in batch.items() if v.ndim == 1}
        raise LedgerError(f"add(): array arguments differ in length: {lengths_of}")
    return lengths[0]


def _validate_batch(batch: dict[str, np.ndarray], n: int) -> None:
    """Check codes, sizes and times of a batch of ``n`` rows before it is written.

    Scalars (0-d arrays, broadcast to the batch) are checked once in Python; arrays with
    one reduction per check.
    """
    if not n:
        return
    for name, high in _CODE_RANGES.items():
        if not _within(batch[name], high):
            raise LedgerError(f"add(): {name} codes outside 0..{high - 1}")
    state = batch["state"]
    if state.ndim == 0:  # codes are in 0..N_STATES-1 by now
        terminal = bool(_IS_TERMINAL[int(state)])
    else:
        terminal = bool(_IS_TERMINAL[state.astype(np.uint8)].any())
    if terminal:
        raise LedgerError("add(): new units cannot start in a terminal state; use dispose()")
    size, collected, expires = batch["size_u"], batch["collected_at"], batch["expires_at"]
    if n <= _FEW_IDS:  # a few rows: the same checks on Python numbers (no NumPy reductions)
        sizes_ok = _all_between(_values(size), 0.0, _INF)  # a NaN fails (as below)
        times_ok = _all_between(_values(collected), -_INF, _INF)
        times_ok = times_ok and _none_nan(_values(expires))
    else:
        sizes_ok = size.min() > 0 and size.max() < np.inf  # a NaN fails both (NaN min, max)
        times_ok = np.isfinite(collected).all() and not np.isnan(expires).any()
    if not sizes_ok:
        raise LedgerError("add(): size_u must be finite and > 0 (U)")
    if not times_ok:
        raise LedgerError("add(): collected_at must be finite and expires_at not NaN (min)")


_INF = float("inf")


def _all_between(values: list[float], low: float, high: float) -> bool:
    """Whether every value is in ``low < v < high`` (a NaN is not): first from the sum, the
    smallest and the largest (C loops; a NaN makes the sum NaN), else value by value."""
    total = sum(values)
    if total == total and min(values) > low and max(values) < high:
        return True  # no NaN (nor +inf beside -inf), and the extremes are inside
    return all(low < v < high for v in values)


def _none_nan(values: list[float]) -> bool:
    """Whether no value is NaN: the sum is a number (else value by value: ``inf`` beside
    ``-inf`` sums to NaN too)."""
    total = sum(values)
    return total == total or all(v == v for v in values)


def _values(values: np.ndarray) -> list:
    """The values of a 0-d or 1-D array as a list of Python numbers."""
    return values.tolist() if values.ndim else [values.item()]


def _repeats(ids: np.ndarray) -> bool:
    """Whether an id occurs more than once (a set for a few ids: no sort)."""
    if ids.size <= _FEW_IDS:
        return len(set(ids.tolist())) != ids.size
    return np.unique(ids).size != ids.size


_FEW_IDS = 64  # up to this many ids, a Python set beats np.unique


def units_of(ledger: Ledger, ids: np.ndarray) -> float:
    """Summed size (U, platelets: doses) of the units ``ids`` of ``ledger``, as
    ``float(ledger.size_u[ids].sum())`` (0.0 for none). A few ids are summed on Python
    floats when every size is a multiple of 0.5 U (:attr:`Ledger.half_sizes`: the float32
    sum and this one are both exact, so the same value)."""
    if not len(ids):
        return 0.0
    sizes = ledger.size_u[ids]
    if len(ids) <= _FEW_IDS and getattr(ledger, "half_sizes", False):
        return sum(sizes.tolist())
    return float(sizes.sum())


def _smallest(ids: np.ndarray) -> int:
    """``int(ids.min())`` of a non-empty id array (Python's min on a few ids)."""
    return min(ids.tolist()) if ids.size <= _FEW_IDS else int(ids.min())


_NOT_TERMINAL_BYTES = bytes(code for code in range(256) if not _IS_TERMINAL[code])
_SIGN_BYTE = 7 if sys.byteorder == "little" else 0  # the byte of an int64 holding its sign
_NON_NEGATIVE_BYTES = bytes(range(128))  # sign bytes of ids >= 0


HALF_SIZES_MAX = 2.0**10
"""Largest bag size (U) :attr:`Ledger.half_sizes` allows."""


def _half_sizes(size: np.ndarray) -> bool:
    """Whether every stored size (U) is a multiple of 0.5 in ``(0, HALF_SIZES_MAX]``; a few
    sizes are checked as Python floats against those already found so (no NumPy calls)."""
    if size.size <= _FEW_IDS:
        values = set(size.tolist())
        if values <= _HALF_SIZES_SEEN:
            return True
        if not all(0.0 < v <= HALF_SIZES_MAX and (2.0 * v).is_integer() for v in values):
            return False
        _HALF_SIZES_SEEN.update(values)
        return True
    twice = size.astype(np.float64) * 2.0  # exact
    return bool((twice == np.floor(twice)).all() and twice.max() <= 2.0 * HALF_SIZES_MAX)


_HALF_SIZES_SEEN: set[float] = set()  # sizes (U) found to pass :func:`_half_sizes`


def any_negative(ids: np.ndarray) -> bool:
    """Whether an id of the int64 array ``ids`` is negative, read from the sign byte of each
    (faster than ``ids.min() < 0`` below :data:`_MANY_IDS` ids, exact for any number)."""
    if ids.size > _MANY_IDS:
        return bool(ids.min() < 0)
    return bool(ids.tobytes()[_SIGN_BYTE::8].translate(None, _NON_NEGATIVE_BYTES))


_MANY_IDS = 1024  # from about this many ids, NumPy's min beats copying the bytes


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


@cache
def _bytes_below(high: int, signed: bool) -> bytes:
    """The byte values ``0 .. high - 1`` (a signed byte from 128 up is negative)."""
    return bytes(range(min(high, 128 if signed else 256)))


def _within(codes: np.ndarray, high: int) -> bool:
    """All ``codes`` in ``0 <= code < high``."""
    if codes.ndim == 0:
        code = codes.item()  # a Python number: no NumPy scalar compares
        return 0 <= code < high
    kind, size = codes.dtype.kind, codes.dtype.itemsize
    if kind == "u" and high >= 1 << (8 * size):
        return True  # every value of the dtype is in range (the antigen masks)
    if size == 1 and kind in "iu":  # bytes: no NumPy reduction (negatives are bytes >= 128)
        return not codes.tobytes().translate(None, _bytes_below(high, kind == "i"))
    if kind == "i" and high <= 1 << (8 * size - 1):
        return bool(codes.view(_UNSIGNED[size]).max() < high)  # negatives read as huge
    if codes.dtype.kind in "iu" and codes.dtype.itemsize <= 8:
        return bool(codes.min() >= 0 and codes.max() < high)
    return bool(((codes >= 0) & (codes < high)).all())


def _conservation_problems(expected: np.ndarray, rows: np.ndarray, counts: np.ndarray) -> list[str]:
    """Per-product conservation lines for every product that does not balance."""
    if expected.shape != (N_PRODUCTS,):
        raise ValueError(f"collected must hold {N_PRODUCTS} per-product counts")
    out = []
    for p in Product:
        c = counts[p]
        transfused, expired, discarded = (c[s] for s in sorted(TERMINAL_STATES))
        stock = sum(c[s] for s in _STOCK_STATES)
        transit = c[UnitState.IN_TRANSIT]
        total = transfused + expired + discarded + stock + transit
        if not expected[p] == rows[p] == total:
            out.append(
                f"{p.name}: collected {expected[p]} (ledger rows {rows[p]}) != "
                f"transfused {transfused} + expired {expired} + discarded {discarded} "
                f"+ in stock {stock} + in transit {transit} = {total}"
            )
    return out
