"""The run report's "Calibration against published figures" section."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from sim.calibration import shipped_reference
from sim.reports import write_run_report
from sim.reports.calibration_section import TITLE

PAYLOAD = '<img src=x onerror="window.__pwned=1">'


def test_a_run_of_a_region_with_a_reference_has_the_section(run_copy):
    page = write_run_report(run_copy("hubei")).read_text(encoding="utf-8")
    assert TITLE in page
    for entry in shipped_reference("hubei").entries:
        assert html.escape(entry.description) in page
        assert html.escape(entry.quote, quote=True)[:40] in page


def test_a_region_without_a_reference_has_no_section(tiny_run, tmp_path):
    page = write_run_report(tiny_run, tmp_path / "report.html").read_text(encoding="utf-8")
    assert TITLE not in page and "Key figures" in page


def test_a_folder_the_measures_cannot_read_says_so_in_the_section(run_copy):
    folder = run_copy("zhejiang")
    (folder / "legs.parquet").unlink()
    page = write_run_report(folder).read_text(encoding="utf-8")
    assert "Not available:" in page and "legs.parquet" in page


def test_site_ids_from_the_tables_are_escaped(run_copy):
    folder = run_copy("zhejiang")
    for name, columns in (("orders", ["station_id"]), ("legs", ["from_site", "to_site"]),
                          ("stock", ["site_id"])):  # fmt: skip
        path = Path(folder / f"{name}.parquet")
        table = pd.read_parquet(path)
        for column in columns:
            table[column] = table[column].astype(str).replace("bs_a", PAYLOAD)
        table.to_parquet(path, index=False)
    page = write_run_report(folder).read_text(encoding="utf-8")
    section = page[page.index(TITLE) :]
    assert PAYLOAD not in page
    assert html.escape(PAYLOAD) in section  # the station named in the collection rows
