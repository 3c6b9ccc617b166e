"""Measures of transport: drone sorties and provincial rebalancing transfers (legs.parquet)."""

from __future__ import annotations

import pandas as pd

from sim.calibration.measured import Measured, not_measured


def drone_sorties(legs: pd.DataFrame, since: float) -> pd.DataFrame:
    """Drone flights out (legs of mode ``drone`` other than returns) departing at or after
    ``since`` (minutes); each is one sortie, as in ``kpis.json`` ``drone_sorties``."""
    drones = legs[(legs["mode"] == "drone") & (legs["purpose"] != "return")]
    return drones[drones["depart_at"] >= since]


def sortie_count(legs: pd.DataFrame, since: float) -> Measured:
    """Drone sorties flown after the warm-up (sorties)."""
    sorties = drone_sorties(legs, since)
    return Measured(float(len(sorties)), "drone legs other than returns")


def drone_units(legs: pd.DataFrame, since: float) -> Measured:
    """Units carried by drone sorties after the warm-up (U)."""
    sorties = drone_sorties(legs, since)
    return Measured(float(sorties["units"].sum()), f"{len(sorties):,} sorties")


def units_per_sortie(legs: pd.DataFrame, since: float) -> Measured:
    """Mean units carried per drone sortie after the warm-up (U per sortie)."""
    sorties = drone_sorties(legs, since)
    if sorties.empty:
        return not_measured("no drone sortie after the warm-up")
    loaded = int((sorties["units"] > 0).sum())
    detail = f"{len(sorties):,} sorties, {loaded:,} carrying units"
    return Measured(float(sorties["units"].mean()), detail)


def transfers(legs: pd.DataFrame, since: float) -> Measured:
    """Rebalancing transfers between stations after the warm-up (transfers; legs of
    purpose ``transfer``)."""
    moved = _transfers(legs, since)
    return Measured(float(len(moved)), f"{moved['units'].sum():,.0f} U moved")


def transfer_units(legs: pd.DataFrame, since: float) -> Measured:
    """Units moved by rebalancing transfers after the warm-up (U, all products)."""
    moved = _transfers(legs, since)
    return Measured(float(moved["units"].sum()), f"{len(moved):,} transfers, all products")


def _transfers(legs: pd.DataFrame, since: float) -> pd.DataFrame:
    moved = legs[legs["purpose"] == "transfer"]
    return moved[moved["depart_at"] >= since]
