"""Late changes: pins kept, a re-solve against a baseline that moves as little as it can and
says why anything moved, why a scenario has no schedule, and an earlier result never lost."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from factory import request, small_tables
from scheduler.check import Checker
from scheduler.cli import main
from scheduler.domain import Pin
from scheduler.load import load_dataset
from scheduler.plan import plan
from scheduler.scenario import load_scenario
from scheduler.schedule import Baseline, read_baseline
from scheduler.timegrid import format_hhmm

SAMPLE = Path(__file__).parent.parent / "scenarios" / "individual.toml"


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def changes(folder: Path) -> dict[str, dict]:
    with open(folder / "changes.csv", newline="", encoding="utf-8") as handle:
        return {row["request_id"]: row for row in csv.DictReader(handle)}


def many_requests() -> dict:
    tables = small_tables()
    tables["requests"] += [request("R5", "D1", "P6", themes="DIVIDE"),
                           request("R6", "D2", "P5", themes="AI", duration=30)]
    return tables


def test_a_pinned_session_stays_where_pinned_and_check_flags_a_pin_moved(build):
    dataset, scenario = build(many_requests())
    free = plan(dataset, scenario)
    row = next(r for r in free.rows if r.item_id == "R2")
    elsewhere = 11 * 60 + 15 if row.start != 11 * 60 + 15 else 12 * 60
    pin = Pin(request_id="R2", day="Day 2", start=elsewhere, room="A")
    pinned = plan(dataset, scenario, baseline=Baseline(Path("pins.csv"), (), (pin,)))
    placed = next(r for r in pinned.rows if r.item_id == "R2")
    assert (placed.day, placed.start, placed.room) == ("Day 2", elsewhere, "A")
    assert Checker(dataset, scenario, pinned.rows, (pin,)).violations() == []
    moved = [r.model_copy(update={"start": r.start + 15, "end": r.end + 15})
             if r.item_id == "R2" else r for r in pinned.rows]
    assert "pin" in [v.rule for v in Checker(dataset, scenario, moved, (pin,)).violations()
                     if v.item_id == "R2"]


def test_pins_come_from_a_file_or_from_a_baseline_marked_pinned(build, tmp_path):
    dataset, scenario = build(many_requests())
    result = run("solve", scenario.source, "--out", tmp_path / "first", "--quiet")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "first" / "schedule.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["pinned"] = "yes"
    with open(tmp_path / "edited.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    baseline = read_baseline(tmp_path / "edited.csv", None, dataset)
    first = rows[0]
    assert baseline.pins == (Pin(request_id=first["item_id"], day=first["day"],
                                 start=first["start"], room=first["room"]),)
    (tmp_path / "pins.csv").write_text("request_id,day,start,room\nR1,Day 2,12:00,\n")
    assert read_baseline(None, tmp_path / "pins.csv", dataset).pins == (
        Pin(request_id="R1", day="Day 2", start=12 * 60),)


def test_a_pin_of_an_unknown_or_ineligible_request_is_bad_input(build, tmp_path):
    tables = many_requests()
    tables["requests"][0]["submitted"] = "2024-09-01"
    dataset, scenario = build(tables, eligibility={"deadline": "2024-05-01"})
    (tmp_path / "pins.csv").write_text("request_id\nR9\n")
    result = run("solve", scenario.source, "--pins", tmp_path / "pins.csv", "--out",
                 tmp_path / "o")
    assert result.exit_code == 2 and "row 2, column 'request_id': unknown request 'R9'" in \
        result.output
    (tmp_path / "pins.csv").write_text("request_id\nR1\n")
    result = run("solve", scenario.source, "--pins", tmp_path / "pins.csv", "--out",
                 tmp_path / "o")
    assert result.exit_code == 2 and "R1 pinned to be placed cannot be kept: ineligible" in \
        result.output
    assert not (tmp_path / "o").exists()


def test_a_cancelled_speaker_moves_only_that_session(build, tmp_path):
    tables = many_requests()
    dataset, scenario = build(tables)
    first = tmp_path / "first"
    assert run("solve", scenario.source, "--out", first, "--quiet").exit_code == 0
    r3 = next(r for r in plan(dataset, scenario).rows if r.item_id == "R3")
    tables["requests"][2]["unavailable"] = (f"{r3.day} {format_hhmm(r3.start)}-"
                                           f"{format_hhmm(r3.start + 15)}")
    dataset, scenario = build(tables)
    again = tmp_path / "again"
    result = run("solve", scenario.source, "--baseline", first, "--out", again, "--quiet")
    assert result.exit_code == 0, result.output
    found = changes(again)
    assert {r for r, c in found.items() if c["change"] != "kept"} == {"R3"}
    assert found["R3"]["change"] == "moved"
    assert found["R3"]["reason"] == ("its place breaks a rule now: outside every window a key "
                                     "speaker cannot attend")
    assert "moved, 0 added, 0 dropped" in result.output
    shown = run("show", "D3", "--schedule", again)
    assert "R3: moved from" in shown.output


def test_losing_a_room_moves_only_its_sessions_or_says_why(tmp_path):
    """The sample: one room (the one holding most DC sessions) is taken away."""
    first = tmp_path / "first"
    assert run("solve", SAMPLE, "--out", first, "--quiet").exit_code == 0
    with open(first / "schedule.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rooms = [r["room"] for r in rows]
    lost = max(sorted(set(rooms)), key=rooms.count)
    dataset = load_dataset(load_scenario(SAMPLE).dataset_path)
    others = [r.room_id for r in dataset.rooms if r.room_id != lost]
    again = tmp_path / "again"
    result = run("solve", SAMPLE, "--baseline", first / "schedule.csv", "--out", again,
                 "--quiet", "--set", f"capacity.rooms={others}")
    assert result.exit_code == 0, result.output
    in_lost = {r["item_id"] for r in rows if r["room"] == lost}
    for request_id, change in changes(again).items():
        if request_id in in_lost:
            assert change["change"] in ("moved", "dropped")
            assert change["reason"]
        elif change["change"] != "kept":
            assert change["reason"].startswith("its place is taken now: room taken by"), change


def test_a_dc_day_whose_plenaries_cannot_fit_names_both_and_the_day(build, tmp_path):
    dataset, scenario = build(small_tables(), mode="dc_day",
                              dc_day={"day": "Day 2", "opening": 120, "closing": 150})
    result = plan(dataset, scenario)
    assert result.solution.status == "infeasible"
    why = result.solution.why
    assert "opening (120 min)" in why and "closing (150 min)" in why
    assert "Day 2's hours 09:00-13:00 (240 min)" in why
    assert all(u.reason == f"no schedule: {why}" for u in result.unscheduled)


def test_two_pins_in_one_room_at_once_are_named_as_the_conflict(build):
    dataset, scenario = build(many_requests())
    pins = (Pin(request_id="R1", day="Day 2", start=11 * 60, room="A"),
            Pin(request_id="R5", day="Day 2", start=11 * 60, room="A"),
            Pin(request_id="R2", day="Day 1"))
    result = plan(dataset, scenario, baseline=Baseline(Path("pins.csv"), (), pins))
    assert result.solution.status == "infeasible"
    assert result.solution.why == ("these cannot all be kept together: R1 pinned to Day 2 "
                                   "11:00 A; R5 pinned to Day 2 11:00 A ([room] R1: shares room "
                                   "A with R5 (Day 2 11:00-12:00); [coalition] R1: D1 is also "
                                   "in R5 (Day 2 11:00-12:00))")


def test_a_failed_solve_leaves_the_earlier_result_byte_identical(build, tmp_path):
    dataset, scenario = build(small_tables(), mode="dc_day", dc_day={"day": "Day 2"})
    out = tmp_path / "out"
    assert run("solve", scenario.source, "--out", out, "--quiet").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = run("solve", scenario.source, "--out", out, "--quiet",
                 "--set", "dc_day.opening=120", "--set", "dc_day.closing=150")
    assert result.exit_code == 1
    assert "kept unchanged" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_fresh_solve_removes_the_changes_of_an_earlier_re_solve(build, tmp_path):
    dataset, scenario = build(many_requests())
    out = tmp_path / "out"
    assert run("solve", scenario.source, "--out", tmp_path / "first", "--quiet").exit_code == 0
    assert run("solve", scenario.source, "--baseline", tmp_path / "first", "--out", out,
               "--quiet").exit_code == 0
    assert set(c["change"] for c in changes(out).values()) == {"kept"}
    assert run("solve", scenario.source, "--out", out, "--quiet").exit_code == 0
    assert not (out / "changes.csv").exists()


@pytest.mark.parametrize("mode", ["block", "mixed"])
def test_a_pinned_presenter_presents_in_a_block(build, mode):
    tables = many_requests()
    # 30 speaking minutes: three segments of 10 at most, so some output request is left out.
    dataset, scenario = build(tables, mode=mode, block={"duration": 40, "overhead": 10,
                                                         "min_segment": 10})
    free = plan(dataset, scenario)
    presenting = {r.item_id for r in free.rows if r.kind == "segment"}
    candidates = [r.request_id for r in dataset.requests
                  if r.request_id not in presenting and
                  dataset.coalition_by_id[r.lead].category == "output"]
    assert candidates
    pin = Pin(request_id=candidates[0])
    pinned = plan(dataset, scenario, baseline=Baseline(Path("pins.csv"), (), (pin,)))
    assert pinned.solution.has_schedule
    assert candidates[0] in {r.item_id for r in pinned.rows if r.kind == "segment"}
    assert Checker(dataset, scenario, pinned.rows, (pin,)).violations() == []


def test_suggest_finds_the_quota_step_that_places_a_request_left_out(build, tmp_path):
    dataset, scenario = build(many_requests(), capacity={"max_dc_sessions": 4})
    out = tmp_path / "out"
    result = run("solve", scenario.source, "--out", out, "--suggest", "--quiet")
    assert result.exit_code == 0, result.output
    with open(out / "unscheduled.csv", newline="", encoding="utf-8") as handle:
        left_out = list(csv.DictReader(handle))
    assert left_out and all(row["reason"].startswith("quota reached") for row in left_out)
    # One more slot places one of those left out: which one is the solver's choice among
    # equals; the change is suggested for a request only where it places that request.
    suggested = [row for row in left_out if row["cheapest_change"]]
    assert suggested and {row["cheapest_change"] for row in suggested} == {
        "--set capacity.max_dc_sessions=5"}
    again = tmp_path / "again"
    assert run("solve", scenario.source, "--out", again, "--set", "capacity.max_dc_sessions=5",
               "--quiet").exit_code == 0
    with open(again / "schedule.csv", newline="", encoding="utf-8") as handle:
        assert suggested[0]["request_id"] in {row["item_id"] for row in csv.DictReader(handle)}
    dc = dataset.request_by_id[suggested[0]["request_id"]].lead
    shown = run("show", dc, "--schedule", out)
    assert "would be placed with: --set capacity.max_dc_sessions=5" in shown.output


def test_suggest_drops_the_speaker_window_that_keeps_a_request_out(build, tmp_path):
    tables = many_requests()
    tables["requests"][0]["unavailable"] = "Day 1 09:00-13:00;Day 2 09:00-13:00"
    dataset, scenario = build(tables)
    out = tmp_path / "out"
    assert run("solve", scenario.source, "--out", out, "--suggest", "--quiet").exit_code == 0
    with open(out / "unscheduled.csv", newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["request_id"] == "R1")
    assert row["reason"].startswith("unavailable windows")
    assert row["cheapest_change"] == ("its speakers available Day 1 09:00-13:00 (requests.csv, "
                                      "column 'unavailable')")


def test_a_dc_withdrawing_is_dropped_withdrawn_not_bad_input(tmp_path):
    """The planner deletes a withdrawn DC's request from requests.csv and re-solves against
    the published draft: its row is 'dropped', reason 'withdrawn', and the rest is kept."""
    from factory import write_dataset, write_scenario

    tables = small_tables()
    scenario = write_scenario(tmp_path / "s.toml", write_dataset(tmp_path / "data", tables))
    assert run("solve", scenario, "--out", tmp_path / "draft", "--quiet").exit_code == 0
    tables["requests"] = [r for r in tables["requests"] if r["request_id"] != "R2"]
    write_dataset(tmp_path / "data", tables)
    result = run("solve", scenario, "--baseline", tmp_path / "draft", "--out",
                 tmp_path / "revised", "--quiet")
    assert result.exit_code == 0, result.output
    assert "request 'R2' is no longer in requests.csv: taken as withdrawn" in result.stderr
    found = changes(tmp_path / "revised")
    assert found["R2"]["change"] == "dropped" and found["R2"]["before"]
    assert found["R2"]["reason"] == "withdrawn: its request is no longer in requests.csv"
    assert {row["change"] for key, row in found.items() if key != "R2"} == {"kept"}
