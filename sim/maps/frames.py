"""Run results → GeoDataFrames and GeoJSON features for the map (no Folium here)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import geopandas as gpd
import networkx as nx
import pandas as pd
from shapely.geometry import LineString, Point, Polygon

from sim.core.domain import MINUTES_PER_DAY
from sim.maps.errors import MapError
from sim.maps.run_folder import RunFolder

TIMELINE_CAP = 3000  # legs on the time slider, at most
TIMELINE_STEP_MIN = 10  # slider step and vertex spacing along a leg, min
MAX_VERTICES = 7  # vertices per leg on the slider (keeps the file small)
DIGITS = 5  # decimals of lon/lat degrees kept (about 1 m)


def site_frame(run: RunFolder) -> gpd.GeoDataFrame:
    """Sites with their stock at the end of the run and their number of stockouts.

    Returns
    -------
    geopandas.GeoDataFrame
        ``site_id, kind, name, city, stock_end`` (text, U by product on the last day of
        ``stock.parquet``), ``stockouts`` (events at the site), point geometry.
    """
    sites = run.region.sites[["site_id", "kind", "name", "city", "geometry"]].copy()
    sites["city"] = sites["city"].fillna("").astype(str)
    if "region" in run.region.sites:  # regions run together: "Hangzhou (zhejiang)"
        sites["city"] = sites["city"] + " (" + run.region.sites["region"].astype(str) + ")"
    sites["stock_end"] = sites["site_id"].map(_end_stock(run.stock)).fillna("none recorded")
    counts = run.stockouts["hospital_id"].astype(str).value_counts()
    sites["stockouts"] = sites["site_id"].map(counts).fillna(0).astype(int)
    return sites


def _end_stock(stock: pd.DataFrame) -> dict[str, str]:
    if stock.empty:
        return {}
    last = stock[stock["day"] == stock["day"].max()]
    table = last.groupby(["site_id", "product"], observed=True)["units"].sum()
    text: dict[str, list[str]] = {}
    for (site, product), units in table.items():
        text.setdefault(str(site), []).append(f"{product} {units:,.0f}")
    return {site: " · ".join(parts) + " U" for site, parts in text.items()}


def od_frame(run: RunFolder) -> gpd.GeoDataFrame:
    """Legs aggregated by (mode, from_site, to_site): one line per origin–destination pair.

    Returns
    -------
    geopandas.GeoDataFrame
        ``mode, from_site, to_site, from_name, to_name, legs, loaded_legs, units`` (U),
        ``samples, purposes`` (text), ``drawn_as`` (text), ``weight`` (line width, px),
        LineString geometry (rail along the rail lines where they connect, else straight).
    """
    legs = inside(run.legs)
    legs = legs.assign(loaded=(legs["units"] > 0) | (legs["samples"] > 0))
    keys = ["mode", "from_site", "to_site"]
    grouped = legs.groupby(keys, sort=True)
    od = grouped.agg(
        legs=("leg_id", "size"),
        loaded_legs=("loaded", "sum"),
        units=("units", "sum"),
        samples=("samples", "sum"),
    ).reset_index()
    od["purposes"] = grouped["purpose"].agg(_purposes).to_numpy()
    od["units"] = od["units"].round(1)
    od["weight"] = _weights(od["units"])
    return _with_geometry(od, run)


def _purposes(purpose: pd.Series) -> str:
    return ", ".join(f"{name} {n}" for name, n in purpose.value_counts().items())


def _weights(units: pd.Series) -> pd.Series:
    top = max(float(units.max()), 1.0) if len(units) else 1.0
    return (1.5 + 6.5 * (units.clip(lower=0) / top) ** 0.5).round(1)


def _with_geometry(od: pd.DataFrame, run: RunFolder) -> gpd.GeoDataFrame:
    points = site_points(run)
    names = run.region.sites.set_index("site_id")["name"].astype(str)
    _check_known(od, points)
    rail = rail_graph(run.region.rail_lines)
    shapes = [
        _od_line(row.mode, row.from_site, row.to_site, points, rail) for row in od.itertuples()
    ]
    od["from_name"] = od["from_site"].map(names)
    od["to_name"] = od["to_site"].map(names)
    od["drawn_as"] = [kind for kind, _ in shapes]
    return gpd.GeoDataFrame(od, geometry=[line for _, line in shapes], crs="EPSG:4326")


def site_points(run: RunFolder) -> dict[str, Point]:
    """Site id → point (lon/lat degrees)."""
    sites = run.region.sites
    return dict(zip(sites["site_id"], sites.geometry, strict=True))


OUTSIDE = "other_province"  # imports from other provinces start outside the region


def inside(legs: pd.DataFrame) -> pd.DataFrame:
    """Legs within the region (imports from other provinces have no line to draw)."""
    return legs[(legs["from_site"] != OUTSIDE) & (legs["to_site"] != OUTSIDE)]


def _check_known(legs: pd.DataFrame, points: dict[str, Point]) -> None:
    unknown = sorted(set(legs["from_site"]).union(legs["to_site"]) - points.keys())
    if unknown:
        raise MapError(f"legs.parquet: site {unknown[0]!r} is not in the run's region")


def _od_line(
    mode: str, a: str, b: str, points: dict[str, Point], rail: nx.Graph
) -> tuple[str, LineString]:
    if mode == "rail":
        line = rail_geometry(rail, a, b)
        if line is not None:
            return "along the rail lines", line
    return STRAIGHT_NOTE.get(mode, "straight line"), LineString([points[a], points[b]])


STRAIGHT_NOTE = {
    "van": "straight line (no road path yet)",
    "drone": "straight line (flight)",
    "rail": "straight line (no rail line found)",
}


def rail_graph(rail_lines: gpd.GeoDataFrame) -> nx.Graph:
    """Rail stations as nodes, rail lines as edges weighted by ride minutes."""
    graph = nx.Graph()
    for row in rail_lines.itertuples():
        graph.add_edge(
            row.from_site, row.to_site, minutes=row.minutes, line=row.geometry, start=row.from_site
        )
    return graph


def rail_geometry(graph: nx.Graph, a: str, b: str) -> LineString | None:
    """The rail lines' geometry from station ``a`` to ``b`` (fastest path), or None."""
    try:
        nodes = nx.shortest_path(graph, a, b, weight="minutes")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    coords: list[tuple[float, ...]] = []
    for u, v in zip(nodes, nodes[1:], strict=False):
        edge = graph.edges[u, v]
        segment = list(edge["line"].coords)
        if edge["start"] != u:
            segment.reverse()
        coords.extend(segment[1:] if coords else segment)
    return LineString(coords) if len(coords) > 1 else None


