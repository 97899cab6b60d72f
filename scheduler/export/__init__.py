"""Everything the tool writes: the result folder (schedule.csv, unscheduled.csv, metrics.json)
and, one module per format, the exports made from it. Every folder is written whole or not at
all, with a manifest that readers check (`folders.py`)."""
