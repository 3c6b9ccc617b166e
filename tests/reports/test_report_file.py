"""Where reports may be written: new files, their own earlier report, never a user's file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim.execution import output_page as page_file
from sim.reports import ReportError, write_compare_report, write_run_report

USER_TEXT = "<html><head></head><body>my notes</body></html>"
NOT_A_REPORT = "exists and is not a bloodflow report; choose a new path"


@pytest.fixture
def run_copy(tiny_run: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    shutil.copytree(tiny_run, folder, ignore=shutil.ignore_patterns("report.html", "map.html"))
    return folder


def test_run_report_carries_the_generator_tag(run_copy):
    page = write_run_report(run_copy)
    assert page_file.page_kind(page) == "report"


def test_the_default_run_report_is_replaced(run_copy):
    first = write_run_report(run_copy)
    first.write_text(first.read_text(encoding="utf-8") + "<!-- old -->", encoding="utf-8")
    again = write_run_report(run_copy)
    assert again == first and "<!-- old -->" not in again.read_text(encoding="utf-8")


def test_a_user_file_is_never_replaced(run_copy, tmp_path):
    for target in (run_copy / "report.html", tmp_path / "notes.html"):
        target.write_text(USER_TEXT, encoding="utf-8")
        for overwrite in (False, True):
            with pytest.raises(ReportError, match=NOT_A_REPORT):
                write_run_report(run_copy, target, overwrite=overwrite)
        assert target.read_text(encoding="utf-8") == USER_TEXT


def test_an_earlier_report_elsewhere_needs_overwrite(run_copy, tmp_path):
    target = write_run_report(run_copy, tmp_path / "r.html")
    with pytest.raises(ReportError, match="overwrite"):
        write_run_report(run_copy, target)
    assert write_run_report(run_copy, target, overwrite=True) == target


def test_a_map_is_not_replaced_by_a_report(run_copy, tmp_path):
    from sim.maps import write_map

    page = write_map(run_copy, tmp_path / "map.html")
    with pytest.raises(ReportError, match=NOT_A_REPORT):
        write_run_report(run_copy, page, overwrite=True)


def test_a_folder_is_refused(run_copy, tmp_path):
    with pytest.raises(ReportError, match="is a folder"):
        write_run_report(run_copy, tmp_path)


def test_compare_report_replaces_its_own_and_refuses_others(tiny_comparison, tmp_path):
    folder = tiny_comparison.write(tmp_path / "cmp")
    page = write_compare_report(folder)
    assert page == folder / "report.html" and page_file.page_kind(page) == "report"
    assert write_compare_report(folder) == page  # its own place in a comparison folder
    mine = tmp_path / "mine.html"
    mine.write_text(USER_TEXT, encoding="utf-8")
    for overwrite in (False, True):
        with pytest.raises(ReportError, match=NOT_A_REPORT):
            write_compare_report(tiny_comparison, mine, overwrite=overwrite)
    elsewhere = write_compare_report(tiny_comparison, tmp_path / "other.html")
    with pytest.raises(ReportError, match="overwrite"):
        write_compare_report(tiny_comparison, elsewhere)
    assert mine.read_text(encoding="utf-8") == USER_TEXT
