"""A Folium choropleth of the districts by a quality indicator (``districts.html``).

The run's ``qc.parquet`` gives the district league table (:func:`sim.execution.qc.
district_league`); the region's districts layer (:mod:`geodata.districts`) gives the shapes.
Colours are computed here (no colour-scale script, so the page stays offline); every text from
data passes through :mod:`sim.maps.safe`.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geodata import GeodataError
from geodata.districts import load_districts
from sim.execution import output_page as page_file
from sim.execution.qc import district_league
from sim.maps import safe
from sim.maps.errors import MapError
from sim.maps.offline import inline_assets

if TYPE_CHECKING:
    import folium
    from branca.colormap import LinearColormap

DISTRICTS_ID = "bloodflow-district-counts"
KIND = "map"
#: Indicators a choropleth can show: column of the league table -> (label, unit, higher is);
#: the same names as ``sim.scenario.quality.QcIndicator`` (outputs.district_indicator).
INDICATORS = {
    "wastage_rate": ("Outdating and wastage rate", "share", "worse"),
    "rbc_per_discharge": ("Red cells per discharged patient", "U", "more use"),
    "emergency_on_time_share": ("Emergency demand met within its time", "share", "better"),
    "stockout_days_per_hospital": ("Stockout days per hospital", "days", "worse"),
}
NO_DATA = "#cccccc"


def district_frame(run_dir: str | Path, indicator: str) -> gpd.GeoDataFrame:
    """District polygons with the league-table columns of a run folder.

    Raises
    ------
    MapError
        If ``indicator`` is unknown, the run has no ``qc.parquet`` or its region no districts.
    """
    if indicator not in INDICATORS:
        raise MapError(f"indicator: {indicator!r} is unknown (one of: {', '.join(INDICATORS)})")
    path = Path(run_dir)
    league = district_league(_read_qc(path))
    shapes = _districts(path)
    frame = shapes.merge(league, left_on="name", right_on="district", how="left")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def build_district_map(run_dir: str | Path, indicator: str = "wastage_rate") -> folium.Map:
    """The choropleth of a run folder's districts by ``indicator`` (a key of INDICATORS)."""
    import folium  # Folium is imported when a map is drawn (see sim.maps.__init__)

    frame = district_frame(run_dir, indicator)
    label, unit, _ = INDICATORS[indicator]
    values = frame[indicator].astype(float)
    fmap = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25)
    scale = _scale(values)
    frame["fill"] = [NO_DATA if pd.isna(v) else scale(v) for v in values]
    frame["value"] = [_shown(v, unit) for v in values]
    shown = safe.frame_text(frame[["name", "name_cn", "value", "hospitals", "fill", "geometry"]])
    folium.GeoJson(
        shown,
        name=safe.text(f"Districts by {label.lower()} ({len(frame)})"),
        style_function=_style,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "name_cn", "value", "hospitals"],
            aliases=["District", "Chinese name", safe.text(label), "Hospitals"],
        ),
    ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    west, south, east, north = frame.total_bounds
    fmap.fit_bounds([[south, west], [north, east]])
    fmap.get_root().html.add_child(folium.Element(_legend(label, unit, values, scale)))
    counts = {"districts": len(frame), "indicator": indicator}
    tag = f'<script type="application/json" id="{DISTRICTS_ID}">{safe.script_json(counts)}'
    fmap.get_root().header.add_child(folium.Element(tag + "</script>"))
    return fmap


def write_district_map(
    run_dir: str | Path, out: str | Path | None = None, *, indicator: str = "wastage_rate"
) -> Path:
    """Write ``run_dir/districts.html`` (or ``out``): the choropleth, offline, whole or not at
    all; an existing file is replaced only if it is an earlier bloodflow map."""
    target = Path(out) if out is not None else Path(run_dir) / "districts.html"
    page_file.check_target(target, KIND, may_replace=True, error=MapError)
    fmap = build_district_map(run_dir, indicator)
    text = page_file.with_generator(inline_assets(fmap.get_root().render()), KIND)
    return page_file.write_page(target, text, KIND, may_replace=True, error=MapError)


def has_districts(run_dir: str | Path) -> bool:
    """Whether a run folder has quality indicators and a region with districts."""
    try:
        _districts(Path(run_dir))
    except MapError:
        return False
    return (Path(run_dir) / "qc.parquet").is_file()


def _read_qc(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path / "qc.parquet")
    except (OSError, ValueError) as exc:
        raise MapError(f"{path / 'qc.parquet'}: unreadable ({exc})") from None


def _districts(path: Path) -> gpd.GeoDataFrame:
    """The districts of the run's region: beside the scenario file, else embedded."""
    try:
        provenance = json.loads((path / "kpis.json").read_text(encoding="utf-8"))["provenance"]
        region = str(provenance["region"])
        beside = Path(str(provenance["scenario"])).parent / region
        shapes = load_districts(beside if beside.is_dir() else region)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MapError(f"{path}: no region provenance in kpis.json ({exc})") from None
    except GeodataError as exc:
        raise MapError(str(exc)) from None
    if shapes is None:
        raise MapError(f"{path}: the run's region {region!r} has no districts layer")
    return shapes


def _scale(values: pd.Series) -> LinearColormap:
    from branca.colormap import LinearColormap  # with Folium, when a map is drawn

    known = values.dropna()
    low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
    return LinearColormap(["#fff5eb", "#fd8d3c", "#7f2704"], vmin=low, vmax=max(high, low + 1e-9))


def _style(feature: dict) -> dict:
    fill = feature["properties"]["fill"]
    return {"fillColor": fill, "color": "#555555", "weight": 1, "fillOpacity": 0.75,
            "className": "bf-district"}  # fmt: skip


def _shown(value: float, unit: str) -> str:
    if pd.isna(value):
        return "no data"
    return f"{value:.1%}" if unit == "share" else f"{value:,.3g} {unit}"


def _legend(label: str, unit: str, values: pd.Series, scale: LinearColormap) -> str:
    known = values.dropna()
    if not len(known):
        return f'<div class="bf-legend"><b>{html.escape(label)}</b><br>no data</div>'
    lo, hi = float(known.min()), float(known.max())
    swatches = "".join(
        f'<span class="bf-line" style="background:{scale(v)}"></span> {_shown(v, unit)}<br>'
        for v in (lo, (lo + hi) / 2, hi)
    )
    return f'<div class="bf-legend"><b>{html.escape(label)}</b><br>{swatches}</div>'
