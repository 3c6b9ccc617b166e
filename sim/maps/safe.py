"""The one place where text from data becomes HTML or script in a map page.

Names of sites, cities, no-fly zones and events come from region and scenario files that the
people opening a map did not write. Leaflet shows tooltips, popups and layer names as HTML, and
Folium puts some tooltips inside JavaScript template literals, so every such text goes through
:func:`text` (or :func:`frame_text` for a whole GeoDataFrame) and every JSON put inside a
``<script>`` element goes through :func:`script_json`.
"""

from __future__ import annotations

import html
import json

import geopandas as gpd
import pandas as pd

# Characters that mean something inside a JavaScript template literal or string, written as
# HTML character references: a browser shows them as the characters, a script sees no quote,
# no backtick, no ``${`` and no backslash escape.
SCRIPT_CHARS = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
# Inside <script>: no "</script>" or "<!--", no "&" entity games, and the two line separators
# older JavaScript engines refused in string literals.
JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                "\u2029": "\\u2029"}  # fmt: skip


def text(value: object) -> str:
    """``value`` as HTML text safe in an element, an attribute or a JS template literal.

    ``<``, ``>``, ``&``, both quotes, the backtick, ``$`` and the backslash become character
    references, so the browser displays exactly the original characters and runs none of them.
    """
    return html.escape(str(value), quote=True).translate(SCRIPT_CHARS)


def frame_text(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of ``frame`` with every text column passed through :func:`text`.

    Numbers, booleans and the geometry are kept; missing values stay missing.
    """
    out = frame.copy()
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    for column in out.columns:
        if column != geometry and _is_text(out[column]):
            out[column] = out[column].astype(object).map(lambda v: v if _missing(v) else text(v))
    return out


def _is_text(column: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column))


def _missing(value: object) -> bool:
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def script_json(data: object) -> str:
    """``data`` as JSON that can sit inside a ``<script>`` element and cannot close it."""
    encoded = json.dumps(data, ensure_ascii=False, allow_nan=False)
    for char, escape in JSON_ESCAPES.items():
        encoded = encoded.replace(char, escape)
    return encoded
