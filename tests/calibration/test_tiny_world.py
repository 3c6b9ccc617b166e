"""A run of the tiny world through calibration: every entry gets a verdict, and the measures
agree with the run's own KPIs wherever ``kpis.json`` holds the same figure."""

from __future__ import annotations

import json

import pytest

from sim.calibration import VERDICTS, calibrate, shipped_reference, shipped_regions
from sim.calibration.table import horizon_factor

ROOT_REFERENCE = "scenarios/reference"


@pytest.fixture(scope="module")
def kpis(tiny_run):
    return json.loads((tiny_run / "kpis.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("region", ["zhejiang", "hubei"])
def test_every_entry_of_a_shipped_reference_gets_a_verdict(tiny_run, region):
    reference = shipped_reference(region)
    table = calibrate(tiny_run, reference)
    assert list(table["id"]) == [e.id for e in reference.entries]
    assert set(table["verdict"]) <= set(VERDICTS)
    measured = table[table["verdict"] != "not measured"]
    assert measured["measured"].notna().all()
    assert table.attrs["days"] == 3


def test_measures_agree_with_the_kpis_of_the_run(tiny_run, kpis):
    table = calibrate(tiny_run, shipped_reference("zhejiang")).set_index("id")
    hubei = calibrate(tiny_run, shipped_reference("hubei")).set_index("id")
    lead = kpis["emergency_lead_time_min"]
    assert lead["orders"] > 0, "the mass casualty should make emergency orders"
    assert table.loc["emergency_lead_p50", "measured"] == pytest.approx(lead["p50"], abs=0.01)
    assert table.loc["emergency_lead_p90", "measured"] == pytest.approx(lead["p90"], abs=0.01)
    for row, product in (("rbc_outdating", "RBC"), ("plt_outdating", "PLT")):
        rate = kpis["outdate_rate"][product]
        if rate is not None:
            assert table.loc[row, "measured"] == pytest.approx(100 * rate, abs=1e-3)
    assert table.loc["drone_sorties", "measured"] == kpis["drone_sorties"]
    collected = kpis["units_collected"]["by_product"]["RBC"]
    assert hubei.loc["rbc_collected", "measured"] == pytest.approx(collected, abs=0.1)
    used = kpis["units_transfused"]["by_product"]
    assert hubei.loc["rbc_used", "measured"] == pytest.approx(used["RBC"], abs=0.1)
    assert hubei.loc["plt_used", "measured"] == pytest.approx(used["PLT"], abs=0.1)


def test_annual_ranges_are_scaled_to_the_measured_days_and_rates_are_not(tiny_run):
    table = calibrate(tiny_run, shipped_reference("zhejiang")).set_index("id")
    sorties = table.loc["drone_sorties"]
    assert sorties["low"] == pytest.approx(sorties["reference_low"] * 3 / 365)
    assert horizon_factor("annual", 3) == pytest.approx(3 / 365)
    lead = table.loc["emergency_lead_p50"]
    assert lead["high"] == lead["reference_high"] == 45


def test_the_region_chooses_the_reference(run_copy):
    for region in shipped_regions():
        table = calibrate(run_copy(region))
        assert table.attrs["reference"] == shipped_reference(region).title
