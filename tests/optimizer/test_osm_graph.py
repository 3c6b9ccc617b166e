"""Road times from a local GraphML road graph (synthetic street grids, no network)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from optimizer.network.osm import (
    RoadGraphError,
    RoadGraphReport,
    load_road_graph,
    road_times_from_graphml,
)
from optimizer.network.road import RoadTimes

LAT0, LON0, STEP = 30.0, 120.0, 0.01  # grid origin and spacing, degrees (~1 km)


@dataclass(frozen=True)
class Params:
    """Parametric road model with round numbers (satisfies ``RoadParameters``)."""

    detour_factor: float = 1.3
    urban_speed_kmh: float = 30.0
    intercity_speed_kmh: float = 90.0
    urban_radius_km: float = 10.0
    peak_windows_h: tuple[tuple[float, float], ...] = ((7.0, 9.0),)
    peak_factor: float = 1.5
    handling_min: float = 10.0


PARAMS = Params()


def node(i: int, j: int) -> str:
    """Node id of grid row ``i``, column ``j``."""
    return f"r{i}c{j}"


def site(i: int, j: int) -> tuple[float, float]:
    """(lat, lon) in degrees a few metres off grid node (i, j)."""
    return LAT0 + i * STEP + 1e-5, LON0 + j * STEP + 1e-5


def grid(size: int = 3, **edge_attrs: object) -> nx.DiGraph:
    """Two-way street grid: 1000 m edges with ``edge_attrs`` (default 60 s each)."""
    attrs = edge_attrs or {"travel_time": 60.0}
    graph = nx.DiGraph()
    for i in range(size):
        for j in range(size):
            graph.add_node(node(i, j), x=LON0 + j * STEP, y=LAT0 + i * STEP)
    for i in range(size):
        for j in range(size):
            for a, b in ((i + 1, j), (i, j + 1)):
                if a < size and b < size:
                    graph.add_edge(node(i, j), node(a, b), length=1000.0, **attrs)
                    graph.add_edge(node(a, b), node(i, j), length=1000.0, **attrs)
    return graph


def write(tmp_path: Path, graph: nx.Graph, name: str = "roads.graphml") -> Path:
    """Save ``graph`` as GraphML in ``tmp_path``."""
    path = tmp_path / name
    nx.write_graphml(graph, path)
    return path


def coords(*cells: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Site lat/lon arrays (degrees) near the given grid cells."""
    lat, lon = zip(*(site(i, j) for i, j in cells), strict=True)
    return np.array(lat), np.array(lon)


def test_hand_checked_time_and_km(tmp_path):
    lat, lon = coords((0, 0), (0, 2), (2, 2))
    road, report = load_road_graph(write(tmp_path, grid()), lat, lon, PARAMS)
    assert isinstance(road, RoadTimes)
    # (0,0) -> (0,2): two 1000 m edges at 60 s each.
    assert road.km[0, 1] == pytest.approx(2.0)
    assert road.urban_min[0, 1] == pytest.approx(2.0)
    assert road.rest_min[0, 1] == pytest.approx(PARAMS.handling_min)
    # (0,0) -> (2,2): four edges.
    assert road.km[0, 2] == pytest.approx(4.0)
    assert road.urban_min[0, 2] == pytest.approx(4.0)
    assert np.all(np.diag(road.km) == 0)
    assert np.all(np.diag(road.urban_min) == 0)
    assert np.all(np.diag(road.rest_min) == 0)
    assert report == RoadGraphReport(
        nodes=9, edges=24, snapped_km_max=pytest.approx(0.0015, abs=1e-3), unreachable_pairs=0
    )


def test_peak_factor_applies_to_graph_minutes(tmp_path):
    lat, lon = coords((0, 0), (0, 2))
    road = road_times_from_graphml(write(tmp_path, grid()), lat, lon, PARAMS)
    assert road.peak_windows_min == ((420.0, 540.0),)
    assert road.minutes(0, 1, depart_min=8 * 60) == pytest.approx(2.0 * 1.5 + 10.0)
    assert road.minutes(0, 1, depart_min=12 * 60) == pytest.approx(2.0 + 10.0)


def test_one_way_street_is_asymmetric(tmp_path):
    graph = grid()
    graph.remove_edge(node(0, 1), node(0, 0))  # (0,0) -> (0,1) is now one-way
    lat, lon = coords((0, 0), (0, 1))
    road, _ = load_road_graph(write(tmp_path, graph), lat, lon, PARAMS)
    assert road.urban_min[0, 1] == pytest.approx(1.0)
    assert road.km[0, 1] == pytest.approx(1.0)
    # Back: (0,1) -> (1,1) -> (1,0) -> (0,0).
    assert road.urban_min[1, 0] == pytest.approx(3.0)
    assert road.km[1, 0] == pytest.approx(3.0)


