"""Mode `block`: where the block runs, who presents in it, and how its segments are laid out.

Every result is judged by the independent checker; placements are also asserted directly. The
small dataset (tests/factory.py) has two days 09:00-13:00 (Day 1 has a break 11:00-11:15) and
rooms A (100 seats), B (40) and C (200, no captioning).
"""

from __future__ import annotations

import csv
from itertools import combinations

import pytest
from click.testing import CliRunner

from factory import coalition, request, session, small_tables
from scheduler.check import Checker, check_file
from scheduler.metrics import recount_goals
from scheduler.cli import main
from scheduler.plan import plan
from scheduler.export.result_folder import write_schedule
from scheduler.timegrid import format_hhmm, parse_hhmm

# 120 min: 5 min opening, 5 min wrap-up, 110 speaking minutes, segments of 10-20 min.
BLOCK = {"duration": 120, "overhead": 10, "min_segment": 10, "max_segment": 20}


def block_tables(*requests: dict, programme: list | None = None) -> dict:
    """small_tables() with the given requests (default: its R1-R4, one per DC D1-D4) and
    programme (default: none)."""
    tables = small_tables()
    tables["programme"] = programme or []
    if requests:
        tables["requests"] = list(requests)
    return tables


def solve(build, tables: dict, block: dict | None = None, **scenario):
    """Plan a block scenario; the result must be optimal and pass the independent checker, and
    every request is either placed or has a reason."""
    dataset, spec = build(tables, mode=scenario.pop("mode", "block"),
                          block={**BLOCK, **(block or {})}, **scenario)
    result = plan(dataset, spec)
    assert result.solution.status == "optimal"
    assert Checker(dataset, spec, result.rows).violations() == []
    placed = {row.item_id for row in result.rows if row.kind in ("session", "segment")}
    assert placed | {u.request_id for u in result.unscheduled} == set(dataset.request_by_id)
    assert placed.isdisjoint(u.request_id for u in result.unscheduled)
    return result


def the_block(result):
    return next(row for row in result.rows if row.kind == "block")


def segments(result):
    return sorted((row for row in result.rows if row.kind == "segment"), key=lambda r: r.start)


def reason(result, request_id: str) -> str:
    return next(u.reason for u in result.unscheduled if u.request_id == request_id)


def test_block_never_overlaps_an_exclusive_item(build):
    """Day 1 is preferred by every DC (heavily), but an exclusive opening leaves it no 120-min
    window; on Day 2 an exclusive item runs 10:00-10:30, so the block must avoid it too."""
    programme = [session("OPEN", "Day 1", "09:00", "09:30", "A", exclusive="yes"),
                 session("HL", "Day 2", "10:00", "10:30", "", exclusive="yes")]
    tables = block_tables(*[dict(r, preferred_days="Day 1") for r in small_tables()["requests"]],
                          programme=programme)
    result = solve(build, tables, weights={"preferred_day": 50})
    block = the_block(result)
    assert block.day == "Day 2"
    assert block.start >= parse_hhmm("10:30")          # 10:30-12:30 or 11:00-13:00
    assert len(segments(result)) == 4


def test_segments_stay_inside_the_block_and_do_not_overlap(build):
    result = solve(build, block_tables())
    block, parts = the_block(result), segments(result)
    assert len(parts) == 4
    first, last = block.start + 5, block.end - 5          # after the opening, before the wrap-up
    for part in parts:
        assert (part.day, part.room, part.block_id) == (block.day, block.room, block.item_id)
        assert first <= part.start and part.end <= last
        assert 10 <= part.end - part.start <= 20
    for a, b in combinations(parts, 2):
        assert a.end <= b.start or b.end <= a.start
    # Packed from the opening, without gaps; 4 x 20 min < 110, so each has the maximum.
    assert parts[0].start == first
    assert all(a.end == b.start for a, b in zip(parts, parts[1:]))
    assert [p.end - p.start for p in parts] == [20, 20, 20, 20]
    assert set(block.dc_ids) == {"D1", "D2", "D3", "D4"}


