"""Every reason a request is left out is true: each kind is confirmed by solving again with the
request forced in (pinned), on small instances.

- `quota reached`: forcing it in scores less (the quota makes it take another's slot);
- `costs`: the schedule with it at the slot named scores what the reason says, and no
  rearrangement does better than the schedule written (the solve is proven best);
- `the search stopped before placing it`: after a search that stopped, never a cost claim;
- `DC items in the way`: forced in, it takes the slot and the one in its way is left out;
- a DC Day's free slot is one the model accepts (the closing's transition is not free);
- a move for costs (changes.csv): pinned back, the schedule scores less;
- a pin that cannot be kept names the rule it breaks, as `check` does; so does a pin pair;
- the summary's time is the run's.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from factory import request, session, small_tables
from scheduler import reasons
from scheduler.domain import Pin
from scheduler.plan import build as build_model, plan
from scheduler.model.solve import solve
from scheduler.schedule import Baseline
from scheduler.timegrid import parse_hhmm


def reason(result, request_id: str) -> str:
    assert request_id not in {row.item_id for row in result.rows}
    return next(u.reason for u in result.unscheduled if u.request_id == request_id)


def forced_in(dataset, spec, request_id: str, day=None, start=None, room=None):
    """The scenario solved again with `request_id` pinned (to a place, or just placed)."""
    pin = Pin(request_id=request_id, day=day, start=start, room=room)
    return plan(dataset, spec, baseline=Baseline(Path("pins.csv"), (), (pin,)))


def named_slot(text: str) -> tuple[str, int, str]:
    """(day, start, room) of 'with it at Day 2 10:00-11:00 B'."""
    day, start, room = re.search(r"with it at (Day \d) (\d\d:\d\d)-\d\d:\d\d (\w+)",
                                 text).groups()
    return day, parse_hhmm(start), room


def test_quota_compares_weights_a_joint_request_counting_each_dc(build):
    """R2, a joint request of priority 4 (two DCs), weighs more than R1 of priority 3 (one DC):
    the quota's one slot goes to R2, and R1 is told so, not 'the same or higher priority'."""
    tables = small_tables()
    tables["requests"][0]["priority"] = "3"
    tables["requests"][1].update(dc_ids="D2;D4", priority="4")
    tables["requests"][2]["priority"] = "5"
    tables["requests"][3]["priority"] = "3"
    dataset, spec = build(tables, capacity={"max_dc_sessions": 1})
    result = plan(dataset, spec)
    assert result.solution.status == "optimal"
    assert {row.item_id for row in result.rows} == {"R2"}
    text = reason(result, "R1")
    assert "weighs 3" in text and "R2 (priority 4, 2 DCs: weighs 4)" in text
    assert "placed for its DCs, though of no higher priority" in text
    assert "same or higher priority" not in text

    forced = forced_in(dataset, spec, "R1")
    assert forced.solution.status == "optimal"
    assert forced.solution.objective < result.solution.objective


def test_a_cost_reason_names_a_slot_and_a_score_that_a_solve_confirms(build):
    """Every time R1 could run, a session on its theme runs too; a clash costs more than
    placing it gains: R1 is left out at a cost, and the reason's figures hold."""
    tables = small_tables()
    tables["programme"] += [session("DATA1", "Day 1", "09:00", "13:00", "", "DATA"),
                            session("DATA2", "Day 2", "09:00", "13:00", "", "DATA")]
    dataset, spec = build(tables, weights={"placed": 1, "theme_clash": 100})
    result = plan(dataset, spec)
    text = reason(result, "R1")
    assert text.startswith("costs: ") and "the schedule is proven best" in text, text
    less = int(re.search(r"scores (\d+) less", text)[1])
    assert less > 0 and "theme_clash -" in text and "placed +" in text

    forced = forced_in(dataset, spec, "R1", *named_slot(text))
    assert forced.solution.status == "optimal"
    # Others may move around it: at least as good as the reason's schedule, worse than without.
    assert result.solution.objective - less <= forced.solution.objective
    assert forced.solution.objective < result.solution.objective
    anywhere = forced_in(dataset, spec, "R1")
    assert anywhere.solution.objective < result.solution.objective


