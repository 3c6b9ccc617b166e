"""Dispatch flies drones only where they are operated: the routine routes and declared ports."""

from __future__ import annotations

import numpy as np
import pytest

from sim.build import make_world
from sim.core.domain import Priority, Product, UnitState
from sim.policies.dispatch import Multimodal
from sim.scenario import ScenarioError, load_scenario
from sim.state.world import World
from tests.sim.processes.test_drone_routes import _scenario, folder  # noqa: F401 (fixture)

NO_ROUTE = "      []"


def _world(folder, routes: str, drones: str, dispatch: str = "multimodal") -> World:  # noqa: F811
    text = _scenario(folder, days=2, routes=routes, extra="").read_text(encoding="utf-8")
    text = text.replace("    routine_routes:\n", f"    {drones}\n    routine_routes:\n")
    text = text.replace("dispatch: ground_only", f"dispatch: {dispatch}")
    path = folder / f"network_{abs(hash(text))}.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_scenario(path)
    return make_world(loaded.scenario, loaded.region, 1)


ROUTE = "      - {from: bs_a, to: h_a, km: 3, flight_min: 2, days: [Sun]}"


@pytest.mark.parametrize(
    ("routes", "drones", "flies"),
    [
        (NO_ROUTE, "network: all_ports", True),  # every port may fly (the what-if)
        (NO_ROUTE, "network: operated", False),  # nothing operated
        (NO_ROUTE, "network: operated\n    operated_ports: [bs_a, h_a]", True),
        (ROUTE, "network: operated", True),  # along the routine route, both ways
    ],
)
def test_dispatch_flies_only_on_the_operated_network(folder, routes, drones, flies):  # noqa: F811
    world = _world(folder, routes, drones)
    a, h = world.sites.position("bs_a"), world.sites.position("h_a")
    ids = _bags(world, a, 2)
    assert world.drones.on_network(a, h) is flies and world.drones.on_network(h, a) is flies
    assert world.drones.can_fly(a, h, ids, 2) is flies


def _bags(world: World, site: int, n: int) -> np.ndarray:
    ids = world.add_units(
        product=Product.RBC, abo=0, rhd=1, size_u=np.ones(n), donation_id=0, collected_at=0.0,
        expires_at=1e6, site=site, state=UnitState.AVAILABLE,
    )  # fmt: skip
    return ids


def _deliver(world: World, priority: int) -> str:
    a, h = world.sites.position("bs_a"), world.sites.position("h_a")
    ids = _bags(world, a, 2)
    done = world.env.process(Multimodal().deliver(world, ids, a, h, priority, order=-1))
    world.env.run(until=done)
    return done.value[1]


def test_emergencies_fly_the_routine_route_at_its_published_minutes(folder):  # noqa: F811
    world = _world(folder, ROUTE, "network: operated")
    a, h = world.sites.position("bs_a"), world.sites.position("h_a")
    assert world.drones.flight_min(a, h) == 2.0  # published, not the straight line
    assert _deliver(world, Priority.EMERGENCY) == "drone"
    legs = world.logs.legs.frame()
    sorties = legs[(legs["mode"] == "drone") & (legs["purpose"] != "return")]
    assert len(sorties) == 1
    assert (sorties["arrive_at"] - sorties["depart_at"]).tolist() == [2.0]


@pytest.mark.parametrize("priority", [Priority.ROUTINE, Priority.URGENT])
def test_only_emergencies_fly_off_the_timetable(folder, priority):  # noqa: F811
    world = _world(folder, ROUTE, "network: operated")
    assert _deliver(world, priority) != "drone"


def test_an_operated_port_without_a_drone_port_is_one_clear_line(folder):  # noqa: F811
    with pytest.raises(ScenarioError) as caught:
        _world(folder, NO_ROUTE, "operated_ports: [h_b]")
    lines = [p.line("f") for p in caught.value.problems]
    assert len(lines) == 1 and "fleet.drones.operated_ports.0" in lines[0]
    assert "site 'h_b' has no drone port" in lines[0]
