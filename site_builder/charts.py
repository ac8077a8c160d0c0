"""Bar charts drawn at build time as inline SVG, with a text alternative (<title>, <desc>).

Colours and sizes are presentation attributes, not inline styles, so the pages' CSP allows them.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from site_builder.figures import format_number

WIDTH = 320
HEIGHT = 160
BAR_COLOUR = "#1d4f91"
AXIS_COLOUR = "#5c6670"
TEXT_COLOUR = "#1f2328"


def bar_chart(chart_id: str, title: str, points: list[tuple[str, int | Decimal | None]]) -> str:
    """One bar per (label, value); a missing value gets no bar and the word 缺失."""
    known = [float(v) for _, v in points if v is not None]
    top = max(known, default=0.0) or 1.0
    left, right, bottom, top_pad = 8, 8, 28, 22
    plot_h = HEIGHT - bottom - top_pad
    slot = (WIDTH - left - right) / max(len(points), 1)
    bar_w = min(48.0, slot * 0.6)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" focusable="false">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(describe(title, points))}</desc>',
        f'<line x1="{left}" y1="{HEIGHT - bottom}" x2="{WIDTH - right}" y2="{HEIGHT - bottom}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    for i, (label, value) in enumerate(points):
        cx = left + slot * i + slot / 2
        if value is not None:
            h = plot_h * float(value) / top if value > 0 else 0.0
            y = HEIGHT - bottom - h
            if h > 0:
                parts.append(
                    f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 1.0):.1f}" '
                    f'fill="{BAR_COLOUR}"/>'
                )
            shown, ty = format_number(value), y - 5
        else:
            shown, ty = "缺失", HEIGHT - bottom - 5
        parts.append(
            f'<text x="{cx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="12" fill="{TEXT_COLOUR}">{escape(shown)}</text>'
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{HEIGHT - 10}" text-anchor="middle" font-size="12" fill="{TEXT_COLOUR}">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def describe(title: str, points: list[tuple[str, int | Decimal | None]]) -> str:
    values = "；".join(f"{label}：{format_number(v) if v is not None else '缺失'}" for label, v in points)
    return f"{title}，按年份：{values}。"
