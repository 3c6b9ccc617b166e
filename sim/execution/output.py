"""Write a run folder completely or not at all (see :mod:`sim.execution.output_folder`)."""

from __future__ import annotations

import json
from pathlib import Path

from sim.execution.output_folder import staged_output

TABLES = ("ledger", "orders", "legs", "stockouts", "stock", "service")


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
