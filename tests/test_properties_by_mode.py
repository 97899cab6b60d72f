"""Property, in every mode: on random small datasets with a transition and a moving programme
(a DC Day: a reservation whose displaced sessions are placed again), every soft term of an
optimal schedule equals its recount from the rows, whatever schedule the solver writes passes
the independent checker, and a violation planted in it of each rule between sessions (room,
transition, exclusive session, a moved session's people, a displaced session back on the DC
Day) fails it.

The datasets are those of test_properties.py (two days 09:00-13:00, up to three rooms, a fixed
programme with online and exclusive sessions), with the event's transition set to 10 minutes;
each is solved with either formulation.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from factory import write_dataset, write_scenario
from scheduler.check import Checker, check_file
from scheduler.errors import InputError
from scheduler.export.result_folder import write_schedule
from scheduler.load import load_dataset
from scheduler.metrics import recount_goals
from scheduler.plan import plan
from scheduler.scenario import load_scenario
from test_properties import instances

BLOCK = {"count": 1, "duration": 90, "overhead": 10, "min_segment": 10, "max_segment": 20}
MODES = {
    "individual": {"programme": {"movable": "all"}},
    "block": {"mode": "block", "block": BLOCK, "programme": {"movable": "all"}},
    "mixed": {"mode": "mixed", "block": BLOCK, "programme": {"movable": "all"}},
    "dc_day": {"mode": "dc_day"},
}


@st.composite
def with_transition_and_moves(draw, mode: str):
    tables, scenario = draw(instances())
    tables["event"] = {**tables["event"], "transition": 10}
    scenario = {**scenario, **MODES[mode], "solver": {
        "time_limit": 5, "formulation": draw(st.sampled_from(["time_indexed", "interval"]))}}
    if mode == "dc_day":
        scenario["dc_day"] = {"day": "Day 2", "reserve": draw(st.sampled_from(["rooms", "day"])),
                              "opening": draw(st.sampled_from([0, 30]))}
        scenario["capacity"] = {}
    return tables, scenario


def plantings(rows, dataset, displaced=frozenset()):
    """(the rule, the schedule with a violation of it planted), for each rule that this
    schedule gives a place to plant in; a displaced session placed again is put back where
    it was, on the DC Day."""
    holding = [r for r in rows if r.occupies_room]
    grid = dataset.event.granularity
    if len(holding) >= 2:
        first, second = holding[0], holding[1]
        length = second.end - second.start
        on_first = second.model_copy(update={"day": first.day, "start": first.start,
                                             "end": first.start + length, "room": first.room})
        yield "room", [on_first if r is second else r for r in rows if r.block_id != second.item_id]
        close = dataset.day_by_label[first.day].close
        after = -(-first.end // grid) * grid
        if after + length <= close:
            next_door = second.model_copy(update={"day": first.day, "start": after,
                                                  "end": after + length, "room": first.room})
            yield "transition", [next_door if r is second else r for r in rows
                                 if r.block_id != second.item_id]
    exclusive = [s for s in dataset.programme if s.exclusive]
    dc = next((r for r in rows if r.kind == "session"), None)
    if exclusive and dc is not None:
        ceremony = exclusive[0]
        during = dc.model_copy(update={"day": ceremony.day, "start": ceremony.start,
                                       "end": ceremony.start + dc.end - dc.start})
        yield "exclusive", [during if r is dc else r for r in rows]
    moved = next((r for r in rows if r.kind == "programme"), None)
    if moved is not None:
        others = tuple(p.person_id for p in dataset.people
                       if p.person_id not in dataset.session_by_id[moved.item_id].people)[:1]
        changed = moved.model_copy(update={"speakers": others})
        yield "programme", [changed if r is moved else r for r in rows]
    again = next((r for r in rows if r.kind == "programme" and r.item_id in displaced), None)
    if again is not None:
        session = dataset.session_by_id[again.item_id]
        back = again.model_copy(update={"day": session.day, "start": session.start,
                                        "end": session.end, "room": session.room})
        yield "programme", [back if r is again else r for r in rows]


def assert_checked(tables: dict, scenario_tables: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        dataset = load_dataset(write_dataset(folder / "data", tables))
        scenario = load_scenario(write_scenario(folder / "s.toml", folder / "data",
                                                **scenario_tables))
        try:
            result = plan(dataset, scenario)
        except InputError:              # a DC Day plenary with no slot at all: said, exit 2
            event("bad input")
            return
        event(f"status {result.solution.status}")
        if not result.solution.has_schedule:
            return
        if result.solution.status == "optimal":     # goals read some literals as lower bounds
            recount = recount_goals(dataset, scenario, result.report, result.rows)
            terms = result.solution.terms
            assert {goal: recount[goal] for goal in terms} == terms
        assert Checker(dataset, scenario, result.rows).violations() == []
        write_schedule(folder / "schedule.csv", result.rows)
        assert check_file(folder / "schedule.csv", dataset, scenario) == []
        for rule, planted in plantings(result.rows, dataset, result.reservation.displaced_ids):
            event(f"planted {rule}")
            found = {v.rule for v in Checker(dataset, scenario, planted).violations()}
            assert rule in found, (rule, found)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_terms_equal_their_recounts_and_the_checker_passes_what_the_solver_writes(mode):
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow],
              database=None)
    @given(with_transition_and_moves(mode))
    def holds(instance):
        assert_checked(*instance)

    holds()
