"""Readable names, units and number formats of the KPIs a report shows.

Keys are the flat KPI names of :func:`sim.compare.flatten.flatten_kpis` (``kpis.json`` keys
joined by dots), the same as the columns of a comparison's replications table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Kpi:
    """How to show one KPI.

    Attributes
    ----------
    key : str
        Flat KPI name, e.g. ``"emergency_lead_time_min.p90"``.
    label : str
        Readable name.
    unit : str
        Unit shown next to the value (``%`` for shares stored as 0..1).
    digits : int
        Decimals shown.
    """

    key: str
    label: str
    unit: str
    digits: int = 0

    @property
    def is_share(self) -> bool:
        """Stored as a share 0..1 and shown in percent."""
        return self.unit in ("%", "pp")

    def scale(self, value: float) -> float:
        """The value in the shown unit (shares × 100)."""
        return value * 100 if self.is_share else value

    def format(self, value: float | None) -> str:
        """``"97.3 %"``; ``"–"`` for a missing value."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return f"{self.scale(value):,.{self.digits}f}"


KPIS: tuple[Kpi, ...] = (
    Kpi("fill_rate_on_time.RBC", "Fill rate on time, red cells", "%", 2),
    Kpi("fill_rate_late.RBC", "Fill rate late, red cells", "%", 2),
    Kpi("fill_rate_on_time.PLT", "Fill rate on time, platelets", "%", 2),
    Kpi("fill_rate_late.PLT", "Fill rate late, platelets", "%", 2),
    Kpi("fill_rate_on_time.FFP", "Fill rate on time, plasma", "%", 2),
    Kpi("fill_rate_on_time.CRYO", "Fill rate on time, cryoprecipitate", "%", 2),
    Kpi("stockout_events", "Stockout events at hospitals (each short unit once)", "events"),
    Kpi("units_short_at_hospital", "Units short at hospitals (each once)", "U", 1),
    Kpi("hosted_requests.units", "Needs of hosted hospitals passed to their host", "U", 1),
    Kpi("hosted_requests.not_met_u", "Needs of hosted hospitals not met", "U", 1),
    Kpi("emergency_orders", "Emergency orders", "orders"),
    Kpi("emergency_units_ordered", "Emergency units not met from the own shelf", "U", 1),
    Kpi("emergency_on_time_share", "Emergency orders on time", "%", 1),
    Kpi("emergency_lead_time_min.mean", "Emergency lead time, mean (per unit)", "min", 1),
    Kpi("emergency_lead_time_min.p50", "Emergency lead time, median (per unit)", "min", 1),
    Kpi("emergency_lead_time_min.p90", "Emergency lead time, 90th percentile (per unit)", "min", 1),
    Kpi("emergency_lead_time_min.p99", "Emergency lead time, 99th percentile (per unit)", "min", 1),
    Kpi("units_collected.total", "Units collected", "U", 1),
    Kpi("units_transfused.total", "Units transfused", "U", 1),
    Kpi("units_expired.total", "Units expired (outdated)", "U", 1),
    Kpi("units_discarded.total", "Units discarded", "U", 1),
    Kpi("units_imported.total", "Units imported from other provinces", "U", 1),
    Kpi("units_in_stock_end.total", "Units in stock at the end", "U", 1),
    Kpi("outdate_rate.RBC", "Outdate rate, red cells", "%", 2),
    Kpi("outdate_rate.PLT", "Outdate rate, platelets", "%", 2),
    Kpi("legs_by_mode.van.cost_yuan", "Van transport cost", "yuan"),
    Kpi("legs_by_mode.van.km", "Van distance", "km"),
    Kpi("drone_sorties", "Drone sorties", "sorties"),
    Kpi("units_by_drone", "Units flown by drone", "U", 1),
    Kpi("donor_wait_min.mean", "Donor wait, mean", "min", 1),
    Kpi("collection.donations", "Donations", "donations"),
)
BY_KEY = {kpi.key: kpi for kpi in KPIS}


PRODUCT_NAMES = {
    "RBC": "Red cells (U)",
    "PLT": "Platelets (doses)",
    "FFP": "Fresh frozen plasma (U)",
    "CRYO": "Cryoprecipitate (U)",
    "FRBC": "Frozen red cells (U)",
}


def kpi(key: str) -> Kpi:
    """The display entry of a flat KPI name (a plain one, named by its key, if unlisted)."""
    return BY_KEY.get(key, Kpi(key, key, ""))


def difference_unit(entry: Kpi) -> str:
    """Unit of a difference: percentage points for shares."""
    return "pp" if entry.is_share else entry.unit
