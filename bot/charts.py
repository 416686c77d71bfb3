"""PNG charts: numbers in, picture out, with the numbers kept beside the picture.

Each function returns a `Chart`: the PNG bytes and the data they were drawn from, so tests
check the data and not pixels. matplotlib is imported on first use (its import costs about
half a second, which the chat's start-up and the other commands must not pay), through its
object API with the Agg canvas: no pyplot, no global figure state, no display. Text is in
DejaVu Sans, which ships with matplotlib and has every Vietnamese letter.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT, DPI = 10.0, 5.6, 100  # inches and dots per inch: a 1000 × 560 PNG
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Chart:
    """A drawn chart: `data` maps each series (or panel) label to its (x, value) points."""

    png: bytes
    title: str
    data: dict[str, list[tuple[str, int]]]

    @property
    def total(self) -> int:
        return sum(n for points in self.data.values() for _, n in points)


def _figure(rows: int = 1, cols: int = 1):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, cols, squeeze=False)
    return figure, axes[0]


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _style() -> dict:
    return {"font.family": FONT, "font.size": 10, "axes.titlesize": 13, "axes.spines.top": False,
            "axes.spines.right": False}


def trend_chart(title: str, bins: list[date], series: dict[str, list[int]], weekly: bool) -> Chart:
    """Articles per bin, one line per name (bars when there is a single name and few bins)."""
    import matplotlib

    with matplotlib.rc_context(_style()):
        figure, (ax,) = _figure()
        xs = list(range(len(bins)))
        labels = [f"{b:%d/%m/%y}" if bins[0].year != bins[-1].year else f"{b:%d/%m}" for b in bins]
        if len(series) == 1 and len(bins) <= 16:
            (label, counts), = series.items()
            ax.bar(xs, counts, color="#1f77b4", label=label)
        else:
            for label, counts in series.items():
                ax.plot(xs, counts, marker="o", markersize=3, linewidth=2, label=label)
        step = max(1, len(bins) // 14)
        ticks = xs[::-1][::step][::-1]  # counted from the end: the latest bin always has its date
        ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=45 if len(bins) > 14 else 0)
        ax.set_ylim(bottom=0)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title(title)
        ax.set_xlabel("Tuần bắt đầu từ ngày" if weekly else "Ngày")
        ax.set_ylabel("Số bài viết")
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="best", framealpha=0.8)
        png = _png(figure)
    data = {label: [(b.isoformat(), n) for b, n in zip(bins, counts)] for label, counts in series.items()}
    return Chart(png, title, data)


def ranking_chart(title: str, panels: dict[str, list[tuple[str, int]]]) -> Chart:
    """Side-by-side horizontal bars, one panel per ranking (most first, at the top)."""
    import matplotlib

    with matplotlib.rc_context(_style()):
        figure, axes = _figure(1, len(panels))
        for ax, (label, points), color in zip(axes, panels.items(), ("#1f77b4", "#d62728", "#2ca02c")):
            names = [name for name, _ in points][::-1]
            counts = [n for _, n in points][::-1]
            ax.barh(range(len(points)), counts, color=color)
            ax.set_yticks(range(len(points)), names)
            for y, n in enumerate(counts):
                ax.text(n, y, f" {n}", va="center", fontsize=9)
            ax.set_title(label)
            ax.set_xlabel("Số bài viết")
            ax.xaxis.get_major_locator().set_params(integer=True)
            if not points:
                ax.text(0.5, 0.5, "Không có", ha="center", va="center", transform=ax.transAxes)
        figure.suptitle(title, fontsize=13)
        png = _png(figure)
    return Chart(png, title, {label: list(points) for label, points in panels.items()})
