"""Bad region files, one case each, through one parametrized test: a GeodataError naming the file,
the field (and the site) and what was expected; never another exception, never acceptance."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from geodata import GeodataError, load_region
from tests.geodata.tiny import Documents, site, tiny_documents, write_region

HOSPITAL = "h_hangzhou_001"
Mutation = Callable[[Documents], None]


def _prop(site_id: str, key: str, value: object) -> Mutation:
    return lambda docs: site(docs, site_id)["properties"].__setitem__(key, value)


def _coords(site_id: str, coordinates: object) -> Mutation:
    return lambda docs: site(docs, site_id)["geometry"].__setitem__("coordinates", coordinates)


def _road(key: str, value: object) -> Mutation:
    return lambda docs: docs["road.json"].__setitem__(key, value)


def _rail(key: str, value: object) -> Mutation:
    return lambda docs: docs["rail_lines.geojson"]["features"][0]["properties"].__setitem__(
        key, value
    )


def _two_county_banks(docs: Documents) -> None:
    """Two county blood banks of the hospital's city and county (found by the scaling
    benchmark: the hospital's bank would be a silent choice)."""
    for name in ("cbb_one", "cbb_two"):
        bank = copy.deepcopy(site(docs, HOSPITAL))
        bank["properties"].update(site_id=name, kind="county_blood_bank", tier=None, beds=None)
        docs["sites.geojson"]["features"].append(bank)


def _raw(name: str, data: bytes) -> Mutation:
    return lambda docs: docs.__setitem__(name, data)


def _sites_text(old: str, new: str) -> Mutation:
    """Replace text in the written sites.geojson (for JSON that json.dumps cannot produce)."""

    def mutate(docs: Documents) -> None:
        text = json.dumps(docs["sites.geojson"])
        assert old in text
        docs["sites.geojson"] = text.replace(old, new, 1).encode()

    return mutate


def _no_outline_then(mutation: Mutation) -> Mutation:
    def mutate(docs: Documents) -> None:
        docs["outline.geojson"] = None
        mutation(docs)

    return mutate


