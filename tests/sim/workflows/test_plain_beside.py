"""The plain counterfactual in a second process: same figures as in-process, stopped on exit."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.core.errors import RunError
from sim.scenario import load_scenario
from sim.workflows.plain_beside import PlainRunBeside
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


def test_demo_prints_what_the_policies_bought(tiny_scenario, tmp_path, monkeypatch) -> None:
    """`bloodflow demo` with its plain run beside: the run folder, then the value table."""
    scenario = tiny_scenario(days=3, extra=DRONES)

    @contextlib.contextmanager
    def tiny_default(path: Path | None):
        yield scenario

    monkeypatch.setattr("sim.cli.run.default_scenario", tiny_default)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "What the policies bought" in result.stdout
    assert "drone_sorties" in result.stdout
    assert "Traceback" not in result.output
