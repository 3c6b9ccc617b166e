"""The station that collected each bag, from the ledger's ``collection_site`` column."""

from __future__ import annotations

import pandas as pd


def collecting_station(
    ledger: pd.DataFrame, legs: pd.DataFrame, stations: tuple[str, ...]
) -> pd.Series | None:
    """Station id per ledger row (NaN where unknown), or None for a run folder without the
    ``collection_site`` (ledger) and ``from_site`` (legs) columns.

    Whole blood is created at a donation house: its station is where the house's collection
    legs go (the most frequent destination). Apheresis platelets and opening stock are
    created at the station itself.
    """
    if "collection_site" not in ledger or "from_site" not in legs:
        return None
    pickups = legs[legs["purpose"] == "collection"]
    pairs = pd.DataFrame({"house": pickups["from_site"].astype(str),
                          "station": pickups["to_site"].astype(str)})  # fmt: skip
    counts = pairs.value_counts().reset_index().drop_duplicates("house")
    house_station = counts.set_index("house")["station"]
    site = ledger["collection_site"].astype(str)
    own = site.where(site.isin(stations))
    return site.map(house_station).fillna(own)
