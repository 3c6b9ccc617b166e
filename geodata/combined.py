"""Regions run together (e.g. ``yangtze_delta``: Shanghai + Zhejiang) from a ``combined.json``.

A combined region is the union of embedded member regions: every site keeps its id and gains a
``region`` label (the member's name); the rail lines of the members plus the border lines of
``combined.json`` form one network; ``road`` is the model of the border legs, while each
member's own model stays in ``member_roads`` for legs inside that member.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from shapely.geometry import LineString
from shapely.ops import unary_union

from geodata.errors import error_of, fail, problem_lines
from geodata.jsonfile import parse_json
from geodata.kinds import RAIL_COLUMNS
from geodata.limits import MAX_RAIL_MINUTES
from geodata.region import Region
from geodata.road import RoadModel
from geodata.validate import check_rail

COMBINED_FILE = "combined.json"
REGION_COLUMN = "region"


class _Strict(BaseModel):
    """Unknown keys are errors (comment keys, starting with ``_``, are removed first)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def without_comments(data: Any) -> Any:
    """``data`` with every object key starting with ``_`` removed, at any depth."""
    if isinstance(data, dict):
        return {k: without_comments(v) for k, v in data.items() if not str(k).startswith("_")}
    if isinstance(data, list):
        return [without_comments(v) for v in data]
    return data


class BorderRail(_Strict):
    """A rail segment between rail stations of two member regions."""

    line_id: str = Field(min_length=1)
    from_site: str = Field(min_length=1)
    to_site: str = Field(min_length=1)
    minutes: float = Field(
        gt=0, le=MAX_RAIL_MINUTES, description="fastest scheduled ride time, minutes"
    )


class CombinedSpec(_Strict):
    """The content of ``combined.json``."""

    members: tuple[str, ...] = Field(
        min_length=2, max_length=8, description="two or more embedded region names"
    )
    border_rail: tuple[BorderRail, ...] = Field((), max_length=100)
    border_road: RoadModel = Field(default_factory=RoadModel)


@dataclass(frozen=True, eq=False)
class CombinedRegion(Region):
    """A :class:`Region` made of member regions (sites carry a ``region`` column).

    Attributes
    ----------
    members : tuple of str
        Member region names, in ``combined.json`` order.
    member_roads : tuple of RoadModel
        Road model of each member, for legs with both ends in that member.
    """

    members: tuple[str, ...] = ()
    member_roads: tuple[RoadModel, ...] = ()


def combined_spec(name_or_path: object) -> tuple[CombinedSpec, list[str]] | None:
    """The spec of a combined region and the names or paths of its members, or None.

    ``name_or_path`` is an embedded combined region (``"yangtze_delta"``) or a folder holding
    a ``combined.json``, whose members are folders next to it or embedded region names.
    """
    found = _combined_file(name_or_path)
    if found is None:
        return None
    data, source, folder = found
    try:
        spec = CombinedSpec.model_validate(without_comments(parse_json(data, source)))
    except ValidationError as exc:
        raise error_of(problem_lines(exc, source, CombinedSpec)) from None
    if folder is None:
        return spec, list(spec.members)
    return spec, [str(folder / m) if (folder / m).is_dir() else m for m in spec.members]


def _combined_file(name_or_path: object) -> tuple[bytes, str, Path | None] | None:
    try:
        return _embedded_combined(name_or_path) or _folder_combined(name_or_path)
    except (OSError, ValueError, TypeError):  # NUL bytes, names too long, not a path
        return None


def combined_names() -> list[str]:
    """Names of the shipped regions that run member regions together (``combined.json``)."""
    root = resources.files("geodata").joinpath("regions")
    return sorted(p.name for p in root.iterdir() if p.joinpath(COMBINED_FILE).is_file())


def _embedded_combined(name: object) -> tuple[bytes, str, None] | None:
    if not isinstance(name, str) or not name or set("/\\.") & set(name):
        return None
    path = resources.files("geodata").joinpath("regions", name, COMBINED_FILE)
    if not path.is_file():
        return None
    return path.read_bytes(), f"geodata/regions/{name}/{COMBINED_FILE}", None


def _folder_combined(name_or_path: object) -> tuple[bytes, str, Path] | None:
    if not str(name_or_path).strip():  # "" is not the working folder
        return None
    folder = Path(name_or_path)
    path = folder / COMBINED_FILE
    return (path.read_bytes(), str(path), folder) if path.is_file() else None


def combine(name: str, spec: CombinedSpec, members: list[Region]) -> CombinedRegion:
    """One region from loaded ``members`` (in ``spec.members`` order) and the border lines."""
    source = f"{name}/{COMBINED_FILE}"
    sites = _sites(members, source)
    return CombinedRegion(
        name=name,
        sites=sites,
        rail_lines=_rail(members, spec, sites, source),
        no_fly=_concat([m.no_fly for m in members]),
        outline=unary_union([m.outline for m in members]),
        road=spec.border_road,
        members=tuple(m.name for m in members),
        member_roads=tuple(m.road for m in members),
        districts=member_districts([(m.name, m.districts) for m in members]),
    )


def member_districts(
    members: list[tuple[str, gpd.GeoDataFrame | None]],
) -> gpd.GeoDataFrame | None:
    """The districts of regions run together, each row labelled with its member's name in
    ``region``; None when no member has districts."""
    frames = [d.assign(**{REGION_COLUMN: name}) for name, d in members if d is not None]
    return _concat(frames) if frames else None


def _sites(members: list[Region], source: str) -> gpd.GeoDataFrame:
    frames = [m.sites.assign(**{REGION_COLUMN: m.name}) for m in members]
    sites = _concat(frames)
    repeated = sites["site_id"][sites["site_id"].duplicated()]
    if len(repeated):
        raise fail(
            source, "members", f"site ids unique across members, {repeated.iloc[0]!r} repeats"
        )
    return sites


def _rail(
    members: list[Region], spec: CombinedSpec, sites: gpd.GeoDataFrame, source: str
) -> gpd.GeoDataFrame:
    """The members' rail lines and the border lines (straight, between their stations)."""
    border = pd.DataFrame([line.model_dump() for line in spec.border_rail], columns=RAIL_COLUMNS)
    rail = pd.concat([*(m.rail_lines.drop(columns="geometry") for m in members), border])
    check_rail(rail.reset_index(drop=True), sites, source)  # ids, stations, speed
    points = sites.set_index("site_id").geometry
    ends = zip(border.from_site, border.to_site, strict=True)
    lines = [LineString([points[a], points[b]]) for a, b in ends]
    border = gpd.GeoDataFrame(border.drop(columns="geometry"), geometry=lines, crs=sites.crs)
    return _concat([*(m.rail_lines for m in members), border])


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    frame = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=frames[0].crs)
