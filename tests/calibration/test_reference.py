"""Reference files: the shipped ones validate; every mistake is one line naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.calibration import MEASURES, CalibrationError, load_reference, shipped_reference
from sim.calibration.reference import shipped_regions
from sim.calibration.table import verdict
from sim.calibration.text import reference_range

ROOT = Path(__file__).resolve().parents[2]
GOOD_ENTRY = {
    "id": "lead", "measure": "emergency_lead_p50", "description": "median lead time",
    "high": 45, "unit": "min", "scale": "none", "source": "facts.md 9", "quote": "12-min drive",
}  # fmt: skip


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ref.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def document(**changes: object) -> str:
    entry = {k: v for k, v in {**GOOD_ENTRY, **changes}.items() if v is not None}
    return yaml.safe_dump({"region": "x", "title": "t", "entries": [entry]}, allow_unicode=True)


@pytest.mark.parametrize("region", ["zhejiang", "hubei"])
def test_shipped_reference_files_validate(region):
    reference = load_reference(ROOT / "scenarios" / "reference" / f"{region}.yaml")
    assert reference.region == region
    assert reference == shipped_reference(region)
    for entry in reference.entries:
        assert entry.unit == MEASURES[entry.measure].unit
        assert entry.source.startswith(("facts.md", "seeds.md")) and entry.quote


def test_shipped_regions_are_the_files_in_the_package():
    assert shipped_regions() == ["hubei", "shanghai", "zhejiang"]
    assert shipped_reference("tiny_region") is None
    assert shipped_reference("../zhejiang") is None


def test_a_good_document_loads(tmp_path):
    entry = load_reference(write(tmp_path, document())).entries[0]
    assert (entry.low, entry.high, entry.role) == (None, 45, "target")


BAD = [
    ({"high": -1, "low": 5}, "entries.0.high: -1 is below low 5 (high >= low)"),
    ({"high": None}, "entries.0.high: no range (low, high or both)"),
    ({"unit": "h"}, "entries.0.unit: 'h' is not the unit of emergency_lead_p50 (min)"),
    ({"scale": "annual"}, "entries.0.scale: annual does not fit emergency_lead_p50 (none: a rate)"),
    ({"measure": "teleport"}, "entries.0.measure: unknown measure 'teleport' (one of: "),
    ({"source": "the internet"}, "entries.0.source: 'the internet' cites no source"),
    ({"id": "Bad Id"}, "entries.0.id: 'Bad Id' is not a valid id"),
    ({"role": "report"}, "entries.0.high: a reported figure has a range"),
    ({"high": ".nan"}, "entries.0.high: "),
    ({"colour": "red"}, "entries.0.colour: unknown key 'colour'"),
    ({"quote": None}, "entries.0.quote: missing"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "line"), BAD, ids=[str(c) for c, _ in BAD])
def test_a_mistake_is_one_line_naming_the_file_and_the_field(tmp_path, change, line):
    text = document(**change).replace("'.nan'", ".nan")
    path = write(tmp_path, text)
    with pytest.raises(CalibrationError) as caught:
        load_reference(path)
    assert len(caught.value.lines) == 1
    assert caught.value.lines[0].startswith(f"{path}: {line}")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("entries: [\n", "line "),
        ("- just a list\n", "(top level): not a mapping"),
        ("region: x\nregion: y\ntitle: t\nentries: []\n", "line 2: key 'region' appears again"),
        ("region: x\ntitle: t\nentries: []\n", "entries: [] is not valid"),
    ],
)
def test_a_broken_file_is_one_line(tmp_path, text, line):
    path = write(tmp_path, text)
    with pytest.raises(CalibrationError) as caught:
        load_reference(path)
    assert caught.value.lines == [caught.value.lines[0]]
    assert caught.value.lines[0].startswith(f"{path}: {line}")


def test_an_unreadable_file_is_one_line(tmp_path):
    with pytest.raises(CalibrationError, match=r"nope\.yaml: cannot read the reference file"):
        load_reference(tmp_path / "nope.yaml")
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CalibrationError, match="not UTF-8"):
        load_reference(tmp_path / "bin.yaml")


ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(GOOD_ENTRY) + ["low", "role"]), ANY_VALUE)
def test_any_value_in_any_field_is_accepted_or_one_line_per_problem(tmp_path_factory, key, value):
    path = write(tmp_path_factory.mktemp("fuzz"), document(**{key: value}))
    try:
        load_reference(path)
    except CalibrationError as exc:
        assert exc.lines and all(line.startswith(f"{path}: ") for line in exc.lines)
        assert all("\n" not in line for line in exc.lines)


FINITE = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9)


@settings(max_examples=200, deadline=None)
@given(FINITE, FINITE, FINITE)
def test_within_means_inside_the_bounds(value, a, b):
    low, high = min(a, b), max(a, b)
    inside = low <= value <= high
    assert (verdict(value, low, high, "target") == "within") == inside
    assert verdict(value, None, high, "target") == ("above" if value > high else "within")
    assert verdict(value, low, None, "target") == ("below" if value < low else "within")
    assert verdict(None, low, high, "target") == "not measured"
    assert verdict(value, None, None, "report") == "reported"


def test_ranges_read_as_text():
    assert reference_range(0.3, 2.0, "%") == "0.3–2 %"
    assert reference_range(None, 48.0, "h") == "≤ 48 h"
    assert reference_range(99.0, None, "%") == "≥ 99 %"
    assert reference_range(0.9, 1.1, "ratio") == "0.9–1.1"
    assert reference_range(None, None, "min") == "—"