def test_segments_fill_the_speaking_time_in_proportion_to_outputs(build):
    """Six requests need at least 60 of the 110 speaking minutes: they fill all of it, and a DC
    with three times the outputs gets (about) three times the minutes."""
    tables = block_tables(*[request(f"R{i}", f"D{i}", f"P{i}") for i in range(1, 7)])
    tables["coalitions"] = [coalition(f"D{i}", outputs=str(3 if i == 1 else 1))
                            for i in range(1, 7)]
    result = solve(build, tables, block={"max_segment": 40})
    lengths = {p.item_id: p.end - p.start for p in segments(result)}
    assert sum(lengths.values()) == 110
    assert lengths["R1"] >= 2 * max(v for k, v in lengths.items() if k != "R1")


def test_dcs_sharing_a_theme_sit_next_to_each_other(build):
    themes = {"R1": "DATA", "R2": "RIGHTS", "R3": "DATA", "R4": "RIGHTS"}
    tables = block_tables(*[dict(r, themes=themes[r["request_id"]])
                            for r in small_tables()["requests"]])
    result = solve(build, tables)
    parts = segments(result)
    assert [p.cluster for p in parts] in (["DATA"] * 2 + ["RIGHTS"] * 2,
                                          ["RIGHTS"] * 2 + ["DATA"] * 2)
    assert {p.item_id for p in parts[:2]} in ({"R1", "R3"}, {"R2", "R4"})
    assert result.solution.terms["theme_coherence"] == 2       # 4 segments in 2 clusters


def test_a_dc_whose_speaker_is_in_the_programme_during_the_block_does_not_present(build):
    """With presence "whole_block": the block can only run Day 1 09:00-11:00 (block.days, the
    break at 11:00). P1 speaks in WS1 09:30-10:30: R1 (P1;P2) gets no segment at all - not even
    one outside 09:30-10:30, since presenters stay for the whole block - and its reason names
    the session."""
    programme = [session("WS1", "Day 1", "09:30", "10:30", "B", "DATA", "P1")]
    result = solve(build, block_tables(programme=programme),
                   block={"days": ["Day 1"], "presence": "whole_block"})
    assert (the_block(result).day, format_hhmm(the_block(result).start)) == ("Day 1", "09:00")
    assert "R1" not in {p.item_id for p in segments(result)}
    assert {p.item_id for p in segments(result)} == {"R2", "R3", "R4"}
    assert "P1 is in WS1" in reason(result, "R1")


def test_a_speaker_busy_during_part_of_the_block_presents_outside_it(build):
    """By default (presence "segment") a speaker is needed only for the own segment: R1
    presents in the same block, at a time P1 is not in WS1 (09:30-10:30), and its segment row
    passes the checker (it holds P1 only for its own minutes)."""
    programme = [session("WS1", "Day 1", "09:30", "10:30", "B", "DATA", "P1")]
    result = solve(build, block_tables(programme=programme), block={"days": ["Day 1"]})
    r1 = next(p for p in segments(result) if p.item_id == "R1")
    assert {p.item_id for p in segments(result)} == {"R1", "R2", "R3", "R4"}
    assert r1.end <= parse_hhmm("09:30") or r1.start >= parse_hhmm("10:30")


def test_the_checker_judges_a_segment_by_the_presence_rule(build):
    """The same schedule (R1's segment outside P1's programme session, inside the block) passes
    with presence "segment" and fails with "whole_block", where the block holds P1 throughout."""
    programme = [session("WS1", "Day 1", "09:30", "10:30", "B", "DATA", "P1")]
    result = solve(build, block_tables(programme=programme), block={"days": ["Day 1"]})
    stay = result.scenario.model_copy(update={"block": result.scenario.block.model_copy(
        update={"presence": "whole_block"})})
    found = Checker(result.dataset, stay, result.rows).violations()
    assert [(v.rule, v.item_id) for v in found] == [("person", the_block(result).item_id)]


