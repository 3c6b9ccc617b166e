"""Fuzzing the command line: any arguments give a clean exit, never a traceback or a hang."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sim.cli import app

runner = CliRunner()
ODD = ["0", "-1", "nan", "inf", "-inf", "1e12", "1e308", "abc", "", "2", "99999999999999999999"]
ODD_PATHS = ["", ".", "..", "/", "/dev/null", "no/such/file.yaml", "ü\u202e.yaml", "a" * 300]
COMMON = {
    "--days": ODD,
    "--seed": ODD,
    "--policy": ["x", "=", "dispatch=", "=ground_only", "dispatch=teleport", "weather=sun"],
}
OPTIONS = {
    "run": {**COMMON, "--overwrite": None},
    "compare": {**COMMON, "--reps": ODD, "--workers": ODD, "--scheduler": ["", "tcp://"]},
    "map": {"--day": ODD, "--out": ODD_PATHS, "--overwrite": None},
    "region": {},
    "calibrate": {"--reference": ODD_PATHS, "--json": None},
    "validate": {},
    "bench": {"--time-limit": ["inf", "nan", "1e12", "-1", "0"], "--seed": ODD},
}
counter = itertools.count()


def _option(command: str) -> st.SearchStrategy[list[str]]:
    choices = OPTIONS[command]
    if not choices:
        return st.just([])
    name = st.sampled_from(sorted(choices))
    return name.flatmap(
        lambda n: (
            st.just([n])
            if choices[n] is None
            else st.sampled_from(choices[n]).map(lambda v: [n, v])
        )
    )


@st.composite
def command_lines(draw: st.DrawFn, tiny: Path) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    target = draw(st.sampled_from([str(tiny), *ODD_PATHS, "zhejiang", "atlantis"]))
    options = draw(st.lists(_option(command), max_size=3))
    args = [command, *([] if command == "bench" else [target])]
    if command == "bench":
        args += draw(st.sampled_from([["vrptw", target], ["nosuch"], []]))
    return args + [part for option in options for part in option]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.sim.conftest import TINY_SCENARIO, write_tiny_region

    root = tmp_path_factory.mktemp("cli_fuzz")
    write_tiny_region(root / "tiny_region")
    path = root / "tiny.yaml"
    path.write_text(TINY_SCENARIO.format(days=2, seed=3), encoding="utf-8")
    return path


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_command_line_exits_cleanly(tiny: Path, tmp_path: Path, monkeypatch, data):
    args = data.draw(command_lines(tiny))
    if args[0] in ("run", "compare"):
        args += ["--out", str(tmp_path / f"out{next(counter)}")]
        args += [] if "--days" in args else ["--days", "2"]
        args += [] if args[0] != "compare" or "--reps" in args else ["--reps", "1"]
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert result.exit_code in (0, 2), (args, result.output)
    assert "Traceback" not in result.output, args
