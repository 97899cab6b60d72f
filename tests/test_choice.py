"""`[solver] formulation = "auto"` (model/choice.py): the time-indexed model at DC scale, the
interval model where the time-indexed one's rows of pairwise goals would be too large; and the
cut limit of CP-SAT's LP when `[solver] max_cuts` is unset."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.load import load_dataset
from scheduler.model.choice import MIXED_MAX_CUTS, MOST_PAIR_TERMS, pair_row_terms
from scheduler.model.intervals import Intervals
from scheduler.model.solve import parameters
from scheduler.model.time_indexed import TimeIndexed
from scheduler.plan import build
from scheduler.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def built(name: str, *overrides: str):
    scenario = load_scenario(SCENARIOS / name, list(overrides))
    return build(load_dataset(scenario.dataset_path), scenario)[2]


def test_auto_takes_time_indexed_at_dc_scale_and_interval_for_the_whole_programme():
    individual = built("individual.toml")
    assert isinstance(individual, TimeIndexed)
    assert individual.scenario.solver.formulation == "time_indexed"
    whole = built("programme/whole-programme.toml", "solver.formulation=auto")
    assert isinstance(whole, Intervals) and whole.scenario.solver.formulation == "interval"
    terms = pair_row_terms(list(whole.items.values()), whole.starts, whole.grid, whole.scenario)
    assert terms > MOST_PAIR_TERMS


def test_a_named_formulation_is_the_one_built():
    assert isinstance(built("individual.toml", "solver.formulation=interval"), Intervals)


@pytest.mark.parametrize("name, overrides", [
    ("individual.toml", []), ("dc-day-0.toml", []),
    ("individual.toml", ["weights.parallel_sessions=0"])])
def test_the_estimate_is_at_least_what_the_pair_rows_of_the_time_indexed_model_take(
        name, overrides):
    """Each overlap boolean of the time-indexed model has a row per grid unit both items may
    cover, over the slots of both covering it: the estimate counts at least those terms, and
    not many times more (it is the size that decides)."""
    f = built(name, *overrides)
    assert isinstance(f, TimeIndexed)
    taken = sum(len(f.cover[a][key]) + len(f.cover[b][key])
                for (a, b), both in f._overlaps.items() if both is not None
                for key in f.cover[a].keys() & f.cover[b].keys())
    estimate = pair_row_terms(list(f.items.values()), f.starts, f.grid, f.scenario)
    assert 0 < taken <= estimate <= 3 * taken


@pytest.mark.parametrize("name, overrides, cuts", [
    ("mixed.toml", [], MIXED_MAX_CUTS),
    ("mixed.toml", ["solver.max_cuts=5000"], 5000),
    ("mixed.toml", ["solver.formulation=interval"], None),
    ("individual.toml", [], None),
    ("dc-day-0.toml", [], None),
    ("individual.toml", ["solver.max_cuts=0"], 0)])
def test_the_cut_limit_the_search_gets(name, overrides, cuts):
    """Unset, a mixed scenario in the time-indexed model gets a low cut limit (its LP could
    otherwise spend the search re-solving at every node) and every other keeps CP-SAT's own;
    a limit the scenario sets is the one CP-SAT runs with."""
    settings = built(name, *overrides).scenario.solver
    assert settings.max_cuts == cuts
    cp_sat_default = parameters(settings.model_copy(update={"max_cuts": None}))
    expected = cp_sat_default.parameters.max_num_cuts if cuts is None else cuts
    assert parameters(settings).parameters.max_num_cuts == expected