def test_km_is_along_the_fastest_path_not_the_shortest(tmp_path):
    graph = grid()
    # A long but fast bypass from (0,0) to (0,2): 5000 m in 30 s.
    graph.add_edge(node(0, 0), node(0, 2), length=5000.0, travel_time=30.0)
    lat, lon = coords((0, 0), (0, 2))
    road, _ = load_road_graph(write(tmp_path, graph), lat, lon, PARAMS)
    assert road.urban_min[0, 1] == pytest.approx(0.5)
    assert road.km[0, 1] == pytest.approx(5.0)
    assert road.km[1, 0] == pytest.approx(2.0)  # the bypass is one-way


def test_parallel_edges_use_the_fastest(tmp_path):
    graph = nx.MultiDiGraph(grid())
    graph.add_edge(node(0, 0), node(0, 1), length=1200.0, travel_time=12.0)
    lat, lon = coords((0, 0), (0, 1))
    road, _ = load_road_graph(write(tmp_path, graph), lat, lon, PARAMS)
    assert road.urban_min[0, 1] == pytest.approx(0.2)
    assert road.km[0, 1] == pytest.approx(1.2)
    assert road.urban_min[1, 0] == pytest.approx(1.0)


def test_travel_time_wins_over_speed_tags(tmp_path):
    graph = grid(travel_time=120.0, maxspeed="100", speed_kph=100.0)
    lat, lon = coords((0, 0), (0, 1))
    road, _ = load_road_graph(write(tmp_path, graph), lat, lon, PARAMS)
    assert road.urban_min[0, 1] == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("attrs", "minutes_per_km"),
    [
        ({"speed_kph": 60.0}, 1.0),
        ({"maxspeed": "40"}, 1.5),
        ({"maxspeed": "['40', '80']"}, 1.0),  # osmnx list: mean 60 km/h
        ({"maxspeed": "30 mph"}, 60.0 / (30 * 1.609344)),
        ({"highway": "residential"}, 60.0 / PARAMS.urban_speed_kmh),
        ({"highway": "motorway"}, 60.0 / PARAMS.intercity_speed_kmh),
        ({"maxspeed": "none", "highway": "trunk"}, 60.0 / PARAMS.intercity_speed_kmh),
    ],
)
def test_speed_based_time_without_travel_time(tmp_path, attrs, minutes_per_km):
    lat, lon = coords((0, 0), (0, 2))
    road, _ = load_road_graph(write(tmp_path, grid(**attrs)), lat, lon, PARAMS)
    assert road.urban_min[0, 1] == pytest.approx(2.0 * minutes_per_km)
    assert road.km[0, 1] == pytest.approx(2.0)


def test_string_attributes_as_saved_by_osmnx(tmp_path):
    graph = nx.MultiDiGraph()
    for (i, j), name in (((0, 0), "1"), ((0, 1), "2")):
        graph.add_node(name, x=str(LON0 + j * STEP), y=str(LAT0 + i * STEP), street_count="3")
    graph.add_edge("1", "2", length="950.5", travel_time="57.0", oneway="True", osmid="[1, 2]")
    graph.add_edge("2", "1", length="950.5", speed_kph="57.03", oneway="True", osmid="7")
    lat, lon = coords((0, 0), (0, 1))
    road, report = load_road_graph(write(tmp_path, graph), lat, lon, PARAMS)
    assert road.km[0, 1] == pytest.approx(0.9505)
    assert road.urban_min[0, 1] == pytest.approx(0.95)
    assert road.urban_min[1, 0] == pytest.approx(0.9505 / 57.03 * 60)
    assert (report.nodes, report.edges) == (2, 2)


def test_undirected_graph_is_two_way(tmp_path):
    graph = nx.Graph()
    graph.add_node("a", x=LON0, y=LAT0)
    graph.add_node("b", x=LON0 + STEP, y=LAT0)
    graph.add_edge("a", "b", length=1500.0, travel_time=90.0)
    lat, lon = coords((0, 0), (0, 1))
    road, _ = load_road_graph(write(tmp_path, graph), lat, lon, PARAMS)
    assert road.urban_min[0, 1] == road.urban_min[1, 0] == pytest.approx(1.5)


def test_sites_on_the_same_node(tmp_path):
    lat, lon = coords((1, 1), (1, 1), (0, 0))
    road, _ = load_road_graph(write(tmp_path, grid()), lat, lon, PARAMS)
    assert road.urban_min[0, 1] == 0.0
    assert road.km[0, 1] == 0.0
    assert road.rest_min[0, 1] == PARAMS.handling_min
    assert road.urban_min[1, 2] == pytest.approx(2.0)


