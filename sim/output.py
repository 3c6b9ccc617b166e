"""Write a run folder completely or not at all."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

TABLES = ("ledger", "orders", "legs", "stockouts", "stock")


def write_run(out: Path, result: object, *, map_html: bool = False, report: bool = False) -> None:
    """Write tables, ``kpis.json`` (and ``map.html``, ``report.html``) into ``out`` atomically.

    Everything is written into a hidden sibling folder first and renamed into place at the
    end, so an interrupted run never leaves a folder that looks complete; an existing
    ``out`` is replaced only after the new one is finished.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a run folder is an ordinary folder
    try:
        for name in TABLES:
            getattr(result, name).to_parquet(staging / f"{name}.parquet", index=False)
        text = json.dumps(result.kpis, indent=2, sort_keys=False, default=_jsonable)
        (staging / "kpis.json").write_text(text + "\n", encoding="utf-8")
        _views(staging, map_html=map_html, report=report)
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _views(folder: Path, *, map_html: bool, report: bool) -> None:
    """The offline map and report of a run, made from the files already in ``folder``."""
    if map_html:
        from sim.maps import write_map

        write_map(folder, folder / "map.html")
    if report:
        from sim.reports import write_run_report

        write_run_report(folder, folder / "report.html")


def _swap_into_place(staging: Path, out: Path) -> None:
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out)


def _jsonable(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
