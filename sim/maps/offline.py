"""Make a Folium page self-contained: every CDN ``<script src>``/``<link href>`` is inlined.

Folium's templates load Leaflet, jQuery, Bootstrap, Font Awesome and the plugins from CDNs.
Our maps use only Leaflet (DivIcon markers, GeoJSON, layer control) and the TimeDimension
slider (with iso8601-js-period and moment), vendored under ``assets/`` (see its README).
Each URL Folium emits is matched by its file name: a vendored file is inlined (CSS images
become ``data:`` URIs), a library our maps do not need is dropped, and any other URL is an
error, so an upgrade of Folium that adds a dependency fails loudly instead of going online.
"""

from __future__ import annotations

import base64
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath

from sim.maps.errors import MapError

ASSETS: Traversable = resources.files("sim.maps").joinpath("assets")

TIMEDIMENSION = "leaflet-timedimension"

# file name in Folium's URL → vendored file under assets/ (None: not needed, dropped)
JS_FILES: dict[str, str | None] = {
    "leaflet.js": "leaflet/leaflet.js",
    "leaflet.timedimension.min.js": f"{TIMEDIMENSION}/leaflet.timedimension.min.js",
    "iso8601.min.js": "iso8601-js-period/iso8601.js",
    "moment.min.js": "moment/moment.min.js",
    "jquery-3.7.1.min.js": None,  # no jQuery code in our maps
    "jquery.min.js": None,
    "jquery-ui.min.js": None,  # TimeDimension 1.x has its own slider
    "bootstrap.bundle.min.js": None,  # no Bootstrap widgets
    "leaflet.awesome-markers.js": None,  # markers are L.DivIcon
}
CSS_FILES: dict[str, str | None] = {
    "leaflet.css": "leaflet/leaflet.css",
    "leaflet.timedimension.control.css": f"{TIMEDIMENSION}/leaflet.timedimension.control.min.css",
    "bootstrap.min.css": None,
    "bootstrap-glyphicons.css": None,  # slider glyphs come from assets/bloodflow/map.css
    "all.min.css": None,  # Font Awesome
    "leaflet.awesome-markers.css": None,
    "leaflet.awesome.rotate.min.css": None,
    "default.min.css": None,  # highlight.js
}
OWN_CSS = "bloodflow/map.css"

SCRIPT_TAG = re.compile(r'<script src="(?P<url>[^"]+)"></script>')
LINK_TAG = re.compile(r'<link rel="stylesheet" href="(?P<url>[^"]+)"\s*/?>')
CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<ref>[^)'\"]+)(?P=q)\)")
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}


def inline_assets(html: str) -> str:
    """Replace every external script and stylesheet of a Folium page with inline copies.

    Parameters
    ----------
    html : str
        A page rendered by Folium.

    Returns
    -------
    str
        The page with ``<script>``/``<style>`` contents from ``assets/`` and our own CSS.

    Raises
    ------
    MapError
        If the page refers to a script or stylesheet with no vendored copy.
    """
    html = SCRIPT_TAG.sub(lambda m: _script(m["url"]), html)
    html = LINK_TAG.sub(lambda m: _style(m["url"]), html)
    return html.replace("</head>", _style_tag(OWN_CSS) + "\n</head>", 1)


def _vendored(url: str, table: dict[str, str | None]) -> str | None:
    name = PurePosixPath(url.split("?")[0]).name
    if name not in table:
        raise MapError(f"{url}: no offline copy in sim/maps/assets (add one, or drop it)")
    return table[name]


def _script(url: str) -> str:
    file = _vendored(url, JS_FILES)
    if file is None:
        return ""
    code = SOURCE_MAP.sub("", ASSETS.joinpath(file).read_text(encoding="utf-8"))
    code = code.replace("</script", "<\\/script")
    return f"<script>/* {file} */\n{code}</script>"


def _style(url: str) -> str:
    file = _vendored(url, CSS_FILES)
    return "" if file is None else _style_tag(file)


def _style_tag(file: str) -> str:
    css = FONT_FACE.sub("", ASSETS.joinpath(file).read_text(encoding="utf-8"))
    folder = PurePosixPath(file).parent
    css = CSS_URL.sub(lambda m: _data_url(m["ref"], folder), css)
    return f"<style>/* {file} */\n{css}</style>"


def _data_url(ref: str, folder: PurePosixPath) -> str:
    if ref.startswith(("data:", "#")):
        return f"url({ref})"
    if "//" in ref:
        raise MapError(f"{folder}: stylesheet refers to {ref} (off-machine)")
    path = folder / ref
    data = base64.b64encode(ASSETS.joinpath(str(path)).read_bytes()).decode("ascii")
    return f"url(data:{MIME.get(path.suffix, 'application/octet-stream')};base64,{data})"
