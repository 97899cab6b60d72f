"""Scenarios side by side, and one knob swept: "what does each option cost and give?".

- `running`: every scenario read and checked up front, then solved in parallel processes.
- `figures`: the one table of figures (key, label, short heading, which way is better, how to
  read it); every table and chart below picks its figures from it by key.
- `tables`: the comparison, what each DC gets, the sweep's curve; as text and as files.
- `charts`: the same as PNG (matplotlib, imported only when a chart is drawn).

Imports run one way: `tables` uses `figures`, `running` and `charts`; `charts` uses `figures`;
`running` and `figures` use none of the others.
"""

from .figures import best_of, glossary, placed_by, slots_freed
from .running import folder_name, load_scenarios, parse_vary, solve_many, split_values, sweep
from .tables import (by_dc_table, comparison_table, dc_cell, display_sweep, display_table,
                     comparison_files, sweep_files, sweep_table)

__all__ = ["best_of", "by_dc_table", "comparison_files", "comparison_table", "dc_cell",
           "display_sweep", "display_table", "folder_name", "glossary", "load_scenarios",
           "parse_vary", "placed_by", "slots_freed", "solve_many", "split_values", "sweep",
           "sweep_files", "sweep_table"]
