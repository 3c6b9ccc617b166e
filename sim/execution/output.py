"""Write a run folder completely or not at all (see :mod:`sim.execution.output_folder`)."""

from __future__ import annotations

import ctypes
import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from sim.execution.collector import give_back_memory
from sim.execution.output_folder import staged_output

TABLES = ("ledger", "orders", "legs", "stockouts", "stock", "service")
M_MMAP_THRESHOLD = -3  # glibc mallopt() parameter: blocks this large or larger are mapped alone
LEAN_MMAP_THRESHOLD = 1 << 20  # bytes: every column of a large table gets its own mapping


def write_run(out: Path, result: object, *, overwrite: bool = False) -> None:
    """Write the tables and ``kpis.json`` of ``result`` as the run folder ``out``.

    ``out`` must be new, an empty folder, or (with ``overwrite``) an earlier run folder; see
    :func:`sim.execution.output_folder.staged_output` for the rules and the atomic swap.
    """
    with staged_output(out, "run", overwrite=overwrite) as staging:
        write_run_files(staging, result)


def write_run_files(folder: Path, result: object) -> None:
    """Write the tables and ``kpis.json`` of a run into ``folder`` (an empty staging folder).

    Views of them (``map.html``, ``report.html``) are rendered by the caller
    (:func:`sim.workflows.run.run`), which sits above the map and report packages.
    """
    for name in TABLES:
        getattr(result, name).to_parquet(folder / f"{name}.parquet", index=False)
    if getattr(result, "qc", None) is not None:  # quality indicators (sim/execution/qc.py)
        result.qc.to_parquet(folder / "qc.parquet", index=False)
    if getattr(result, "border", None) is not None:  # regions run together (execution/border)
        result.border.to_parquet(folder / "border.parquet", index=False)
    text = json.dumps(result.kpis, indent=2, sort_keys=False, default=_jsonable)
    (folder / "kpis.json").write_text(text + "\n", encoding="utf-8")


def _jsonable(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def free_table_memory() -> None:
    """Hand back what tables written or read have left behind: their reference cycles, the
    free blocks of Arrow's memory pool (mimalloc keeps them for reuse) and the C heap's free
    pages (:func:`sim.execution.collector.give_back_memory`).

    Parquet files are written and read through Arrow, whose pool keeps a freed table's memory
    for the process; after writing a year's tables that is hundreds of MB the views drawn
    next would otherwise add to. No output changes; a call takes milliseconds.
    """
    gc.collect()
    pa.default_memory_pool().release_unused()
    give_back_memory()


@contextmanager
def lean_heap() -> Iterator[None]:
    """Within the block, memory of freed tables goes back to the operating system at once.

    Two allocator settings, neither of which changes a result: Arrow allocates from the C
    heap (its system pool) instead of mimalloc, which keeps freed blocks for the process; and
    glibc maps every block of 1 MiB or more on its own (``mallopt(M_MMAP_THRESHOLD)``), so a
    freed column is unmapped instead of leaving a hole in the heap that later, larger arrays
    cannot use. Reading and measuring a year's tables (the calibration of the report) then
    peaks about 170 MB lower. Arrow's pool is restored on leaving; glibc's threshold stays
    fixed (glibc has no way back to its sliding threshold), which costs page faults for large
    arrays made afterwards, so this suits the last steps of a process (``bloodflow run``
    writing its files and views), not a simulation.
    """
    pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    if _MALLOPT is not None:
        _MALLOPT(M_MMAP_THRESHOLD, LEAN_MMAP_THRESHOLD)
    try:
        yield
    finally:
        pa.set_memory_pool(pool)


def _mallopt() -> object | None:
    """glibc's ``mallopt``, or None where the C library has none (not Linux, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None), "mallopt", None)
    except OSError:
        return None


_MALLOPT = _mallopt()
