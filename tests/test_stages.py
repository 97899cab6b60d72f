"""The staged solve (`[solver] stages = "placement_first"`, model/stages.py): exact where the
weights make placement a strict priority, a bound valid for the problem as stated whatever
the weights, and the same schedule every run when a work limit stops it (issue 17)."""

from __future__ import annotations

import dataclasses

import pytest

from factory import assert_sound, request, room, small_tables, write_dataset, write_scenario
from scheduler.check import Checker
from scheduler.load import load_dataset
from scheduler.model.stages import placement_is_strict_priority
from scheduler.plan import build, plan
from scheduler.scenario import load_scenario
from test_determinism import generated_scenarios, solve_files

# One more request placed outweighs anything the other goals can change on small_tables.
STRICT = {"placed": 100_000, "fairness": 1, "theme_clash": 10, "parallel_sessions": 1,
          "preferred_day": 3, "online_hours": 2}
# A clash or a parallel session outweighs a request placed: staging is then a heuristic.
WEAK = {"placed": 1, "theme_clash": 50, "parallel_sessions": 20}
WEIGHTS = {"strict": STRICT, "weak": WEAK}


def scenario_tables(stages: str, weights: dict) -> dict:
    return {"capacity": {"max_dc_sessions": 3}, "weights": weights,
            "solver": {"stages": stages}}


def test_placement_is_a_strict_priority_with_strict_weights_only(tmp_path):
    folder = write_dataset(tmp_path / "data", small_tables())
    strict = {}
    for name, weights in WEIGHTS.items():
        path = write_scenario(tmp_path / f"{name}.toml", folder, **scenario_tables("one", weights))
        _, _, f = build(load_dataset(folder), load_scenario(path))
        strict[name] = placement_is_strict_priority(f)
    assert strict == {"strict": True, "weak": False}


def test_a_staged_solve_with_strict_priority_is_the_one_stage_optimum():
    """Both stages proven, placement a strict priority: the schedule is proven best for the
    whole objective, passes the checker and its terms equal their recount (assert_sound)."""
    staged = assert_sound(small_tables(), scenario_tables("placement_first", STRICT))
    one = assert_sound(small_tables(), scenario_tables("one", STRICT))
    assert staged.solution.objective == one.solution.objective
    assert staged.solution.terms["placed"] == one.solution.terms["placed"]


@pytest.mark.parametrize("weights", WEIGHTS.values(), ids=WEIGHTS.keys())
def test_a_staged_solves_bound_holds_for_the_problem_as_stated(tmp_path, weights):
    """Whatever the weights, the staged solve's bound is at least the true optimum (a bound
    under stage 2's constraint alone need not be), and it says "optimal" only at it."""
    folder = write_dataset(tmp_path / "data", small_tables())
    dataset = load_dataset(folder)
    results = {stages: plan(dataset, load_scenario(write_scenario(
        tmp_path / f"{stages}.toml", folder, **scenario_tables(stages, weights))))
        for stages in ("one", "placement_first")}
    one, staged = results["one"].solution, results["placement_first"].solution
    assert one.status == "optimal"
    assert staged.bound >= one.objective - 1e-6
    assert staged.objective <= one.objective + 1e-6
    if staged.status == "optimal":
        assert staged.objective == one.objective


def test_a_staged_solve_stopped_by_its_work_limit_gives_the_same_schedule_every_run(tmp_path):
    scenario = generated_scenarios(tmp_path) / "individual.toml"
    runs = [solve_files(scenario, tmp_path / f"run{i}", "solver.stages=placement_first",
                        "solver.work_limit=0.4") for i in range(2)]
    assert runs[0] == runs[1]


def test_stages_one_of_which_the_clock_stopped_say_the_time_limit_ended_them():
    """The clock stopping stage 1 changes what the later stages start from: the result says
    "time limit" even when the last stage ran out of work, and "proof" when it is proven."""
    from scheduler.model.solve import Solution
    from scheduler.model.stages import totalled

    first = Solution("feasible", 10.0, 12.0, 0.2, 3.0, ended_by="time limit", work=0.7)
    second = Solution("feasible", 100.0, 104.0, 0.04, 2.0, ended_by="work limit", work=1.3)
    assert totalled(second, [first, second]).ended_by == "time limit"
    assert totalled(second, [dataclasses.replace(first, ended_by="work limit"), second]
                    ).ended_by == "work limit"
    proven = dataclasses.replace(second, status="optimal", bound=100.0, ended_by="proof")
    assert totalled(proven, [first, proven]).ended_by == "proof"


def one_morning_two_rooms() -> dict:
    """Day 1 09:00-11:00, rooms X (100 seats) and Y (40): R1 (1 hour, 30 people, priority 1)
    and R2 (2 hours, 80 people: room X only, the whole morning). The greedy places R1 first,
    in the first room free (X), and leaves R2 out; both fit (R1 in Y)."""
    tables = small_tables()
    tables["event"]["days"] = tables["event"]["days"][:1]
    tables["event"]["days"][0].update(close="11:00", breaks=[])
    tables["rooms"] = [room("X", 100), room("Y", 40)]
    tables["programme"] = []
    tables["requests"] = [request("R1", "D1", "P1", duration=60, attendance=30, priority="1"),
                          request("R2", "D2", "P3", duration=120, attendance=80,
                                  themes="RIGHTS", priority="2")]
    return tables


def solved_saying(tmp_path, **tables):
    """The result of `plan` on one_morning_two_rooms() with the scenario `tables`, and the
    progress lines it said."""
    folder = write_dataset(tmp_path / "data", one_morning_two_rooms())
    dataset = load_dataset(folder)
    scenario = load_scenario(write_scenario(tmp_path / "s.toml", folder, **tables))
    said: list[str] = []
    return dataset, scenario, plan(dataset, scenario, said.append), said


def test_the_placement_pass_starts_the_search_from_every_request_that_fits(tmp_path):
    """The greedy leaves R2 out where it fits: a model of placement alone places both first,
    the whole search starts from that schedule (the first guess places both), and the work of
    the pass and the search together keeps within the limit."""
    dataset, scenario, result, said = solved_saying(tmp_path, solver={"time_limit": 4})
    assert "  placement pass: 2 of 2 requests placed (the most there can be); the whole search "\
           "starts from there" in said, said
    assert "  first guess: 2 of 2 items placed" in said, said
    assert {row.item_id for row in result.rows} == {"R1", "R2"}
    assert Checker(dataset, scenario, result.rows).violations() == []
    assert result.solution.work <= scenario.solver.time_limit * 1.01


@pytest.mark.parametrize("tables, why", [
    ({"solver": {"placement_pass": False}}, "not asked"),
    ({"mode": "mixed"}, "the greedy does not place a mixed mode's blocks"),
    ({"weights": {"placed": 100, "fairness": 0, "theme_clash": 0, "parallel_sessions": 0,
                  "preferred_day": 0, "online_hours": 0}}, "placement is the whole objective"),
])
def test_no_placement_pass_where_it_has_nothing_to_give(tmp_path, tables, why):
    *_, said = solved_saying(tmp_path, **tables)
    assert not any("placement pass" in line for line in said), (why, said)


def test_no_placement_pass_where_the_first_guess_misses_only_what_the_quota_keeps_out(
        tmp_path):
    *_, result, said = solved_saying(tmp_path, capacity={"max_dc_sessions": 1})
    assert not any("placement pass" in line for line in said), said
    assert [row.item_id for row in result.rows] == ["R1"]
