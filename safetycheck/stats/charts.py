"""Charts of the dashboard as inline SVG, drawn by matplotlib (the optional extra ``charts``).

Why matplotlib: it is the best-kept plotting library for Python, draws without a display or a
browser, and with ``svg.fonttype = 'none'`` keeps every label as SVG text (searchable, printable,
testable) in the font the reader's system has; ``svg.hashsalt`` and ``metadata={'Date': None}`` make
the output byte-identical for the same figures. Why optional: with NumPy and Pillow it is some 30 MB
and 0.4 s to import, which the rest of the program never needs.
"""

from __future__ import annotations

import io
import re
from typing import Any

# Chinese first, in the fonts Linux, Windows and macOS ship, then a Latin fallback.
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei",
             "PingFang SC", "Hiragino Sans GB", "DejaVu Sans"]
COLOURS = {"found": "#c0392b", "closed": "#2e7d32", "general": "#f0a202", "major": "#c0392b", "bar": "#1f5f8b"}
WIDTH, HEIGHT = 6.4, 3.2  # inches: two charts side by side on A4 landscape


def available() -> bool:
    """Whether matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _figure(name: str, height: float = HEIGHT) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, height), dpi=96)
    figure.set_layout_engine("constrained")
    return figure


def _svg(figure: Any, name: str) -> str:
    """The figure as an SVG element: no XML prolog, ids unique to this chart and fixed."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"safetycheck-{name}"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)  # RDF boilerplate, nothing to see
    text = re.sub(r'\sid="([^"]+)"', lambda m: f' id="{name}-{m.group(1)}"', text)
    text = re.sub(r'(url\(#|xlink:href="#|href="#)([^)"]+)', lambda m: f"{m.group(1)}{name}-{m.group(2)}", text)
    return text.replace("<svg ", f'<svg class="chart" data-chart="{name}" role="img" ', 1)


def _style() -> Any:
    return {"svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": CJK_FONTS, "font.size": 9,
            "axes.spines.top": False, "axes.spines.right": False, "axes.unicode_minus": False,
            "text.parse_math": False}  # a unit named "$x$" is text, not TeX


def _quiet() -> Any:
    """No warnings about glyphs a font lacks: the SVG keeps text, the reader's fonts draw it."""
    import contextlib
    import logging
    import warnings

    @contextlib.contextmanager
    def quiet() -> Any:
        logger = logging.getLogger("matplotlib.font_manager")
        level = logger.level
        logger.setLevel(logging.ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                yield
            finally:
                logger.setLevel(level)

    return quiet()


def bars(name: str, labels: list[str], series: list[tuple[str, list[float], Any]], horizontal: bool = False,
         percent: bool = False) -> str:
    """A bar chart (several series side by side), each bar labelled with its value.

    Args:
        name: the chart's name (its ids are prefixed with it).
        labels: the category of each bar.
        series: (legend label, values, colour or one colour per bar).
        horizontal: bars across (long labels such as unit names), else upright.
        percent: values are fractions, labelled in per cent.
    """
    import matplotlib

    with matplotlib.rc_context(_style()), _quiet():
        height = max(HEIGHT, 0.9 + 0.32 * len(labels) * max(1, len(series))) if horizontal else HEIGHT
        figure = _figure(name, height)
        ax = figure.add_subplot()
        count = max(1, len(series))
        width = 0.8 / count
        positions = list(range(len(labels)))
        for n, (label, values, colour) in enumerate(series):
            offset = [p - 0.4 + width * (n + 0.5) for p in positions]
            drawn = (ax.barh(offset, values, height=width, label=label, color=colour) if horizontal
                     else ax.bar(offset, values, width=width, label=label, color=colour))
            texts = [f"{v * 100:.0f}%" if percent else f"{v:g}" for v in values]
            ax.bar_label(drawn, labels=texts, padding=2, fontsize=8)
        if horizontal:
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.margins(x=0.15)
            if percent:
                from matplotlib.ticker import PercentFormatter

                ax.set_xlim(0, 1.15)
                ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        else:
            ax.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0,
                          ha="right" if len(labels) > 6 else "center")
            ax.margins(y=0.15)
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=8)
        if not labels:
            ax.set_xticks([])
            ax.set_yticks([])
        return _svg(figure, name)


def cjk_font() -> str | None:
    """The first font of :data:`CJK_FONTS` (Chinese ones) this machine has, or None (also without matplotlib).

    Why: a picture, unlike SVG text, is drawn here; without a Chinese font its labels would be boxes.
    """
    try:
        from matplotlib import font_manager
    except ImportError:
        return None
    have = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS[:-1] if name in have), None)


def png_bars(labels: list[str], series: list[tuple[str, list[float], Any]], title: str) -> bytes:
    """Horizontal bars as a PNG (for Word), drawn with the machine's CJK font."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    style = _style() | {"font.sans-serif": [cjk_font() or "DejaVu Sans"]}
    with matplotlib.rc_context(style), _quiet():
        figure = _figure("png", max(HEIGHT, 0.9 + 0.32 * len(labels) * len(series)))
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        ax.set_title(title, loc="left", fontsize=11)
        width = 0.8 / len(series)
        positions = list(range(len(labels)))
        for n, (name, values, colour) in enumerate(series):
            drawn = ax.barh([p - 0.4 + width * (n + 0.5) for p in positions], values, height=width, label=name,
                            color=colour)
            ax.bar_label(drawn, labels=[f"{v:g}" for v in values], padding=2, fontsize=8)
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.margins(x=0.15)
        ax.legend(frameon=False, fontsize=8)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
        return buffer.getvalue()