def test_after_a_stopped_search_a_request_left_out_is_told_so_not_a_cost(build):
    """A schedule from a search that stopped (here: the best one with R1 taken out, said to
    be unproven) never claims a cost: R1 'the search stopped before placing it', and the gain
    it names is what solving with R1 at that slot gives."""
    dataset, spec = build(small_tables())
    _, mode, f = build_model(dataset, spec)
    best = solve(f, spec.solver)
    assert best.status == "optimal" and "R1" in best.chosen
    stopped = dataclasses.replace(best, status="feasible",
                                  chosen={k: v for k, v in best.chosen.items() if k != "R1"})
    text = reasons.why_not_placed(f, "R1", stopped)
    assert text.startswith("the search stopped before placing it: with it at "), text
    assert "costs" not in text
    gain = int(re.search(r"scores (\d+) more", text)[1])
    without_r1 = reasons.base_score(f, stopped).objective
    forced = forced_in(dataset, spec, "R1", *named_slot(text))
    assert forced.solution.objective >= without_r1 + gain


def test_a_dc_day_never_offers_the_closing_transition_as_a_free_slot(build):
    """One room, 09:00-13:00, a 15-minute opening and closing and a 10-minute transition: R1
    (pinned 09:30-11:30) leaves R3 (60 min) 11:45-12:45 free of DC items, but its transition
    runs into the closing, which the model refuses: R3 is 'DC Day full' and says why, never
    'costs'."""
    tables = small_tables()
    tables["event"] = {"transition": 10, **tables["event"]}    # before the days' tables
    tables["event"]["days"] = tables["event"]["days"][:1]
    tables["event"]["days"][0]["breaks"] = []
    tables["programme"] = []
    tables["rooms"] = tables["rooms"][:1]
    tables["requests"] = [request("R1", "D1", "P1", duration=120, priority="1"),
                          request("R3", "D3", "P5", duration=60, themes="DIVIDE")]
    dataset, spec = build(tables, mode="dc_day", dc_day={"day": "Day 1", "opening": 15,
                                                          "closing": 15})
    pin = Pin(request_id="R1", day="Day 1", start=parse_hhmm("09:30"), room="A")
    result = plan(dataset, spec, baseline=Baseline(Path("pins.csv"), (), (pin,)))
    assert result.solution.status == "optimal"
    text = reason(result, "R3")
    assert text.startswith("DC Day full: no free slot left on Day 1"), text
    two_pins = (pin, Pin(request_id="R3", day="Day 1", start=parse_hhmm("11:45"), room="A"))
    assert plan(dataset, spec, baseline=Baseline(Path("pins.csv"), (), two_pins)) \
        .solution.status == "infeasible"


def test_a_lone_pin_that_cannot_be_kept_names_the_rule_check_names(build):
    dataset, spec = build(small_tables())
    result = forced_in(dataset, spec, "R1", "Day 1", parse_hhmm("09:30"), "A")
    assert result.solution.status == "infeasible"
    assert result.solution.why.startswith("R1 pinned to Day 1 09:30 A cannot be kept: [room] R1: "
                                          "shares room A with WS1"), result.solution.why
    assert result.metrics["why_no_schedule"] == result.solution.why


def test_a_conflicting_pin_pair_names_the_rule_between_them(build):
    dataset, spec = build(small_tables())
    pins = (Pin(request_id="R1", day="Day 2", start=parse_hhmm("10:00"), room="A"),
            Pin(request_id="R2", day="Day 2", start=parse_hhmm("10:30"), room="A"))
    result = plan(dataset, spec, baseline=Baseline(Path("pins.csv"), (), pins))
    assert result.solution.status == "infeasible"
    assert "these cannot all be kept together" in result.solution.why
    assert "[room] R1: shares room A with R2" in result.solution.why, result.solution.why


def test_the_summary_tells_the_runs_wall_time_not_the_last_solves(build):
    """An infeasible run solves again per requirement to name the conflict: the summary's time
    is the whole run's (metrics.json wall_seconds), never only the first solve's."""
    from scheduler.terminal import solve_summary

    dataset, spec = build(small_tables())
    result = forced_in(dataset, spec, "R1", "Day 1", parse_hhmm("09:30"), "A")
    m = result.metrics
    assert m["wall_seconds"] >= m["solve_seconds"]
    assert solve_summary(result, "out")[0].startswith(
        f"scenario (mode individual, {m['wall_seconds']:.1f}s): No schedule: R1 pinned")


