"""Every measure a reference file may name: its unit, whether it is a total over the horizon,
and how it is computed from a run folder (:class:`RunData`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sim.calibration import donors, release, service, supply, transport
from sim.calibration.measured import Measured
from sim.calibration.origin import collecting_station
from sim.calibration.run_folder import RunData


@dataclass(frozen=True)
class Measure:
    """A named figure of a run.

    ``total`` measures add up over the horizon (annual reference figures are scaled by the
    measured days / 365); the others are rates, shares or times, compared unscaled.
    """

    name: str
    unit: str
    total: bool
    compute: Callable[[RunData], Measured]


def _station_ratios(run: RunData):
    return run.derived("station_ratios", _station_ratios_of)


def _station_ratios_of(run: RunData):
    homes = supply.home_stations(run.orders)
    stations = list(run.stations)
    made = supply.station_collection_by(
        run.ledger, run.legs, stations, run.since, _collecting_station(run)
    )
    return supply.collection_ratios(made, supply.station_use(run.ledger, homes, run.since))


def _province_ratio(run: RunData, product: str) -> Measured:
    made = supply.collected(run.ledger, product, run.since)
    used = supply.transfused(run.ledger, product, run.since)
    return supply.ratio(made, used, f"{product} transfused")


def _collecting_station(run: RunData):
    """Collecting station per ledger row (computed once per run; None: not recorded)."""
    return run.derived(
        "collecting_station", lambda r: collecting_station(r.ledger, r.legs, r.stations)
    )


def _lags(run: RunData):
    """Collection → release lags of the run's donations (computed once per run)."""
    return run.derived("release_lags", lambda r: release.release_lags(r.ledger, r.since, r.end))


def _station_release(run: RunData) -> Measured:
    lags = _lags(run)
    station = _collecting_station(run)
    by_donation = release.donation_station(run.ledger, station)
    return release.station_month_p95(lags, by_donation, run.start)


def _lead(percentile: float) -> Callable[[RunData], Measured]:
    return lambda run: service.emergency_lead_time(run.orders, run.since, percentile)


_ALL = (
    Measure("rbc_outdate_share", "%", False,
            lambda run: supply.outdate_share(run.ledger, "RBC", run.since)),
    Measure("rbc_outdate_share_stations", "%", False,
            lambda run: supply.outdate_share_where(run.ledger, "RBC", run.since, run.stations,
                                                   "stations")),
    Measure("rbc_outdate_share_hospitals", "%", False,
            lambda run: supply.outdate_share_where(run.ledger, "RBC", run.since, run.stations,
                                                   "hospitals")),
    Measure("plt_outdate_share", "%", False,
            lambda run: supply.outdate_share(run.ledger, "PLT", run.since)),
    Measure("station_rbc_collection_ratio_min", "ratio", False,
            lambda run: supply.extreme_ratio(_station_ratios(run), lowest=True)),
    Measure("station_rbc_collection_ratio_max", "ratio", False,
            lambda run: supply.extreme_ratio(_station_ratios(run), lowest=False)),
    Measure("station_days_below_rbc_safety", "days", True,
            lambda run: supply.mean_days_below_safety(run.kpis, list(run.stations), "RBC")),
    Measure("station_days_below_rbc_safety_worst", "days", True,
            lambda run: supply.worst_station_days_below_safety(run.kpis)),
    Measure("release_p95_worst_month", "h", False,
            lambda run: release.worst_month_p95(_lags(run), run.start)),
    Measure("release_p95_worst_station_month", "h", False, _station_release),
    Measure("rbc_emergency_urgent_on_time", "%", False,
            lambda run: service.emergency_urgent_on_time(run.kpis)),
    Measure("rbc_routine_within_day", "%", False,
            lambda run: service.routine_within_day(run.kpis)),
    Measure("plt_hospitals_supplied", "%", False,
            lambda run: service.platelet_hospitals_supplied(run.ledger, run.stockouts,
                                                            run.since)),
    Measure("hla_same_day_share", "%", False, lambda run: service.hla_same_day(run.kpis)),
    Measure("hla_wait_p50", "h", False, lambda run: service.hla_wait_median(run.kpis)),
    Measure("emergency_lead_p50", "min", False, _lead(50)),
    Measure("emergency_lead_p90", "min", False, _lead(90)),
    Measure("drone_sorties", "sorties", True,
            lambda run: transport.sortie_count(run.legs, run.since)),
    Measure("drone_units", "U", True, lambda run: transport.drone_units(run.legs, run.since)),
    Measure("drone_units_per_sortie", "U per sortie", False,
            lambda run: transport.units_per_sortie(run.legs, run.since)),
    Measure("donor_wait_mean", "min", False, lambda run: donors.donor_wait_mean(run.kpis)),
    Measure("appointment_wait_cut", "%", False, lambda run: donors.appointment_effect(run.kpis)),
    Measure("donor_visit_min", "min", False, lambda run: donors.visit_minutes(run.kpis)),
    Measure("rbc_collected", "U", True,
            lambda run: supply.collected(run.ledger, "RBC", run.since)),
    Measure("rbc_transfused", "U", True,
            lambda run: supply.transfused(run.ledger, "RBC", run.since)),
    Measure("rbc_collection_to_use", "ratio", False, lambda run: _province_ratio(run, "RBC")),
    Measure("plt_collected", "doses", True,
            lambda run: supply.collected(run.ledger, "PLT", run.since)),
    Measure("plt_transfused", "doses", True,
            lambda run: supply.transfused(run.ledger, "PLT", run.since)),
    Measure("plt_collection_to_use", "ratio", False, lambda run: _province_ratio(run, "PLT")),
    Measure("rebalancing_transfers", "transfers", True,
            lambda run: transport.transfers(run.legs, run.since)),
    Measure("rebalancing_units", "U", True,
            lambda run: transport.transfer_units(run.legs, run.since)),
)  # fmt: skip
MEASURES: dict[str, Measure] = {m.name: m for m in _ALL}
"""The measures by name (the ``measure`` field of a reference entry)."""
