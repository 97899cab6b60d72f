"""The same input and seed give the byte-identical schedule (SPEC §7)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from factory import request, room, small_tables, write_dataset, write_scenario
from scheduler.cli import main


def solve_files(scenario: Path, out: Path, *overrides: str) -> dict[str, bytes]:
    args = ["solve", str(scenario), "--out", str(out), "--quiet"]
    for assignment in overrides:
        args += ["--set", assignment]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in ("schedule.csv", "unscheduled.csv")}


def many_ties() -> dict:
    """Six interchangeable requests, five identical rooms, two open days: a great many equally
    good schedules, so that only a deterministic solve returns the same one twice."""
    tables = small_tables()
    tables["programme"] = []
    tables["rooms"] = [room(f"ROOM{i}", 100) for i in range(5)]
    tables["requests"] = [request(f"R{i}", dc_id, "P1;P2" if i < 3 else f"P{i + 2}",
                                  themes="DATA")
                          for i, dc_id in enumerate(["D1", "D2", "D3", "D4", "D1", "D2"])]
    return tables


def test_same_input_and_seed_give_the_same_schedule(tmp_path):
    folder = write_dataset(tmp_path / "data", many_ties())
    scenario = write_scenario(tmp_path / "s.toml", folder, capacity={"max_dc_sessions": 5})
    first = solve_files(scenario, tmp_path / "first")
    second = solve_files(scenario, tmp_path / "second")
    assert first == second
    assert first["schedule.csv"].count(b"\n") == 6          # header and five sessions


def test_same_input_and_seed_give_the_same_schedule_with_two_deterministic_workers(tmp_path):
    folder = write_dataset(tmp_path / "data", many_ties())
    scenario = write_scenario(tmp_path / "s.toml", folder, capacity={"max_dc_sessions": 5},
                              solver={"workers": 2, "deterministic": True})
    assert solve_files(scenario, tmp_path / "first") == solve_files(scenario, tmp_path / "second")



def test_a_work_limit_reaches_cp_sat_as_its_deterministic_time():
    """A search ended by the clock may stop at another schedule on a busier machine; one ended
    by CP-SAT's own measure of work stops at the same one."""
    from scheduler.model.solve import parameters
    from scheduler.scenario import Solver

    assert parameters(Solver(work_limit=7.5)).parameters.max_deterministic_time == 7.5
    assert parameters(Solver()).parameters.max_deterministic_time > 1e9     # unlimited
