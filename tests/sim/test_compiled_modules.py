"""Finding the compiled modules of sim.state: absent means the Python twins run, and a build
older than its source is a clear error, not a silent mix of old and new code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.core.compiled import PURE_PYTHON, StaleBuildError, built, check_fresh, wanted


def _files(tmp_path: Path, built_at: float, source_at: float | None) -> tuple[Path, Path]:
    built_file, source = tmp_path / "core.so", tmp_path / "core.pyx"
    built_file.write_bytes(b"")
    os.utime(built_file, (built_at, built_at))
    if source_at is not None:
        source.write_text("")
        os.utime(source, (source_at, source_at))
    return built_file, source


def test_a_build_older_than_its_source_is_an_error_saying_how_to_fix_it(tmp_path) -> None:
    with pytest.raises(StaleBuildError, match=r"`make` or `pip install -e \.`.*PURE_PYTHON=1"):
        check_fresh(*_files(tmp_path, built_at=1_000, source_at=2_000))


@pytest.mark.parametrize("source_at", [500, 1_000, None])  # older, same time, no source
def test_a_build_at_least_as_new_as_its_source_or_without_one_is_fine(tmp_path, source_at):
    check_fresh(*_files(tmp_path, built_at=1_000, source_at=source_at))


def test_a_module_that_is_not_built_is_none() -> None:
    assert built("no_such_core") is None


def test_the_environment_variable_turns_compiled_code_off(monkeypatch) -> None:
    monkeypatch.delenv(PURE_PYTHON, raising=False)
    assert wanted()
    monkeypatch.setenv(PURE_PYTHON, "1")
    assert not wanted()
    monkeypatch.setenv(PURE_PYTHON, "")
    assert wanted()
