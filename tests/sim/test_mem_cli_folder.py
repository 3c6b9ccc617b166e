"""``bloodflow run``'s path (issue 12): the tables are let go before the views are drawn, and
the files are those of ``sim.run(out=...)``, byte for byte (Folium's random element ids
masked: they differ between any two renderings)."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from sim import run
from sim.execution import runner
from sim.execution.output import lean_heap
from sim.workflows.run import render_views, run_to_folder

FOLIUM_ID = re.compile(rb"_([0-9a-f]{32})")


def masked(data: bytes) -> bytes:
    """``data`` with Folium's uuid4 element ids numbered by first appearance."""
    seen: dict[bytes, int] = {}
    return FOLIUM_ID.sub(lambda m: b"_ID%d" % seen.setdefault(m.group(1), len(seen)), data)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: masked(p.read_bytes()) for p in sorted(folder.iterdir())}


def test_run_to_folder_writes_the_files_of_run(tiny_scenario, tmp_path):
    path = tiny_scenario(days=3, seed=5)
    full = run(path, out=tmp_path / "full")
    written = run_to_folder(path, out=tmp_path / "lean")
    assert written.path == tmp_path / "lean"
    assert written.kpis == full.kpis
    assert {"map.html", "report.html", "ledger.parquet"} <= set(files(written.path))
    assert files(written.path) == files(tmp_path / "full")


def ledgers_alive() -> int:
    """Ledger frames (a ``unit_id`` and a ``disposed_at`` column) the process still holds."""
    gc.collect()
    frames = (o for o in gc.get_objects() if isinstance(o, pd.DataFrame))
    return sum({"unit_id", "disposed_at"} <= set(f.columns) for f in frames)


def test_tables_are_let_go_before_the_views_are_drawn(tiny_scenario, tmp_path):
    path = tiny_scenario(days=2, seed=9)
    seen: dict[str, int] = {}

    def render(key: str):
        def draw(folder: Path, outputs: object) -> None:
            seen[key] = ledgers_alive()
            render_views(folder, outputs)

        return draw

    kept = runner.run(path, out=tmp_path / "kept", render=render("run"))
    assert seen["run"] >= 1  # sim.run keeps its tables for the caller: the probe sees them
    del kept
    runner.run_to_folder(path, out=tmp_path / "lean", render=render("run_to_folder"))
    assert seen["run_to_folder"] == 0


def test_lean_heap_restores_arrow_pool_also_on_error():
    before = pa.default_memory_pool().backend_name
    with pytest.raises(RuntimeError), lean_heap():
        assert pa.default_memory_pool().backend_name == "system"
        raise RuntimeError("boom")
    assert pa.default_memory_pool().backend_name == before
