"""Charts drawn on the server as inline SVG: no JavaScript, no images to fetch, and no style
attributes (the Content-Security-Policy allows no inline styles; SVG presentation attributes are
not styles). Each chart is an image with a title and a description for screen readers; the page
puts the same numbers in a table beneath it and says in words what it shows.

A value of None is a small number hidden from this reader: no bar is drawn and the chart says
"fewer than 5" where the bar would be.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

BLUE, DARK_BLUE, GREEN, GREY, BLACK = "#1d70b8", "#003078", "#00703c", "#b1b4b6", "#0b0c0c"
FONT = "GDS Transport, arial, sans-serif"
WIDTH = 600


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None


def _text(x: float, y: float, text: str, *, size: int = 16, anchor: str = "start",
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
            f'font-weight="{weight}" fill="{BLACK}" text-anchor="{anchor}">{escape(text)}</text>')


def _open(chart_id: str, height: float, title: str, description: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="fcm-chart" role="img" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>')


def horizontal_bars(chart_id: str, title: str, bars: list[Bar], *, description: str) -> Markup:
    """One bar per row, its label above it and its value at its end: readable on a phone,
    where the labels would not fit beside the bars."""
    row_height, bar_height, label_gap = 56, 24, 20
    height = row_height * len(bars) + 8
    largest = max((b.value or 0 for b in bars), default=0) or 1
    room = WIDTH - 110  # leave space for the value after the longest bar
    parts = [_open(chart_id, height, title, description)]
    for i, bar in enumerate(bars):
        top = i * row_height + 4
        parts.append(_text(0, top + 16, bar.label))
        y = top + label_gap + 2
        if bar.value is None:
            parts.append(_text(0, y + 18, "fewer than 5", size=15))
            continue
        width = max(room * bar.value / largest, 2 if bar.value else 0)
        parts.append(f'<rect x="0" y="{y}" width="{width:.1f}" height="{bar_height}" '
                     f'fill="{BLUE}"/>')
        parts.append(_text(width + 8, y + 18, f"{bar.value:,}", size=16, weight="bold"))
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: list[int | None]


def grouped_columns(chart_id: str, title: str, categories: list[str], series: list[Series], *,
                    description: str) -> Markup:
    """Columns for each category (a month), one per series, with a key above."""
    key_height, axis_height, plot_height = 28 * len(series), 48, 220
    height = key_height + plot_height + axis_height
    values = [v for s in series for v in s.values if v is not None]
    largest = max(values, default=0) or 1
    parts = [_open(chart_id, height, title, description)]
    for i, s in enumerate(series):
        y = i * 28
        parts.append(f'<rect x="0" y="{y + 4}" width="18" height="18" fill="{s.colour}"/>')
        parts.append(_text(26, y + 19, s.name))
    base = key_height + plot_height
    parts.append(f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="{BLACK}" '
                 f'stroke-width="1"/>')
    slot = WIDTH / max(len(categories), 1)
    column = min(40.0, (slot - 8) / max(len(series), 1))
    for c, category in enumerate(categories):
        left = c * slot + (slot - column * len(series)) / 2
        for i, s in enumerate(series):
            value = s.values[c]
            x = left + i * column
            if value is None:
                parts.append(_text(x + column / 2, base - 6, "<5", size=12, anchor="middle"))
                continue
            bar = (plot_height - 24) * value / largest
            parts.append(f'<rect x="{x:.1f}" y="{base - bar:.1f}" width="{column - 2:.1f}" '
                         f'height="{bar:.1f}" fill="{s.colour}"/>')
            parts.append(_text(x + column / 2, base - bar - 4, f"{value:,}", size=12,
                               anchor="middle"))
        # Month names shortened to fit: "Nov 2026".
        parts.append(_text(c * slot + slot / 2, base + 20, _short(category), size=13,
                           anchor="middle"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str) -> str:
    words = label.split()
    return f"{words[0][:3]} {words[1][2:]}" if len(words) == 2 and words[1].isdigit() else label
