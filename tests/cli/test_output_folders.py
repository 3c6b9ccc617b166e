"""Output folders: written whole or not at all, and never anything bloodflow did not write."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sim.cli import app
from sim.execution.output_folder import MARKER, OutputFolderError, check_target, staged_output

runner = CliRunner()


def _user_folder(path: Path) -> dict[str, str]:
    path.mkdir(parents=True)
    files = {"scenario.yaml": "name: mine\n", "notes.md": "do not lose me\n"}
    for name, text in files.items():
        (path / name).write_text(text)
    return files


def _unchanged(path: Path, files: dict[str, str]) -> bool:
    return {p.name: p.read_text() for p in path.iterdir()} == files


def _run(tiny: Path, *extra: str):
    return runner.invoke(app, ["run", str(tiny), "--days", "2", *extra])


def test_run_refuses_a_users_folder_even_with_overwrite(tiny_scenario, tmp_path):
    tiny = tiny_scenario(days=2)
    mine = tmp_path / "project"
    files = _user_folder(mine)
    for extra in ([], ["--overwrite"]):
        result = _run(tiny, "--out", str(mine), *extra)
        assert result.exit_code == 2, result.output
        assert "is not a bloodflow output folder" in result.stderr
        assert "Traceback" not in result.output
    assert _unchanged(mine, files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_run_out_the_current_folder_is_refused_before_simulating(
    tiny_scenario, tmp_path, monkeypatch
):
    tiny = tiny_scenario(days=2)
    files = _user_folder(tmp_path / "here")
    monkeypatch.chdir(tmp_path / "here")
    result = _run(tiny, "--out", ".", "--overwrite")
    assert result.exit_code == 2
    assert "current folder" in result.stderr and "simulating" not in result.stderr
    assert _unchanged(tmp_path / "here", files)


def test_run_out_an_existing_file_is_refused(tiny_scenario, tmp_path):
    target = tmp_path / "some_file.txt"
    target.write_text("precious")
    result = _run(tiny_scenario(days=2), "--out", str(target), "--overwrite")
    assert result.exit_code == 2 and "is not a folder" in result.stderr
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["some_file.txt"]


def test_run_into_an_empty_folder_and_rerun_with_overwrite(tiny_scenario, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    assert _run(tiny_scenario(days=2), "--out", str(out)).exit_code == 0
    marker = json.loads((out / MARKER).read_text())
    assert marker["tool"] == "bloodflow" and marker["kind"] == "run"
    assert "kpis.json" in marker["files"]
    again = _run(tiny_scenario(days=2), "--out", str(out))
    assert again.exit_code == 2 and "pass --overwrite" in again.stderr
    assert _run(tiny_scenario(days=2), "--out", str(out), "--overwrite").exit_code == 0


def test_overwrite_refuses_a_run_folder_holding_files_of_the_user(tiny_scenario, tmp_path):
    out = tmp_path / "run"
    assert _run(tiny_scenario(days=2), "--out", str(out)).exit_code == 0
    (out / "my_notes.txt").write_text("analysis")
    result = _run(tiny_scenario(days=2), "--out", str(out), "--overwrite")
    assert result.exit_code == 2 and "my_notes.txt" in result.stderr
    assert (out / "my_notes.txt").read_text() == "analysis"


def test_a_run_never_replaces_a_comparison(tmp_path):
    out = tmp_path / "cmp"
    with staged_output(out, "compare") as staging:
        (staging / "summary.csv").write_text("kpi\n")
    with pytest.raises(OutputFolderError, match="compare folder, not a run folder"):
        check_target(out, "run", overwrite=True)


def test_symlinks_are_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OutputFolderError, match="symbolic link"):
        check_target(tmp_path / "link", "run", overwrite=True)


def test_scenario_outputs_dir_may_not_lead_outside(tiny_scenario, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for folder in ("../escaped", str(tmp_path / "absolute")):
        tiny = tiny_scenario(days=2, extra=f"outputs: {{dir: {json.dumps(folder)}}}\n")
        result = _run(tiny)
        assert result.exit_code == 2, result.output
        assert "outputs.dir" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_a_second_writer_fails_while_the_first_holds_the_lock(tmp_path):
    out = tmp_path / "run"
    with staged_output(out, "run") as staging:
        (staging / "kpis.json").write_text("{}")
        busy = pytest.raises(OutputFolderError, match="being written by another")
        with busy, staged_output(out, "run"):
            pass
    assert (out / "kpis.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no lock or staging left


def test_an_exception_inside_leaves_the_earlier_output_intact(tmp_path):
    out = tmp_path / "run"
    with staged_output(out, "run") as staging:
        (staging / "kpis.json").write_text("first")
    with pytest.raises(KeyboardInterrupt), staged_output(out, "run", overwrite=True) as staging:
        (staging / "kpis.json").write_text("second")
        raise KeyboardInterrupt
    assert (out / "kpis.json").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(
        st.text(
            st.characters(codec="utf-8", exclude_characters="/\0"), min_size=1, max_size=12
        ).filter(lambda n: n not in (".", "..")),
        min_size=1,
        max_size=4,
        unique=True,
    ),
    overwrite=st.booleans(),
)
def test_no_folder_with_foreign_files_is_ever_replaced(tmp_path_factory, names, overwrite):
    base = tmp_path_factory.mktemp("prop")
    out = base / "out"
    with staged_output(out, "run") as staging:
        (staging / "kpis.json").write_text("{}")
    for name in names:
        try:
            (out / name).write_text("user data")
        except OSError:
            return  # a name this file system refuses: nothing to protect
    foreign = set(names) - {"kpis.json", MARKER}
    if foreign:
        with pytest.raises(OutputFolderError):
            check_target(out, "run", overwrite=overwrite)
    elif not overwrite:
        with pytest.raises(OutputFolderError, match="pass --overwrite"):
            check_target(out, "run", overwrite=overwrite)
    else:
        check_target(out, "run", overwrite=overwrite)


_LONG_DAYS = 3650
"""Days of a tiny run long enough to be stopped mid-way. 60 days could end before the
signal landed on a busy machine, and so could 730 once the stock and ledger were compiled
(the whole run took about a second)."""


def _start_run(tiny: Path, out: Path, cwd: Path) -> subprocess.Popen:
    code = "import sys; from sim.cli import main; sys.argv[0] = 'bloodflow'; main()"
    days = str(_LONG_DAYS)
    args = [sys.executable, "-c", code, "run", str(tiny), "--days", days, "--out", str(out)]
    return subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigterm_mid_run_leaves_nothing_behind(tiny_scenario, tmp_path):
    out = tmp_path / "run"
    process = _start_run(tiny_scenario(days=_LONG_DAYS), out, tmp_path)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".run.partial-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, stderr.decode()
    assert "stopped by SIGTERM; nothing was written" in stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert list(tmp_path.iterdir()) == []


def test_an_internal_error_says_so_and_names_its_log(tiny_scenario, tmp_path, monkeypatch):
    from sim.cli import guard as cli_guard

    def broken() -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli_guard.tempfile, "tempdir", str(tmp_path))
    with pytest.raises(SystemExit) as stop:
        cli_guard.guarded(broken)
    assert stop.value.code == cli_guard.EXIT_INTERNAL_ERROR
    logs = list(tmp_path.glob("bloodflow-error-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError: boom" in logs[0].read_text()


def test_user_errors_escaping_a_command_are_one_line(capsys):
    from sim.cli import guard as cli_guard

    def missing() -> None:
        raise FileNotFoundError(2, "No such file or directory", "road.graphml")

    with pytest.raises(SystemExit) as stop:
        cli_guard.guarded(missing)
    assert stop.value.code == 2
    assert capsys.readouterr().err.strip() == "road.graphml: No such file or directory"
