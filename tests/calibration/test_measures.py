"""Each measure on tiny hand-made tables whose answer is known by construction."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.calibration import donors, release, service, supply, transport
from sim.calibration.measured import Measured
from sim.calibration.origin import collecting_station
from tests.calibration.tables import NAN, ledger, legs, orders, stockouts

DAY = 1440.0


def test_outdate_share_weighs_bags_by_size_and_skips_the_warm_up():
    table = ledger(
        (1, "RBC", 1.0, 0, 10, "expired", "h1", 2 * DAY),
        (2, "RBC", 2.0, 0, 10, "transfused", "h1", 2 * DAY),
        (3, "RBC", 1.0, 0, 10, "transfused", "h1", 3 * DAY),
        (4, "RBC", 5.0, 0, 10, "expired", "h1", 0.5 * DAY),  # in the warm-up
        (5, "PLT", 1.0, 0, 10, "expired", "h1", 2 * DAY),  # another product
        (6, "RBC", 1.0, 0, 10, "available", "bs", NAN),
    )
    result = supply.outdate_share(table, "RBC", since=DAY)
    assert result.value == pytest.approx(25.0)  # 1 U expired of 1 + 2 + 1 U
    assert "1 of 4" in result.detail


def test_outdate_share_with_nothing_used_is_not_measured():
    result = supply.outdate_share(ledger((1, "RBC", 1.0, 0, 10, "available", "bs", NAN)), "RBC", 0)
    assert result.value is None and "no RBC" in result.detail


def test_collected_leaves_out_opening_stock_imports_and_the_warm_up():
    table = ledger(
        (1, "RBC", 1.5, 2 * DAY, NAN, "in_testing", "bs", NAN),
        (2, "RBC", 2.0, 3 * DAY, 3.5 * DAY, "available", "bs", NAN),
        (3, "RBC", 1.0, -5 * DAY, 0, "available", "bs", NAN),  # opening stock
        (-1, "RBC", 4.0, 2 * DAY, 2 * DAY, "available", "bs", NAN),  # import
        (4, "RBC", 1.0, 0.5 * DAY, DAY, "available", "bs", NAN),  # warm-up
        (5, "PLT", 1.0, 2 * DAY, 3 * DAY, "available", "bs", NAN),
    )
    assert supply.collected(table, "RBC", DAY).value == pytest.approx(3.5)
    assert supply.collected(table, "PLT", DAY).value == pytest.approx(1.0)


def test_transfused_counts_transfusions_after_the_warm_up():
    table = ledger(
        (1, "PLT", 1.0, 0, 1, "transfused", "h1", 2 * DAY),
        (2, "PLT", 1.0, 0, 1, "transfused", "h2", 0.5 * DAY),
        (3, "PLT", 1.0, 0, 1, "expired", "h2", 2 * DAY),
    )
    assert supply.transfused(table, "PLT", DAY).value == pytest.approx(1.0)


def test_ratio_divides_and_explains_a_zero_divisor():
    assert supply.ratio(Measured(3.0), Measured(2.0), "use").value == pytest.approx(1.5)
    assert supply.ratio(Measured(3.0), Measured(0.0), "use").value is None
    missing = supply.ratio(Measured(None, "why"), Measured(2.0), "use")
    assert missing.value is None and missing.detail == "why"


def test_home_station_is_where_most_own_level_orders_went():
    table = orders(
        ("h1", "bs_a", "routine", 0, 10, 2),
        ("h1", "bs_a", "routine", 0, 10, 2),
        ("h1", "bs_b", "urgent", 0, 10, 3),
        ("h1", "bs_b", "urgent", 0, 10, 3),
        ("h1", "bs_b", "urgent", 0, 10, 3),  # level 3: another station helping
        ("h2", "bs_c", "routine", 0, 10, 2),
        ("h2", "bs_b", "routine", 0, 10, 2),  # a tie goes to the first id
    )
    assert supply.home_stations(table).to_dict() == {"h1": "bs_a", "h2": "bs_b"}


def test_station_collection_shares_red_cells_by_donations_received():
    table = ledger(*[(i, "RBC", 1.5, 2 * DAY, NAN, "in_testing", "x", NAN) for i in range(4)])
    pickups = legs(
        ("van", "collection", "bs_a", 2 * DAY, 9.0, 3),
        ("van", "collection", "bs_b", 2 * DAY, 3.0, 1),
        ("van", "collection", "bs_b", 0.5 * DAY, 30.0, 10),  # warm-up
        ("van", "delivery", "bs_b", 2 * DAY, 50.0, 0),
    )
    made = supply.station_collection(table, pickups, ["bs_a", "bs_b", "bs_c"], since=DAY)
    assert made.to_dict() == pytest.approx({"bs_a": 4.5, "bs_b": 1.5, "bs_c": 0.0})


def test_station_use_sums_red_cells_transfused_at_each_station_hospitals():
    table = ledger(
        (1, "RBC", 2.0, 0, 1, "transfused", "h1", 2 * DAY),
        (2, "RBC", 1.0, 0, 1, "transfused", "h2", 2 * DAY),
        (3, "RBC", 1.0, 0, 1, "transfused", "h3", 2 * DAY),
        (4, "RBC", 1.0, 0, 1, "transfused", "h9", 2 * DAY),  # no home station
        (5, "RBC", 1.0, 0, 1, "expired", "h1", 2 * DAY),
    )
    homes = pd.Series({"h1": "bs_a", "h2": "bs_a", "h3": "bs_b"})
    assert supply.station_use(table, homes, since=DAY).to_dict() == {"bs_a": 3.0, "bs_b": 1.0}


def test_collection_ratios_and_their_extremes_name_the_station():
    ratios = supply.collection_ratios(
        pd.Series({"bs_a": 6.0, "bs_b": 1.0, "bs_c": 5.0}), pd.Series({"bs_a": 4.0, "bs_b": 2.0})
    )
    assert ratios.to_dict() == {"bs_a": 1.5, "bs_b": 0.5}
    lowest = supply.extreme_ratio(ratios, lowest=True)
    highest = supply.extreme_ratio(ratios, lowest=False)
    assert (lowest.value, highest.value) == (0.5, 1.5)
    assert lowest.detail.startswith("bs_b;") and highest.detail.startswith("bs_a;")
    assert supply.extreme_ratio(ratios.iloc[:0], lowest=True).value is None


def test_mean_days_below_safety_divides_the_kpi_by_the_stations():
    kpis = {"station_days_below_safety": {"RBC": 12, "PLT": 3}}
    assert supply.mean_days_below_safety(kpis, ["a", "b", "c"], "RBC").value == 4.0
    assert supply.mean_days_below_safety({}, ["a"], "RBC").value is None


def test_release_lags_per_donation_with_censored_and_discarded_donations():
    table = ledger(
        (1, "RBC", 1.0, 2 * DAY, 2 * DAY + 1440, "available", "bs", NAN),  # 24 h
        (1, "FFP", 1.0, 2 * DAY, 2 * DAY + 1500, "available", "bs", NAN),  # same donation
        (2, "RBC", 1.0, 3 * DAY, NAN, "in_testing", "bs", NAN),  # waiting at the end
        (3, "PLT", 1.0, 2 * DAY, NAN, "expired", "bs", 7 * DAY),  # expired in testing
        (4, "RBC", 1.0, 2 * DAY, NAN, "discarded", "bs", 2.5 * DAY),  # reactive
        (5, "RBC", 1.0, 0.5 * DAY, DAY, "available", "bs", NAN),  # warm-up
    )
    lags = release.release_lags(table, since=DAY, end=5 * DAY)
    assert lags["lag_h"].to_dict() == pytest.approx({1: 24.0, 2: 48.0, 3: 120.0})
    assert lags["censored"].to_dict() == {1: False, 2: True, 3: True}


def test_worst_month_p95_takes_calendar_months_of_collection():
    start = dt.date(2025, 1, 30)  # day 2 is 1 February
    lags = pd.DataFrame({
        "collected_at": [0.0, 60.0, 2 * DAY, 2 * DAY + 60],
        "lag_h": [10.0, 10.0, 30.0, 50.0],
        "censored": [False, False, False, True],
    })  # fmt: skip
    result = release.worst_month_p95(lags, start)
    assert result.value == pytest.approx(30.0 + 0.95 * 20.0)  # linear, as numpy
    assert "worst 2025-02" in result.detail and "1 unreleased" in result.detail
    assert release.worst_month_p95(lags.iloc[:0], start).value is None


def test_station_month_release_takes_the_worst_station_and_month():
    start = dt.date(2025, 1, 30)  # day 2 is 1 February
    lags = pd.DataFrame(
        {"collected_at": [0.0, 60.0, 2 * DAY, 2 * DAY], "lag_h": [10.0, 70.0, 30.0, 20.0]},
        index=[1, 2, 3, 4],
    )
    station = pd.Series({1: "bs_a", 2: "bs_b", 3: "bs_a", 4: "bs_b"})
    result = release.station_month_p95(lags, station, start)
    assert result.value == pytest.approx(70.0)  # bs_b alone in January
    assert result.detail.startswith("worst bs_b in 2025-01")
    assert "no collection_site" in release.station_month_p95(lags, None, start).detail


def test_collecting_station_follows_the_house_collection_legs():
    table = ledger(*[(i, "RBC", 1.0, 2 * DAY, NAN, "in_testing", "x", NAN) for i in range(4)])
    table["collection_site"] = ["house_1", "house_2", "bs_b", "house_9"]
    pickups = legs(("van", "collection", "bs_a", 2 * DAY, 1.0, 1),
                   ("van", "collection", "bs_b", 2 * DAY, 1.0, 1))  # fmt: skip
    pickups["from_site"] = ["house_1", "house_2"]
    station = collecting_station(table, pickups, ("bs_a", "bs_b"))
    assert station.tolist()[:3] == ["bs_a", "bs_b", "bs_b"] and pd.isna(station.iloc[3])
    made = supply.station_collection(table, pickups, ["bs_a", "bs_b"], since=DAY)
    assert made.to_dict() == {"bs_a": 1.0, "bs_b": 2.0}  # exact, not shared by samples
    assert collecting_station(table.drop(columns="collection_site"), pickups, ()) is None


def test_worst_station_days_below_safety_outside_the_festival():
    kpis = {"station_days_below_rbc_safety": {"outside_festival": {"a": 3, "b": 9, "c": 0}}}
    result = supply.worst_station_days_below_safety(kpis)
    assert result.value == 9.0 and result.detail.startswith("b 9, a 3, c 0; 2 of 3")
    assert supply.worst_station_days_below_safety({}).value is None


def test_emergency_lead_time_percentiles_over_arrived_orders_after_warm_up():
    table = orders(
        ("h1", "bs", "emergency", DAY, DAY + 10, 2),
        ("h1", "bs", "emergency", DAY, DAY + 20, 2),
        ("h1", "bs", "emergency", DAY, DAY + 60, 2),
        ("h1", "bs", "emergency", DAY, NAN, 2),  # never arrived
        ("h1", "bs", "emergency", 0, 500, 2),  # warm-up
        ("h1", "bs", "urgent", DAY, DAY + 999, 2),
    )
    median = service.emergency_lead_time(table, DAY, 50)
    assert median.value == pytest.approx(20.0)
    assert median.detail == "3 emergency orders, 3 U; 1 never arrived"
    weighted = table.assign(quantity_u=[1.0, 1.0, 4.0, 1.0, 1.0, 1.0])
    assert service.emergency_lead_time(weighted, DAY, 50).value == pytest.approx(60.0)
    assert service.emergency_lead_time(table, DAY, 100).value == pytest.approx(60.0)
    assert service.emergency_lead_time(table.iloc[:0], DAY, 50).value is None


def test_platelet_supply_path_counts_hospitals_with_demand_and_no_transfusion():
    table = ledger(
        (1, "PLT", 1.0, 0, 1, "transfused", "h1", 2 * DAY),
        (2, "PLT", 1.0, 0, 1, "transfused", "h2", 2 * DAY),
        (3, "RBC", 1.0, 0, 1, "transfused", "h3", 2 * DAY),
    )
    short = stockouts(
        (2 * DAY, "h3", "PLT", 2.0, "deferred"),
        (2 * DAY, "h3", "PLT", 2.0, "dropped"),  # the same 2 doses, dropped a day later
        (2 * DAY, "h4", "PLT", 1.0, "ordered"),
        (2 * DAY, "h5", "RBC", 5.0, "dropped"),
        (0.5 * DAY, "h6", "PLT", 9.0, "dropped"),  # warm-up
    )
    result = service.platelet_hospitals_supplied(table, short, since=DAY)
    assert result.value == pytest.approx(50.0)  # h1, h2 of h1-h4
    assert "2 with platelet demand transfused none" in result.detail
    assert "50.0 % of platelet need dropped" in result.detail  # 2 of 2 + 2 doses


def test_priority_targets_read_the_per_priority_fill_rates():
    cells = {
        "emergency": {"demand_u": 10.0, "on_time": 0.9, "late": 0.1},
        "urgent": {"demand_u": 30.0, "on_time": 1.0, "late": 0.0},
        "routine": {"demand_u": 160.0, "on_time": 0.95, "late": 0.045, "waited": 0.04},
    }
    kpis = {"fill_rate_by_priority": {"RBC": cells}}
    assert service.emergency_urgent_on_time(kpis).value == pytest.approx(97.5)
    assert service.routine_within_day(kpis).value == pytest.approx(99.0)
    for result in (service.emergency_urgent_on_time({}), service.routine_within_day({})):
        assert result.value is None and "fill_rate_by_priority" in result.detail


def test_drone_sorties_units_and_units_per_sortie():
    table = legs(
        ("drone", "delivery", "h1", DAY, 10.0, 0),
        ("drone", "delivery", "h2", DAY, 20.0, 0),
        ("drone", "return", "bs", DAY, 0.0, 0),
        ("drone", "delivery", "h1", 0.5 * DAY, 99.0, 0),  # warm-up
        ("van", "delivery", "h1", DAY, 50.0, 0),
    )
    assert transport.sortie_count(table, DAY).value == 2.0
    assert transport.drone_units(table, DAY).value == 30.0
    assert transport.units_per_sortie(table, DAY).value == 15.0
    assert transport.units_per_sortie(table.iloc[4:], DAY).value is None
    assert transport.sortie_count(table.iloc[4:], DAY).value == 0.0


def test_rebalancing_transfers_and_units():
    table = legs(
        ("van", "transfer", "bs_a", DAY, 40.0, 0),
        ("van", "transfer", "bs_b", 2 * DAY, 60.0, 0),
        ("van", "transfer", "bs_b", 0.5 * DAY, 60.0, 0),  # warm-up
        ("van", "delivery", "h1", DAY, 5.0, 0),
    )
    assert transport.transfers(table, DAY).value == 2.0
    assert transport.transfer_units(table, DAY).value == 100.0


def test_donor_wait_reads_kpis_and_the_appointment_effect_needs_paired_waits():
    kpis = {"donor_wait_min": {"donors": 50, "mean": 4.5, "p90": 12.0}}
    assert donors.donor_wait_mean(kpis).value == 4.5
    assert donors.donor_wait_mean({"donor_wait_min": {"mean": None}}).value is None
    assert donors.appointment_effect(kpis).value is None  # an older run folder


def test_a_measured_value_is_finite_and_a_missing_one_has_a_reason():
    with pytest.raises(ValueError):
        Measured(float("nan"))
    with pytest.raises(ValueError):
        Measured(None)


def test_hla_wait_median_reads_the_kpi_and_explains_none():
    kpis = {"hla": {"wait_h": {"orders": 5, "p50": 21.5, "p90": 50.0}}}
    measured = service.hla_wait_median(kpis)
    assert measured.value == 21.5 and "5 arrived" in measured.detail
    assert service.hla_wait_median({"hla": {"wait_h": {"orders": 0, "p50": None}}}).value is None
    assert service.hla_wait_median({}).value is None


def test_outdate_share_splits_establishments_from_hospitals():
    table = ledger(
        (1, "RBC", 1.0, 0, 10, "expired", "bs", 2 * DAY),  # at a station
        (2, "RBC", 2.0, 0, 10, "expired", "cbb", 2 * DAY),  # at a county bank
        (3, "RBC", 1.0, 0, 10, "expired", "h1", 2 * DAY),  # at a hospital
        (4, "RBC", 6.0, 0, 10, "transfused", "h1", 3 * DAY),
        (5, "RBC", 9.0, 0, 10, "expired", "bs", 0.5 * DAY),  # in the warm-up
    )
    stations = ("bs", "cbb")
    at_stations = supply.outdate_share_where(table, "RBC", DAY, stations, "stations")
    at_hospitals = supply.outdate_share_where(table, "RBC", DAY, stations, "hospitals")
    assert at_stations.value == pytest.approx(100 * 3 / 9)  # 3 U of 3 + 6
    assert at_hospitals.value == pytest.approx(100 * 1 / 7)  # 1 U of 1 + 6
    assert "3 U expired at stations" in at_stations.detail


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 80 * DAY), st.floats(0, 200)), min_size=1, max_size=40),
    st.dates(dt.date(2024, 10, 1), dt.date(2026, 12, 31)),
)
def test_month_figures_match_calendar_months_formatted_per_donation(rows, start):
    """Months are grouped by number, labelled once: the same figures and labels as grouping
    by each donation's ``YYYY-MM`` string, across year ends too."""
    lags = pd.DataFrame(rows, columns=["collected_at", "lag_h"]).assign(censored=False)
    when = pd.Timestamp(start) + pd.to_timedelta(lags["collected_at"], unit="min")
    month = when.dt.strftime("%Y-%m")
    p95 = lags["lag_h"].groupby(month).quantile(0.95)
    result = release.worst_month_p95(lags, start)
    assert result.value == p95.max()
    assert result.detail.startswith(f"worst {p95.idxmax()}; by month: ")
    assert ", ".join(f"{m} {v:.0f} h" for m, v in p95.items()) in result.detail
    station = pd.Series(["bs_a", "bs_b"] * len(lags))[: len(lags)]
    by_station = lags["lag_h"].groupby([station, month]).quantile(0.95)
    site, worst_month = by_station.idxmax()
    measured = release.station_month_p95(lags, station, start)
    assert measured.value == by_station.max()
    assert measured.detail.startswith(f"worst {site} in {worst_month};")