S = r"sites\.geojson: field"
CASES: dict[str, tuple[Mutation, str]] = {
    # beds: non-negative whole numbers with a bound that says where it comes from
    "negative beds": (_prop(HOSPITAL, "beds", -5), rf"{S} 'beds': .*0.*{HOSPITAL}.*got -5"),
    "1e15 beds": (_prop(HOSPITAL, "beds", 1e15), rf"{S} 'beds': .*20000.*largest hospitals"),
    "huge int beds": (_prop(HOSPITAL, "beds", 10**30), rf"{S} 'beds': .*{HOSPITAL}"),
    "fractional beds": (_prop(HOSPITAL, "beds", 2.5), rf"{S} 'beds': .*whole number.*2\.5"),
    "text beds": (_prop(HOSPITAL, "beds", "lots"), rf"{S} 'beds': .*whole number.*'lots'"),
    "boolean beds": (_prop(HOSPITAL, "beds", True), rf"{S} 'beds': .*whole number.*True"),
    "donor beds": (_prop("dh_hangzhou_01", "beds", 500), rf"{S} 'beds': at most 200 donor"),
    # wrong types and values in other columns
    "numeric name": (_prop(HOSPITAL, "name", 5), rf"{S} 'name': .*string.*{HOSPITAL}"),
    "blank name": (_prop(HOSPITAL, "name", "  "), rf"{S} 'name': .*{HOSPITAL}"),
    "unknown tier": (_prop(HOSPITAL, "tier", "quaternary"), rf"{S} 'tier': .*'tertiary'"),
    "text island": (_prop(HOSPITAL, "island", "yes"), rf"{S} 'island': .*boolean"),
    "0/1 island": (_prop(HOSPITAL, "island", 1), rf"{S} 'island': .*boolean"),
    "numeric id": (_prop(HOSPITAL, "site_id", 7), rf"{S} 'site_id': .*string.*feature"),
    "duplicate id": (_prop(HOSPITAL, "site_id", "bc_hangzhou"), rf"{S} 'site_id': unique"),
    "null properties": (
        lambda docs: site(docs, HOSPITAL).__setitem__("properties", None),
        rf"{S} 'site_id': field required",
    ),
    "long name": (_prop(HOSPITAL, "name", "x" * 5000), rf"{S} 'name': .*at most 300"),
    # coordinates
    "EPSG:3857 metres": (
        _coords(HOSPITAL, [13_380_000.0, 3_530_000.0]),
        rf"{S} 'geometry': .*{HOSPITAL}.*looks like projected coordinates \(e\.g\. EPSG:3857\)",
    ),
    "swapped lon/lat": (_coords(HOSPITAL, [30.26, 120.3]), rf"{S} 'geometry': .*{HOSPITAL}.*swap"),
    "lat beyond the pole": (_coords(HOSPITAL, [120.3, 95.0]), rf"{S} 'geometry': .*lat in"),
    "1e400 coordinate": (_sites_text("120.21, 30.21", "1e400, 30.21"), rf"{S} '<document>': fin"),
    "NaN coordinate": (_sites_text("120.21, 30.21", "NaN, 30.21"), rf"{S} '<document>': finite"),
    "Infinity coordinate": (_sites_text("120.21, 30.21", "-Infinity, 30.21"), r"finite numbers"),
    "one-number point": (_coords(HOSPITAL, [120.3]), rf"{S} '<file>'"),
    "text coordinate": (_coords(HOSPITAL, ["a", 30]), rf"{S} 'geometry': .*{HOSPITAL}"),
    "far site (outline)": (
        _coords(HOSPITAL, [-74.0, 40.7]),
        rf"{S} 'geometry': .*'{HOSPITAL}' at lon -74.*outside, about 12,",
    ),
    "far site (no outline)": (
        _no_outline_then(_coords(HOSPITAL, [-74.0, 40.7])),
        rf"{S} 'geometry': sites within 1,500 km .*'{HOSPITAL}' at lon -74",
    ),
    "line as a site": (
        lambda docs: site(docs, HOSPITAL).__setitem__(
            "geometry", {"type": "LineString", "coordinates": [[120.2, 30.2], [120.3, 30.2]]}
        ),
        rf"{S} 'geometry': Point for '{HOSPITAL}', got LineString",
    ),
    # structure of the sites file
    "duplicate key": (
        _sites_text('"beds": 2430', '"beds": 2430, "beds": 2'),
        rf"{S} '<document>': each key once.*'beds'",
    ),
    "not JSON": (_raw("sites.geojson", b"hello"), rf"{S} '<document>': valid UTF-8 JSON"),
    "not UTF-8": (_raw("sites.geojson", b"\xff\xfe\xfa"), rf"{S} '<document>'"),
    "a JSON list": (_raw("sites.geojson", b"[1, 2]"), rf"{S} '<document>'.*FeatureCollection"),
    "deep nesting": (_raw("sites.geojson", b"[" * 100_000), rf"{S} '<document>': JSON nested"),
    "no features": (lambda docs: docs["sites.geojson"].__setitem__("features", []), r"1 to 10,000"),
    # road.json
    "speed 1e-300": (_road("urban_speed_kmh", 1e-300), r"road\.json: field 'urban_speed_kmh': "),
    "speed 1e6": (_road("intercity_speed_kmh", 1e6), r"road\.json: .*'intercity_speed_kmh'.*120"),
    "speed text": (_road("urban_speed_kmh", "fast"), r"road\.json: .*'urban_speed_kmh'.*number"),
    "detour below 1": (_road("detour_factor", 0.5), r"road\.json: field 'detour_factor'"),
    "unknown road key": (_road("speed", 3), r"road\.json: field 'speed': a known field"),
    "reversed window": (_road("peak_windows_h", [[9, 7]]), r"road\.json: .*'peak_windows_h\.0'"),
    "ferry minutes": (
        lambda docs: docs["road.json"]["ferry"].__setitem__("extra_min", -1),
        r"road\.json: field 'ferry\.extra_min'",
    ),
    "road list": (_raw("road.json", b"[1]"), r"road\.json: field '<document>': a JSON object"),
    "road truncated": (_raw("road.json", b'{"peak_factor": 1.6,'), r"road\.json: .*valid UTF-8"),
    "road duplicate": (
        _raw("road.json", b'{"peak_factor": 1.6, "peak_factor": 9}'),
        r"road\.json: field '<document>': each key once",
    ),
    "road NaN": (_raw("road.json", b'{"peak_factor": NaN}'), r"road\.json: .*finite numbers"),
    # rail and no-fly layers
    "rail minutes 0": (_rail("minutes", 0), r"rail_lines\.geojson: field 'minutes': .*greater"),
    "rail minutes text": (_rail("minutes", "18"), r"rail_lines\.geojson: field 'minutes'"),
    "rail faster than HSR": (_rail("minutes", 1), r"rail_lines\.geojson: .*'minutes'.*350 km/h"),
    "rail to a hospital": (_rail("to_site", HOSPITAL), r"rail_lines\.geojson: field 'to_site'"),
    "zone without id": (
        lambda docs: docs["no_fly.geojson"]["features"][0]["properties"].__setitem__(
            "zone_id", None
        ),
        r"no_fly\.geojson: field 'zone_id'",
    ),
    "projected outline": (
        lambda docs: docs["outline.geojson"]["features"][0]["geometry"].__setitem__(
            "coordinates", [[[[0, 0], [2e7, 0], [2e7, 2e7], [0, 0]]]]
        ),
        r"outline\.geojson: field 'geometry': .*looks like projected",
    ),
    "two county banks of one county": (
        _two_county_banks,
        r"sites\.geojson: field 'county': one county blood bank per city and county",
    ),
    "outline without polygons": (  # found by tests/fuzz/test_region_fuzz.py
        lambda docs: docs["outline.geojson"].__setitem__("features", []),
        r"outline\.geojson: field 'features': at least one polygon",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_region_file_raises_one_clear_error(tmp_path: Path, case: str) -> None:
    mutate, pattern = CASES[case]
    docs = tiny_documents()
    mutate(docs)
    folder = write_region(tmp_path / "region", docs)
    with pytest.raises(GeodataError, match=pattern) as caught:
        load_region(folder)
    assert str(folder) in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_the_tiny_region_itself_loads(tmp_path: Path) -> None:
    region = load_region(write_region(tmp_path / "region", tiny_documents()))
    assert len(region.sites) == 8 and len(region.rail_lines) == 1 and len(region.no_fly) == 1
    assert region.road.ferry.extra_min == 60.0


def test_far_site_is_named_not_a_correct_one(tmp_path: Path) -> None:
    """Regression: without an outline, a site in New York stretched the derived outline so that
    a correct site near Hangzhou fell outside it and was blamed instead."""
    docs = tiny_documents()
    docs["outline.geojson"] = None
    site(docs, "dh_hangzhou_01")["geometry"]["coordinates"] = [-74.0, 40.7]
    with pytest.raises(GeodataError) as caught:
        load_region(write_region(tmp_path / "region", docs))
    message = str(caught.value)
    assert "'dh_hangzhou_01'" in message
    assert all(f"'{other}'" not in message for other in ("h_hangzhou_001", "bc_hangzhou"))


def test_swap_within_ranges_is_detected(tmp_path: Path) -> None:
    """Near lon 10, lat 50 a swapped point is still within WGS84 ranges: the distance check
    names it and says that swapping would bring it back."""
    docs = tiny_documents()
    for name in ("outline.geojson", "rail_lines.geojson", "no_fly.geojson"):
        docs[name] = None
    for feature in docs["sites.geojson"]["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        feature["geometry"]["coordinates"] = [lon - 110.0, lat + 20.0]
    lon, lat = site(docs, HOSPITAL)["geometry"]["coordinates"]
    site(docs, HOSPITAL)["geometry"]["coordinates"] = [lat, lon]
    with pytest.raises(GeodataError, match=rf"'{HOSPITAL}' at lon 50.*look swapped"):
        load_region(write_region(tmp_path / "region", docs))


def test_many_bad_rows_are_listed_one_line_each_and_capped(tmp_path: Path) -> None:
    docs = tiny_documents()
    for feature in docs["sites.geojson"]["features"]:
        feature["properties"]["beds"] = -1
    with pytest.raises(GeodataError) as caught:
        load_region(write_region(tmp_path / "region", docs))
    lines = str(caught.value).splitlines()
    assert len(lines) == 8
    assert all("field 'beds'" in line for line in lines)
    assert len({line.split(" for ")[1] for line in lines}) == 8
