"""The attendance estimate's formula on hand-computed cases (see scheduler/attendance.py):

    estimated = expected x presence(day) / (1 + sum of overlap share x theme weight)
"""

import pytest

from factory import session
from scheduler.attendance import attendance_per_presentation, estimate_attendance
from scheduler.plan import plan
from scheduler.scenario import Attendance
from scheduler.schedule import ScheduleRow


def row(item_id, start, end, kind="session", themes=("DATA",), day="Day 2", room="A",
        block_id="", dc_ids=("D1",)):
    return ScheduleRow(item_id=item_id, kind=kind, dc_ids=dc_ids, day=day, start=start, end=end,
                       room=room, themes=themes, block_id=block_id)


@pytest.fixture
def dataset(tables, build):
    """R1 expects 100 people; the programme is set by each test through `programme`."""
    def _dataset(programme):
        tables["programme"] = programme
        tables["requests"][0]["expected_attendance"] = 100
        tables["requests"][1]["expected_attendance"] = 60
        return build(tables)[0]
    return _dataset


def estimate(dataset, rows, **settings):
    return {e.item_id: e for e in estimate_attendance(dataset, Attendance(**settings), rows)}


def test_nothing_in_parallel_and_everyone_present_gives_the_expected_attendance(dataset):
    ds = dataset([])
    result = estimate(ds, [row("R1", 600, 660)])["R1"]
    assert result.competition == 0
    assert result.estimated == 100


def test_presence_scales_the_audience_by_day(dataset):
    ds = dataset([])
    rows = [row("R1", 600, 660, day="Day 1")]
    assert estimate(ds, rows, presence={"Day 1": 0.5})["R1"].estimated == 50
    assert estimate(ds, rows, presence={"Day 2": 0.5})["R1"].estimated == 100   # default 1.0
    assert estimate(ds, rows, presence={"Day 2": 0.5},
                    default_presence=0.8)["R1"].estimated == 80


def test_one_same_theme_session_for_the_whole_time_halves_the_audience(dataset):
    ds = dataset([session("S1", "Day 2", "10:00", "11:00", "B", themes="DATA")])
    assert estimate(ds, [row("R1", 600, 660)])["R1"].estimated == 50


def test_ten_other_theme_sessions_halve_it_too(dataset):
    programme = [session(f"S{i}", "Day 2", "10:00", "11:00", "", themes="AI") for i in range(10)]
    result = estimate(dataset(programme), [row("R1", 600, 660)])["R1"]
    assert result.competition == pytest.approx(1.0)
    assert result.estimated == pytest.approx(50)


def test_partial_overlaps_count_by_the_share_of_time(dataset):
    # R1 10:00-11:00 on Day 2 (presence 0.5). S1 shares DATA for 30 of its 60 minutes: 0.5 x 1.
    # S2 (AI) runs the whole hour: 1 x 0.1. S3 ends as R1 starts: nothing.
    # 100 x 0.5 / (1 + 0.5 + 0.1) = 31.25
    ds = dataset([session("S1", "Day 2", "10:30", "12:00", "B", themes="DATA;RIGHTS"),
                  session("S2", "Day 2", "09:30", "11:30", "C", themes="AI"),
                  session("S3", "Day 2", "09:00", "10:00", "", themes="DATA")])
    result = estimate(ds, [row("R1", 600, 660)], presence={"Day 2": 0.5})["R1"]
    assert result.competition == pytest.approx(0.6)
    assert result.estimated == pytest.approx(31.25)


def test_dc_rows_compete_with_each_other(dataset):
    # R1 (DATA, 100) and R2 (RIGHTS, 60) fully in parallel: each counts the other at 0.1.
    ds = dataset([])
    rows = [row("R1", 600, 660), row("R2", 600, 660, themes=("RIGHTS",), room="B",
                                     dc_ids=("D2",))]
    result = estimate(ds, rows, other_theme=0.25)
    assert result["R1"].estimated == pytest.approx(100 / 1.25)
    assert result["R2"].estimated == pytest.approx(60 / 1.25)
    assert attendance_per_presentation(list(result.values())) == pytest.approx(80 / 1.25)


def test_the_figure_weighs_each_presentation_by_its_minutes(dataset):
    """An 8-minute segment of an audience of 100 and a 72-minute session of 60, nothing else
    running: the figure is (100 x 8 + 60 x 72) / 80 = 64, not the 160 of adding them up nor
    the 80 of counting the segment as a whole session."""
    ds = dataset([])
    rows = [row("B-1", 540, 560, kind="block", room="A"),
            row("R1", 540, 548, kind="segment", block_id="B-1"),
            row("R2", 600, 672, themes=("RIGHTS",), room="B", dc_ids=("D2",))]
    result = estimate(ds, rows)
    assert (result["R1"].minutes, result["R2"].minutes) == (8, 72)
    assert attendance_per_presentation(list(result.values())) == pytest.approx(64)
    assert attendance_per_presentation([]) is None


def test_a_block_counts_through_its_segments_and_plenaries_are_not_estimated(dataset):
    # Segments R1 and R2 share block B-1 (never competing with each other or with B-1);
    # the plenary (10:45-11:15) overlaps the last 15 minutes of R1 and the first 15 of R2, on
    # another theme: 15/60 x 0.1 = 0.025 each.
    ds = dataset([])
    rows = [row("B-1", 600, 780, kind="block", themes=("DATA", "RIGHTS"), dc_ids=("D1", "D2")),
            row("R1", 600, 660, kind="segment", block_id="B-1"),
            row("R2", 660, 720, kind="segment", themes=("RIGHTS",), block_id="B-1",
                dc_ids=("D2",)),
            row("OPEN", 645, 675, kind="plenary", themes=(), room="C", dc_ids=())]
    result = estimate(ds, rows)
    assert set(result) == {"R1", "R2"}
    assert result["R1"].competition == pytest.approx(0.025)
    assert result["R2"].competition == pytest.approx(0.025)
    assert result["R1"].estimated == pytest.approx(100 / 1.025)


def test_every_mode_reports_the_estimate_in_its_metrics(tables, build):
    dataset, scenario = build(tables)                             # mode individual
    metrics = plan(dataset, scenario).metrics
    per_item = metrics["attendance"]
    assert {e["item_id"] for e in per_item} == {"R1", "R2", "R3", "R4"}
    weighted = sum(e["estimated"] * e["minutes"] for e in per_item)
    assert metrics["attendance_per_presentation"] == pytest.approx(
        weighted / sum(e["minutes"] for e in per_item), abs=0.2)
    assert all(0 < e["estimated"] <= e["expected"] for e in per_item)