def test_a_move_for_costs_names_what_staying_would_score_and_a_solve_confirms(build):
    """The baseline has R1 beside a session on its theme; moving costs only weights.moved = 1,
    a clash 10: R1 moves, 'costs: staying ... scores N less', and R1 pinned back there scores
    less than the schedule written (the solve is proven best)."""
    from scheduler.schedule import ScheduleRow

    tables = small_tables()
    tables["programme"].append(session("DATA3", "Day 2", "09:00", "10:00", "", "DATA", "P8"))
    dataset, spec = build(tables, weights={"moved": 1})
    before = ScheduleRow(item_id="R1", kind="session", dc_ids=("D1",), day="Day 2",
                         date="2024-12-17", start=parse_hhmm("09:00"), end=parse_hhmm("10:00"),
                         room="A", themes=("DATA",), speakers=("P1", "P2"))
    result = plan(dataset, spec, baseline=Baseline(Path("schedule.csv"), (before,)))
    assert result.solution.status == "optimal"
    (moved,) = [c for c in result.changes if c["request_id"] == "R1"]
    assert moved["change"] == "moved", moved
    assert moved["reason"].startswith("costs: staying, everything else kept, scores "), moved
    assert "theme_clash -10" in moved["reason"] and "moved +1" in moved["reason"]
    less = int(re.search(r"scores (\d+) less", moved["reason"])[1])
    back = plan(dataset, spec, baseline=Baseline(Path("schedule.csv"), (before,), (
        Pin(request_id="R1", day="Day 2", start=parse_hhmm("09:00"), room="A"),)))
    assert result.solution.objective - less <= back.solution.objective < \
        result.solution.objective


def test_dc_items_in_the_way_is_confirmed_by_forcing_the_request_in(build):
    """R1 and R2 each need Day 2's whole morning in room A: one is placed, the other is told
    DC items are in its way; forced in, it takes the slot and the first is left out."""
    tables = small_tables()
    tables["programme"] = [s for s in tables["programme"] if s["day"] == "Day 1"]
    tables["requests"] = [request("R1", "D1", "P1", duration=240),
                          request("R2", "D2", "P3", duration=240, themes="RIGHTS")]
    dataset, spec = build(tables, capacity={"days": ["Day 2"], "rooms": ["A"]})
    result = plan(dataset, spec)
    (placed,) = [row.item_id for row in result.rows]
    other = "R2" if placed == "R1" else "R1"
    assert reason(result, other) == ("DC items in the way: every possible slot clashes with one "
                                     "(room taken by another DC item (1 slot))")
    forced = forced_in(dataset, spec, other)
    assert [row.item_id for row in forced.rows] == [other]
    assert forced.solution.objective <= result.solution.objective


def test_a_moved_session_that_fits_nowhere_is_named_as_the_cause(build):
    """The programme moves and LONG (120 min) must stay on Day 1, where the break (11:00-11:15)
    leaves one 120-minute window, 09:00-11:00, and the exclusive opening (09:00-09:30) takes
    it: no schedule, and the reason names LONG and the rule, not only 'the hard rules cannot
    all hold'."""
    tables = small_tables()
    tables["programme"].append(session("LONG", "Day 1", "09:30", "11:30", "B", "AI", "P8"))
    dataset, spec = build(tables, programme={"movable": "all"})
    result = plan(dataset, spec)
    assert result.solution.status == "infeasible"
    assert result.solution.why == (
        "programme session LONG (120 min, kept to Day 1 by programme.keep_day) fits nowhere: "
        "exclusive items: every window overlaps an exclusive programme item"), \
        result.solution.why
    free_to_move = build(tables, programme={"movable": "all", "keep_day": False})
    assert plan(*free_to_move).solution.status == "optimal"


def test_moved_sessions_that_do_not_fit_together_are_named_when_no_pin_is_the_cause(build):
    """Each of the two 4-hour sessions kept to Day 2 has a slot, but P7 speaks in both (the
    programme as given double-books P7): no schedule, and the reason says the moved sessions
    may not fit together."""
    tables = small_tables()
    tables["programme"] = [session(f"BIG{room}", "Day 2", "09:00", "13:00", room, "AI", "P7")
                           for room in ("A", "C")]
    dataset, spec = build(tables, programme={"movable": "all"})
    result = plan(dataset, spec)
    assert result.solution.status == "infeasible"
    assert result.solution.why.endswith(
        "no plenary or pin alone is the cause; the 2 programme sessions the scenario moves must "
        "all be placed (programme.movable, each on its own day: programme.keep_day), and "
        "together they may not fit"), result.solution.why
