"""A trend chart's geometry, computed here so the template only writes SVG elements.

Coordinates are in the SVG's viewBox (WIDTH x HEIGHT); the CSS scales the drawing to the
column, so one chart fits a phone and a desktop without sideways scrolling.
"""

import math
from dataclasses import dataclass

from apps.trends.periods import label, short_label
from apps.trends.selectors import Series

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36
MAX_X_LABELS = 8


def _f(value: float) -> str:
    """A coordinate as SVG text, formatted here: the template's localised float formatting
    took a third of the page's time (15,000 numbers)."""
    return f"{value:.1f}"


@dataclass
class Point:
    index: int
    x: str
    hit_x: str
    hit_width: str
    y_signals: str
    y_sources: str
    signals: int
    sources: int
    label: str

    @property
    def text(self) -> str:
        return (
            f"{self.label.capitalize()}: {_n(self.signals, 'signal')}, {_n(self.sources, 'source')}"
        )


@dataclass
class Chart:
    series: Series
    period: str
    points: list[Point]
    y_ticks: list[tuple[str, int]]
    x_labels: list[tuple[str, str]]
    signals_line: str
    sources_line: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline_y: int = HEIGHT - BOTTOM


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def nice_top(value: int) -> int:
    """The top of the y axis: the maximum rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 4:
        return max(value, 1)
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def chart(series: Series, period: str) -> Chart:
    count = max(len(series.buckets), 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / count
    top = nice_top(max([*series.signals, *series.sources, 0]))

    def y(value: int) -> str:
        return _f(TOP + plot_height * (1 - value / top))

    points = [
        Point(
            index=i,
            x=_f(LEFT + (i + 0.5) * step),
            hit_x=_f(LEFT + i * step),
            hit_width=_f(step),
            y_signals=y(signals),
            y_sources=y(sources),
            signals=signals,
            sources=sources,
            label=label(day, period),
        )
        for i, (day, signals, sources) in enumerate(
            zip(series.buckets, series.signals, series.sources, strict=True)
        )
    ]
    every = math.ceil(count / MAX_X_LABELS)
    x_labels = [
        (point.x, short_label(series.buckets[point.index], period))
        for point in points
        if point.index % every == 0
    ]
    ticks = sorted({0, top // 2, top}) if top > 1 else [0, 1]
    return Chart(
        series=series,
        period=period,
        points=points,
        y_ticks=[(y(tick), tick) for tick in ticks],
        x_labels=x_labels,
        signals_line=" ".join(f"{p.x},{p.y_signals}" for p in points),
        sources_line=" ".join(f"{p.x},{p.y_sources}" for p in points),
        description=describe(series, period),
    )


def describe(series: Series, period: str) -> str:
    """What the chart shows, in a sentence (the SVG's <desc>)."""
    if not series.buckets:
        return "No periods in the range."
    first, last = label(series.buckets[0], period), label(series.buckets[-1], period)
    total = sum(series.signals)
    text = f"Signals and sources per {period}, from the {first} to the {last}: "
    text += f"{_n(total, 'signal')} in all"
    if total:
        peak = max(range(len(series.signals)), key=lambda i: (series.signals[i], -i))
        text += f", most in the {label(series.buckets[peak], period)} ({series.signals[peak]})"
    return text + "."
