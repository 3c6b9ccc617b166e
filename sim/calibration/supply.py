"""Measures of supply against use: outdating, collection per station and province totals.

Every function reads run tables (README, "Outputs") and counts only flows at or after
``since`` (minutes since the start; the end of the warm-up), as the KPIs do.
"""

from __future__ import annotations

import pandas as pd

from sim.calibration.measured import Measured, not_measured, share
from sim.calibration.origin import collecting_station

RED_CELLS = "RBC"


def outdate_share(ledger: pd.DataFrame, product: str, since: float) -> Measured:
    """Units of ``product`` that expired, as a share of those expired or transfused (%).

    Bags are weighed by ``size_u`` (U; platelet doses); bags disposed of before ``since``
    are left out.
    """
    rows = ledger[_is(ledger["product"], product) & (ledger["disposed_at"] >= since)]
    expired = float(rows["size_u"][_is(rows["state"], "expired")].sum())
    used = float(rows["size_u"][_is(rows["state"], "transfused")].sum())
    return share(expired, expired + used, f"{expired:,.0f} of {expired + used:,.0f} expired",
                 f"no {product} expired or transfused after the warm-up")  # fmt: skip


def outdate_share_where(
    ledger: pd.DataFrame, product: str, since: float, stations: tuple[str, ...], at: str
) -> Measured:
    """Units of ``product`` that expired at the blood establishments (``at="stations"``:
    the sites in ``stations``, county banks included) or at the hospitals (``"hospitals"``:
    every other site), as a share of those expired there or transfused anywhere (%).

    The split compares with published figures of one kind of site: a centre's expired
    units against the province's clinical use (Hebei, facts 4.3), or hospital outdating.
    """
    rows = ledger[_is(ledger["product"], product) & (ledger["disposed_at"] >= since)]
    there = rows["site_id"].astype(str).isin(stations)
    there = there if at == "stations" else ~there
    expired = float(rows["size_u"][_is(rows["state"], "expired") & there].sum())
    used = float(rows["size_u"][_is(rows["state"], "transfused")].sum())
    return share(expired, expired + used, f"{expired:,.0f} U expired at {at}; {used:,.0f} U "
                 "transfused", f"no {product} expired or transfused after the warm-up")  # fmt: skip


def collected(ledger: pd.DataFrame, product: str, since: float) -> Measured:
    """Units of ``product`` collected from donors at or after ``since`` (U; platelets: doses).

    Opening stock (``collected_at < 0``) and imports (``donation_id < 0``) are not collected.
    """
    rows = ledger[_is(ledger["product"], product) & (ledger["donation_id"] >= 0)]
    total = float(rows["size_u"][rows["collected_at"] >= since].sum())
    return Measured(total, f"{product} from donations, after the warm-up")


def transfused(ledger: pd.DataFrame, product: str, since: float) -> Measured:
    """Units of ``product`` transfused at or after ``since`` (U; platelets: doses)."""
    rows = ledger[_is(ledger["product"], product) & _is(ledger["state"], "transfused")]
    total = float(rows["size_u"][rows["disposed_at"] >= since].sum())
    return Measured(total, f"{product} transfused, after the warm-up")


def ratio(numerator: Measured, denominator: Measured, what: str) -> Measured:
    """``numerator`` ÷ ``denominator`` (ratio), not measured if either is or the divisor is 0."""
    if numerator.value is None or denominator.value is None:
        return not_measured(numerator.detail if numerator.value is None else denominator.detail)
    if denominator.value <= 0:
        return not_measured(f"no {what} after the warm-up")
    detail = f"{numerator.value:,.0f} / {denominator.value:,.0f}"
    return Measured(numerator.value / denominator.value, detail)


def home_stations(orders: pd.DataFrame) -> pd.Series:
    """Each hospital's own station (index hospital id): where most of its level-2 orders went.

    Level 2 is the hospital's own station (README, ``orders.parquet``); ties go to the first
    station id in sort order. Hospitals that never ordered from their station are absent.
    """
    own = orders[orders["level"] == 2]
    counts = own.groupby(["hospital_id", "station_id"]).size().rename("n").reset_index()
    first = counts.sort_values(["n", "station_id"], ascending=[False, True])
    return first.drop_duplicates("hospital_id").set_index("hospital_id")["station_id"]


