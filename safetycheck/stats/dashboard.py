"""The dashboard (``stats --format html``): headline figures and charts, each with its table, in one offline file."""

from __future__ import annotations

from typing import Any

from safetycheck.messages import get_lang, t
from safetycheck.stats.facts import Selection
from safetycheck.stats.figures import Figures
from safetycheck.stats.output import group_name, label, period, value_text

ALSO = ("unit", "level")  # the groupings the dashboard needs besides the one asked for
HEADLINE = ("inspections", "units", "hazards", "major", "closed", "not_closed", "overdue", "rectification_rate",
            "on_time_rate", "funds")
MOST = 15  # units shown in the charts by unit


def chart_data(figures: Figures) -> list[dict[str, Any]]:
    """The charts: name, title, table (headers and rows of text) and the series to draw."""
    units = figures.also.get("unit", [])
    levels = figures.also.get("level", [])
    months = list(figures.months.items())
    overdue = sorted(((n, v["overdue"]) for n, v in units if v["overdue"]), key=lambda kv: (-kv[1], kv[0]))[:MOST]
    rated = [(n, v) for n, v in units if v["hazards"]][:MOST]
    top = figures.total["top_items"]
    found, closed = t("dash.found"), label("closed")
    return [
        {"name": "monthly", "title": t("dash.monthly"), "headers": [t("stats.by.month"), found, closed],
         "rows": [[m, str(f), str(c)] for m, (f, c) in months],
         "labels": [m for m, _ in months], "series": [(found, [float(f) for _, (f, _c) in months], "found"),
                                                      (closed, [float(c) for _, (_f, c) in months], "closed")]},
        {"name": "level", "title": t("dash.level"),
         "headers": [t("stats.by.level"), label("hazards"), label("closed"), label("overdue")],
         "rows": [[group_name("level", n), str(v["hazards"]), str(v["closed"]), str(v["overdue"])] for n, v in levels],
         "labels": [group_name("level", n) for n, _ in levels],
         "series": [(label("hazards"), [float(v["hazards"]) for _, v in levels], "bar")],
         "colours": [n for n, _ in levels]},
        {"name": "overdue", "title": t("dash.overdue"), "headers": [t("stats.by.unit"), label("overdue")],
         "rows": [[n, str(c)] for n, c in overdue], "labels": [n for n, _ in overdue],
         "series": [(label("overdue"), [float(c) for _, c in overdue], "major")], "horizontal": True},
        {"name": "top-items", "title": label("top_items"),
         "headers": [t("ledger.checklist"), t("ledger.item"), t("stats.text"), t("stats.count")],
         "rows": [[i["checklist"], i["item"], i["text"], str(i["count"])] for i in top],
         "labels": [f"{i['checklist']}/{i['item']}" for i in top],
         "series": [(t("stats.count"), [float(i["count"]) for i in top], "bar")], "horizontal": True},
        {"name": "rate", "title": t("dash.rate"),
         "headers": [t("stats.by.unit"), label("hazards"), label("closed"), label("rectification_rate")],
         "rows": [[n, str(v["hazards"]), str(v["closed"]), value_text("rectification_rate", v["rectification_rate"])]
                  for n, v in rated],
         "labels": [n for n, _ in rated],
         "series": [(label("rectification_rate"), [float(v["rectification_rate"] or 0) for _, v in rated], "closed")],
         "horizontal": True, "percent": True},
    ]


def draw(chart: dict[str, Any]) -> str:
    """One chart as inline SVG (matplotlib must be importable)."""
    from safetycheck.stats.charts import COLOURS, bars

    series: list[tuple[str, list[float], Any]]
    if "colours" in chart:  # one colour per bar
        series = [(name, values, [COLOURS[c] for c in chart["colours"]]) for name, values, _ in chart["series"]]
    else:
        series = [(name, values, COLOURS[colour]) for name, values, colour in chart["series"]]
    return bars(chart["name"], chart["labels"], series, chart.get("horizontal", False), chart.get("percent", False))


def dashboard_html(figures: Figures, selection: Selection) -> str:
    """The whole dashboard as one HTML file: no network, no script; charts when matplotlib is installed."""
    from safetycheck.documents.report import make_environment
    from safetycheck.stats.charts import available

    has_charts = available()
    charts = chart_data(figures)
    for chart in charts:
        chart["svg"] = draw(chart) if has_charts and chart["rows"] else ""
    total = figures.total
    environment = make_environment()
    template = environment.get_template("dashboard.html.j2")
    return template.render(
        lang=get_lang(), title=t("dash.title"), period=period(selection), charts=charts,
        headline=[(label(k), value_text(k, total[k])) for k in HEADLINE],
        figures=[(label(k), value_text(k, total[k])) for k in total if k != "top_items"],
        no_charts=None if has_charts else t("dash.no_charts"), empty=t("dash.empty"),
        all_figures=t("dash.all_figures"), flagged=t("stats.flagged", count=figures.flagged) if figures.flagged else "",
    )
