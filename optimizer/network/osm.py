"""Road times from a real road graph saved as GraphML (e.g. an osmnx drive network).

The file is read locally with :func:`networkx.read_graphml` (osmnx is not needed and no
network access happens). Nodes need ``x`` (longitude, degrees) and ``y`` (latitude,
degrees); edges need ``length`` (metres) and optionally ``travel_time`` (seconds),
``speed_kph`` (km/h) or ``maxspeed`` (OSM tag, km/h unless suffixed ``mph``).

Each site is snapped to its nearest graph node (great-circle distance), then Dijkstra on
edge minutes runs once per distinct snapped node (:func:`scipy.sparse.csgraph.dijkstra`,
which is much faster than pure-Python Dijkstra on 50k-node graphs). ``km`` is the length
of that *fastest* path (summed along the shortest-path tree, not a separate shortest-length
search). Directed graphs keep their one-way streets; undirected graphs are two-way.

Typical use::

    road, report = load_road_graph("roads.graphml", lat, lon, region.road)
"""

from __future__ import annotations

import logging
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from optimizer.network.geometry import haversine_km
from optimizer.network.road import RoadParameters, RoadTimes

if TYPE_CHECKING:
    from scipy.sparse import csr_array

# SciPy's sparse graphs and k-d trees are imported where a road graph is loaded: every run
# imports this module (for its error type), few load a graph, and the imports take ~0.2 s of
# each process's start (the command line, each Dask worker of a comparison).

log = logging.getLogger(__name__)

MPH_TO_KMH = 1.609344
MIN_EDGE_MIN = 1e-9  # floor on edge minutes so zero-time edges stay edges in the CSR matrix
SOURCE_CHUNK = 32  # Dijkstra sources per batch (bounds memory at chunk x nodes floats)
FAST_HIGHWAYS = frozenset({"motorway", "motorway_link", "trunk", "trunk_link"})
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"[a-z_]+")


class RoadGraphError(ValueError):
    """The road graph file is missing, unreadable or lacks required attributes."""


@dataclass(frozen=True)
class RoadGraphReport:
    """Summary of a road-graph load.

    Attributes
    ----------
    nodes, edges : int
        Node and edge counts of the graph as read (parallel edges included).
    snapped_km_max : float
        Largest great-circle distance from a site to its snapped node, km.
    unreachable_pairs : int
        Ordered site pairs (origin != destination) with no directed path in the graph;
        their ``km``/``urban_min``/``rest_min`` come from :meth:`RoadTimes.build`.
    """

    nodes: int
    edges: int
    snapped_km_max: float
    unreachable_pairs: int


@dataclass(frozen=True)
class _Edges:
    """Directed edges without duplicates: the fastest of parallel edges, no self-loops.

    ``minutes`` in min, ``km`` in km, ``n`` the node count.
    """

    n: int
    src: np.ndarray
    dst: np.ndarray
    minutes: np.ndarray
    km: np.ndarray


# ---------------------------------------------------------------------------- reading


def _read_graph(path: Path) -> nx.Graph:
    """Read ``path`` with networkx, mapping every failure to :class:`RoadGraphError`."""
    if not path.is_file():
        raise RoadGraphError(f"road graph file not found: {path}")
    try:
        graph = nx.read_graphml(path)
    except (ET.ParseError, nx.NetworkXError, ValueError, TypeError, KeyError) as exc:
        raise RoadGraphError(f"cannot read GraphML {path}: {exc}") from exc
    if graph.number_of_nodes() == 0:
        raise RoadGraphError(f"road graph {path} has no nodes")
    return graph


