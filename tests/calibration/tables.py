"""Tiny hand-made run tables (README, "Outputs") with answers known by construction."""

from __future__ import annotations

import math

import pandas as pd

NAN = math.nan
LEDGER = ["donation_id", "product", "size_u", "collected_at", "released_at", "state", "site_id",
          "disposed_at"]  # fmt: skip
ORDERS = ["hospital_id", "station_id", "priority", "placed_at", "arrived_at", "level"]
LEGS = ["mode", "purpose", "to_site", "depart_at", "units", "samples"]
STOCKOUTS = ["time", "hospital_id", "product", "short_u", "outcome"]


def ledger(*rows: tuple) -> pd.DataFrame:
    """Ledger rows: donation, product, size (U), collected, released, state, site, disposed."""
    frame = pd.DataFrame(list(rows), columns=LEDGER)
    return frame.astype({"product": "category", "state": "category", "size_u": "float32"})


def orders(*rows: tuple) -> pd.DataFrame:
    """Order rows: hospital, station, priority, placed, arrived (minutes), level."""
    return pd.DataFrame(list(rows), columns=ORDERS)


def legs(*rows: tuple) -> pd.DataFrame:
    """Leg rows: mode, purpose, to site, depart (minutes), units, samples."""
    return pd.DataFrame(list(rows), columns=LEGS)


def stockouts(*rows: tuple) -> pd.DataFrame:
    """Stockout rows: time (minutes), hospital, product, short (U), outcome."""
    return pd.DataFrame(list(rows), columns=STOCKOUTS)
