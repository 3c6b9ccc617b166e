"""Assemble the map of a run folder and write it as one self-contained HTML file."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim.execution import output_page as page_file
from sim.maps import frames, layers, safe
from sim.maps.errors import MapError
from sim.maps.offline import inline_assets
from sim.maps.run_folder import RunFolder, check_complete, read_run

if TYPE_CHECKING:
    import folium

COUNTS_ID = "bloodflow-map-counts"
KIND = "map"  # in the page's generator tag (sim.execution.output_page)


@dataclass(frozen=True)
class MapCounts:
    """What the map draws; embedded in the page as JSON (``<script id=COUNTS_ID>``).

    Attributes
    ----------
    sites : int
        Site markers (all kinds).
    leg_lines : int
        Lines of the leg layers: one per (mode, from_site, to_site).
    legs : int
        Legs of the run behind those lines.
    timeline_day : int
        Day (0-based) the time slider plays.
    timeline_legs : int
        Loaded legs on the slider (at most ``frames.TIMELINE_CAP``).
    timeline_legs_of_day : int
        Loaded legs departing that day, before the cap.
    no_fly_zones, events : int
        Polygons of no-fly zones; scenario events drawn.
    """

    sites: int
    leg_lines: int
    legs: int
    timeline_day: int
    timeline_legs: int
    timeline_legs_of_day: int
    no_fly_zones: int
    events: int


def build_map(
    run_dir: str | Path, *, day: int | None = None, online_tiles: bool = False
) -> tuple[folium.Map, MapCounts]:
    """Build the Folium map of a run folder (assets still on CDNs: see :func:`write_map`).

    Parameters
    ----------
    run_dir : str or Path
        A folder written by ``bloodflow run``.
    day : int, optional
        Day (0-based, days since the scenario start) whose loaded legs the time slider plays;
        default the first day.
    online_tiles : bool
        Offer OpenStreetMap tiles as a second base layer (off until chosen; needs network).

    Raises
    ------
    MapError
        If the run folder is missing or incomplete, or ``day`` is outside the run.
    """
    import folium  # Folium is imported when a map is drawn (see sim.maps.__init__)

    run = read_run(run_dir)
    fmap = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25)
    layers.base_layers(fmap, run.region.outline, online_tiles)
    counts = _add_layers(fmap, run, 0 if day is None else day)
    folium.LayerControl(collapsed=False).add_to(fmap)
    west, south, east, north = run.region.outline.bounds
    fmap.fit_bounds([[south, west], [north, east]])
    fmap.get_root().html.add_child(folium.Element(_legend(counts)))
    fmap.get_root().header.add_child(folium.Element(_counts_tag(counts)))
    return fmap, counts


def _add_layers(fmap: folium.Map, run: RunFolder, day: int) -> MapCounts:
    sites = frames.site_frame(run)
    od = frames.od_frame(run)
    played = frames.timeline_legs(run, day)
    events = frames.event_frame(run.events)
    groups = [layers.no_fly_layer(run.region.no_fly), *layers.leg_layers(od)]
    groups += [*layers.site_layers(sites)] + ([layers.event_layer(events)] if len(events) else [])
    for group in groups:
        group.add_to(fmap)
    features = frames.timeline_features(run, played, layers.MODE_COLOURS)
    layers.timeline_layer(features).add_to(fmap)
    return MapCounts(
        sites=len(sites),
        leg_lines=len(od),
        legs=len(run.legs),
        timeline_day=day,
        timeline_legs=len(played),
        timeline_legs_of_day=_legs_of_day(run, day),
        no_fly_zones=len(run.region.no_fly),
        events=len(events),
    )


def _legs_of_day(run: RunFolder, day: int) -> int:
    legs = run.legs
    lo = day * frames.MINUTES_PER_DAY
    on_day = (legs["depart_at"] >= lo) & (legs["depart_at"] < lo + frames.MINUTES_PER_DAY)
    return int((on_day & ((legs["units"] > 0) | (legs["samples"] > 0))).sum())


def _counts_tag(counts: MapCounts) -> str:
    data = safe.script_json(asdict(counts))
    return f'<script type="application/json" id="{COUNTS_ID}">{data}</script>'


def _legend(counts: MapCounts) -> str:
    kinds = "".join(
        f'<span class="bf-site bf-{kind}">{symbol}</span> {html.escape(label)}<br>'
        for kind, (label, symbol, _) in layers.SITE_KINDS.items()
    )
    modes = "".join(
        f'<span class="bf-line" style="background:{colour}"></span> {mode}<br>'
        for mode, colour in layers.MODE_COLOURS.items()
    )
    played = counts.timeline_legs
    cap = "" if played == counts.timeline_legs_of_day else f" (first {played})"
    return (
        f'<div class="bf-legend"><b>Sites</b><br>{kinds}'
        f"<b>Legs</b> (width ∝ units over the run)<br>{modes}"
        "Van legs are straight lines between the sites: no road (OSM) path yet. "
        "Rail legs follow the rail lines.<br>"
        f"<b>Time slider</b>: the {counts.timeline_legs_of_day} loaded legs of day "
        f"{counts.timeline_day}{cap}.</div>"
    )


def write_map(
    run_dir: str | Path,
    out: str | Path | None = None,
    *,
    day: int | None = None,
    online_tiles: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the map of a run folder as one HTML file that renders with no network.

    The file is written whole or not at all (:mod:`sim.execution.output_page`). An existing file is
    replaced only if it is an earlier bloodflow map and either it is ``run_dir/map.html`` or
    ``overwrite`` is set; any other existing file is refused.

    Parameters
    ----------
    run_dir : str or Path
        A folder written by ``bloodflow run``.
    out : str or Path, optional
        Where to write the page (default ``run_dir/map.html``).
    day : int, optional
        Day (0-based) the time slider plays; default the first day.
    online_tiles : bool
        Offer OpenStreetMap tiles as a second base layer (the only URL left in the page).
    overwrite : bool
        Replace ``out`` if it is an earlier bloodflow map.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    MapError
        If the run folder cannot be mapped, ``day`` is outside the run, or ``out`` may not or
        cannot be written.
    """
    check_complete(Path(run_dir))
    default = Path(run_dir) / "map.html"
    target = Path(out) if out is not None else default
    may_replace = overwrite or page_file.same_file(target, default)
    page_file.check_target(target, KIND, may_replace=may_replace, error=MapError)
    fmap, _ = build_map(run_dir, day=day, online_tiles=online_tiles)
    text = page_file.with_generator(inline_assets(fmap.get_root().render()), KIND)
    return page_file.write_page(target, text, KIND, may_replace=may_replace, error=MapError)
