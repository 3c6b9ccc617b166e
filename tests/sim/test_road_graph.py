"""A scenario can take its road times from a GraphML road network (e.g. saved by osmnx)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from sim import run
from sim.scenario import ScenarioError, load_scenario
from tests.sim.conftest import TINY_SITES


def _write_graph(path) -> None:
    """A slow two-way street grid over the tiny world, 2 km spacing, 20 km/h."""
    graph = nx.DiGraph()
    lons, lats = np.arange(120.10, 120.46, 0.02), np.arange(30.05, 30.33, 0.02)
    for i, lon in enumerate(lons):
        for j, lat in enumerate(lats):
            graph.add_node(f"{i}-{j}", x=float(lon), y=float(lat))
    for i in range(len(lons)):
        for j in range(len(lats)):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < len(lons) and j + dj < len(lats):
                    for a, b in (
                        (f"{i}-{j}", f"{i + di}-{j + dj}"),
                        (f"{i + di}-{j + dj}", f"{i}-{j}"),
                    ):
                        graph.add_edge(a, b, length=2000.0, speed_kph=20.0)
    nx.write_graphml(graph, path)


def test_road_graph_replaces_the_straight_line_model(tiny_dir, tiny_scenario):
    _write_graph(tiny_dir / "roads.graphml")
    base = run(tiny_scenario(days=1, seed=3))
    graph = run(tiny_scenario(days=1, seed=3, extra="road_graph: roads.graphml\n"))
    vans = graph.legs[graph.legs["mode"] == "van"]
    base_vans = base.legs[base.legs["mode"] == "van"]
    # street grid at 20 km/h: slower than the 25 km/h door-to-door urban model
    assert (vans.arrive_at - vans.depart_at).mean() > (
        base_vans.arrive_at - base_vans.depart_at
    ).mean()
    assert set(vans.from_site) <= {site[0] for site in TINY_SITES}


def test_missing_road_graph_is_a_scenario_error(tiny_scenario):
    path = tiny_scenario(days=1, extra="road_graph: nowhere.graphml\n")
    with pytest.raises(ScenarioError, match="road_graph: .*nowhere.graphml does not exist"):
        load_scenario(path)
