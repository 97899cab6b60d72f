"""Re-solving neighbourhoods of the full search's best schedule (model/neighbourhoods.py): a
better schedule within the same work, the full search's bound kept, every hard rule kept."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import main


def solved(scenario: Path, out: Path, *overrides: str) -> dict:
    args = ["solve", str(scenario), "--out", str(out), "--quiet"]
    for assignment in overrides:
        args += ["--set", assignment]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads((out / "metrics.json").read_text(encoding="utf-8"))


def search_kind(params) -> str:
    """Which of model/solve.py's CP-SAT runs these parameters are for: the probe for a first
    schedule, the check of the first guess (its values fixed), or a search."""
    return "probe" if params.stop_after_first_solution else \
        "fixed" if params.fix_variables_to_their_hinted_value else "search"


def test_neighbourhoods_improve_the_full_search_schedule_and_keep_its_bound(tmp_path):
    """The full search stopped at its first schedule (0.1 units of work: the greedy first
    guess) is the same search in both runs; given 0.4 units more, the neighbourhoods find a
    better schedule, which keeps every hard rule, and the bound stays the full search's."""
    scenarios = tmp_path / "scenarios"
    generated = CliRunner().invoke(main, [
        "generate", "--seed", "5", "--rooms", "8", "--days", "2", "--requests", "20",
        "--out", str(tmp_path / "gen"), "--scenarios", str(scenarios)])
    assert generated.exit_code == 0, generated.output
    scenario = scenarios / "individual.toml"
    alone = solved(scenario, tmp_path / "alone", "solver.work_limit=0.1",
                   "solver.neighbourhood_share=0")
    improved = solved(scenario, tmp_path / "improved", "solver.work_limit=0.5",
                      "solver.neighbourhood_share=0.8")
    assert alone["status"] == "feasible" and alone["search_ended_by"] == "work limit"
    assert improved["objective"] > alone["objective"]
    assert improved["bound"] == alone["bound"]
    assert improved["search_ended_by"] == "work limit"
    assert improved["work"] <= 0.5 * 1.01
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "improved" / "schedule.csv"),
                                        "--scenario", str(scenario)])
    assert checked.exit_code == 0, checked.output


def test_the_first_schedule_stands_when_the_full_search_finds_none_in_its_share(monkeypatch):
    """Where the model refuses the greedy first guess (made so here; a mode's own rule the
    greedy does not know, as a block's, does it), one worker without the LP finds a first
    schedule; when the full search then finds none within its share (it waits for its root
    LP), that schedule is the result and the neighbourhoods start from it."""
    import scheduler.model.solve as solve_module
    from scheduler.check import Checker
    from scheduler.load import load_dataset
    from scheduler.plan import plan
    from scheduler.scenario import load_scenario

    searches = []
    real_search = solve_module.search

    def full_search_finds_nothing(f, solver, progress, model=None):
        params = solver.parameters
        kind = search_kind(params)
        searches.append(kind)
        if kind == "search" and searches.count("probe") and searches.count("search") == 1:
            return solve_module.Solution("unknown", None, None, None, 0.1, ended_by="work limit",
                                         work=params.max_deterministic_time)
        return real_search(f, solver, progress, model)

    monkeypatch.setattr(solve_module, "search", full_search_finds_nothing)
    monkeypatch.setattr(solve_module, "first_guess", lambda f, settings: None)
    scenario = load_scenario(Path(__file__).parent.parent / "scenarios" / "dc-day-0.toml",
                             ["solver.work_limit=2", "solver.neighbourhood_share=0"])
    dataset = load_dataset(scenario.dataset_path)
    result = plan(dataset, scenario)
    assert "probe" in searches
    assert result.solution.status in ("feasible", "optimal") and result.rows
    assert Checker(result.dataset, scenario, result.rows).violations() == []



def test_the_neighbourhoods_start_from_the_first_guess_when_the_full_search_finds_nothing(
        monkeypatch):
    """Where the full search finds no schedule within its share (the largest models wait for
    their root LP), the rest of the work still goes to the neighbourhoods, from the greedy
    first guess: a schedule at least as good as the guess, every hard rule kept, the work
    spent, and no bound claimed that no search proved."""
    import scheduler.model.neighbourhoods as neighbourhoods
    import scheduler.model.solve as solve_module
    from scheduler.check import Checker
    from scheduler.load import load_dataset
    from scheduler.plan import plan
    from scheduler.scenario import load_scenario

    kinds, guesses = [], []
    real_search = solve_module.search

    def full_search_finds_nothing(f, solver, progress, model=None):
        params = solver.parameters
        kinds.append(search_kind(params))
        if kinds[-1] == "search" and kinds.count("search") == 1:
            return solve_module.Solution("unknown", None, None, None, 0.1, ended_by="work limit",
                                         work=params.max_deterministic_time)
        found = real_search(f, solver, progress, model)
        if kinds[-1] == "fixed":
            guesses.append(found.objective)
        return found

    monkeypatch.setattr(solve_module, "search", full_search_finds_nothing)
    monkeypatch.setattr(neighbourhoods, "search", full_search_finds_nothing)
    scenario = load_scenario(Path(__file__).parent.parent / "scenarios" / "individual.toml",
                             ["solver.work_limit=1", "solver.neighbourhood_share=0.5"])
    result = plan(load_dataset(scenario.dataset_path), scenario)
    solution = result.solution
    assert guesses and kinds.count("search") > 1            # the steps ran after the full one
    assert solution.has_schedule and round(solution.objective) >= round(guesses[0])
    assert solution.bound is None and solution.gap is None
    assert solution.work > 0.5 and solution.ended_by == "work limit"
    assert Checker(result.dataset, scenario, result.rows).violations() == []


def test_the_neighbourhoods_take_most_of_the_limits_in_the_interval_formulation(monkeypatch):
    """Unless the scenario sets it, the neighbourhoods' share is 0.9 in the interval
    formulation (its full search is slow and hardly improves its first schedule) and 0.5 in
    the time-indexed one: the full search gets the rest of the work; a share the scenario sets
    holds in both."""
    import scheduler.model.solve as solve_module
    from scheduler.load import load_dataset
    from scheduler.plan import plan
    from scheduler.scenario import load_scenario

    full_search_work = []
    real_search = solve_module.search

    def recorded(f, solver, progress, model=None):
        if search_kind(solver.parameters) == "search" and not full_search_work:
            full_search_work.append(solver.parameters.max_deterministic_time)
        return real_search(f, solver, progress, model)

    monkeypatch.setattr(solve_module, "search", recorded)
    sample = Path(__file__).parent.parent / "scenarios" / "individual.toml"

    def full_search_share(*overrides: str) -> float:
        full_search_work.clear()
        scenario = load_scenario(sample, ["solver.work_limit=0.5", *overrides])
        plan(load_dataset(scenario.dataset_path), scenario)
        return round(full_search_work[0] / 0.5, 6)

    assert full_search_share("solver.formulation=interval") == 0.1
    assert full_search_share() == 0.5
    assert full_search_share("solver.formulation=interval",
                             "solver.neighbourhood_share=0.3") == 0.7
    assert full_search_share("solver.neighbourhood_share=0") == 1
