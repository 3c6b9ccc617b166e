"""The plain counterfactual in a second process: same figures as in-process, stopped on exit."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.core.errors import RunError
from sim.scenario import load_scenario
from sim.workflows import plain_beside
from sim.workflows.plain_beside import ROOM_FOR_TWO_MB, PlainRunBeside, room_for_beside
from sim.workflows.policy_value import policy_value

DRONES = "policies: {dispatch: drone_first}\n"


def test_same_values_as_in_process(tiny_scenario) -> None:
    """Every KPI pair equals the in-process counterfactual's, and progress reaches the end."""
    loaded = load_scenario(tiny_scenario(days=3, extra=DRONES))
    ours = {"fill_rate": 0.5}
    with PlainRunBeside(loaded) as plain:
        beside = plain.values(ours)
        assert plain.progress() == (3, 3)
    here = policy_value(loaded, ours)
    assert [v.kpi for v in beside] == [v.kpi for v in here]
    assert repr(beside) == repr(here)  # exact and NaN-safe: the same text, KPI by KPI


def test_seed_and_days_reach_the_child(tiny_scenario) -> None:
    loaded = load_scenario(tiny_scenario(days=4, extra=DRONES))
    with PlainRunBeside(loaded, seed=11, days=2) as plain:
        beside = plain.values({})
        assert plain.progress() == (2, 2)
    assert str(beside) == str(policy_value(loaded, {}, seed=11, days=2))


def test_leaving_the_block_stops_the_child(tiny_scenario) -> None:
    loaded = load_scenario(tiny_scenario(days=200, extra=DRONES))
    with PlainRunBeside(loaded) as plain:
        process = plain._process
        assert process.is_alive()
    assert not process.is_alive()
    assert process.exitcode != 0  # terminated, not finished


def test_a_failed_plain_run_is_one_clear_error(tiny_scenario) -> None:
    """The child's error comes back as a RunError naming what went wrong."""
    loaded = load_scenario(tiny_scenario(days=3, extra=DRONES))
    with PlainRunBeside(loaded, days=-1) as plain, pytest.raises(RunError, match="days"):
        plain.kpis()


def _tiny_demo(monkeypatch, tmp_path, scenario: Path) -> str:
    @contextlib.contextmanager
    def tiny_default(path: Path | None):
        yield scenario

    monkeypatch.setattr("sim.cli.run.default_scenario", tiny_default)
    tmp_path.mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def _value_rows(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if "fill_rate" in line or "drone" in line]


def test_demo_prints_what_the_policies_bought(tiny_scenario, tmp_path, monkeypatch) -> None:
    """`bloodflow demo` with its plain run beside: the run folder, then the value table;
    with no room for two runs the plain run comes after, in-process, with the same table."""
    scenario = tiny_scenario(days=3, extra=DRONES)
    monkeypatch.setattr("sim.cli.run.room_for_beside", lambda: True)
    beside = _tiny_demo(monkeypatch, tmp_path / "beside", scenario)
    assert "What the policies bought" in beside
    assert "drone_sorties" in beside

    def no_second_process(*args, **kwargs):
        raise AssertionError("no room: the plain run must not start beside")

    monkeypatch.setattr("sim.cli.run.room_for_beside", lambda: False)
    monkeypatch.setattr("sim.cli.run.PlainRunBeside", no_second_process)
    after = _tiny_demo(monkeypatch, tmp_path / "after", scenario)
    assert _value_rows(after) == _value_rows(beside) != []


def _meminfo(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "meminfo"
    path.write_text(text, encoding="ascii")
    return path


def test_room_for_beside_reads_available_memory(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(plain_beside.os, "cpu_count", lambda: 2)
    enough = f"MemTotal: 8000000 kB\nMemAvailable: {ROOM_FOR_TWO_MB * 1024} kB\n"
    assert room_for_beside(_meminfo(tmp_path, enough))
    short = f"MemTotal: 8000000 kB\nMemAvailable: {ROOM_FOR_TWO_MB * 1024 - 1} kB\n"
    assert not room_for_beside(_meminfo(tmp_path, short))
    assert room_for_beside(tmp_path / "missing")  # unknown: assumed there
    assert room_for_beside(_meminfo(tmp_path, "MemAvailable: lots\n"))


def test_no_second_run_on_one_core(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(plain_beside.os, "cpu_count", lambda: 1)
    assert not room_for_beside(tmp_path / "missing")
