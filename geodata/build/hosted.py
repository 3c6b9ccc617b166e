"""Hosted hospitals: a hospital without its own blood bank runs transfusion through a host
hospital's bank (Shanghai: 55 hospitals "挂靠" on another hospital, seeds.md file 002).

The link is the site column ``supplied_via`` (the host's ``site_id``); the simulation's
hosted-hospital mechanism orders the hosted hospital's demand through the host.
"""

from __future__ import annotations

from geodata.build.geometry import haversine_km

#: Site column naming the host hospital of a hosted hospital (None for every other site).
HOSTED_COLUMN = "supplied_via"


def link_hosted(rows: list[dict]) -> None:
    """Replace the ``supplied_via`` flag of hosted hospitals by their host's id.

    Rows flagged True get the nearest hospital (straight line) of the same county that has its
    own bank (flag False); every other row gets None. Ties go to the earlier row.

    Raises
    ------
    ValueError
        If a hosted hospital's county has no hospital with its own bank.
    """
    own = [r for r in rows if r["kind"] == "hospital" and r.get(HOSTED_COLUMN) is False]
    for row in rows:
        if row.get(HOSTED_COLUMN) is not True:
            row[HOSTED_COLUMN] = None
            continue
        hosts = [h for h in own if h["county"] == row["county"]]
        if not hosts:
            raise ValueError(f"{row['site_id']}: no hospital with its own bank in {row['county']}")
        p = row["geometry"]
        row[HOSTED_COLUMN] = min(hosts, key=lambda h: haversine_km(p, h["geometry"]))["site_id"]
