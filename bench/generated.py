"""The generated datasets the benchmarks solve: written once under bench/out/gen/, reused after."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.datasets.generate import Settings, generate, write_dataset, write_scenarios  # noqa: E402

GEN = ROOT / "bench" / "out" / "gen"


def generated_scenarios(name: str, settings: Settings) -> Path:
    """The scenario folder (GEN/<name>-scenarios) of the dataset `settings` give (GEN/<name>),
    both written the first time. `write_scenarios` writes its folder whole or not at all, so
    its manifest says it is there."""
    data, scenarios = GEN / name, GEN / f"{name}-scenarios"
    if not (scenarios / "manifest.json").exists():
        write_dataset(generate(settings), data, force=True)
        write_scenarios(data, scenarios)
    return scenarios
