"""Quality-indicator settings (``quality:``) and the surgical autologous transfusion lever.

Shanghai's "1 + 16" clinical transfusion QC network judges hospitals by indicators such as
blood use per discharged patient and the surgical autologous transfusion rate (seeds.md, file
002). Discharges come from beds: beds x occupancy x days / length of stay.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.base import Section, Share, number

#: League-table indicators a district choropleth can show (sim/maps/districts.py).
QcIndicator = Literal[
    "wastage_rate", "rbc_per_discharge", "emergency_on_time_share", "stockout_days_per_hospital"
]
# A stay of at least half a day and at most a year (long-stay wards are not acute hospitals).
StayDays = number(ge=0.5, le=365)
# The emergency clock: above zero, at most the routine day.
EmergencyMinutes = number(gt=0, le=1440)


class Autologous(Section):
    """Surgical autologous transfusion (cell salvage, haemodilution) as a demand lever.

    The red-cell demand rates of the scenario are those at ``baseline_rate``; at ``rate`` the
    allogeneic red-cell demand of a hospital is multiplied by :meth:`rbc_factor`.

    Attributes
    ----------
    surgical_rbc_share : float
        Share of red cells transfused to surgical patients: about 60 % of blood products in
        China are transfused during surgery (Yu et al., Br J Anaesth 2014, citing Gong 2012;
        https://doi.org/10.1093/bja/aeu392).
    allogeneic_cut : float
        Relative cut in allogeneic red-cell transfusion of a patient given autologous blood:
        cell salvage RR 0.62, a 38 % cut (Carless et al., Cochrane 2010,
        https://pmc.ncbi.nlm.nih.gov/articles/PMC4163967).
    baseline_rate : float
        Share of transfused surgical patients given autologous blood in the calibration data:
        27.6 % cell salvage + 9.3 % haemodilution in 9 Zhejiang hospitals, 2011 (Yao et al.,
        BMC Health Serv Res 2018); 0.3 (cell salvage plus a third of the haemodilution).
    rate : float
        The scenario's rate (a planner's lever; equal to ``baseline_rate``: no change).
    """

    surgical_rbc_share: Share = 0.6
    allogeneic_cut: Share = 0.38
    baseline_rate: Share = 0.3
    rate: Share = 0.3

    def rbc_factor(self) -> float:
        """Multiplier on allogeneic red-cell demand (dimensionless; 1.0 at the baseline)."""
        cut = self.surgical_rbc_share * self.allogeneic_cut
        return (1.0 - cut * self.rate) / (1.0 - cut * self.baseline_rate)


class Quality(Section):
    """How quality indicators are computed (``qc.parquet`` and the district league table).

    Attributes
    ----------
    bed_occupancy : float
        Share of beds occupied: 74.55 % in Chinese hospitals, 2021 (National Administration of
        TCM statistics digest, table B05, natcm.gov.cn 2021tjzb).
    length_of_stay_days : float
        Mean stay of a discharged patient, days: 9.20 in Chinese hospitals, 2021 (same table).
    period : str
        Rows of ``qc.parquet`` per hospital: ``month`` or ``run`` (one row for the run).
    emergency_within_min : float
        The emergency service clock of the indicator, min (the 60-min window of issue 13).
    """

    bed_occupancy: Share = Field(0.7455, gt=0)
    length_of_stay_days: StayDays = 9.2
    period: Literal["month", "run"] = "month"
    emergency_within_min: EmergencyMinutes = 60.0
