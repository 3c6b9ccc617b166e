"""Shipped scenarios validate; defaults are complete; the JSON schema is usable."""

from pathlib import Path

import pytest

from sim.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenarios_validate(path: Path):
    loaded = load_scenario(path)
    assert loaded.scenario.name
    assert len(loaded.sha256) == 64


def test_baseline_spells_out_the_defaults():
    """The baseline file states every default explicitly, so it equals a minimal file, apart
    from the Zhejiang drone routes (site ids of one region, so no default), the way the
    province operates (its drone network and the optimizer policies, issue 11) and the rate of
    first requests to its platelet gene bank."""
    baseline = load_scenario(ROOT / "scenarios" / "zhejiang_baseline.yaml").scenario
    minimal = Scenario(name=baseline.name, description=baseline.description)
    regional = {
        "outputs": True,
        "fleet": {"drones": {"routine_routes", "network"}},
        "policies": {"dispatch", "rebalancing"},
        "rare_blood": {"hla_requests_per_week"},
    }
    assert baseline.model_dump(exclude=regional) == minimal.model_dump(exclude=regional)
    assert baseline.fleet.drones.routine_routes and not minimal.fleet.drones.routine_routes
    assert baseline.fleet.drones.network == "operated"
    assert baseline.rare_blood.hla_requests_per_week > 0
    assert minimal.rare_blood.hla_requests_per_week == 0
    assert (baseline.policies.dispatch, baseline.policies.rebalancing) == (
        "multimodal",
        "optimized",
    )


def test_json_schema_names_every_section():
    schema = Scenario.model_json_schema()
    for section in (
        "products",
        "blood_groups",
        "supply",
        "testing",
        "processing",
        "demand",
        "inventory",
        "fleet",
        "policies",
        "events",
        "outputs",
    ):
        assert section in schema["properties"]
    assert schema["additionalProperties"] is False


def test_shares_within_tolerance_are_accepted(tmp_path: Path):
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nblood_groups:\n  abo: {O: 0.3400004, A: 0.3, B: 0.27, AB: 0.09}\n")
    assert pytest.approx(0.34, abs=1e-6) == load_scenario(path).scenario.blood_groups.abo.O
