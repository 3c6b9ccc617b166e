"""Quality indicators by hospital and period (``qc.parquet``) and the district league table.

Shanghai's "1 + 16" clinical transfusion QC network judges hospitals by indicators and groups
them by district (seeds.md, file 002). Every indicator is computed from the run's tables
after the run, never counted in the event loop:

- ``wastage_rate``: units expired or discarded at the hospital ÷ units transfused, expired or
  discarded there (all products, U and platelet doses); ``rbc_wastage_rate`` for red cells;
- ``rbc_per_discharge``: red-cell units transfused ÷ discharged patients, with discharges =
  beds x ``quality.bed_occupancy`` x days ÷ ``quality.length_of_stay_days``;
- ``emergency_on_time_share``: emergency demand met by its required time (60 min by
  default, ``demand.required_by_min.emergency``) ÷ emergency demand (``service.parquet``);
- ``stockout_days``: days with at least one shortfall at the hospital's shelf
  (``stockouts.parquet``); for a hosted hospital, which has no shelf and passes every need
  to its host, days with a need met late or not at all;
- ``autologous_rate`` and ``rbc_demand_factor``: the scenario's surgical autologous
  transfusion lever (``demand.autologous``) and its effect on allogeneic red-cell demand.

Days before ``warmup_days`` are left out, as in the KPIs.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from sim.scenario.hosting import supplied_via

MINUTES_PER_DAY = 1440.0
WASTED = ("expired", "discarded")

#: Columns of ``qc.parquet``, in order.
QC_COLUMNS = (
    "hospital_id", "name", "district", "tier", "beds", "supplied_via", "period", "days",
    "discharges", "units_transfused_u", "rbc_transfused_u", "units_wasted_u", "rbc_wasted_u",
    "wastage_rate", "rbc_wastage_rate", "rbc_per_discharge", "emergency_demand_u",
    "emergency_on_time_u", "emergency_on_time_share", "stockout_days", "autologous_rate",
    "rbc_demand_factor",
)  # fmt: skip

#: Sums the league table adds up per district before taking the rates.
SUMMED = (
    "beds", "discharges", "units_transfused_u", "rbc_transfused_u", "units_wasted_u",
    "rbc_wasted_u", "emergency_demand_u", "emergency_on_time_u", "stockout_days",
)  # fmt: skip


def qc_table(
    tables: dict[str, pd.DataFrame],
    service: pd.DataFrame,
    hospitals: pd.DataFrame,
    scenario: object,
    districts: dict | None = None,
) -> pd.DataFrame:
    """One row per hospital and period with the indicators of the module docstring.

    Parameters
    ----------
    tables : dict of DataFrame
        The run's ``ledger`` and ``stockouts`` tables (times in minutes).
    service : DataFrame
        The run's ``service`` table (units by day, hospital, product and priority).
    hospitals : DataFrame
        Hospital sites: ``site_id, name, city, county, tier, beds`` (and ``supplied_via``).
    scenario : Scenario
        The effective scenario (``start``, ``days``, ``warmup_days``, ``quality``, ``demand``).
    districts : dict, optional
        County name (or ``(region, county)`` for regions run together) -> district name
        (:func:`region_districts`); hospitals without a district are grouped by ``city``.
    """
    calendar = period_calendar(scenario)
    rows = _hospital_periods(hospitals, calendar, districts)
    q = scenario.quality
    rows["discharges"] = rows["beds"] * q.bed_occupancy * rows["days"] / q.length_of_stay_days
    rows = rows.join(_ledger_sums(tables["ledger"], calendar), on=["hospital_id", "period"])
    rows = rows.join(_emergency(service, calendar), on=["hospital_id", "period"])
    short = _shortfalls(tables["stockouts"], rows.loc[rows["supplied_via"].notna(), "hospital_id"])
    rows = rows.join(_stockout_days(short, calendar), on=["hospital_id", "period"])
    rows = rows.fillna({c: 0.0 for c in SUMMED if c not in ("beds", "discharges")})
    rows["autologous_rate"] = scenario.demand.autologous.rate
    rows["rbc_demand_factor"] = scenario.demand.autologous.rbc_factor()
    return with_rates(rows)[list(QC_COLUMNS)]


def period_calendar(scenario: object) -> pd.Series:
    """Period label (``YYYY-MM``, or ``run``) of every counted day, indexed by day number."""
    days = np.arange(scenario.warmup_days, scenario.days)
    if scenario.quality.period == "run":
        return pd.Series("run", index=days, name="period")
    labels = [(scenario.start + timedelta(days=int(d))).strftime("%Y-%m") for d in days]
    return pd.Series(labels, index=days, name="period")


def with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the rates from the summed columns (NaN where the denominator is zero)."""
    out = frame.copy()
    out["wastage_rate"] = _ratio(
        out["units_wasted_u"], out["units_wasted_u"] + out["units_transfused_u"]
    )
    out["rbc_wastage_rate"] = _ratio(
        out["rbc_wasted_u"], out["rbc_wasted_u"] + out["rbc_transfused_u"]
    )
    out["rbc_per_discharge"] = _ratio(out["rbc_transfused_u"], out["discharges"])
    out["emergency_on_time_share"] = _ratio(out["emergency_on_time_u"], out["emergency_demand_u"])
    return out  # fmt: skip


