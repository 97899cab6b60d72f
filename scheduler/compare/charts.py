"""Charts of a comparison and of a sweep (matplotlib, Agg: no display needed).

Small multiples, one panel per figure, so that each trade-off reads on its own scale.
Each chart is made as PNG bytes; the folder it goes in is written whole (`export.folders`).
"""

from __future__ import annotations

import io
import math

import pandas as pd

from .figures import BY_KEY, COMPARISON_PANELS, SWEEP_PANELS, scenario_columns

BEST, OTHER, NONE = "#2a9d8f", "#8da9c4", "#bbbbbb"


def _figure(panels: int, width: float = 4.2, height: float = 3.3):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    columns = min(3, panels)
    rows = math.ceil(panels / columns)
    figure = Figure(figsize=(width * columns, height * rows + 0.6), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for extra in axes[panels:]:
        extra.set_visible(False)
    return figure, axes[:panels]


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if isinstance(value, float) and math.isnan(value) else float(value)


def _shown(table: pd.DataFrame, key: str) -> bool:
    """A panel is worth drawing when the figure exists and is not zero everywhere (programme
    minutes lost where no scenario displaces a session)."""
    if key not in table.index:
        return False
    return key != "programme_minutes_lost" or any(
        _number(table.at[key, n]) for n in scenario_columns(table))


def comparison_chart(table: pd.DataFrame) -> bytes:
    """Bar charts of the main trade-offs, one bar per scenario; the best bar(s) in colour."""
    names = scenario_columns(table)
    keys = [k for k in COMPARISON_PANELS if _shown(table, k)]
    figure, axes = _figure(len(keys), width=max(4.2, 1.1 * len(names) + 1.5))
    for ax, key in zip(axes, keys):
        row = table.loc[key]
        best = set(row["best"].split(";")) if row["best"] else set()
        values = [_number(row[n]) for n in names]
        heights = [v if v is not None else 0 for v in values]
        colours = [NONE if v is None else BEST if n in best else OTHER
                   for n, v in zip(names, values)]
        bars = ax.bar(range(len(names)), heights, color=colours)
        ax.bar_label(bars, labels=["no schedule" if v is None else f"{v:g}" for v in values],
                     fontsize=8, padding=2)
        better = f" ({row['better']} is better)" if row["better"] else ""
        ax.set_title(f"{row['figure']}{better}", fontsize=9)
        ax.set_xticks(range(len(names)), names, rotation=20 if len(names) > 3 else 0,
                      fontsize=8)
        ax.margins(y=0.15)
        ax.grid(axis="y", alpha=0.3)
    figure.suptitle("Scenarios compared (best in colour)", fontsize=11)
    return _png(figure)


def sweep_chart(table: pd.DataFrame, key: str) -> bytes:
    """Lines of the main figures against the varied value (x axis labelled with `key`)."""
    panels = [k for k in SWEEP_PANELS if k in table.columns]
    xs = list(table[key])
    numeric = all(_number(x) is not None for x in xs)
    positions = [float(x) for x in xs] if numeric else list(range(len(xs)))
    figure, axes = _figure(len(panels))
    for ax, figure_key in zip(axes, panels):
        ys = [_number(v) for v in table[figure_key]]
        label = BY_KEY[figure_key].label
        ax.plot(positions, [math.nan if y is None else y for y in ys], marker="o", color=BEST,
                label=label)
        if figure_key == "placed_dcs" and "eligible_dcs" in table.columns:
            eligible = [_number(v) for v in table["eligible_dcs"]]
            ax.plot(positions, [math.nan if y is None else y for y in eligible], ls="--",
                    color=OTHER, label=BY_KEY["eligible_dcs"].label)
            ax.legend(fontsize=8)
        ax.set_title(label, fontsize=9)
        ax.set_xlabel(key, fontsize=8)
        if not numeric:
            ax.set_xticks(positions, [str(x) for x in xs], fontsize=8)
        ax.grid(alpha=0.3)
    figure.suptitle(f"Sweep of {key}", fontsize=11)
    return _png(figure)
