"""The tables of a comparison and of a sweep, as data, as terminal text, and as files.

- `comparison_table`: one row per figure (`figures.figures_for`), one column per scenario, the
  best value(s) of each row named in the `best` column; `display_table` is it for a terminal.
- `by_dc_table`: what every DC gets in each scenario (`brief` cells for a terminal).
- `sweep_table` / `display_sweep`: the trade-off curve of a sweep.
- `comparison_files` / `sweep_files`: the tables as CSV and JSON, the charts as PNG (bytes by
  file name; the command writes each folder whole).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import pandas as pd

from ..export.files import as_text_cell, csv_bytes, json_bytes
from ..plan import Result
from ..scenario import parse_value
from ..schedule import ScheduleRow
from ..timegrid import format_hhmm
from .charts import comparison_chart, sweep_chart
from .figures import (BY_KEY, HOW, SWEEP_COLUMNS, best_of, figures_for, heading, is_detail,
                      placement, scenario_columns)
from .running import Sweep, folder_name

# --- the comparison ---------------------------------------------------------------------------

def comparison_table(results: Sequence[Result]) -> pd.DataFrame:
    """One row per figure (index: its key), columns `figure` (label), `better`, one column per
    scenario (named after it), and `best`: the scenario(s) with the best value, `;`-separated."""
    names = [r.scenario.name for r in results]
    rows = []
    for figure in figures_for(results):
        values = [figure.value(r) for r in results]
        best = best_of(values, figure.better)
        rows.append({"key": figure.key, "figure": figure.label, "better": figure.better or "",
                     **dict(zip(names, values)), "best": ";".join(names[i] for i in best)})
    return pd.DataFrame(rows, columns=["key", "figure", "better", *names, "best"],
                        dtype=object).set_index("key")


def format_value(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


BEST_MARK = "*"


def display_table(table: pd.DataFrame, details: bool = False) -> pd.DataFrame:
    """The comparison as text for a terminal: each figure under its short heading, the best
    value(s) of each row marked with `*`; the solver's objective and terms only with `details`."""
    names = scenario_columns(table)
    rows = []
    for key, row in table.iterrows():
        if is_detail(key) and not details:
            continue
        best = set(row["best"].split(";")) if row["best"] else set()
        rows.append({"figure": heading(key, row["figure"]),
                     **{n: format_value(row[n]) + (f" {BEST_MARK}" if n in best else "")
                        for n in names}})
    return pd.DataFrame(rows, columns=["figure", *names])


def _plain(value: Any) -> Any:
    """A JSON-ready value (numpy scalars become Python ones)."""
    return value.item() if hasattr(value, "item") else value


def comparison_json(table: pd.DataFrame, results: Sequence[Result]) -> dict:
    names = scenario_columns(table)
    meaning = {f.key: f.meaning for f in figures_for(results)}
    return {
        "scenarios": [{"name": r.scenario.name, "mode": r.scenario.mode,
                       "scenario_path": str(r.scenario.source),
                       "folder": folder_name(r.scenario)} for r in results],
        "figures": [{"key": key, "label": row["figure"], "better": row["better"] or None,
                     "meaning": meaning.get(key, ""),
                     "values": {n: _plain(row[n]) for n in names},
                     "best": row["best"].split(";") if row["best"] else []}
                    for key, row in table.iterrows()],
    }


# --- what every DC gets ----------------------------------------------------------------------

def describe(result: Result, row: ScheduleRow, dc_id: str, brief: bool = False) -> str:
    """'session Day 2 14:00 WS4', 'segment 12 min in BLOCK-1 (Day 2 14:24, WS4)', ...; the
    co-organisers follow ('with D2') unless `brief`."""
    where = f"{row.day} {format_hhmm(row.start)}"
    if row.kind == "segment":
        text = (f"segment {row.end - row.start} min in {row.block_id} "
                f"({where}" + (f", {row.room})" if row.room else ")"))
    else:
        how = "session" if placement(result, row) == HOW["own"] else placement(result, row)
        text = f"{how} {where}" + (f" {row.room}" if row.room else "")
    others = [d for d in row.dc_ids if d != dc_id]
    return text + (f" with {', '.join(others)}" if others and not brief else "")


