"""Write a run folder completely or not at all (see :mod:`sim.output_folder`)."""

from __future__ import annotations

import json
from pathlib import Path

from sim.output_folder import staged_output

TABLES = ("ledger", "orders", "legs", "stockouts", "stock")


def write_run(
    out: Path,
    result: object,
    *,
    map_html: bool = False,
    report: bool = False,
    overwrite: bool = False,
) -> None:
    """Write tables, ``kpis.json`` (and ``map.html``, ``report.html``) as the run folder ``out``.

    ``out`` must be new, an empty folder, or (with ``overwrite``) an earlier run folder; see
    :func:`sim.output_folder.staged_output` for the rules and the atomic swap.
    """
    with staged_output(out, "run", overwrite=overwrite) as staging:
        write_run_files(staging, result, map_html=map_html, report=report)


def write_run_files(
    folder: Path, result: object, *, map_html: bool = False, report: bool = False
) -> None:
    """Write the files of a run into ``folder`` (an empty staging folder)."""
    for name in TABLES:
        getattr(result, name).to_parquet(folder / f"{name}.parquet", index=False)
    text = json.dumps(result.kpis, indent=2, sort_keys=False, default=_jsonable)
    (folder / "kpis.json").write_text(text + "\n", encoding="utf-8")
    _views(folder, map_html=map_html, report=report)


def _views(folder: Path, *, map_html: bool, report: bool) -> None:
    """The offline map and report of a run, made from the files already in ``folder``."""
    if map_html:
        from sim.maps import write_map

        write_map(folder, folder / "map.html")
    if report:
        from sim.reports import write_run_report

        write_run_report(folder, folder / "report.html")


def _jsonable(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
