"""Charts drawn by the app as inline SVG: no CDN, no JavaScript, no inline styles.

Colours and fonts come from CSS classes in casework.css (`.chart ...`), shapes from SVG
presentation attributes, so the markup passes a strict Content-Security-Policy. Every chart is
an `<svg role="img">` with a `<title>` and a `<desc>` stating the figures, and every bar carries
its own `<title>` (shown as a tooltip, read by screen readers); pages put the same figures in
a table beside the chart.
"""
from __future__ import annotations

import itertools
import math

from markupsafe import Markup, escape

FY_MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
_ids = itertools.count(1)


def nice_max(value: float, ticks: int = 4) -> tuple[int, int]:
    """A round axis maximum ≥ value and its tick step (1, 2 or 5 × 10^k)."""
    if value <= 0:
        return ticks, 1
    raw = value / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return step * math.ceil(value / step), step


def _fmt(n: float) -> str:
    return f"{int(n):,}"


def _attrs(**attrs) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items() if v is not None)


def _open(title: str, desc: str, width: int, height: int, css: str) -> tuple[str, str]:
    n = next(_ids)
    tid, did = f"chart-{n}-title", f"chart-{n}-desc"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-labelledby="{tid} {did}" focusable="false">'
            f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>')
    return head, "</svg>"


def monthly_bars(title: str, current: list[int], previous: list[int] | None, *, current_label: str,
                 previous_label: str | None = None, unit: str = "件", months: list[int] = FY_MONTHS,
                 width: int = 720) -> Markup:
    """Month by month bars, this fiscal year beside the last (April → March).

    current/previous hold one figure per month in `months` order; None for a month not yet
    reached (drawn as nothing, and said so in the description).
    """
    # a small multiple is drawn narrower (width=420): its text then stays readable when scaled down
    height = 260
    left, right, top, bottom = 52, 12, 34, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for v in list(current) + list(previous or []) if v is not None]
    axis_max, step = nice_max(max(values, default=0))
    band = plot_w / len(months)
    series = [("current", current, current_label)]
    if previous is not None:
        series.insert(0, ("previous", previous, previous_label or "前年度"))
    bar_w = band * 0.8 / len(series)

    def y(v):
        return top + plot_h - (v / axis_max) * plot_h

    parts_desc = []
    for i, month in enumerate(months):
        bits = [f"{label} {_fmt(vals[i])}{unit}" if vals[i] is not None else f"{label} なし"
                for _key, vals, label in series]
        parts_desc.append(f"{month}月: " + "、".join(bits))
    head, tail = _open(title, "。".join(parts_desc), width, height, "chart-monthly")
    out = [head]
    # grid and y axis labels
    for tick in range(0, axis_max + 1, step):
        ty = y(tick)
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
    # bars
    for i, month in enumerate(months):
        x0 = left + i * band + band * 0.1
        for j, (key, vals, label) in enumerate(series):
            v = vals[i]
            if v is None:
                continue
            by = y(v)
            out.append(f'<rect class="bar bar-{key}" x="{x0 + j * bar_w:.1f}" y="{by:.1f}" width="{bar_w - 1:.1f}" '
                       f'height="{top + plot_h - by:.1f}"><title>{escape(label)} {month}月: {_fmt(v)}{escape(unit)}'
                       f'</title></rect>')
        out.append(f'<text class="label" x="{left + i * band + band / 2:.1f}" y="{height - 10}" '
                   f'text-anchor="middle">{month}月</text>')
    out.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>')
    # legend
    lx = left
    for key, _vals, label in series:
        out.append(f'<rect class="bar bar-{key}" x="{lx}" y="8" width="14" height="14"/>')
        out.append(f'<text class="legend" x="{lx + 20}" y="20">{escape(label)}</text>')
        lx += 28 + 14 * len(label)
    out.append(f'<text class="tick" x="{width - right}" y="20" text-anchor="end">単位: {escape(unit)}</text>')
    out.append(tail)
    return Markup("".join(out))


def horizontal_bars(title: str, items: list[dict], *, unit: str = "件", limit: int = 10,
                    css: str = "bar-current") -> Markup:
    """Horizontal bars for a ranking ({"label", "count"} most first), e.g. 主な相談テーマ."""
    items = list(items)[:limit]
    row_h, label_w, width = 26, 190, 720
    height = max(1, len(items)) * row_h + 12
    plot_w = width - label_w - 80
    axis_max = max((i["count"] for i in items), default=0) or 1
    desc = "、".join(f"{i['label']} {_fmt(i['count'])}{unit}" for i in items) or "該当なし"
    head, tail = _open(title, desc, width, height, "chart-hbars")
    out = [head]
    if not items:
        out.append(f'<text class="label" x="{label_w}" y="20">該当なし</text>')
    for n, item in enumerate(items):
        y0 = 6 + n * row_h
        w = max(1.0, item["count"] / axis_max * plot_w) if item["count"] else 0
        out.append(f'<text class="label" x="{label_w - 8}" y="{y0 + row_h / 2 + 4:.1f}" text-anchor="end">'
                   f'{escape(item["label"])}</text>')
        out.append(f'<rect class="bar {escape(css)}" x="{label_w}" y="{y0 + 3}" width="{w:.1f}" height="{row_h - 8}">'
                   f'<title>{escape(item["label"])}: {_fmt(item["count"])}{escape(unit)}</title></rect>')
        out.append(f'<text class="value" x="{label_w + w + 6:.1f}" y="{y0 + row_h / 2 + 4:.1f}">'
                   f'{_fmt(item["count"])}{escape(unit)}</text>')
    out.append(tail)
    return Markup("".join(out))
