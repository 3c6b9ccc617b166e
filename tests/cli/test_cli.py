"""The bloodflow command line: exit codes, messages, no tracebacks for user mistakes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sim.cli import app

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "zhejiang_baseline.yaml"
INVALID = ROOT / "tests" / "scenario" / "invalid"
runner = CliRunner()


def test_validate_good_file_prints_ok():
    result = runner.invoke(app, ["validate", str(BASELINE)])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{BASELINE}: ok"


def test_validate_bad_files_exit_2_with_one_line_per_problem():
    files = [
        str(BASELINE),
        str(INVALID / "02_negative_shelf_life.yaml"),
        str(INVALID / "24_missing_product.yaml"),
    ]
    result = runner.invoke(app, ["validate", *files])
    assert result.exit_code == 2
    assert f"{BASELINE}: ok" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4
    assert all(line.startswith(str(INVALID)) for line in lines)
    assert "Traceback" not in result.output


def test_validate_missing_file():
    result = runner.invoke(app, ["validate", "nope.yaml"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "nope.yaml: (top level): file not found (a scenario YAML file)"


def test_schema_is_json_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Scenario"
    assert "supply" in schema["properties"]


def test_region_summary_counts_sites():
    result = runner.invoke(app, ["region", "zhejiang"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Hangzhou" in result.stdout and "total" in result.stdout
    assert "566 sites" in result.stdout  # 539 + 27 county blood banks


def test_region_unknown_is_a_clear_error():
    result = runner.invoke(app, ["region", "atlantis"])
    assert result.exit_code == 2
    assert "atlantis" in result.stderr and "Traceback" not in result.output


def test_run_writes_a_run_folder(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", str(BASELINE), "--days", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "kpis.json").exists() and (out / "ledger.parquet").exists()
    assert f"Results written to {out}" in result.stdout


def test_run_bad_arguments_exit_2(tmp_path):
    cases = [
        (["--days", "-3"], "days: -3 is not allowed"),
        (["--policy", "dispatch=teleport"], "dispatch policy 'teleport' is unknown"),
        (["--policy", "nonsense"], "is not ROLE=NAME"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["run", str(BASELINE), *args, "--out", str(tmp_path / "r")])
        assert result.exit_code == 2, args
        assert message in result.stderr
        assert "Traceback" not in result.output
        assert not (tmp_path / "r").exists()


def test_run_horizon_not_above_warmup_fails_before_any_progress(tmp_path):
    scenario = ROOT / "scenarios" / "zhejiang_mci_wenzhou.yaml"  # warmup_days: 2
    out = tmp_path / "r"
    result = runner.invoke(app, ["run", str(scenario), "--days", "2", "--out", str(out)])
    assert result.exit_code == 2
    assert "days: 2 is not above the scenario's warmup_days 2" in result.stderr
    assert "simulating" not in result.output and "day 0/" not in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_run_invalid_scenario_exit_2():
    result = runner.invoke(app, ["run", str(INVALID / "10_unknown_policy.yaml")])
    assert result.exit_code == 2
    assert "policies.dispatch: unknown policy 'teleport'" in result.stderr