def _as_float(value: Any) -> float | None:
    """``value`` as a finite float, or None (GraphML from osmnx stores strings)."""
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _parse_speed_kmh(value: Any) -> float | None:
    """Speed in km/h from ``speed_kph``/``maxspeed`` values such as ``"50"``,
    ``"30 mph"`` or ``"['40', '60']"`` (mean of the numbers); None if none parse."""
    number = _as_float(value)
    if number is not None:
        return number if number > 0 else None
    if value is None:
        return None
    text = str(value).lower()
    numbers = [float(x) for x in _NUMBER.findall(text)]
    numbers = [x for x in numbers if x > 0]
    if not numbers:
        return None
    speed = sum(numbers) / len(numbers)
    return speed * MPH_TO_KMH if "mph" in text else speed


def _node_coords(graph: nx.Graph, path: Path) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """Node ids and their latitude / longitude (degrees) from ``y`` / ``x``."""
    ids = list(graph.nodes)
    lat = np.empty(len(ids))
    lon = np.empty(len(ids))
    for k, (node, data) in enumerate(graph.nodes(data=True)):
        for attr, out in (("x", lon), ("y", lat)):
            value = _as_float(data.get(attr))
            if value is None:
                raise RoadGraphError(f"node {node!r} in {path} has no numeric attribute {attr!r}")
            out[k] = value
    return ids, lat, lon


def _default_speed_kmh(data: Mapping[str, Any], road: RoadParameters) -> float:
    """Speed for an edge without time or speed tags: intercity on motorways/trunks, else
    urban (km/h, from ``road``)."""
    highway = set(_WORD.findall(str(data.get("highway", "")).lower()))
    return road.intercity_speed_kmh if highway & FAST_HIGHWAYS else road.urban_speed_kmh


def _edge_minutes(data: Mapping[str, Any], km: float, road: RoadParameters) -> float:
    """Edge travel minutes: ``travel_time`` (s), else ``km`` at ``speed_kph``, ``maxspeed``
    or the default speed of :func:`_default_speed_kmh`."""
    seconds = _as_float(data.get("travel_time"))
    if seconds is not None and seconds >= 0:
        return seconds / 60.0
    speed = _parse_speed_kmh(data.get("speed_kph")) or _parse_speed_kmh(data.get("maxspeed"))
    if speed is None:
        speed = _default_speed_kmh(data, road)
    return km / speed * 60.0


def _raw_edges(
    graph: nx.Graph, index: Mapping[Any, int], path: Path, road: RoadParameters
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Directed edge arrays (src, dst, minutes, km); undirected edges go both ways."""
    rows: list[tuple[int, int, float, float]] = []
    for u, v, data in graph.edges(data=True):
        metres = _as_float(data.get("length"))
        if metres is None or metres < 0:
            raise RoadGraphError(f"edge ({u!r}, {v!r}) in {path} has no numeric attribute 'length'")
        km = metres / 1000.0
        minutes = _edge_minutes(data, km, road)
        rows.append((index[u], index[v], minutes, km))
        if not graph.is_directed():
            rows.append((index[v], index[u], minutes, km))
    if not rows:
        return (np.empty(0, np.int64),) * 2 + (np.empty(0),) * 2
    src, dst, minutes, km = (np.asarray(col) for col in zip(*rows, strict=True))
    return src.astype(np.int64), dst.astype(np.int64), minutes, km


def _dedup_edges(
    n: int, src: np.ndarray, dst: np.ndarray, minutes: np.ndarray, km: np.ndarray
) -> _Edges:
    """Keep the fastest of parallel edges, drop self-loops, sort by ``src * n + dst``."""
    keep = src != dst
    src, dst, minutes, km = src[keep], dst[keep], minutes[keep], km[keep]
    keys = src * n + dst
    order = np.lexsort((minutes, keys))
    first = np.ones(order.size, dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    pick = order[first]
    return _Edges(n, src[pick], dst[pick], np.maximum(minutes[pick], MIN_EDGE_MIN), km[pick])


# ---------------------------------------------------------------------------- snapping


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere (n x 3) for degrees ``lat``/``lon``."""
    phi, lmb = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)))


