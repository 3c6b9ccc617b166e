"""Where ``bloodflow map`` may write: new files, its own earlier maps, never a user's file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sim.execution import output_page as pf
from sim.maps.build import write_map
from sim.maps.errors import MapError
from tests.maps.conftest import embedded_counts
from tests.maps.test_map_errors import assert_one_line, invoke

NOT_A_MAP = "exists and is not a bloodflow map; choose a new path"
USER_TEXT = "<html><head></head><body>my notes</body></html>"


@pytest.fixture
def copy(tiny_run: Path, tmp_path: Path) -> Path:
    """A copy of the tiny run folder without its map."""
    folder = tmp_path / "run"
    shutil.copytree(tiny_run, folder, ignore=shutil.ignore_patterns("map.html"))
    return folder


@pytest.fixture
def old_map(copy: Path, tmp_path: Path) -> Path:
    """An earlier bloodflow map (day 1) at a path of the user's choosing."""
    return write_map(copy, tmp_path / "old.html", day=1)


def test_a_new_file_is_written_with_the_generator_tag(copy, tmp_path):
    page = write_map(copy, tmp_path / "sub" / "new.html")
    head = page.read_bytes()[: pf.HEAD_BYTES].decode("utf-8", errors="replace")
    assert '<meta name="generator" content="bloodflow map ' in head
    assert pf.page_kind(page) == "map"
    assert oct(page.stat().st_mode & 0o777) == oct(pf.FILE_MODE)


def test_the_default_map_of_a_run_folder_is_replaced(copy):
    write_map(copy)
    page = write_map(copy, day=1)
    assert page == copy / "map.html" and embedded_counts(page)["timeline_day"] == 1
    result = invoke(copy)
    assert result.exit_code == 0, result.output
    assert embedded_counts(page)["timeline_day"] == 0


def test_the_default_path_holding_a_user_file_is_refused(copy):
    (copy / "map.html").write_text(USER_TEXT, encoding="utf-8")
    for flags in ([], ["--overwrite"]):
        assert_one_line(invoke(copy, *flags), str(copy / "map.html"), NOT_A_MAP)
    assert (copy / "map.html").read_text(encoding="utf-8") == USER_TEXT


def test_an_earlier_map_elsewhere_needs_overwrite(copy, old_map):
    line = assert_one_line(invoke(copy, "--out", old_map), str(old_map), "--overwrite")
    assert "earlier bloodflow map" in line
    assert embedded_counts(old_map)["timeline_day"] == 1
    result = invoke(copy, "--out", old_map, "--overwrite")
    assert result.exit_code == 0, result.output
    assert embedded_counts(old_map)["timeline_day"] == 0


@pytest.mark.parametrize(
    "text",
    [
        USER_TEXT,
        "",
        '<!DOCTYPE html><html><head><meta name="generator" content="bloodflow report 1">',
        "x" * pf.HEAD_BYTES + '<meta name="generator" content="bloodflow map 1">',
        '<meta name="generator" content="bloodflowmap 1">',
    ],
    ids=["user page", "empty", "a report", "tag too late", "lookalike"],
)
def test_any_other_existing_file_is_refused_even_with_overwrite(copy, tmp_path, text):
    target = tmp_path / "notes.html"
    target.write_text(text, encoding="utf-8")
    for flags in ([], ["--overwrite"]):
        assert_one_line(invoke(copy, "--out", target, *flags), str(target), NOT_A_MAP)
    assert target.read_text(encoding="utf-8") == text


def test_a_symbolic_link_is_refused(copy, old_map, tmp_path):
    link = tmp_path / "link.html"
    link.symlink_to(old_map)
    assert_one_line(invoke(copy, "--out", link, "--overwrite"), "symbolic link")
    assert link.is_symlink()


def test_refusal_comes_before_the_map_is_built(copy, tmp_path, monkeypatch):
    target = tmp_path / "notes.html"
    target.write_text(USER_TEXT, encoding="utf-8")
    (copy / "legs.parquet").write_bytes(b"broken")  # building would fail on this
    with pytest.raises(MapError, match="not a bloodflow map"):
        write_map(copy, target)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_an_interrupted_write_leaves_the_old_map_and_no_temporary_file(
    copy, old_map, monkeypatch, failure
):
    before = old_map.read_bytes()

    def fail(*_args: object) -> None:
        raise failure

    monkeypatch.setattr(pf.os, "replace", fail)
    expected = MapError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as caught:
        write_map(copy, old_map, overwrite=True)
    if expected is MapError:
        assert "cannot write there (No space left on device)" in str(caught.value)
    assert old_map.read_bytes() == before
    assert leftovers(old_map.parent) == []


def test_write_page_rules_without_a_map(tmp_path):
    target = tmp_path / "page.html"
    text = pf.with_generator("<html><head></head><body>1</body></html>", "report")
    pf.write_page(target, text, "report", may_replace=False, error=MapError)
    assert pf.page_kind(target) == "report" and pf.page_kind(tmp_path / "none") is None
    with pytest.raises(MapError, match="overwrite"):
        pf.write_page(target, text, "report", may_replace=False, error=MapError)
    with pytest.raises(MapError, match="not a bloodflow map"):
        pf.write_page(target, text, "map", may_replace=True, error=MapError)
    pf.write_page(target, text.replace(">1<", ">2<"), "report", may_replace=True, error=MapError)
    assert ">2<" in target.read_text(encoding="utf-8")
    assert os.listdir(tmp_path) == ["page.html"]
