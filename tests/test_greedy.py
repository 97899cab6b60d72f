"""The greedy first schedule: where it puts an item, and which of its two schedules it keeps."""

from __future__ import annotations

from factory import request, session, small_tables
from scheduler.check import Checker
from scheduler.model.greedy import cheapest, earliest, greedy, place
from scheduler.model.items import Slot
from scheduler.model.moving_programme import programme_placements
from scheduler.model.solve import Solution, first_guess
from scheduler.plan import build as build_model
from scheduler.rows import schedule_rows
from scheduler.timegrid import overlap


def runs_beside(f, placed, item_id: str, session_id: str) -> bool:
    """Whether the placed item runs at the same time as the programme session."""
    session = next(s for s in f.ctx.dataset.programme if s.session_id == session_id)
    slot = placed[item_id][1]
    return slot.day == session.day and overlap(
        slot.start, slot.start + f.items[item_id].duration, session.start, session.end)


def objective_of_guess(f, scenario, placed) -> float:
    """The model's objective of a greedy schedule (CP-SAT with every slot fixed to it)."""
    for item_id, slots in f.slots.items():
        f.cp.add_hint(f.placed[item_id], int(item_id in placed))
        for slot, var in slots:
            f.cp.add_hint(var, int(item_id in placed and placed[item_id][1] == slot))
    f.set_objective()
    return first_guess(f, scenario.solver).objective


def test_a_session_goes_where_fewer_sessions_run_beside_it(build):
    """At its earliest free start R2 runs beside WS1 (Day 1 09:30-10:30); the greedy puts it
    where no programme session runs, and the model scores its schedule higher."""
    dataset, scenario = build(small_tables())
    _, _, f = build_model(dataset, scenario)
    early, cheap = place(f, earliest)[0], place(f, cheapest)[0]
    assert runs_beside(f, early, "R2", "WS1")               # the case tested
    assert not runs_beside(f, cheap, "R2", "WS1")
    assert greedy(f) == cheap
    _, _, again = build_model(dataset, scenario)
    assert objective_of_guess(again, scenario, cheap) > objective_of_guess(f, scenario, early)


def test_the_packed_schedule_is_kept_when_it_places_more(build):
    """Four one-hour requests sharing a speaker in a four-hour day, a session on their theme
    at 09:00-09:30: by their cheapest starts the first avoids it (09:30) and only three fit
    after it; packed from the earliest start, all four fit. More placed outweighs the clash."""
    tables = small_tables()
    tables["event"]["days"] = tables["event"]["days"][:1]
    tables["event"]["days"][0]["breaks"] = []
    tables["programme"] = [session("TALK", "Day 1", "09:00", "09:30", "C", "DATA", "P9")]
    tables["requests"] = [request(f"R{n}", f"D{n}", f"P1;P{n + 2}", themes="DATA")
                          for n in range(1, 5)]
    dataset, scenario = build(tables)
    _, _, f = build_model(dataset, scenario)
    (cheap, by_cost), (early, packed) = place(f, cheapest), place(f, earliest)
    assert (len(cheap), len(early)) == (3, 4)                # the case tested
    assert packed.score > by_cost.score
    assert greedy(f) == early


def test_polishing_moves_a_programme_session_off_a_dc_item_on_its_theme(build):
    """The programme is placed first, where it is (WS1, DATA, Day 1 09:30-10:30 in A); R5
    (DATA) can only run then, so it lands beside WS1. Polished, WS1 moves to the earliest
    start of Day 1 where nothing runs beside it that its room allows (11:15 in A, after the
    break; it needs A's captioning): no clash."""
    tables = small_tables()
    tables["requests"] = [request("R5", "D1", "P3;P4", themes="DATA",
                                  unavailable="Day 1 09:00-09:30;Day 1 10:30-13:00;"
                                              "Day 2 09:00-13:00")]
    dataset, scenario = build(tables, programme={"movable": "all"})
    _, mode, f = build_model(dataset, scenario)
    (built, before), (polished, after) = place(f, cheapest), place(f, cheapest, polished=True)
    assert runs_beside_item(f, built, "R5", "WS1")               # the case tested
    assert not runs_beside_item(f, polished, "R5", "WS1")
    assert polished["WS1"][1] == Slot("Day 1", 11 * 60 + 15, "A")
    assert after.score > before.score
    chosen = {i: slot for i, (_, slot) in polished.items()}
    rows = schedule_rows(dataset, f.items, mode.placements(
        f, Solution("feasible", None, None, None, 0.0, chosen))
        + programme_placements(f.items, chosen))
    assert Checker(dataset, scenario, rows).violations() == []


def runs_beside_item(f, placed, a: str, b: str) -> bool:
    (_, slot_a), (_, slot_b) = placed[a], placed[b]
    return slot_a.day == slot_b.day and overlap(
        slot_a.start, slot_a.start + f.items[a].duration, slot_b.start,
        slot_b.start + f.items[b].duration)
