"""``bloodflow compare`` on the command line: outputs, exit codes, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from sim.cli.compare import compare_command

app = typer.Typer(pretty_exceptions_enable=False)
app.command("compare")(compare_command)


@app.callback()
def _group() -> None:
    """Make ``compare`` a subcommand, as in the real CLI."""


runner = CliRunner()


def test_compare_writes_csvs_and_prints_key_kpis(tiny_path: Path, tmp_path: Path):
    out = tmp_path / "cmp"
    args = ["compare", str(tiny_path), "--policy", "ground_only", "--policy", "drone_first",
            "--reps", "2", "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        ".bloodflow-output.json",
        "paired.csv",
        "replications.csv",
        "report.html",
        "runs",
        "summary.csv",
    ]
    assert "fill_rate" in result.stdout and "− ground_only" in result.stdout
    assert "4/4" in result.stderr  # the progress bar, on stderr


def test_default_out_folder(tiny_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["compare", str(tiny_path), "--policy", "ground_only", "--reps", "1"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "runs" / "tiny-compare" / "summary.csv").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--policy", "teleport"], "dispatch policy 'teleport' is unknown (one of: drone_first"),
        (["--policy", "ground_only", "--reps", "0"], "--reps: 0 is not allowed"),
        (["--policy", "ground_only", "--workers", "2", "--scheduler", "tcp://h:1"], "together"),
        (["--policy", "ground_only", "--days", "0"], "--days: 0 is not allowed"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(tiny_path: Path, extra: list[str], message: str):
    result = runner.invoke(app, ["compare", str(tiny_path), *extra])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert lines[0].startswith(str(tiny_path))
    assert "Traceback" not in result.output


def test_horizon_not_above_warmup_fails_before_the_progress_bar(tmp_path: Path):
    scenario = Path(__file__).resolve().parents[2] / "scenarios" / "zhejiang_mci_wenzhou.yaml"
    out = tmp_path / "cmp"  # the scenario warms up for 2 days
    args = ["compare", str(scenario), "--policy", "ground_only", "--days", "2", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines  # no progress bar before the error
    assert "--days: 2 is not above the scenario's warmup_days 2" in lines[0]
    assert not out.exists()


def test_missing_scenario(tmp_path: Path):
    result = runner.invoke(app, ["compare", "nope.yaml", "--policy", "ground_only"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "nope.yaml: (top level): file not found (a scenario YAML file)"


def test_invalid_scenario(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ndays: -1\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(bad), "--policy", "ground_only"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}: ")
    assert "Traceback" not in result.output


def test_an_interrupted_compare_keeps_the_earlier_comparison_whole(
    tiny_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "cmp"
    args = ["compare", str(tiny_path), "--policy", "ground_only", "--reps", "1", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # after the CSVs and the runs, while the maps are gathered

    monkeypatch.setattr("sim.workflows.comparison.map_page", interrupted)
    result = runner.invoke(app, [*args, "--overwrite"])
    assert result.exit_code != 0  # click turns the interrupt into "Aborted!"
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["cmp"]  # no staging folder or lock left
