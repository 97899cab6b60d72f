from scheduler.check import Checker
from scheduler.plan import plan


def test_small_dataset_solves_and_passes_the_checker(tables, build):
    dataset, scenario = build(tables)
    result = plan(dataset, scenario)
    assert result.solution.status == "optimal"
    assert {r.item_id for r in result.rows} == {"R1", "R2", "R3", "R4"}
    assert Checker(dataset, scenario, result.rows).violations() == []
