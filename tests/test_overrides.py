"""`--set KEY=VALUE` on every command that takes a scenario: typed and validated like the file.

An unknown key or a bad value is bad input (exit 2), with a message naming the key, and no
output is written; a good value changes what the command does.
"""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.errors import InputError
from scheduler.scenario import load_scenario


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def words(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


@pytest.fixture
def scenario(tmp_path):
    return write_scenario(tmp_path / "base.toml", write_dataset(tmp_path / "data", small_tables()))


@pytest.fixture
def solved(tmp_path, scenario):
    folder = tmp_path / "solved"
    assert run("solve", scenario, "--out", folder, "--quiet").exit_code == 0
    return folder


# (override, what the message must name)
BAD = [
    ("nonsense=1", "unknown scenario key 'nonsense'"),
    ("capacity.max_sessions=3", "unknown scenario key 'capacity.max_sessions'"),
    ("capacity.max_dc_sessions=many", "capacity.max_dc_sessions"),
    ("capacity.max_dc_sessions=-1", "capacity.max_dc_sessions"),
    ("capacity.max_dc_sessions=2.5", "capacity.max_dc_sessions"),
    ("capacity.days=Day 1", "capacity.days"),          # a list is needed: ["Day 1"]
    ("mode=weekly", "mode"),
    ("solver.time_limit=0", "solver.time_limit"),
    ("eligibility.deadline=2024-13-01", "eligibility.deadline"),
    ("solver.time_limit.x=1", "solver.time_limit"),
    ("capacity.max_dc_sessions", "KEY=VALUE"),
]


def commands(tmp_path, scenario, solved):
    """Every command taking a scenario, as argument lists (the override is appended)."""
    return {
        "eligibility": ["eligibility", scenario],
        "solve": ["solve", scenario, "--out", tmp_path / "out-solve", "--quiet"],
        "check": ["check", solved / "schedule.csv", "--scenario", scenario],
        "compare": ["compare", scenario, "--out", tmp_path / "out-compare"],
        "sweep": ["sweep", scenario, "--vary", "weights.theme_clash=1,5", "--out",
                  tmp_path / "out-sweep"],
        "show": ["show", "D1", "--schedule", solved, "--scenario", scenario],
    }


@pytest.mark.parametrize("override, named", BAD, ids=[b[0] for b in BAD])
def test_a_bad_override_is_exit_2_naming_the_key_on_every_command(tmp_path, scenario, solved,
                                                                  override, named):
    for name, args in commands(tmp_path, scenario, solved).items():
        result = run(*args, "--set", override)
        assert result.exit_code == 2, (name, result.output, result.stderr)
        assert named in words(result.stderr), (name, result.stderr)
        assert not list(tmp_path.glob(f"out-{name}")), name   # nothing written


def test_the_override_is_typed_like_the_file(tmp_path, scenario):
    spec = load_scenario(scenario, ["capacity.max_dc_sessions=3", 'capacity.days=["Day 2"]',
                                    "eligibility.deadline=2024-05-05", "solver.time_limit=2.5",
                                    "description=plain words"])
    assert spec.capacity.max_dc_sessions == 3 and spec.capacity.days == ("Day 2",)
    assert str(spec.eligibility.deadline) == "2024-05-05" and spec.solver.time_limit == 2.5
    assert spec.description == "plain words"
    with pytest.raises(InputError, match="unknown scenario key 'weights.speed'"):
        load_scenario(scenario, ["weights.speed=3"])


def test_eligibility_applies_the_override(scenario):
    result = run("eligibility", scenario, "--format", "csv",
                 "--set", "eligibility.min_coordination_meetings=5")
    assert result.exit_code == 0
    rows = list(csv.DictReader(result.output.splitlines()))
    assert {r["eligible"] for r in rows} == {"no"}
    assert {r["min_coordination_meetings"] for r in rows} == {"FAIL"}


def test_solve_applies_the_override(tmp_path, scenario):
    out = tmp_path / "out"
    result = run("solve", scenario, "--out", out, "--quiet", "--set", "capacity.max_dc_sessions=1",
                 "--set", "name=one-slot")
    assert result.exit_code == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["scenario"] == "one-slot" and metrics["placed_requests"] == 1


def test_check_applies_the_override(scenario, solved):
    assert run("check", solved / "schedule.csv", "--scenario", scenario).exit_code == 0
    result = run("check", solved / "schedule.csv", "--scenario", scenario,
                 "--set", "capacity.max_dc_sessions=2")
    assert result.exit_code == 1
    assert "4 DC sessions, the quota is 2" in words(result.output)


def test_compare_applies_the_overrides_to_every_scenario(tmp_path, scenario):
    other = write_scenario(tmp_path / "other.toml", tmp_path / "data",
                           weights={"theme_clash": 50})
    out = tmp_path / "out"
    result = run("compare", scenario, other, "--out", out, "--set", "capacity.max_dc_sessions=1")
    assert result.exit_code == 0, result.stderr
    for name in ("base", "other"):
        assert json.loads((out / name / "metrics.json").read_text())["placed_requests"] == 1


def test_sweep_applies_the_overrides_under_the_varied_key(tmp_path, scenario):
    out = tmp_path / "out"
    result = run("sweep", scenario, "--vary", "capacity.max_dc_sessions=1,4", "--out", out,
                 "--set", 'capacity.days=["Day 2"]', "--set", "capacity.max_dc_sessions=0")
    assert result.exit_code == 0, result.stderr
    with open(out / "sweep.csv", newline="", encoding="utf-8") as handle:
        placed = [int(r["placed_dcs"]) for r in csv.DictReader(handle)]
    assert placed[0] == 1 and placed[1] > 1


@pytest.mark.parametrize("vary, named", [
    ("capacity.max_sessions=1,2", "unknown scenario key 'capacity.max_sessions'"),
    ("capacity.max_dc_sessions=1,many", "capacity.max_dc_sessions=many"),
    ("capacity.max_dc_sessions=", "KEY=V1,V2"),
])
def test_sweep_refuses_a_bad_vary_naming_the_key(tmp_path, scenario, vary, named):
    out = tmp_path / "out"
    result = run("sweep", scenario, "--vary", vary, "--out", out)
    assert result.exit_code == 2
    assert "--vary" in result.stderr and named in words(result.stderr)
    assert not out.exists()


def test_every_number_of_a_scenario_has_both_bounds():
    """A number without an upper bound lets a typo build a model that never ends or overflows
    (block.count=100000, weights.placed=2**63-1): every int and float key has a range."""
    from scheduler.scenario import Scenario

    unbounded = []
    for table, field in Scenario.model_fields.items():
        sub = field.annotation
        for key, info in getattr(sub, "model_fields", {}).items():
            kinds = {type(m).__name__ for m in info.metadata}
            numeric = info.annotation in (int, float, int | None, float | None) or \
                key in ("earliest", "latest")
            if numeric and not (kinds & {"Ge", "Gt"} and kinds & {"Le", "Lt"}):
                unbounded.append(f"{table}.{key}")
    assert unbounded == []


def test_weights_whose_objective_could_overflow_are_refused_before_solving(tmp_path, scenario,
                                                                            monkeypatch):
    """The objective's magnitude is bounded from the weights and the instance's variables; beyond
    what CP-SAT counts exactly, exit 2 naming the weights (here the limit is lowered to the
    small instance's scale: with weights up to 1,000,000 no instance the tool is meant for
    comes near 2**53)."""
    from scheduler.model import solve as solve_module

    out = tmp_path / "out"
    monkeypatch.setattr(solve_module, "LARGEST_OBJECTIVE", 1_000)
    result = run("solve", scenario, "--out", out, "--quiet", "--set", "weights.placed=1000")
    assert result.exit_code == 2, result.output
    assert "key 'weights': the objective could reach" in result.output
    assert "weights.placed = 1000" in result.output
    assert not out.exists()


def test_the_largest_weights_fit_the_solver(tmp_path, scenario):
    every = [f"weights.{name}=1000000" for name in ("placed", "fairness", "theme_clash",
                                                   "parallel_sessions", "preferred_day")]
    result = run("solve", scenario, "--out", tmp_path / "out", "--quiet",
                 *[arg for o in every for arg in ("--set", o)])
    assert result.exit_code == 0, result.output
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert metrics["status"] == "optimal" and metrics["placed_requests"] == 4
