"""The catalogue holds the engine together: every hard rule has a builder and a check, every
soft goal a builder and a recount from the schedule rows that equals the term the solver
reports, and nothing is built or checked that the catalogue does not name."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from factory import request, small_tables, write_dataset, write_scenario
from scheduler import catalogue
from scheduler.check import CHECKS, Checker
from scheduler.load import load_dataset
from scheduler.metrics import RECOUNTS, recount_goals
from scheduler.model import rules, slots
from scheduler.model.block import rules as block_rules
from scheduler.model.block.goals import BLOCK_GOALS
from scheduler.model.dc_day import DC_DAY_GOALS
from scheduler.model.goals import SOFT_GOALS
from scheduler.plan import plan
from scheduler.scenario import Weights, load_scenario
from scheduler.schedule import Baseline

SAMPLE = Path(__file__).parent.parent / "scenarios"
RULE_NAMES = {rule.name for rule in catalogue.HARD_RULES}
GOAL_NAMES = {goal.name for goal in catalogue.SOFT_GOALS}


def resolve(builder: str):
    module, _, name = builder.partition(":")
    return getattr(importlib.import_module(f"scheduler.{module}"), name)


@pytest.mark.parametrize("entry", catalogue.HARD_RULES + catalogue.SOFT_GOALS,
                         ids=lambda e: e.name)
def test_every_entry_names_its_builder(entry):
    assert resolve(entry.builder) is not None
    assert entry.meaning


def test_every_rule_the_model_builds_is_in_the_catalogue():
    built = {f.__name__ for f in (*rules.HARD_RULES, *slots.ROOM_RULES, *slots.TIME_RULES,
                                  slots.room_free_of_programme, *block_rules.BLOCK_RULES,
                                  *block_rules.BETWEEN_BLOCKS)}
    built |= {"plenary_in_largest_free_room", "opening_before_sessions",
              "closing_after_sessions", "transition_time"}
    assert built <= RULE_NAMES
    assert RULE_NAMES - built == {"eligible_only", "items_of_the_mode",
                                  "moved_sessions_as_they_were"}


def test_every_goal_is_built_weighted_and_recounted():
    built = {f.__name__ for f in (*SOFT_GOALS, *BLOCK_GOALS, *DC_DAY_GOALS)}
    assert built == GOAL_NAMES
    assert GOAL_NAMES <= set(Weights.model_fields)
    assert set(RECOUNTS) == GOAL_NAMES


def test_every_rule_is_checked_and_every_check_judges_a_rule():
    claimed = {tag for rule in catalogue.HARD_RULES for tag in rule.check}
    reported = {tag for check in CHECKS for tag in check.tags}
    assert claimed == reported


# --- each goal's term equals its recount from the rows ---------------------------------------

def small_individual(tmp_path: Path, formulation: str):
    """The small dataset with an online speaker far away, preferences and a joint request."""
    tables = small_tables()
    tables["people"][6].update(onsite="no", timezone="America/Los_Angeles")
    tables["requests"][0]["preferred_days"] = "Day 1"
    tables["requests"][1]["preferred_days"] = "Day 2"
    tables["requests"].append(request("R5", "D1;D3", "P5", themes="DATA;AI"))
    folder = write_dataset(tmp_path / "data", tables)
    path = write_scenario(tmp_path / f"{formulation}.toml", folder,
                          solver={"formulation": formulation})
    return load_dataset(folder), load_scenario(path)


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """Sample scenarios (sessions, blocks and a DC Day), a small individual one on both
    formulations, a small DC Day and a small block over a moving programme, solved once."""
    results = {}
    for name, overrides in [("mixed", []), ("block", []), ("dc-day-0", []),
                            ("dc-day-0", ["solver.formulation=interval"])]:
        scenario = load_scenario(SAMPLE / f"{name}.toml", overrides)
        results[f"{name} {' '.join(overrides)}"] = plan(load_dataset(scenario.dataset_path),
                                                        scenario)
    for formulation in ("time_indexed", "interval"):
        dataset, scenario = small_individual(tmp_path_factory.mktemp(formulation), formulation)
        results[f"small {formulation}"] = plan(dataset, scenario)
        # Re-solved against that schedule after a room is lost: the `moved` goal.
        before = results[f"small {formulation}"].rows
        lost = before[0].room
        narrower = load_scenario(scenario.source, [
            "capacity.rooms=" + str([r.room_id for r in dataset.rooms if r.room_id != lost])])
        results[f"small {formulation} re-solved"] = plan(
            dataset, narrower, baseline=Baseline(Path("baseline"), tuple(before)))
        results[f"small {formulation} re-solved"].baseline_rows = before
    # A DC Day owning room C on Day 2: WS2, displaced, is placed again on Day 1, where its P8,
    # online from London, is asked to speak at night.
    tables = small_tables()
    tables["people"][7].update(onsite="no", timezone="Europe/London")
    folder = write_dataset(tmp_path_factory.mktemp("reserved") / "data", tables)
    path = write_scenario(folder.parent / "reserved.toml", folder, mode="dc_day",
                          dc_day={"day": "Day 2", "rooms": ["C"], "reserve": "rooms"})
    results["small dc_day reserved"] = plan(load_dataset(folder), load_scenario(path))
    # A Day 2 block over a moving programme: WS1 (a workshop on DATA) stays on Day 1, before it.
    folder = write_dataset(tmp_path_factory.mktemp("moving") / "data", small_tables())
    path = write_scenario(folder.parent / "moving.toml", folder, mode="block",
                          block={"duration": 120, "overhead": 10, "min_segment": 10,
                                 "max_segment": 20, "days": ["Day 2"]},
                          programme={"movable": "all"})
    results["small block, moving programme"] = plan(load_dataset(folder), load_scenario(path))
    return results



@pytest.mark.parametrize("goal", sorted(GOAL_NAMES))
def test_the_reported_term_equals_its_recount(solved, goal):
    counted = []
    for label, result in solved.items():
        if goal not in result.solution.terms:
            continue
        assert result.solution.status == "optimal", label
        recount = recount_goals(result.dataset, result.scenario, result.report, result.rows,
                                getattr(result, "baseline_rows", ()))
        assert result.solution.terms[goal] == recount[goal], label
        counted.append(recount[goal])
    assert counted, f"no solved scenario has the goal {goal}"
    assert any(counted), f"{goal} is 0 everywhere: the test would not see a miscount"


def test_a_switched_off_goal_is_not_built(tmp_path):
    dataset, scenario = small_individual(tmp_path, "time_indexed")
    scenario = scenario.model_copy(update={"weights": scenario.weights.model_copy(
        update={"online_hours": 0})})
    assert "online_hours" not in plan(dataset, scenario).solution.terms


def test_checker_rows_name_only_catalogued_tags(solved):
    tags = {tag for check in CHECKS for tag in check.tags}
    for result in solved.values():
        edited = [row.model_copy(update={"start": row.start + 5, "end": row.end + 5})
                  for row in result.rows]
        for violation in Checker(result.dataset, result.scenario, edited).violations():
            assert violation.rule in tags
