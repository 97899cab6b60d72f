import pytest

from factory import small_tables, write_dataset, write_scenario
from scheduler.load import load_dataset
from scheduler.scenario import load_scenario


@pytest.fixture
def tables():
    return small_tables()


@pytest.fixture
def build(tmp_path):
    """build(tables, **scenario_tables) -> (Dataset, Scenario) written under tmp_path."""
    def _build(tables, **scenario):
        folder = write_dataset(tmp_path / "data", tables)
        path = write_scenario(tmp_path / "scenario.toml", folder, **scenario)
        return load_dataset(folder), load_scenario(path)
    return _build