def dc_cell(result: Result, dc_id: str, brief: bool = False) -> str:
    """Where the DC is placed, or '- (why not)'; `brief`: without co-organisers, and each
    reason cut to its first part ('quota reached', 'ineligible', ...)."""
    placed = [describe(result, r, dc_id, brief) for r in result.rows
              if dc_id in r.dc_ids and placement(result, r) is not None]
    if placed:
        return "; ".join(placed)
    reasons = dict.fromkeys(u.reason.split(": ")[0] if brief else u.reason
                            for u in result.unscheduled if dc_id in u.dc_ids)
    return f"- ({'; '.join(reasons) or 'no session request'})"


def by_dc_table(results: Sequence[Result], brief: bool = False) -> pd.DataFrame:
    """One row per DC (of every scenario's dataset), one column per scenario: what it gets."""
    dcs: dict[str, str] = {}
    for result in results:
        for dc in result.dataset.coalitions:
            dcs.setdefault(dc.dc_id, dc.category)
    names = [r.scenario.name for r in results]
    rows = [{"dc_id": dc_id, "category": category,
             **{name: (dc_cell(r, dc_id, brief) if dc_id in r.dataset.coalition_by_id
                       else "- (not in this scenario's dataset)")
                for name, r in zip(names, results)}}
            for dc_id, category in dcs.items()]
    return pd.DataFrame(rows, columns=["dc_id", "category", *names])


# --- a sweep ---------------------------------------------------------------------------------

def _typed(text: str) -> Any:
    """A swept value as its TOML type when it is a number or a word, else its text."""
    value = parse_value(text)
    return value if isinstance(value, (int, float, str, bool)) else text


def sweep_table(sweep: Sweep) -> pd.DataFrame:
    """One row per value: the value (typed), then the figures of `SWEEP_COLUMNS` (estimated
    attendance only when some run reports it)."""
    keys = [k for k in SWEEP_COLUMNS if BY_KEY[k].applies(sweep.results)]
    rows = [{sweep.key: _typed(value), **{k: BY_KEY[k].value(r) for k in keys}}
            for value, r in zip(sweep.values, sweep.results)]
    return pd.DataFrame(rows, columns=[sweep.key, *keys], dtype=object)


def display_sweep(table: pd.DataFrame) -> pd.DataFrame:
    """The curve as text; the varied key's column headed by its last part (`max_dc_sessions`),
    each figure by its short heading."""
    return pd.DataFrame([[format_value(v) for v in row] for row in table.itertuples(index=False)],
                        columns=[table.columns[0].rpartition(".")[2],
                                 *(BY_KEY[c].heading for c in table.columns[1:])])


# --- the files ---------------------------------------------------------------------------------

def _frame_csv(frame: pd.DataFrame) -> bytes:
    """A table for spreadsheets: no cell runs as a formula (a "- why not" cell, an id)."""
    records = [{k: as_text_cell(v) if isinstance(v, str) else _plain(v) for k, v in row.items()}
               for row in frame.to_dict("records")]
    return csv_bytes(tuple(frame.columns), records)


def comparison_files(results: Sequence[Result], table: pd.DataFrame,
                     by_dc: pd.DataFrame) -> dict[str, bytes]:
    """comparison.csv, comparison.json, comparison.png and comparison_by_dc.csv."""
    return {"comparison.csv": _frame_csv(table.reset_index()),
            "comparison.json": json_bytes(comparison_json(table, results)),
            "comparison.png": comparison_chart(table),
            "comparison_by_dc.csv": _frame_csv(by_dc)}


def sweep_files(sweep: Sweep, table: pd.DataFrame) -> dict[str, bytes]:
    """sweep.csv and sweep.png."""
    return {"sweep.csv": _frame_csv(table), "sweep.png": sweep_chart(table, sweep.key)}
