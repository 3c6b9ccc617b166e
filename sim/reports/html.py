"""The HTML of a report page: one self-contained file, inline CSS, no external resources."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from sim.execution.output_page import generator_tag

KIND = "report"  # in the page's generator tag (sim.execution.output_page)

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto;
       max-width: 1180px; padding: 0 16px; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.6em;
     border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
p.meta, p.note { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 10px; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
.side { display: flex; gap: 12px; flex-wrap: wrap; }
.side figure { flex: 1 1 480px; margin: 0; }
.side iframe { width: 100%; height: 520px; border: 1px solid #ccc; }
figcaption { font-weight: 600; margin-bottom: 4px; }
"""


def page(title: str, meta: str, sections: Iterable[str]) -> str:
    """A complete HTML document with a title, a line of provenance and the sections.

    ``title`` and ``meta`` are text (escaped here); ``sections`` are HTML made by this module.
    """
    body = "\n".join(sections)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">{generator_tag(KIND)}'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><p class="meta">{html.escape(meta)}</p>\n'
        f"{body}\n</body></html>\n"
    )


def section(title: str, *parts: str, note: str | None = None) -> str:
    """A titled section; ``note`` is a short explanation in grey under the content."""
    after = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return f"<section><h2>{html.escape(title)}</h2>{''.join(parts)}{after}</section>"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric_from: int = 1) -> str:
    """A table of text cells (escaped); columns from ``numeric_from`` are right-aligned."""

    def cells(tag: str, values: Sequence[str]) -> str:
        return "".join(
            f"<{tag}{' class=num' if i >= numeric_from else ''}>{html.escape(str(v))}</{tag}>"
            for i, v in enumerate(values)
        )

    head = f"<tr>{cells('th', headers)}</tr>"
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def paragraph(text: str) -> str:
    """A grey note paragraph (escaped)."""
    return f'<p class="note">{html.escape(text)}</p>'


def embedded_page(caption: str, page_html: str) -> str:
    """Another self-contained page (a map) in an ``<iframe srcdoc>``: no file or URL needed."""
    frame = (
        f'<iframe title="{html.escape(caption)}" srcdoc="{html.escape(page_html, quote=True)}">'
        "</iframe>"
    )
    return figure(caption, frame)


def figure(caption: str, body: str) -> str:
    """A captioned figure (``body`` is HTML)."""
    return f"<figure><figcaption>{html.escape(caption)}</figcaption>{body}</figure>"


def side_by_side(items: Iterable[str]) -> str:
    """Figures next to each other (wrapping on narrow screens)."""
    return f'<div class="side">{"".join(items)}</div>'
