"""The compiled issue path (:mod:`sim.processes.issue_core`) does what its Python twin,
:meth:`Hospital._issue_pairs`, does: the same ids issued, and after every block the same
credits, met demand, demand book, waiting patients, stockouts, stock and ledger, to the bit;
and a run with it writes the same run folder as a run without it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sim.core.domain import PRODUCTS, Priority, Product
from sim.processes import hospital as hospital_module
from sim.processes.hospital import ROUTINE_INDEX, Hospital
from tests.sim.conftest import assert_same_run_either_way
from tests.sim.processes.test_hospital_issue_block import BLOCK_MIN, _state, _stock

issue_core = hospital_module.issue_core
if issue_core is None:
    pytest.skip("the compiled issue path is not built, or not wanted", allow_module_level=True)

# Red cells kept for emergencies at every tier (a floor of 4 U of O+ and 2 U of O-), so
# that the floors bind on a small shelf.
FLOORS = """\
inventory:
  patient_orders: {patient_orders}
  emergency_o:
    rhd_pos_u: {{tertiary: 4, secondary: 4, county: 4}}
    rhd_neg_u: {{tertiary: 2, secondary: 2, county: 2}}
"""


def _pair(world_of, site_name: str, patient_orders: bool) -> tuple[list, list[Hospital]]:
    """Two worlds of the same scenario, one hospital each: compiled, then Python."""
    extra = FLOORS.format(patient_orders=str(patient_orders).lower())
    worlds = [world_of(days=4, extra=extra) for _ in range(2)]
    site = worlds[0].sites.position(site_name)
    hospitals = [Hospital(world, site) for world in worlds]
    hospitals[1]._issue_core = None  # the Python twin
    for world, hospital in zip(worlds, hospitals, strict=True):
        world.hospitals[site] = hospital
    return worlds, hospitals


@settings(
    max_examples=12,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # each example builds two worlds
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    bags=st.integers(0, 80),
    site_name=st.sampled_from(["h_a", "h_b"]),
    patient_orders=st.booleans(),
)
def test_compiled_issue_is_the_python_issue_block_by_block(
    tiny_world, seed, bags, site_name, patient_orders
) -> None:
    worlds, hospitals = _pair(tiny_world, site_name, patient_orders)
    assert hospitals[0]._issue_core is not None
    for world in worlds:
        _stock(world, hospitals[0].site, np.random.default_rng(seed), bags)
    rng = np.random.default_rng(seed + 1)
    for block in range(12):
        cells = rng.poisson(rng.choice([0.05, 0.3, 1.0, 3.0]), (len(PRODUCTS), 8, 3))
        cells[:, :, ROUTINE_INDEX] *= rng.integers(0, 3)
        taken = []
        for world, hospital in zip(worlds, hospitals, strict=True):
            world.env.run(until=block * BLOCK_MIN + 1.0)
            if block % 5 == 4:  # an incident: float units, issued by the Python path
                hospital.inject(Product.RBC, cells[0, :, 0] * 1.5, Priority.EMERGENCY)
                taken.append([])
                continue
            plan = [(r, g, units) for r, g, units in _plan(cells)]
            ids = hospital.issue_drawn(block // 4, plan)
            taken.append([part.tolist() for part in ids])
        assert taken[0] == taken[1]
        assert _state(worlds[0], hospitals[0]) == _state(worlds[1], hospitals[1])
        assert hospitals[0]._credited == hospitals[1]._credited


def _plan(cells: np.ndarray) -> list[tuple[int, int, list[int]]]:
    """One block's ``(product row, group, units per urgency)`` with demand, sorted, as
    :meth:`Hospital.plan_day` gives them (whole units as Python ints)."""
    rows, groups = cells.sum(axis=2).nonzero()
    units = cells.tolist()
    return [(r, g, units[r][g]) for r, g in zip(rows.tolist(), groups.tolist(), strict=True)]


def test_a_hospital_kind_that_changes_a_compiled_step_issues_in_python(tiny_world) -> None:
    class Stricter(Hospital):
        def _take(self, product, group, emergency, need):  # a changed step
            return super()._take(product, group, emergency, need)

    world = tiny_world()
    site = world.sites.position("h_a")
    assert Hospital(world, site)._issue_core is not None
    assert Stricter(world, site)._issue_core is None


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**16))
def test_a_run_with_the_compiled_issue_is_the_run_without_it(
    tiny_scenario, tmp_path_factory, seed
) -> None:
    extra = FLOORS.format(patient_orders="true") + "  crossmatch: {ct_ratio: 2.5, hold_h: 24}\n"
    path = tiny_scenario(days=5, seed=seed, extra=extra)

    def switch(patch: pytest.MonkeyPatch, compiled: bool) -> None:
        patch.setattr(hospital_module, "issue_core", issue_core if compiled else None)

    assert_same_run_either_way(path, tmp_path_factory, switch)


@settings(max_examples=150, deadline=None)
@given(
    shape=st.tuples(*[st.integers(1, 5)] * 3, st.integers(2, 4)),
    mean=st.sampled_from([0.05, 0.5, 3.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_days_plan_is_the_python_plan(shape, mean, seed) -> None:
    cells = np.random.default_rng(seed).poisson(mean, shape).astype(np.int64)
    cells[..., 0] -= 2 * cells[..., 1]  # sums of 0 (not planned) and below 0 (planned)
    plan = issue_core.day_plan(cells)
    assert plan == hospital_module._day_plan(cells)
    assert all(type(x) is int for block in plan for row in block for x in (*row[:2], *row[2]))