def district_league(qc: pd.DataFrame) -> pd.DataFrame:
    """The district league table: sums over the hospitals and periods of each district, then
    the same rates as :func:`with_rates`; ``stockout_days_per_hospital`` per hospital.

    ``beds`` counts each hospital once. Sorted by district name.
    """
    per_hospital = qc.groupby("hospital_id", sort=False).agg(
        district=("district", "first"), beds=("beds", "first")
    )
    sums = qc.groupby("district")[[c for c in SUMMED if c != "beds"]].sum()
    league = sums.join(per_hospital.groupby("district")["beds"].agg(["sum", "size"]))
    league = league.rename(columns={"sum": "beds", "size": "hospitals"})
    league["stockout_days_per_hospital"] = league["stockout_days"] / league["hospitals"]
    return with_rates(league).sort_index().reset_index()


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype(float)


def _hospital_periods(hospitals: pd.DataFrame, calendar: pd.Series, districts) -> pd.DataFrame:
    h = pd.DataFrame(
        {
            "hospital_id": hospitals["site_id"].astype(str).to_numpy(),
            "name": hospitals["name"].astype(str).to_numpy(),
            "district": hospital_districts(hospitals, districts),
            "tier": hospitals["tier"].astype(str).to_numpy(),
            "beds": pd.to_numeric(hospitals["beds"]).astype(float).to_numpy(),
            "supplied_via": _hosts(hospitals),
        }
    )
    periods = calendar.value_counts(sort=False).rename("days").rename_axis("period")
    return h.merge(periods.reset_index(), how="cross")


def hospital_districts(hospitals: pd.DataFrame, districts: dict | None) -> np.ndarray:
    """Each hospital's district, or its city where its region has no districts."""
    city = hospitals["city"].astype(str)
    if not districts:
        return city.to_numpy()
    if isinstance(next(iter(districts)), tuple):  # regions run together
        keys = pd.Series(list(zip(hospitals["region"], hospitals["county"], strict=True)))
    else:
        keys = hospitals["county"].reset_index(drop=True)
    return keys.map(districts).fillna(city.reset_index(drop=True)).astype(str).to_numpy()


def _hosts(hospitals: pd.DataFrame) -> np.ndarray:
    if "supplied_via" not in hospitals.columns:
        return np.full(len(hospitals), None, dtype=object)
    hosts = hospitals["supplied_via"].astype(object)
    return hosts.where(hosts.notna(), None).to_numpy()


