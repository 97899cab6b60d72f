"""Mode `mixed`: each DC category in its own mode, in ONE model; and a property test for the
block modes: any schedule the solver writes passes the independent checker.

In the small dataset (tests/factory.py) D1 and D2 are `output` DCs and D3 and D4 `capacity`
DCs; R1 (D1) and R4 (D4) share the speaker P2.
"""

from __future__ import annotations


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import test_properties as engine_properties
from factory import assert_sound, small_tables
from scheduler.check import Checker
from scheduler.plan import plan
from scheduler.timegrid import overlap
from scheduler.whatif import with_cheapest_changes

BLOCK = {"duration": 120, "overhead": 10, "min_segment": 10, "max_segment": 20}


def solve(build, tables: dict, **scenario):
    dataset, spec = build(tables, mode="mixed", block={**BLOCK, **scenario.pop("block", {})},
                          **scenario)
    result = plan(dataset, spec)
    assert result.solution.status == "optimal"
    assert Checker(dataset, spec, result.rows).violations() == []
    return result


def kinds(result) -> dict[str, str]:
    return {row.item_id: row.kind for row in result.rows}


def test_mixed_puts_each_category_in_its_mode(build):
    tables = small_tables()
    tables["programme"] = []
    result = solve(build, tables)
    assert kinds(result) == {"BLOCK-1": "block", "R1": "segment", "R2": "segment",
                             "R3": "session", "R4": "session"}
    block = next(r for r in result.rows if r.kind == "block")
    for session in (r for r in result.rows if r.kind == "session"):
        assert session.room != block.room or not session.window.overlaps(block.window)


def test_the_mapping_of_categories_to_modes_comes_from_the_scenario(build):
    tables = small_tables()
    tables["programme"] = []
    result = solve(build, tables, mixed={"output": "individual", "capacity": "block"})
    assert kinds(result) == {"BLOCK-1": "block", "R1": "session", "R2": "session",
                             "R3": "segment", "R4": "segment"}


def test_block_and_sessions_never_hold_the_same_person_at_once(build):
    """With presence "whole_block": one day (Day 2, 240 min) and a 240-min block: if R1
    presents, its speaker P2 is in the block all day, so R4 (P2;P7) cannot have a session that
    day. One model decides: R1 has the higher priority, so it presents and R4 is left out,
    naming P2 and the block."""
    tables = small_tables()
    tables["programme"] = []
    tables["requests"][0]["priority"] = "1"
    result = solve(build, tables, capacity={"days": ["Day 2"]},
                   block={"duration": 240, "min_segment": 20, "max_segment": 60,
                          "presence": "whole_block"})
    assert kinds(result).get("R1") == "segment"
    assert "R4" not in kinds(result)
    reason = next(u.reason for u in result.unscheduled if u.request_id == "R4")
    assert "speaker P2 in BLOCK-1" in reason


def test_a_presenter_needs_only_its_own_segment(build):
    """The same day with presence "segment": R1 holds P2 only during its segment, so R4's session
    (P2;P7) runs beside the block, outside R1's segment."""
    tables = small_tables()
    tables["programme"] = []
    tables["requests"][0]["priority"] = "1"
    result = solve(build, tables, capacity={"days": ["Day 2"]},
                   block={"duration": 240, "min_segment": 20, "max_segment": 60})
    rows = {r.item_id: r for r in result.rows}
    assert kinds(result).get("R1") == "segment" and kinds(result).get("R4") == "session"
    assert not overlap(rows["R1"].start, rows["R1"].end, rows["R4"].start, rows["R4"].end)


def test_a_presenter_in_a_session_elsewhere_is_kept_out_of_the_block_time(build):
    """Without the one-day squeeze both fit: R4's session avoids the block's time (presence
    "whole_block")."""
    tables = small_tables()
    tables["programme"] = []
    result = solve(build, tables, weights={"parallel_sessions": 0, "theme_clash": 0},
                   block={"presence": "whole_block"})
    block = next(r for r in result.rows if r.kind == "block")
    r4 = next(r for r in result.rows if r.item_id == "R4")
    assert kinds(result)["R1"] == "segment"
    assert not (r4.day == block.day and overlap(r4.start, r4.end, block.start, block.end))


def test_the_session_quota_counts_only_sessions(build):
    tables = small_tables()
    tables["programme"] = []
    result = solve(build, tables, capacity={"max_dc_sessions": 1})
    assert sorted(kinds(result).values()).count("session") == 1
    assert sorted(kinds(result).values()).count("segment") == 2
    assert result.metrics["individual_slots_freed"] == 2        # the segments; not the one left out


# --- property: any schedule the solver writes passes the checker --------------------------------

@st.composite
def block_instances(draw):
    """The engine's random small instances (tests/test_properties.py), in mode block or mixed,
    with random block settings that fit the 09:00-13:00 days."""
    tables, scenario = draw(engine_properties.instances())
    min_segment = draw(st.sampled_from([5, 10, 15]))
    scenario["mode"] = draw(st.sampled_from(["block", "mixed"]))
    scenario["block"] = {
        "count": draw(st.sampled_from([1, 1, 1, 2])),
        "duration": 15 * draw(st.integers(2, 16)),                  # 30..240 min
        "overhead": draw(st.sampled_from([0, 5, 10, 15])), "min_segment": min_segment,
        "max_segment": min_segment + draw(st.sampled_from([0, 5, 15])),
        "days": draw(st.sampled_from([[], [], ["Day 1"], ["Day 2"]])),
        "presence": draw(st.sampled_from(["segment", "segment", "whole_block"]))}
    scenario["mixed"] = draw(st.sampled_from([{}, {"output": "individual",
                                                   "capacity": "block"}]))
    return tables, scenario


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block_instances())
def test_every_block_schedule_the_solver_writes_passes_the_checker(instance):
    result = assert_sound(*instance)
    blocks = {row.item_id for row in result.rows if row.kind == "block"}
    assert {row.block_id for row in result.rows if row.kind == "segment"} == blocks


# --- --suggest for a request the block cannot seat ------------------------------------------

def suggestion(build, tables, request_id, **scenario):
    result = solve(build, tables, **scenario)
    assert request_id not in {r.item_id for r in result.rows}
    entry = next(u for u in with_cheapest_changes(result) if u.request_id == request_id)
    return entry.reason, entry.cheapest_change


def test_suggest_gives_a_request_the_block_cannot_seat_a_session_of_its_own(build):
    """R2 expects 150; the block can only run on Day 2 where the one room that seats 150 (C)
    is busy until 11:30: no block seats R2. Its own session (C on Day 1) does, verified by
    solving again with R2's placement set to session."""
    tables = small_tables()
    tables["requests"][1]["expected_attendance"] = 150
    tables["programme"][2]["end"] = "11:30"                  # WS2 holds C on Day 2
    reason, change = suggestion(build, tables, "R2", block={"days": ["Day 2"]})
    assert reason.startswith("never free for a block") and "too small" in reason
    assert change == ("a session of its own: placement = session (requests.csv, row R2, "
                      "column 'placement')")


def test_suggest_gives_the_block_a_room_that_seats_the_request(build):
    """block.rooms keeps the block in A (100 seats); R2 expects 150: opening C (200) to the
    block seats it, verified by solving again; that is cheaper than a session of its own."""
    tables = small_tables()
    tables["requests"][1]["expected_attendance"] = 150
    reason, change = suggestion(build, tables, "R2", block={"rooms": ["A"]})
    assert reason.startswith("never free for a block")
    assert change == "--set block.rooms=['A', 'C']"