def _snap(
    node_lat: np.ndarray,
    node_lon: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    max_snap_km: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest node index per site and its great-circle distance (km).

    Raises
    ------
    RoadGraphError
        If a site is farther than ``max_snap_km`` from every node.
    """
    from scipy.spatial import cKDTree

    tree = cKDTree(_unit_vectors(node_lat, node_lon))
    _, nearest = tree.query(_unit_vectors(lat, lon))
    nearest = np.asarray(nearest, dtype=np.int64)
    dist = haversine_km(lat, lon, node_lat[nearest], node_lon[nearest])
    far = np.flatnonzero(dist > max_snap_km)
    if far.size:
        worst = far[np.argmax(dist[far])]
        raise RoadGraphError(
            f"site {int(worst)} is {dist[worst]:.2f} km from the nearest road node "
            f"(max_snap_km={max_snap_km}); {far.size} site(s) beyond the limit"
        )
    return nearest, dist


# ---------------------------------------------------------------------------- shortest paths


def _tree_km(km_graph: csr_array, pred: np.ndarray) -> np.ndarray:
    """Path length (km) from each row's source to every node along the Dijkstra tree.

    ``km_graph`` holds edge lengths (km) with the same sparsity as the minutes graph.
    Tree edges are summed by pointer doubling (about log2(depth) vectorised passes over
    the flattened rows). Unreached nodes get 0 here; callers mask them by infinite time.
    """
    rows, n = pred.shape
    child = np.tile(np.arange(n, dtype=np.int64), rows)
    parent = pred.astype(np.int64).ravel()
    root = parent < 0
    parent[root] = child[root]
    acc = np.asarray(km_graph[parent, child], dtype=float).ravel()  # 0 where no edge
    offset = np.repeat(np.arange(rows, dtype=np.int64) * n, n)
    parent += offset  # flat indices into the rows x n arrays
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return acc.reshape(rows, n)
        acc += acc[parent]
        parent = grand


def _fastest_between(edges: _Edges, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fastest minutes and their path km between the graph ``nodes`` (k x k each)."""
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import dijkstra

    shape = (edges.n, edges.n)
    graph = csr_array((edges.minutes, (edges.src, edges.dst)), shape=shape)
    km_graph = csr_array((edges.km, (edges.src, edges.dst)), shape=shape)
    minutes = np.empty((nodes.size, nodes.size))
    km = np.empty((nodes.size, nodes.size))
    for start in range(0, nodes.size, SOURCE_CHUNK):
        chunk = nodes[start : start + SOURCE_CHUNK]
        dist, pred = dijkstra(graph, directed=True, indices=chunk, return_predecessors=True)
        minutes[start : start + chunk.size] = dist[:, nodes]
        km[start : start + chunk.size] = _tree_km(km_graph, pred)[:, nodes]
    return minutes, km


# ---------------------------------------------------------------------------- assembly


def _site_arrays(
    lat: np.ndarray, lon: np.ndarray, island: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Validated 1-D float lat/lon (degrees) and bool island flags."""
    lat = np.asarray(lat, dtype=float).ravel()
    lon = np.asarray(lon, dtype=float).ravel()
    if lat.shape != lon.shape or not np.all(np.isfinite(lat) & np.isfinite(lon)):
        raise ValueError("lat and lon must be finite arrays of the same length")
    if island is not None:
        island = np.asarray(island, dtype=bool).ravel()
        if island.shape != lat.shape:
            raise ValueError("island must have one flag per site")
    return lat, lon, island


def _assemble(
    minutes: np.ndarray,
    km: np.ndarray,
    param: RoadTimes,
    handling_min: float,
    ferry: np.ndarray,
) -> tuple[RoadTimes, int]:
    """Site matrices with parametric fallback on unreachable pairs, and their count."""
    unreachable = ~np.isfinite(minutes)
    np.fill_diagonal(unreachable, False)
    rest = handling_min + ferry
    km = np.where(unreachable, param.km, km)
    urban = np.where(unreachable, param.urban_min, minutes)
    rest = np.where(unreachable, param.rest_min, rest)
    for matrix in (km, urban, rest):
        np.fill_diagonal(matrix, 0.0)
    road = RoadTimes(km, urban, rest, param.peak_windows_min, param.peak_factor)
    return road, int(unreachable.sum())


def load_road_graph(
    path: str | Path,
    lat: np.ndarray,
    lon: np.ndarray,
    road_params: RoadParameters,
    *,
    island: np.ndarray | None = None,
    ferry_min: float = 0.0,
    max_snap_km: float = 5.0,
) -> tuple[RoadTimes, RoadGraphReport]:
    """Road times between sites from a GraphML road graph, with a load report.

    Parameters
    ----------
    path : str or Path
        GraphML file (e.g. ``osmnx.save_graphml``): nodes ``x``/``y`` in degrees, edges
        ``length`` in metres, optional ``travel_time`` (s), ``speed_kph`` or ``maxspeed``.
    lat, lon : ndarray
        Site coordinates, degrees.
    road_params : RoadParameters
        Parametric model: default speeds (km/h) for edges without time or speed tags,
        ``handling_min`` (min), peak windows/factor, and the fallback for unreachable pairs.
    island : ndarray of bool, optional
        Island flag per site; ``ferry_min`` (min) is added where the flags differ.
    ferry_min : float
        Ferry minutes between an island and a mainland site, min.
    max_snap_km : float
        Largest allowed site-to-node distance, km.

    Returns
    -------
    RoadTimes
        ``km`` = length of the fastest path (km); ``urban_min`` = graph travel minutes
        (peak-sensitive); ``rest_min`` = ``handling_min`` (+ ferry), min.
    RoadGraphReport
        Graph size, worst snap distance (km) and the number of fallback pairs.

    Raises
    ------
    RoadGraphError
        Missing or unreadable file, missing ``x``/``y``/``length``, or a site farther
        than ``max_snap_km`` from the graph.
    """
    path = Path(path)
    lat, lon, island = _site_arrays(lat, lon, island)
    graph = _read_graph(path)
    ids, node_lat, node_lon = _node_coords(graph, path)
    index = {node: k for k, node in enumerate(ids)}
    edges = _dedup_edges(len(ids), *_raw_edges(graph, index, path, road_params))
    snapped, snap_km = _snap(node_lat, node_lon, lat, lon, max_snap_km)
    nodes, inverse = np.unique(snapped, return_inverse=True)
    minutes, km = _fastest_between(edges, nodes)
    minutes, km = minutes[np.ix_(inverse, inverse)], km[np.ix_(inverse, inverse)]
    ferry = np.zeros_like(minutes)
    if island is not None:
        ferry = ferry_min * (island[:, None] != island[None, :])
    param = RoadTimes.build(lat, lon, road_params, island, ferry_min)
    road, unreachable = _assemble(minutes, km, param, road_params.handling_min, ferry)
    report = RoadGraphReport(
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        snapped_km_max=float(snap_km.max(initial=0.0)),
        unreachable_pairs=unreachable,
    )
    return road, report


def road_times_from_graphml(
    path: str | Path,
    lat: np.ndarray,
    lon: np.ndarray,
    road_params: RoadParameters,
    *,
    island: np.ndarray | None = None,
    ferry_min: float = 0.0,
    max_snap_km: float = 5.0,
) -> RoadTimes:
    """Like :func:`load_road_graph` but returns only the :class:`RoadTimes`; the report
    is logged (INFO) on ``optimizer.network.osm``."""
    road, report = load_road_graph(
        path,
        lat,
        lon,
        road_params,
        island=island,
        ferry_min=ferry_min,
        max_snap_km=max_snap_km,
    )
    log.info("road graph %s: %s", path, report)
    return road
