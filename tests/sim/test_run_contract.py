"""Run-level contract: determinism, bad arguments, run folders complete or absent."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim import run
from sim.core.errors import RunError
from sim.execution.output_folder import OutputFolderError

FILES = {
    ".bloodflow-output.json",
    "ledger.parquet",
    "orders.parquet",
    "legs.parquet",
    "service.parquet",
    "stockouts.parquet",
    "stock.parquet",
    "qc.parquet",
    "kpis.json",
    "map.html",
    "report.html",
}


def _comparable(kpis: dict) -> dict:
    return {k: v for k, v in kpis.items() if k != "provenance"}


def test_same_seed_gives_identical_results(tiny_scenario):
    path = tiny_scenario(days=3, seed=11)
    a, b = run(path), run(path)
    pd.testing.assert_frame_equal(a.ledger, b.ledger)
    pd.testing.assert_frame_equal(a.legs, b.legs)
    pd.testing.assert_frame_equal(a.orders, b.orders)
    assert a.kpis == b.kpis


def test_different_seed_gives_different_results(tiny_scenario):
    path = tiny_scenario(days=3, seed=11)
    a, b = run(path), run(path, seed=12)
    assert not a.ledger.equals(b.ledger)
    assert _comparable(a.kpis) != _comparable(b.kpis)
    assert b.kpis["provenance"]["seed"] == 12


def test_run_folder_matches_the_returned_result(tiny_scenario, tmp_path):
    out = tmp_path / "run"
    result = run(tiny_scenario(days=2), out=out)
    assert {p.name for p in out.iterdir()} == FILES
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "ledger.parquet"), result.ledger, check_categorical=False
    )
    assert json.loads((out / "kpis.json").read_text()) == json.loads(json.dumps(result.kpis))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": -1}, "days: -1 is not allowed"),
        ({"days": 0}, "days: 0 is not allowed"),
        ({"seed": -5}, "seed: -5 is not allowed"),
        ({"policies": {"dispatch": "teleport"}}, "dispatch policy 'teleport' is unknown"),
        ({"policies": {"weather": "sunny"}}, "policy role 'weather' is unknown"),
    ],
)
def test_bad_run_arguments_are_clear_errors(tiny_scenario, kwargs, message):
    with pytest.raises(RunError, match=message):
        run(tiny_scenario(days=2), **kwargs)


def test_unwritable_output_folder_is_a_clear_error(tiny_scenario, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputFolderError, match="a_file is not a folder"):
        run(tiny_scenario(days=2), out=blocker / "run")


def test_interrupted_write_leaves_no_run_folder(tiny_scenario, tmp_path, monkeypatch):
    out = tmp_path / "run"

    monkeypatch.setattr(
        "sim.execution.output.json.dumps",
        lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()),
    )
    with pytest.raises(KeyboardInterrupt):
        run(tiny_scenario(days=2), out=out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_interrupted_simulation_leaves_no_run_folder(tiny_scenario, tmp_path):
    out = tmp_path / "run"

    def stop(day: int, days: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(tiny_scenario(days=3), out=out, on_day=stop)
    assert not out.exists()


def test_a_rerun_with_overwrite_replaces_the_old_folder_whole(tiny_scenario, tmp_path):
    out = tmp_path / "run"
    run(tiny_scenario(days=2, seed=1), out=out)
    (out / "kpis.json").write_text("edited")  # a file bloodflow wrote may be replaced
    with pytest.raises(OutputFolderError, match="pass --overwrite"):
        run(tiny_scenario(days=2, seed=2), out=out)
    run(tiny_scenario(days=2, seed=2), out=out, overwrite=True)
    assert {p.name for p in out.iterdir()} == FILES
    assert json.loads((out / "kpis.json").read_text())["provenance"]["seed"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_python_api_matches_issue_example(tiny_scenario):
    result = run(str(tiny_scenario(days=2)), seed=1, days=2)
    assert isinstance(result.kpis, dict)
    for table in (result.ledger, result.orders, result.legs):
        assert isinstance(table, pd.DataFrame)