def test_a_dc_unavailable_during_part_of_the_block_does_not_present(build):
    requests = small_tables()["requests"]
    requests[1]["unavailable"] = "Day 1 10:45-11:00"          # the block's last 15 minutes
    result = solve(build, block_tables(*requests),
                   block={"days": ["Day 1"], "presence": "whole_block"})
    assert "R2" not in {p.item_id for p in segments(result)}
    assert "unavailable Day 1 10:45-11:00" in reason(result, "R2")


def test_a_dc_unavailable_during_part_of_the_block_presents_before(build):
    """Presence "segment": R2 is unavailable for the block's last 15 minutes, so its segment
    ends by 10:45."""
    requests = small_tables()["requests"]
    requests[1]["unavailable"] = "Day 1 10:45-11:00"
    result = solve(build, block_tables(*requests), block={"days": ["Day 1"]})
    r2 = next(p for p in segments(result) if p.item_id == "R2")
    assert r2.end <= parse_hhmm("10:45")


def test_a_dc_busy_at_every_block_time_gets_that_reason(build):
    programme = [session(f"BUSY{d}", f"Day {d}", "09:00", "13:00", "", "AI", "P3")
                 for d in (1, 2)]
    result = solve(build, block_tables(programme=programme))
    assert "R2" not in {p.item_id for p in segments(result)}
    assert reason(result, "R2").startswith("never free for a block: at none of the")
    assert "P3 is in BUSY" in reason(result, "R2")


def test_oversubscription_leaves_out_the_lowest_priority_dcs_with_a_reason(build):
    """Room for two segments only (50 speaking minutes, segments of at least 20)."""
    requests = [dict(r, priority=str(i)) for i, r in enumerate(small_tables()["requests"], 1)]
    result = solve(build, block_tables(*requests),
                   block={"duration": 60, "overhead": 10, "min_segment": 20, "max_segment": 25})
    assert {p.item_id for p in segments(result)} == {"R1", "R2"}
    for left_out in ("R3", "R4"):
        text = reason(result, left_out)
        assert text.startswith("block full: BLOCK-1: 3 segments of at least 20 min need 60 min, "
                               "50 available")
        assert "every presenting request has a higher priority" in text


def test_at_equal_priority_the_dc_with_more_outputs_presents(build):
    tables = block_tables()
    tables["coalitions"][2]["outputs"] = "5"                     # D3
    tables["coalitions"][3]["outputs"] = "0"                     # D4
    result = solve(build, tables, block={"duration": 60, "overhead": 0, "min_segment": 20,
                                         "max_segment": 20})
    presenting = {p.item_id for p in segments(result)}
    assert len(presenting) == 3 and "R3" in presenting and "R4" not in presenting


def test_the_room_seats_the_largest_audience_and_has_every_needed_feature(build):
    """R1 expects 150 (only C seats it); R2 needs captioning (C has none): they cannot both
    present; the lower-priority R2 is left out, and the block goes to C."""
    requests = small_tables()["requests"]
    requests[0].update(expected_attendance=150, priority="1")
    requests[1].update(needs="captioning", priority="3")
    result = solve(build, block_tables(*requests))
    assert the_block(result).room == "C"
    assert {p.item_id for p in segments(result)} == {"R1", "R3", "R4"}
    assert "room C lacks captioning" in reason(result, "R2")


def test_no_room_free_long_enough_says_how_long_one_is(build):
    """Day 1 has 120 min before its break; Day 2 is cut at 10:30-11:00 in every room."""
    programme = [session(f"S{room}", "Day 2", "10:30", "11:00", room) for room in "ABC"]
    result = solve(build, block_tables(programme=programme), block={"duration": 135})
    assert not result.rows
    text = reason(result, "R1")
    assert text.startswith("no block: it fits nowhere")
    assert "the longest a suitable room is free is 120 min" in text


