"""Every invalid scenario fixture fails with exactly the problems it is paired with."""

from pathlib import Path

import pytest
import yaml

from sim.scenario import ScenarioError, load_scenario

HERE = Path(__file__).parent
EXPECTED = yaml.safe_load((HERE / "expected_errors.yaml").read_text(encoding="utf-8"))
FIXTURES = sorted((HERE / "invalid").glob("*.yaml"))


def test_every_fixture_has_an_expectation():
    assert len(FIXTURES) >= 15
    assert {f.name for f in FIXTURES} == set(EXPECTED)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.stem)
def test_raises_invalid_file(fixture: Path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(fixture)
    lines = [p.line(str(fixture)) for p in caught.value.problems]
    assert lines == [f"{fixture}: {line}" for line in EXPECTED[fixture.name]]
