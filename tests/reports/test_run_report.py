"""The run report: written next to the run, KPIs named, charts inline, nothing off-machine."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.reports.errors import ReportError
from sim.reports.frames import emergency_lead_times, stock_by_day, stockouts_by_day
from sim.reports.labels import KPIS
from sim.reports.run_charts import lead_time_chart, stock_chart
from sim.reports.run_report import write_run_report
from tests.reports.conftest import off_machine, parse


@pytest.fixture(scope="module")
def report(tiny_run):
    return write_run_report(tiny_run)


def test_report_is_written_into_the_run_folder(report, tiny_run):
    assert report == tiny_run / "report.html"
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_names_the_main_kpis_with_units(report):
    text = report.read_text(encoding="utf-8")
    for label in ("Fill rate", "Stockout events at hospitals", "Emergency lead time, median"):
        assert label in text
    assert "Units expired (outdated)" in text
    assert sum(kpi.label in text for kpi in KPIS) >= 15


def test_report_has_every_chart_as_inline_svg(report):
    text = report.read_text(encoding="utf-8")
    # stock, stockouts, legs by mode, emergency lead time
    assert text.count("<svg") == 4
    for title in ("Stock over time", "Stockouts over time", "Legs by mode", "Emergency lead time"):
        assert f"<h2>{title}</h2>" in text


def test_report_is_offline(report):
    parsed = parse(report)
    assert off_machine(report) == []
    assert not {"script", "link", "img", "iframe"} & set(parsed.tags)


def test_report_to_another_path(tiny_run, tmp_path):
    target = write_run_report(tiny_run, tmp_path / "sub" / "r.html")
    assert target == tmp_path / "sub" / "r.html" and target.is_file()


def test_incomplete_run_folder_is_named(tmp_path):
    (tmp_path / "kpis.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ReportError, match=r"missing orders\.parquet, stockouts\.parquet"):
        write_run_report(tmp_path)


def test_stock_totals_split_stations_and_hospitals(tiny_run):
    stock = pd.read_parquet(tiny_run / "stock.parquet")
    totals = stock_by_day(stock)
    assert set(totals["holder"]) == {"stations", "hospitals"}
    assert totals["units"].sum() == pytest.approx(stock["units"].sum())
    assert list(dict.fromkeys(totals["product"]))[0] == "RBC"


def test_stockouts_per_day_count_every_event(tiny_run):
    stockouts = pd.read_parquet(tiny_run / "stockouts.parquet")
    assert stockouts_by_day(stockouts).to_numpy().sum() == len(stockouts)


def test_lead_times_are_arrival_minus_placing():
    orders = pd.DataFrame(
        {
            "priority": ["emergency", "emergency", "routine", "emergency"],
            "placed_at": [0.0, 100.0, 0.0, 50.0],
            "arrived_at": [30.0, 160.0, 500.0, None],
        }
    )
    assert emergency_lead_times(orders).tolist() == [30.0, 60.0]


def test_charts_with_nothing_to_draw_are_none():
    empty_orders = pd.DataFrame(columns=["priority", "placed_at", "arrived_at"])
    assert lead_time_chart(empty_orders) is None
    assert stock_chart(pd.DataFrame(columns=["day", "site_id", "kind", "product", "units"])) is None
