"""Inline SVG charts and the map figure of a report."""

from __future__ import annotations

from pathlib import Path

from sim.reports.maps import map_figure, run_map_html
from sim.reports.svg import PALETTE, colour, render_svg


def test_a_chart_is_an_inline_svg_named_for_its_page() -> None:
    svg = render_svg(lambda fig: fig.add_subplot().plot([0, 1], [1, 2]), name='a "b"', size=(2, 1))
    assert svg.startswith('<svg class="chart" role="img" aria-label="a b" ')
    assert "<?xml" not in svg and "<metadata" not in svg  # inline: no prolog, no metadata
    again = render_svg(
        lambda fig: fig.add_subplot().plot([0, 1], [1, 2]), name='a "b"', size=(2, 1)
    )
    assert svg == again  # no date, same ids: the page is reproducible


def test_colours_cycle_through_the_palette() -> None:
    assert colour(0) == PALETTE[0] and colour(len(PALETTE)) == PALETTE[0]


def test_a_missing_map_is_explained_not_embedded(tmp_path: Path) -> None:
    text = map_figure("<b>map</b>", None, "no <legs>")
    assert "&lt;b&gt;map&lt;/b&gt;" in text and "No map: no &lt;legs&gt;" in text
    html = run_map_html(tmp_path / "nowhere", caption="day 1")
    assert "No map:" in html and "not a run folder" in html