def test_snap_error_names_site_and_distance(tmp_path):
    lat, lon = coords((0, 0), (1, 1))
    lat[1] += 0.1  # 0.09 degrees (~10 km) north of the top row
    with pytest.raises(RoadGraphError, match=r"site 1 is 10\.0\d km") as info:
        load_road_graph(write(tmp_path, grid()), lat, lon, PARAMS, max_snap_km=5.0)
    assert isinstance(info.value, ValueError)
    road, report = load_road_graph(write(tmp_path, grid()), lat, lon, PARAMS, max_snap_km=12.0)
    assert report.snapped_km_max == pytest.approx(10.0, abs=0.05)
    assert road.km.shape == (2, 2)


def test_unreachable_pair_falls_back_to_parametric_and_is_counted(tmp_path):
    graph = grid()
    graph.add_node("island", x=LON0 + 0.2, y=LAT0)  # no edges at all
    lat, lon = coords((0, 0), (2, 2))
    lat, lon = np.append(lat, LAT0), np.append(lon, LON0 + 0.2)
    island = np.array([False, False, True])
    road, report = load_road_graph(
        write(tmp_path, graph), lat, lon, PARAMS, island=island, ferry_min=45.0
    )
    param = RoadTimes.build(lat, lon, PARAMS, island, 45.0)
    assert report.unreachable_pairs == 4
    for a, b in ((0, 2), (2, 0), (1, 2), (2, 1)):
        assert road.km[a, b] == param.km[a, b]
        assert road.urban_min[a, b] == param.urban_min[a, b]
        assert road.rest_min[a, b] == param.rest_min[a, b]
    assert road.urban_min[0, 1] == pytest.approx(4.0)  # reachable pair from the graph
    assert road.rest_min[0, 1] == PARAMS.handling_min


def test_ferry_added_where_island_flags_differ(tmp_path):
    lat, lon = coords((0, 0), (0, 2), (2, 2))
    island = np.array([False, True, True])
    road, _ = load_road_graph(
        write(tmp_path, grid()), lat, lon, PARAMS, island=island, ferry_min=30.0
    )
    assert road.rest_min[0, 1] == pytest.approx(40.0)
    assert road.rest_min[1, 0] == pytest.approx(40.0)
    assert road.rest_min[1, 2] == pytest.approx(10.0)
    assert road.urban_min[0, 1] == pytest.approx(2.0)


@pytest.mark.parametrize("attr", ["x", "y"])
def test_missing_node_coordinate_raises(tmp_path, attr):
    graph = grid()
    del graph.nodes[node(1, 1)][attr]
    lat, lon = coords((0, 0))
    with pytest.raises(RoadGraphError, match=rf"'{attr}'.*roads\.graphml|roads\.graphml.*'{attr}'"):
        load_road_graph(write(tmp_path, graph), lat, lon, PARAMS)


def test_missing_length_raises(tmp_path):
    graph = grid()
    del graph.edges[node(0, 0), node(0, 1)]["length"]
    lat, lon = coords((0, 0))
    with pytest.raises(RoadGraphError, match=r"roads\.graphml has no numeric attribute 'length'"):
        load_road_graph(write(tmp_path, graph), lat, lon, PARAMS)


def test_missing_file_raises(tmp_path):
    lat, lon = coords((0, 0))
    with pytest.raises(RoadGraphError, match="not found"):
        load_road_graph(tmp_path / "nope.graphml", lat, lon, PARAMS)


def test_unreadable_graphml_raises(tmp_path):
    path = tmp_path / "broken.graphml"
    path.write_text("<graphml><graph><node id='a'>", encoding="utf-8")
    lat, lon = coords((0, 0))
    with pytest.raises(RoadGraphError, match=r"cannot read GraphML .*broken\.graphml"):
        load_road_graph(path, lat, lon, PARAMS)


def test_random_graph_matches_networkx_dijkstra(tmp_path):
    rng = np.random.default_rng(7)
    graph = nx.gnm_random_graph(120, 400, seed=7, directed=True)
    for n in graph.nodes:
        graph.nodes[n].update(x=LON0 + rng.uniform(0, 0.1), y=LAT0 + rng.uniform(0, 0.1))
    for u, v in graph.edges:
        graph.edges[u, v].update(length=rng.uniform(100, 2000), travel_time=rng.uniform(10, 200))
    sites = rng.choice(120, 25, replace=False)
    lat = np.array([graph.nodes[s]["y"] for s in sites])
    lon = np.array([graph.nodes[s]["x"] for s in sites])
    road, report = load_road_graph(write(tmp_path, graph), lat, lon, PARAMS)
    unreachable = 0
    for a, s in enumerate(sites):
        dist, paths = nx.single_source_dijkstra(graph, s, weight="travel_time")
        for b, t in enumerate(sites):
            if a == b:
                continue
            if t not in dist:
                unreachable += 1
                continue
            path = paths[t]
            km = sum(graph.edges[p, q]["length"] for p, q in pairwise(path)) / 1000
            assert road.urban_min[a, b] == pytest.approx(dist[t] / 60)
            assert road.km[a, b] == pytest.approx(km)
    assert report.unreachable_pairs == unreachable
