"""Text from data in reports: escaped in HTML, in SVG charts and in the maps' ``srcdoc``."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.reports import html
from sim.reports.compare_charts import paired_chart, site_stock_chart

PAYLOADS = [
    "</script><script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "\"' onmouseover='window.__pwned=3",
]
MATH = "${x}$ and $\\frac{a}{b}$"  # not markup, but mathtext to Matplotlib


def test_page_parts_escape_their_text():
    table = html.table(PAYLOADS[:2], [PAYLOADS[1:]])
    body = [html.section(PAYLOADS[0], table, html.paragraph(PAYLOADS[1]), note=PAYLOADS[2]),
            html.figure(PAYLOADS[1], "<p>ok</p>")]  # fmt: skip
    page = html.page(PAYLOADS[0], PAYLOADS[1], body)
    for payload in PAYLOADS:
        assert payload not in page
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;" in page


class _Srcdoc(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.srcdoc: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.srcdoc += [v or "" for k, v in attrs if tag == "iframe" and k == "srcdoc"]


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_embedded_page_keeps_the_page_inside_its_attribute(caption, page):
    parser = _Srcdoc()
    parser.feed(html.embedded_page(caption, page))
    parser.close()
    assert parser.srcdoc == [page]


def stock(sites: list[str]) -> pd.DataFrame:
    rows = [(day, site, "RBC", 10.0 + day) for day in range(3) for site in sites]
    return pd.DataFrame(rows, columns=["day", "site_id", "product", "units"])


def test_site_names_in_charts_are_text_not_markup_or_mathtext():
    sites = [*PAYLOADS[:2], MATH]
    svg = site_stock_chart({PAYLOADS[2]: stock(sites)}, sites)
    for payload in PAYLOADS[:2]:  # quotes are plain characters in SVG text
        assert payload not in svg
    assert "&lt;/script&gt;&lt;script&gt;" in svg
    assert f">{MATH}</text>" in svg  # drawn as written, not as a formula


def test_policy_names_in_the_paired_chart_are_escaped():
    paired = pd.DataFrame(
        {"policy": [PAYLOADS[0], MATH], "baseline": [PAYLOADS[1]] * 2,
         "kpi": ["fill_rate_on_time.RBC"] * 2, "mean_diff": [0.01, -0.02], "ci_low": [0.0, -0.03],
         "ci_high": [0.02, -0.01]}
    )  # fmt: skip
    svg = paired_chart(paired)
    assert svg is not None
    for payload in PAYLOADS[:2]:
        assert payload not in svg
    assert "&lt;img src=x" in svg
