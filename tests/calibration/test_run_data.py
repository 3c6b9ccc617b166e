"""What calibration reads from a run folder, the registry of measures, and its command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer

from sim import run
from sim.calibration.errors import CalibrationError
from sim.calibration.registry import MEASURES
from sim.calibration.run_folder import read_run
from sim.calibration.service import emergency_lead_time
from sim.cli import calibrate as command
from sim.core.domain import MINUTES_PER_DAY
from tests.calibration.conftest import MCI
from tests.sim.conftest import TINY_SCENARIO


def test_a_run_folder_gives_its_tables_stations_and_horizon(tiny_run: Path) -> None:
    run = read_run(tiny_run)
    assert run.days == 3 - run.kpis["provenance"]["warmup_days"]
    assert run.end == 3 * MINUTES_PER_DAY and run.since == run.end - run.days * MINUTES_PER_DAY
    assert run.stations == ("bs_a",)
    assert len(run.ledger) and {"mode", "purpose"} <= set(run.legs.columns)
    assert run.region == str(run.kpis["provenance"]["region"])


def test_a_missing_table_is_one_line_naming_the_folder(tiny_run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(tiny_run, copy)
    (copy / "orders.parquet").unlink()
    with pytest.raises(CalibrationError) as caught:
        read_run(copy)
    assert caught.value.lines == [f"{copy}: not a complete run folder (missing orders.parquet)"]


def test_every_measure_has_a_unique_name_a_unit_and_computes_on_a_run(tiny_run: Path) -> None:
    assert all(name == measure.name for name, measure in MEASURES.items())
    run = read_run(tiny_run)
    for measure in MEASURES.values():
        assert measure.unit
        measure.compute(run)  # every measure is computable on a small run


def test_measures_sharing_a_derived_table_compute_it_once(tiny_run: Path, monkeypatch) -> None:
    from sim.calibration import release

    calls = []
    lags = release.release_lags
    monkeypatch.setattr(release, "release_lags", lambda *a: calls.append(1) or lags(*a))
    run = read_run(tiny_run)
    month = MEASURES["release_p95_worst_month"].compute(run)
    station_month = MEASURES["release_p95_worst_station_month"].compute(run)
    assert len(calls) == 1
    fresh = read_run(tiny_run)  # a new run reads afresh, and the figures are the same
    assert MEASURES["release_p95_worst_station_month"].compute(fresh) == station_month
    assert MEASURES["release_p95_worst_month"].compute(fresh) == month and len(calls) == 2


def test_the_command_prints_json_rows_or_fails_with_the_lines(
    run_copy, tmp_path: Path, capsys
) -> None:
    command.calibrate_command(run_copy("zhejiang"), as_json=True)
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows and {"measure", "verdict"} <= set(rows[0])
    with pytest.raises(typer.Exit) as caught:
        command.calibrate_command(tmp_path / "nowhere")
    assert caught.value.exit_code == 2


def test_calibration_reads_what_separates_hla_requests_and_weighs_units(tiny_dir: Path) -> None:
    """The emergency lead time from a run folder leaves HLA requests out, as the KPI does
    (a baseline year read 1,139 min at p90 when the folder's groups were not read)."""
    scenario = tiny_dir / "calibration_hla.yaml"
    extra = "rare_blood: {hla_requests_per_week: 70}\n"
    scenario.write_text(TINY_SCENARIO.format(days=4, seed=3) + MCI + extra, encoding="utf-8")
    folder = tiny_dir / "calibration_hla_run"
    run(scenario, out=folder)
    orders = read_run(folder).orders
    assert {"group", "quantity_u"} <= set(orders.columns)
    assert orders["group"].astype(str).str.endswith("HLA").any()
    measured = emergency_lead_time(orders, 0.0, 90)
    kpi = json.loads((folder / "kpis.json").read_text(encoding="utf-8"))
    assert measured.value == pytest.approx(kpi["emergency_lead_time_min"]["p90"], abs=0.01)
