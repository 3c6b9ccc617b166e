"""Reading what a map needs from a run folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim.maps.errors import MapError
from sim.maps.run_folder import MAPPED_EVENTS, check_complete, read_run


def test_a_run_folder_gives_tables_horizon_and_the_drawable_events(tiny_run: Path) -> None:
    run = read_run(tiny_run)
    assert run.days == 2 and len(run.legs) and {"mode", "depart_at"} <= set(run.legs.columns)
    assert {e["type"] for e in run.events} <= set(MAPPED_EVENTS)
    assert {e["type"] for e in run.events} == {"mass_casualty", "road_closure"}
    assert run.start.hour == 0 and run.start.minute == 0


def test_an_incomplete_folder_names_what_is_missing(tiny_run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(tiny_run, copy)
    (copy / "legs.parquet").unlink()
    (copy / "stock.parquet").unlink()
    with pytest.raises(MapError, match=r"incomplete run folder \(missing legs.parquet, stock"):
        check_complete(copy)
    with pytest.raises(MapError, match="not a run folder"):
        read_run(tmp_path / "nowhere")
