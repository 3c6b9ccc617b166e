"""A run's map as a figure of a report or notebook (the map page inside an ``<iframe srcdoc>``)."""

from __future__ import annotations

from pathlib import Path

from sim.maps import MapError, write_map
from sim.reports import html


def map_page(run_dir: str | Path, *, day: int | None = None) -> tuple[Path | None, str | None]:
    """Write ``run_dir/map.html``; return ``(path, None)``, or ``(None, reason)`` if unmappable.

    Parameters
    ----------
    run_dir : str or Path
        A run folder.
    day : int, optional
        Day (0-based) the map's time slider plays.
    """
    try:
        return write_map(run_dir, day=day), None
    except MapError as exc:
        return None, str(exc)


def map_figure(caption: str, page: Path | None, problem: str | None = None) -> str:
    """A captioned figure embedding a map page, or saying why there is no map."""
    if page is None:
        return html.figure(caption, html.paragraph(f"No map: {problem}"))
    return html.embedded_page(caption, page.read_text(encoding="utf-8"))


def run_map_html(run_dir: str | Path, caption: str = "map", *, day: int | None = None) -> str:
    """Write a run's map and return it as an embeddable figure (notebooks: ``HTML(...)``)."""
    page, problem = map_page(run_dir, day=day)
    return map_figure(caption, page, problem)