def _ledger_sums(ledger: pd.DataFrame, calendar: pd.Series) -> pd.DataFrame:
    """Units transfused and wasted (all products; red cells) per hospital and period, U.

    Groups on one integer key per row (site and period codes), one sum at a time, instead of
    a text copy of millions of rows; each group still sums its rows in ledger order. The
    site codes come from the whole column (no copy of the counted rows' text), and each
    temporary goes as soon as the key is made."""
    rows = np.flatnonzero(ledger["state"].isin(("transfused", *WASTED)).to_numpy())
    period, labels = _period_codes(ledger["disposed_at"].to_numpy()[rows], calendar)
    rows, period = rows[period >= 0], period[period >= 0]
    site, site_ids = pd.factorize(ledger["site_id"])
    n = max(len(labels), 1)
    key = pd.Series(site[rows] * n + period)
    del site, period
    u, picks = _counted(ledger, rows)
    del rows
    sums = pd.DataFrame({c: _summed(u, m, key) for c, m in picks.items()})
    codes = sums.index.to_numpy()
    sums.index = pd.MultiIndex.from_arrays(
        [pd.Index(site_ids, dtype=str).take(codes // n), labels.take(codes % n)],
        names=["hospital_id", "period"],
    )
    return sums


def _summed(u: np.ndarray, picked: np.ndarray, key: pd.Series) -> pd.Series:
    """Sum per key of ``u`` where ``picked`` (0 elsewhere), in row order."""
    return pd.Series(np.where(picked, u, 0.0)).groupby(key).sum()


def _counted(ledger: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, dict]:
    """Size (U) of the ledger ``rows`` and which of them each summed column counts."""
    wasted = ledger["state"].iloc[rows].isin(WASTED).to_numpy()
    rbc = (ledger["product"].iloc[rows] == "RBC").to_numpy()
    picks = {
        "units_transfused_u": ~wasted,
        "units_wasted_u": wasted,
        "rbc_transfused_u": ~wasted & rbc,
        "rbc_wasted_u": wasted & rbc,
    }
    return ledger["size_u"].to_numpy()[rows].astype(float), picks


def _period_codes(minutes: np.ndarray, calendar: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Period code of each time (minutes; -1 outside the counted days) and the labels."""
    label_of_day, labels = pd.factorize(calendar)
    at = calendar.index.get_indexer(minutes // MINUTES_PER_DAY)
    return np.append(label_of_day, -1)[at], labels  # at -1: the appended -1


def _emergency(service: pd.DataFrame, calendar: pd.Series) -> pd.DataFrame:
    em = service[service["priority"].astype(str) == "emergency"]
    frame = pd.DataFrame(
        {
            "hospital_id": em["hospital_id"].astype(str),
            "period": em["day"].map(calendar),
            "emergency_demand_u": em["demanded_u"].astype(float),
            "emergency_on_time_u": em["on_time_u"].astype(float),
        }
    ).dropna(subset=["period"])
    return frame.groupby(["hospital_id", "period"]).sum()


def _shortfalls(stockouts: pd.DataFrame, hosted: pd.Series) -> pd.DataFrame:
    """Shortfalls of own shelves, and the needs of hosted hospitals met late or not at all."""
    routed = stockouts["hospital_id"].astype(str).isin(set(hosted))
    failed = (stockouts["late_u"] + stockouts["not_met_u"]) > 0
    return stockouts[~routed | failed]


def _stockout_days(stockouts: pd.DataFrame, calendar: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "hospital_id": stockouts["hospital_id"].astype(str),
            "day": stockouts["time"] // MINUTES_PER_DAY,
        }
    ).drop_duplicates()
    frame["period"] = frame["day"].map(calendar)
    frame = frame.dropna(subset=["period"])
    return frame.groupby(["hospital_id", "period"]).size().rename("stockout_days").to_frame()


def run_qc(
    tables: dict[str, pd.DataFrame], service: pd.DataFrame, scenario: object, loaded: object
) -> pd.DataFrame:
    """:func:`qc_table` of a finished run of ``loaded`` (a LoadedScenario) with the effective
    ``scenario``: the hospitals of its region, grouped by district when it has districts."""
    sites = loaded.region.sites
    hospitals = sites[sites["kind"] == "hospital"].copy()
    # the effective hosts: the region's column with the scenario's overrides
    hospitals["supplied_via"] = hospitals["site_id"].map(supplied_via(sites, scenario.sites))
    return qc_table(tables, service, hospitals, scenario, region_districts(loaded))


def region_districts(loaded: object) -> dict[str, str] | None:
    """County name -> district name from the region's districts layer (read and checked with
    the region), or None without one; for regions run together the keys are
    ``(region, county)`` pairs, as a county name may repeat across members (普陀区)."""
    districts = getattr(loaded.region, "districts", None)
    if districts is None:
        return None
    names = districts["name"]
    if "region" in districts.columns:
        keys = zip(districts["region"], districts["name_cn"], strict=True)
        return dict(zip(keys, names, strict=True))
    return dict(zip(districts["name_cn"], names, strict=True))
