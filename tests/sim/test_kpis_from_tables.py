"""Every KPI can be rebuilt from the written run folder (plus the run's few own facts)."""

from __future__ import annotations

import json

import pandas as pd

from sim.execution.kpis import compute_kpis
from sim.execution.output import TABLES, write_run
from sim.execution.runner import run
from sim.scenario import load_scenario


def test_kpis_rebuilt_from_the_written_files_equal_kpis_json(tiny_scenario, tmp_path) -> None:
    path = tiny_scenario(days=4, seed=3, extra="warmup_days: 1\n")
    result = run(path)
    folder = tmp_path / "run"
    write_run(folder, result)
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    written = json.loads((folder / "kpis.json").read_text(encoding="utf-8"))
    scenario = load_scenario(path).scenario
    rebuilt = compute_kpis(tables, result.facts, scenario, written["provenance"])
    assert json.loads(json.dumps(rebuilt, default=lambda v: v.item())) == written
    assert written["units_collected"]["bags"] > 0  # a run with something to count


def test_kpis_follow_the_tables(tiny_scenario) -> None:
    """Drop the van legs from the legs table: the transport KPIs follow, others stay."""
    path = tiny_scenario(days=4, seed=3)
    result = run(path)
    tables = {name: getattr(result, name) for name in TABLES}
    assert result.kpis["legs_by_mode"]["van"]["legs"] > 0
    tables["legs"] = tables["legs"][tables["legs"]["mode"] != "van"]
    kpis = compute_kpis(tables, result.facts, load_scenario(path).scenario, {})
    assert "van" not in kpis["legs_by_mode"]
    assert kpis["fill_rate"] == result.kpis["fill_rate"]
