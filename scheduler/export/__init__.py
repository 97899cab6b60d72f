"""Everything the tool writes: the result folder (schedule.csv, unscheduled.csv, metrics.json)
and, one module per format, the exports made from it. Every file is written whole or not at all
(`files.replace_atomically`)."""
