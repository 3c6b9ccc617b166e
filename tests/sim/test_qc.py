"""Quality indicators (sim/execution/qc.py): qc.parquet recomputed from the run tables, the
district league table, and the surgical autologous transfusion lever."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.domain import Product
from sim.execution.qc import QC_COLUMNS, district_league
from sim.reports.qc_section import qc_section
from sim.scenario import load_scenario
from sim.scenario.quality import Autologous
from sim.state.demand_means import hospital_means
from sim.state.sites import SiteIndex
from tests.sim.qc_world import district_run

OCCUPANCY, STAY = 0.7455, 9.2  # the defaults of the scenario's quality section


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return district_run(tmp_path_factory.mktemp("qc"))


@pytest.fixture(scope="module")
def qc(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "qc.parquet")


def test_one_row_per_hospital_and_month(qc):
    assert list(qc.columns) == list(QC_COLUMNS)
    assert sorted(qc["hospital_id"]) == ["h_a", "h_b"]
    assert set(qc["period"]) == {"2025-03"} and (qc["days"] == 5).all()  # 6 days - 1 warm-up
    assert dict(zip(qc["hospital_id"], qc["district"], strict=True)) == {
        "h_a": "Jia",
        "h_b": "<b>Yi & Co</b>",
    }


def _recomputed(folder: Path) -> pd.DataFrame:
    """The district indicators straight from ledger, service and stockouts (no qc code)."""
    ledger = pd.read_parquet(folder / "ledger.parquet")
    ledger["size_u"] = ledger["size_u"].astype(float)  # float32 on disk
    service = pd.read_parquet(folder / "service.parquet")
    stockouts = pd.read_parquet(folder / "stockouts.parquet")
    district = {"h_a": "Jia", "h_b": "<b>Yi & Co</b>"}
    beds = {"h_a": 1200, "h_b": 300}
    counted = ledger[(ledger["disposed_at"] >= 1440) & (ledger["disposed_at"] < 6 * 1440)]
    counted = counted[counted["site_id"].isin(list(district))]
    out = {}
    for h, d in district.items():
        mine = counted[counted["site_id"] == h]
        used = mine.loc[mine["state"] == "transfused", "size_u"].sum()
        lost = mine.loc[mine["state"].isin(["expired", "discarded"]), "size_u"].sum()
        rbc = mine.loc[(mine["state"] == "transfused") & (mine["product"] == "RBC"), "size_u"]
        em = service[(service["hospital_id"] == h) & (service["priority"] == "emergency")]
        em = em[em["day"] >= 1]
        days = stockouts.loc[stockouts["hospital_id"] == h, "time"] // 1440
        out[d] = {
            "wastage_rate": lost / (used + lost) if used + lost else np.nan,
            "rbc_per_discharge": rbc.sum() / (beds[h] * OCCUPANCY * 5 / STAY),
            "emergency_on_time_share": em["on_time_u"].sum() / em["demanded_u"].sum()
            if em["demanded_u"].sum()
            else np.nan,
            "stockout_days_per_hospital": float(days[days >= 1].nunique()),
        }
    return pd.DataFrame(out).T.sort_index()


def test_district_indicators_recomputed_from_the_run_tables(folder, qc):
    league = district_league(qc).set_index("district").sort_index()
    expected = _recomputed(folder)
    for column in expected.columns:
        np.testing.assert_allclose(league[column], expected[column], rtol=1e-9, equal_nan=True)
    assert (league["rbc_per_discharge"] > 0).all()
    assert league["hospitals"].tolist() == [1, 1]


def test_report_has_the_league_table_escaped(folder):
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "Quality indicators by district" in page
    assert "&lt;b&gt;Yi &amp; Co&lt;/b&gt;" in page and "<b>Yi & Co</b>" not in page


def test_autologous_factor_is_one_at_the_baseline():
    assert Autologous().rbc_factor() == 1.0
    assert Autologous(rate=0.5, baseline_rate=0.5).rbc_factor() == 1.0


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_higher_autologous_rate_lowers_red_cell_demand(a: float, b: float):
    low, high = sorted((a, b))
    f_low = Autologous(rate=low).rbc_factor()
    f_high = Autologous(rate=high).rbc_factor()
    assert f_high <= f_low
    # at most the surgical share x the cut of the demand can go (60 % x 38 %)
    assert 1 - 0.6 * 0.38 / (1 - 0.6 * 0.38 * 0.3) <= f_high <= f_low


def test_lever_scales_only_red_cells(folder):
    loaded = load_scenario(folder.parent / "tiny_qc.yaml")
    sites = SiteIndex.from_sites(loaded.region.sites)
    demand = loaded.scenario.demand
    base = hospital_means(demand, sites)
    moved = hospital_means(demand.model_copy(update={"autologous": Autologous(rate=0.9)}), sites)
    factor = Autologous(rate=0.9).rbc_factor()
    assert factor < 1
    for h, mean in base.items():
        assert moved[h][Product.RBC] == pytest.approx(mean[Product.RBC] * factor)
        others = [p for p in range(len(mean)) if p != Product.RBC]
        np.testing.assert_array_equal(moved[h][others], mean[others])


def test_no_section_without_qc_table(tmp_path):
    assert qc_section(tmp_path) is None
