"""Mode `mixed`: each DC category in its own mode, solved as ONE model.

`[mixed]` maps a category to a mode: by default `output` DCs present in the block and
`capacity` (teaching, capacity-building) DCs get individual sessions, as the DCCG proposed.
A request goes where its lead DC's category says. Both parts put their items into the same
`PlacementModel`, so the engine's room rule keeps the block and the sessions apart, and the
block's `presenters_free_of_other_dc_items` rule keeps a presenter's speakers and DCs out of
any session that overlaps the block; `capacity.max_dc_sessions` counts sessions only.
"""

from __future__ import annotations

from ..domain import Dataset, Request
from ..eligibility import EligibilityReport
from ..scenario import Scenario
from ..schedule import ScheduleRow, Unscheduled
from .block import BlockMode
from .individual import IndividualMode
from .items import Item
from .solve import Solution
from .variables import PlacementModel


def mode_of(request: Request, dataset: Dataset, scenario: Scenario) -> str:
    """The mode `[mixed]` gives the category of the request's lead DC."""
    return getattr(scenario.mixed, dataset.coalition_by_id[request.lead].category)


class MixedMode:
    """Sessions for the categories mapped to `individual`, blocks for those mapped to `block`."""

    name = "mixed"

    def __init__(self, dataset: Dataset, scenario: Scenario, report: EligibilityReport):
        self.dataset = dataset
        in_mode = {"individual": [], "block": []}
        for request in dataset.requests:
            in_mode[mode_of(request, dataset, scenario)].append(request)
        self.sessions = IndividualMode(dataset, scenario, report, in_mode["individual"])
        self.block = BlockMode(dataset, scenario, report, in_mode["block"])
        self.parts = (self.sessions, self.block)

    def items(self) -> list[Item]:
        return [item for part in self.parts for item in part.items()]

    def constrain(self, pm: PlacementModel) -> None:
        """Each part's own rules; the block's rules already see the sessions in the model."""
        for part in self.parts:
            part.constrain(pm)

    def rows(self, pm: PlacementModel, solution: Solution) -> list[ScheduleRow]:
        return [row for part in self.parts for row in part.rows(pm, solution)]

    def unscheduled(self, pm: PlacementModel, solution: Solution) -> list[Unscheduled]:
        entries = [entry for part in self.parts for entry in part.unscheduled(pm, solution)]
        return sorted(entries, key=lambda e: e.request_id)