def test_two_blocks_run_one_after_the_other(build):
    requests = [dict(r, preferred_days="Day 2") for r in small_tables()["requests"]]
    result = solve(build, block_tables(*requests),
                   block={"count": 2, "duration": 60, "overhead": 0, "min_segment": 20,
                          "max_segment": 30})
    blocks = sorted((r for r in result.rows if r.kind == "block"), key=lambda r: r.start)
    assert [b.item_id for b in blocks] == ["BLOCK-1", "BLOCK-2"]
    assert blocks[0].end <= blocks[1].start or blocks[0].day != blocks[1].day
    assert len(segments(result)) == 4


def test_metrics_of_a_block(build):
    programme = [session("WS9", "Day 2", "12:00", "13:00", "A", "DATA"),
                 session("WS8", "Day 1", "09:00", "10:00", "A", "DATA")]
    result = solve(build, block_tables(programme=programme), block={"days": ["Day 2"]})
    m = result.metrics
    assert (m["dcs_presenting"], m["block_minutes"], m["individual_slots_freed"]) == (4, 120, 4)
    block = the_block(result)
    assert m["related_sessions_before_block"] == 1 + (block.end > parse_hhmm("12:00"))
    assert m["related_sessions_after_block"] == (block.end <= parse_hhmm("12:00"))
    assert m["terms"]["outputs_first"] == m["related_sessions_before_block"]


@pytest.mark.parametrize("formulation", ["time_indexed", "interval"])
@pytest.mark.parametrize("keep_day", [True, False])
def test_outputs_first_counts_a_moved_workshop_where_it_goes(build, keep_day, formulation):
    """With a moving programme, a workshop on a block's theme counts where the schedule puts it:
    kept on Day 1, it runs before the Day 2 block (1); free to change day, it goes after the
    block (0). The solver's term equals its recount from the rows either way."""
    programme = [session("WS8", "Day 1", "09:00", "10:00", "A", "DATA")]
    result = solve(build, block_tables(programme=programme), block={"days": ["Day 2"]},
                   programme={"movable": "all", "keep_day": keep_day},
                   solver={"formulation": formulation})
    block, moved = the_block(result), next(r for r in result.rows if r.kind == "programme")
    before = 1 if keep_day else 0
    assert moved.day == ("Day 1" if keep_day else "Day 2")
    assert keep_day or moved.start >= block.end
    recount = recount_goals(result.dataset, result.scenario, result.report, result.rows)
    assert result.metrics["terms"]["outputs_first"] == recount["outputs_first"] == before
    assert result.metrics["related_sessions_before_block"] == before


def test_the_checker_flags_a_hand_edited_segment_outside_its_block(build, tmp_path):
    dataset, spec = build(block_tables(), mode="block", block=BLOCK)
    result = plan(dataset, spec)
    path = tmp_path / "schedule.csv"
    write_schedule(path, result.rows)
    assert check_file(path, dataset, spec) == []

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    block = next(r for r in rows if r["kind"] == "block")
    first, second = [r for r in rows if r["kind"] == "segment"][:2]
    block_end = parse_hhmm(block["end"])
    first["start"], first["end"] = format_hhmm(block_end - 5), format_hhmm(block_end + 10)
    second["end"] = format_hhmm(parse_hhmm(second["end"]) + 5)   # now overlaps the next one
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    found = check_file(path, dataset, spec)
    outside = [v for v in found if v.rule == "segment" and v.item_id == first["item_id"]]
    assert any("outside BLOCK-1's speaking time" in v.message for v in outside)
    assert any(v.rule == "segment" and "overlaps segment" in v.message for v in found)
    out = CliRunner().invoke(main, ["check", str(path), "--scenario", str(spec.source)])
    assert out.exit_code == 1 and "outside BLOCK-1's speaking time" in out.output


def test_the_checker_flags_a_block_that_holds_a_busy_presenter(build, tmp_path):
    """Moving a presenter's programme session into the block's time is caught on the block row
    (with presence "whole_block" presenters stay for it), even where the segment itself is
    clear."""
    dataset, spec = build(block_tables(), mode="block", block={**BLOCK,
                                                              "presence": "whole_block"})
    result = plan(dataset, spec)
    block = the_block(result)
    busy = [session("LATE", block.day, format_hhmm(block.end - 15), format_hhmm(block.end),
                    "", "AI", "P5")]                           # P5 presents R3
    dataset, spec = build(block_tables(programme=busy), mode="block",
                          block={**BLOCK, "presence": "whole_block"})
    found = Checker(dataset, spec, result.rows).violations()
    assert any(v.rule == "person" and v.item_id == "BLOCK-1" and "P5" in v.message
               for v in found)