def station_collection(
    ledger: pd.DataFrame, legs: pd.DataFrame, stations: list[str], since: float
) -> pd.Series:
    """Whole-blood red cells collected for each station at or after ``since`` (U).

    Exact where the ledger records each bag's ``collection_site`` (:mod:`.origin`). Older run
    folders lack it: the province's whole-blood red cells are then shared out by the
    donations (sample tubes) each station received on collection legs.
    """
    station = collecting_station(ledger, legs, tuple(stations))
    return station_collection_by(ledger, legs, stations, since, station)


def station_collection_by(
    ledger: pd.DataFrame,
    legs: pd.DataFrame,
    stations: list[str],
    since: float,
    station: pd.Series | None,
) -> pd.Series:
    """:func:`station_collection` with each ledger row's collecting station given
    (:func:`~sim.calibration.origin.collecting_station`, None for an older run folder)."""
    if station is not None:
        rows = _is(ledger["product"], RED_CELLS) & (ledger["donation_id"] >= 0)
        rows &= ledger["collected_at"] >= since
        made = ledger["size_u"][rows].astype(float).groupby(station[rows]).sum()
        return made.reindex(stations, fill_value=0.0)
    pickups = legs[_is(legs["purpose"], "collection") & (legs["depart_at"] >= since)]
    donations = pickups.groupby(pickups["to_site"].astype(str))["samples"].sum()
    donations = donations.reindex(stations, fill_value=0).astype(float)
    total = collected(ledger, RED_CELLS, since).value or 0.0
    return donations * (total / donations.sum()) if donations.sum() > 0 else donations * 0.0


def station_use(ledger: pd.DataFrame, homes: pd.Series, since: float) -> pd.Series:
    """Red cells transfused at or after ``since`` at the hospitals of each station (U).

    ``homes`` maps hospital ids to their own station (:func:`home_stations`); transfusions at
    hospitals without one are left out.
    """
    rows = ledger[_is(ledger["product"], RED_CELLS) & _is(ledger["state"], "transfused")]
    rows = rows[rows["disposed_at"] >= since]
    by_hospital = rows.groupby(rows["site_id"].astype(str))["size_u"].sum().astype(float)
    station = homes.reindex(by_hospital.index)
    return by_hospital[station.notna()].groupby(station.dropna()).sum()


def collection_ratios(collection: pd.Series, use: pd.Series) -> pd.Series:
    """Collection ÷ use per station (ratio), for stations whose hospitals used red cells."""
    use = use[use > 0]
    return collection.reindex(use.index, fill_value=0.0) / use


def extreme_ratio(ratios: pd.Series, *, lowest: bool) -> Measured:
    """The lowest (or highest) station ratio (ratio), naming the station and the spread."""
    if ratios.empty:
        return not_measured("no station's hospitals transfused red cells after the warm-up")
    station = ratios.idxmin() if lowest else ratios.idxmax()
    spread = f"{ratios.min():.2f}–{ratios.max():.2f}"
    return Measured(float(ratios[station]), f"{station}; {len(ratios)} stations, {spread}")


def mean_days_below_safety(kpis: dict, stations: list[str], product: str) -> Measured:
    """Days with available ``product`` below the safety stock, mean per station (days).

    From ``kpis.json`` ``station_days_below_safety``, a sum over stations after the
    warm-up; the run folder neither splits it by station nor leaves out the Spring Festival.
    """
    total = (kpis.get("station_days_below_safety") or {}).get(product)
    if not isinstance(total, int | float) or not stations:
        return not_measured(f"kpis.json has no station_days_below_safety.{product}")
    detail = (f"{total:,.0f} station-days over {len(stations)} stations, festival included "
              "(per station: station_days_below_rbc_safety)")  # fmt: skip
    return Measured(float(total) / len(stations), detail)


def _is(column: pd.Series, value: str) -> pd.Series:
    return column == value


def worst_station_days_below_safety(kpis: dict) -> Measured:
    """Days with available red cells below the safety stock outside the Spring Festival, at
    the worst station (days), from ``kpis.json`` ``station_days_below_rbc_safety``."""
    by_station = (kpis.get("station_days_below_rbc_safety") or {}).get("outside_festival")
    if not isinstance(by_station, dict) or not by_station:
        return not_measured("kpis.json has no station_days_below_rbc_safety.outside_festival")
    ranked = sorted(by_station.items(), key=lambda item: (-item[1], item[0]))
    top = ", ".join(f"{s} {d}" for s, d in ranked[:4])
    above = sum(1 for _, d in ranked if d > 0)
    detail = f"{top}; {above} of {len(ranked)} stations below on some day"
    return Measured(float(ranked[0][1]), detail)
