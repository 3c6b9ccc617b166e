"""Collection → quarantine release: how long donations wait for their test results."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sim.calibration.measured import Measured, not_measured

MINUTES_PER_HOUR = 60.0
LAG_COLUMNS = ("donation_id", "collected_at", "released_at", "state", "disposed_at")


def release_lags(ledger: pd.DataFrame, since: float, end: float) -> pd.DataFrame:
    """One row per donation collected at or after ``since``: ``collected_at`` (min),
    ``lag_h`` (h from collection to the first release of one of its bags) and ``censored``.

    A donation none of whose bags was released, but not all discarded (still collected or in
    testing at ``end``, or expired in testing), is *censored*: its lag is its age when last
    seen (``disposed_at``, else ``end``, minutes), a lower bound. Donations discarded whole
    (e.g. reactive screening) are left out: they are never released.
    """
    rows = (ledger["donation_id"] >= 0) & (ledger["collected_at"] >= since)
    units = ledger.loc[rows, list(LAG_COLUMNS)]  # only what is read: a year's ledger is 2 M rows
    waiting = units["released_at"].isna() & (units["state"] != "discarded")
    last_seen = units["disposed_at"].fillna(end).where(waiting)
    by = units["donation_id"]
    frame = pd.DataFrame({
        "collected_at": units["collected_at"].groupby(by).min(),
        "released_at": units["released_at"].groupby(by).min(),
        "last_seen": last_seen.groupby(by).max(),
    })  # fmt: skip
    censored = frame["released_at"].isna()
    frame = frame[~censored | frame["last_seen"].notna()]
    until = frame["released_at"].fillna(frame["last_seen"])
    return pd.DataFrame({
        "collected_at": frame["collected_at"],
        "lag_h": (until - frame["collected_at"]) / MINUTES_PER_HOUR,
        "censored": frame["released_at"].isna(),
    })  # fmt: skip


def worst_month_p95(lags: pd.DataFrame, start: dt.date) -> Measured:
    """The highest monthly 95th percentile of collection → release time (h), province-wide.

    Months are calendar months of the collection time (``start`` is day 0); censored
    donations (:func:`release_lags`) count at their age, so a month's figure is a lower bound
    when any are left.
    """
    if lags.empty:
        return not_measured("no donation collected after the warm-up")
    p95 = lags["lag_h"].groupby(_month_codes(lags, start)).quantile(0.95)
    p95.index = _month_labels(p95.index)
    worst = p95.idxmax()
    months = ", ".join(f"{m} {v:.0f} h" for m, v in p95.items())
    censored = int(lags["censored"].sum())
    detail = f"worst {worst}; by month: {months}; {censored:,} unreleased counted at their age"
    return Measured(float(p95[worst]), detail)


def station_month_p95(lags: pd.DataFrame, station: pd.Series | None, start: dt.date) -> Measured:
    """The worst 95th percentile of collection → release time (h) over stations and calendar
    months of collection.

    ``station`` gives each donation's collecting station (index donation id, from
    :func:`sim.calibration.origin.collecting_station`); None for an older run folder.
    """
    if station is None:
        return not_measured(
            "the run folder's ledger has no collection_site column (written by bloodflow "
            "from issue 11 on); see the province-wide worst month"
        )
    if lags.empty:
        return not_measured("no donation collected after the warm-up")
    keys = [station.reindex(lags.index).fillna("unknown"), _month_codes(lags, start)]
    p95 = lags["lag_h"].groupby(keys).quantile(0.95)
    p95.index = p95.index.set_levels(_month_labels(p95.index.levels[1]), level=1)
    (site, month), worst = p95.idxmax(), float(p95.max())
    per_station = p95.groupby(level=0).max().sort_values(ascending=False)
    top = ", ".join(f"{s} {v:.0f} h" for s, v in per_station.head(4).items())
    return Measured(worst, f"worst {site} in {month}; worst month per station: {top}, ...")


def _month_codes(lags: pd.DataFrame, start: dt.date) -> pd.Series:
    """Calendar month of each collection as ``year * 100 + month`` (``start`` is day 0):
    sorted as the ``YYYY-MM`` labels of :func:`_month_labels`, and read from the dates'
    fields instead of formatting a string per donation (a year has ~1.5 M)."""
    when = pd.Timestamp(start) + pd.to_timedelta(lags["collected_at"], unit="min")
    return when.dt.year * 100 + when.dt.month


def _month_labels(codes: pd.Index) -> list[str]:
    """``YYYY-MM`` labels of :func:`_month_codes`' codes."""
    return [f"{code // 100:04d}-{code % 100:02d}" for code in codes.tolist()]


def donation_station(ledger: pd.DataFrame, station: pd.Series | None) -> pd.Series | None:
    """Collecting station per donation id (the station of its first bag), or None."""
    if station is None:
        return None
    return station.groupby(ledger["donation_id"]).first()