def test_show_gives_a_dc_its_place_in_the_block(build, tmp_path):
    dataset, spec = build(block_tables(), mode="block", block=BLOCK)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["solve", str(spec.source), "--out", str(out),
                                     "--quiet"]).exit_code == 0
    shown = CliRunner().invoke(main, ["show", "D2", "--schedule", str(out)])
    assert shown.exit_code == 0
    assert "segment R2" in shown.output and "block: BLOCK-1" in shown.output
    assert "of 4, 20 min" in shown.output and "cluster: RIGHTS" in shown.output


def test_the_checker_flags_a_split_cluster_a_bad_cluster_name_and_a_gap(build):
    """The rules the solver enforces inside a block are checked on hand-edited rows: the
    segments of a cluster together, clusters named by a theme, no gap, the time filled."""
    tables = block_tables(request("R1", "D1", "P1", themes="DATA"),
                          request("R2", "D2", "P3", themes="DATA"),
                          request("R3", "D3", "P5", themes="DIVIDE"))
    dataset, spec = build(tables, mode="block", block=BLOCK)
    result = plan(dataset, spec)
    assert Checker(dataset, spec, result.rows).violations() == []
    block, *segs = [result.rows[0]] + segments(result)
    assert [s.cluster for s in segs].count("DATA") == 2
    # Swap the lone cluster into the middle of the DATA pair, keeping the times in order.
    data = [s for s in segs if s.cluster == "DATA"]
    lone = next(s for s in segs if s.cluster != "DATA")
    order = [data[0], lone, data[1]]
    start, edited = block.start + spec.block.opening, []
    for s in order:
        length = s.end - s.start
        edited.append(s.model_copy(update={"start": start, "end": start + length}))
        start += length
    found = Checker(dataset, spec, [block, *edited]).violations()
    assert any(v.rule == "cluster" and "split" in v.message for v in found)

    renamed = [s.model_copy(update={"cluster": "CYBER"}) if s is segs[0] else s for s in segs]
    found = Checker(dataset, spec, [block, *renamed]).violations()
    assert any(v.rule == "cluster" and "CYBER" in v.message for v in found)

    shifted = [s.model_copy(update={"start": s.start + 5, "end": s.end + 5}) if s is segs[-1]
               else s for s in segs]
    found = Checker(dataset, spec, [block, *shifted]).violations()
    assert any(v.rule == "segment" and "without gaps" in v.message for v in found)

    shortened = [s.model_copy(update={"end": s.end - 5}) if s is segs[-1] else s for s in segs]
    found = Checker(dataset, spec, [block, *shortened]).violations()
    assert any(v.rule == "segment" and "speaking minutes" in v.message for v in found)


def test_the_checker_holds_each_mode_to_its_kinds(build):
    """A block in an individual schedule, and an output DC's session in a mixed one, fail."""
    dataset, spec = build(block_tables(), mode="block", block=BLOCK)
    block_rows = plan(dataset, spec).rows
    dataset, individual = build(block_tables(), mode="individual", block=BLOCK)
    found = Checker(dataset, individual, block_rows).violations()
    assert any(v.rule == "mode" and v.item_id == "BLOCK-1" for v in found)

    dataset, mixed = build(block_tables(), mode="mixed", block=BLOCK)
    sessions = plan(dataset, individual).rows              # every DC in its own session
    found = Checker(dataset, mixed, sessions).violations()
    outputs = {r.request_id for r in dataset.requests
               if dataset.coalition_by_id[r.lead].category == "output"}
    placed = {r.item_id for r in sessions}
    assert {v.item_id for v in found if v.rule == "mode"} == outputs & placed