def timeline_legs(run: RunFolder, day: int) -> pd.DataFrame:
    """The loaded legs departing on ``day`` (0-based), by departure, at most TIMELINE_CAP."""
    if not 0 <= day < run.days:
        raise MapError(f"{run.path}: day {day} is outside the run (days 0 to {run.days - 1})")
    legs = inside(run.legs)
    lo = day * MINUTES_PER_DAY
    on_day = (legs["depart_at"] >= lo) & (legs["depart_at"] < lo + MINUTES_PER_DAY)
    loaded = (legs["units"] > 0) | (legs["samples"] > 0)
    chosen = legs[on_day & loaded].sort_values(["depart_at", "leg_id"])
    return chosen.head(TIMELINE_CAP)


def timeline_features(run: RunFolder, legs: pd.DataFrame, colours: dict[str, str]) -> list[dict]:
    """One GeoJSON LineString per leg with per-vertex ISO times (moving along the leg)."""
    points = site_points(run)
    _check_known(legs, points)
    return [_leg_feature(row, points, run.start, colours) for row in legs.itertuples()]


def _leg_feature(row, points: dict[str, Point], start: datetime, colours: dict[str, str]) -> dict:
    a, b = points[row.from_site], points[row.to_site]
    minutes = max(float(row.arrive_at) - float(row.depart_at), 0.0)
    steps = min(max(math.ceil(minutes / TIMELINE_STEP_MIN), 1), MAX_VERTICES - 1)
    fractions = [i / steps for i in range(steps + 1)]
    colour = colours.get(row.mode, "#555555")
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [_lerp(a, b, f) for f in fractions]},
        "properties": {
            "times": [_iso(start, row.depart_at + f * minutes) for f in fractions],
            "tooltip": f"{row.mode}: {row.from_site} → {row.to_site}, {_load(row)}",
            "style": {"color": colour, "weight": 3, "className": "bf-timeline"},
            "icon": "circle",
            "iconstyle": {"radius": 4, "color": colour, "fillOpacity": 1},
        },
    }


def _load(row) -> str:
    return f"{row.units:g} U" if row.units > 0 else f"{row.samples} samples"


def _lerp(a: Point, b: Point, f: float) -> list[float]:
    return [round(a.x + f * (b.x - a.x), DIGITS), round(a.y + f * (b.y - a.y), DIGITS)]


def _iso(start: datetime, minute: float) -> str:
    return (start + timedelta(minutes=round(float(minute)))).strftime("%Y-%m-%dT%H:%M")


def event_frame(events: list[dict]) -> gpd.GeoDataFrame:
    """Mass-casualty points and road-closure polygons from the scenario's ``events``.

    The events are those of :class:`RunFolder` (checked drawable when the folder was read).
    """
    rows = [_event_row(e) for e in events]
    columns = ["type", "name", "start", "end", "detail"]
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs="EPSG:4326")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _event_row(event: dict) -> dict:
    geometry, detail = _event_shape(event)  # drawable: checked by checks.event
    when = {k: str(event.get(k, "")) for k in ("start", "end")}
    name = str(event.get("name", ""))
    return {"type": event["type"], "name": name, **when, "detail": detail, "geometry": geometry}


def _event_shape(event: dict):
    if event["type"] == "mass_casualty":
        point = Point(float(event["lon"]), float(event["lat"]))
        return point, f"{int(event['casualties'])} casualties"
    polygon = Polygon([(float(x), float(y)) for x, y in event["polygon"]])
    return polygon, "roads closed inside the polygon"
