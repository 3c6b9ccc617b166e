"""Units across region borders (regions run together, e.g. Shanghai + Zhejiang).

Computed from the run tables after the run: a unit crosses from region A to region B when it
was created in A (``collection_site``) and ends in B (``site_id``); every such unit must have
travelled on legs from A to B (``legs``), and each region must balance:
created + received - sent = transfused + expired + discarded + in stock + in transit.
A mismatch is a simulation bug (:class:`~sim.state.ledger.ConservationError`).

``border.parquet`` columns: ``region, created_u, imported_u, received_u, sent_u,
transfused_u, expired_u, discarded_u, in_stock_u, in_transit_u`` (U; ``imported_u``: the
share of ``created_u`` sent by other provinces) followed by one ``to_<region>_u`` column per
region: units that crossed from the row's region to that one, as counted on the legs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.state.ledger import ConservationError

END_STATES = {
    "transfused_u": ("transfused",),
    "expired_u": ("expired",),
    "discarded_u": ("discarded",),
    "in_transit_u": ("in_transit",),
}
TOLERANCE_U = 1e-6


def border_table(
    ledger: pd.DataFrame, legs: pd.DataFrame, region_of: pd.Series
) -> pd.DataFrame | None:
    """Per-region balance and border flows, checked; None for a one-region run.

    Parameters
    ----------
    ledger, legs : pandas.DataFrame
        The run's ``ledger`` and ``legs`` tables.
    region_of : pandas.Series
        Region name indexed by site id.

    Raises
    ------
    ConservationError
        If units crossing a border differ from those carried across it, or a region does not
        balance.
    """
    names = list(pd.unique(region_of))
    if len(names) < 2:
        return None
    by_legs = leg_flows(legs, region_of, names)
    by_ledger = ledger_flows(ledger, region_of, names)
    if not np.allclose(by_legs, by_ledger, atol=TOLERANCE_U):
        raise ConservationError(
            f"units across region borders: legs carried {by_legs.to_dict()} but the "
            f"ledger moved {by_ledger.to_dict()} (from row to column, U)"
        )
    table = _balance(ledger, region_of, names, by_legs)
    flows = by_legs.rename(columns=lambda r: f"to_{r}_u").reset_index(drop=True)
    return pd.concat([table, flows], axis=1)


def leg_flows(legs: pd.DataFrame, region_of: pd.Series, names: list[str]) -> pd.DataFrame:
    """Units carried on legs from one region (row) to another (column), U."""
    start = legs["from_site"].map(region_of)
    end = legs["to_site"].map(region_of)
    crossing = start.notna() & end.notna() & (start != end)
    return _square(start[crossing], end[crossing], legs["units"][crossing], names)


def ledger_flows(ledger: pd.DataFrame, region_of: pd.Series, names: list[str]) -> pd.DataFrame:
    """Units created in one region (row) that are, or ended, in another (column), U."""
    start = site_regions(ledger["collection_site"], region_of)
    end = site_regions(ledger["site_id"], region_of)
    crossing = start != end
    return _square(start[crossing], end[crossing], ledger["size_u"][crossing], names)


def site_regions(sites: pd.Series, region_of: pd.Series) -> pd.Series:
    """``sites.astype(str).map(region_of)``, mapping each distinct site once (no text copy
    of every row)."""
    codes, uniques = pd.factorize(sites, use_na_sentinel=False)
    regions = pd.Series(uniques.astype(str)).map(region_of).to_numpy(object)
    return pd.Series(regions[codes], index=sites.index)


def _square(start: pd.Series, end: pd.Series, units: pd.Series, names: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({"start": start, "end": end, "units": units.astype(float)})
    table = frame.pivot_table(index="start", columns="end", values="units", aggfunc="sum")
    return table.reindex(index=names, columns=names).fillna(0.0)


def _balance(
    ledger: pd.DataFrame, region_of: pd.Series, names: list[str], flows: pd.DataFrame
) -> pd.DataFrame:
    units = ledger["size_u"].astype(float)
    start = site_regions(ledger["collection_site"], region_of)
    created = units.groupby(start).sum()
    imported = units[ledger["donation_id"] < 0].groupby(start).sum()
    end = site_regions(ledger["site_id"], region_of)
    state = ledger["state"]  # compared as categories, not as a text copy of every row
    table = pd.DataFrame({"region": names})
    table["created_u"] = created.reindex(names, fill_value=0.0).to_numpy()
    table["imported_u"] = imported.reindex(names, fill_value=0.0).to_numpy()
    table["received_u"] = flows.sum(axis=0).reindex(names).to_numpy()
    table["sent_u"] = flows.sum(axis=1).reindex(names).to_numpy()
    ending = {s for states in END_STATES.values() for s in states}
    stocked = tuple(sorted(set(state.unique()) - ending))
    for column, states in {**END_STATES, "in_stock_u": stocked}.items():
        table[column] = _by(units, state, end, states, names)
    _check_balance(table)
    return table


def _by(
    units: pd.Series, state: pd.Series, end: pd.Series, states: tuple[str, ...], names: list[str]
) -> np.ndarray:
    picked = state.isin(states)
    return units[picked].groupby(end[picked]).sum().reindex(names, fill_value=0.0).to_numpy()


def _check_balance(table: pd.DataFrame) -> None:
    left = table["created_u"] + table["received_u"] - table["sent_u"]
    right = table[[*END_STATES, "in_stock_u"]].sum(axis=1)
    wrong = ~np.isclose(left, right, atol=TOLERANCE_U)
    if wrong.any():
        row = table[wrong].iloc[0]
        raise ConservationError(
            f"region {row['region']}: created + received - sent = {left[wrong].iloc[0]:.1f} U "
            f"but {right[wrong].iloc[0]:.1f} U are accounted for"
        )
