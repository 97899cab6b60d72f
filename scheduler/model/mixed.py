"""Mode `mixed`: each DC category in its own mode, solved as ONE model.

`[mixed]` maps a category to a mode: by default `output` DCs present in the block and
`capacity` (teaching, capacity-building) DCs get individual sessions, as the DCCG proposed.
A request goes where its own `placement` says (requests.csv: a `session` of its own or a block
`segment`, as the DCCG asked for some output DCs), else where its lead DC's category says.
Both parts put their items into the same
model, so the room rule keeps the block and the sessions apart, and the block's
`presenters_free_of_other_dc_items` rule keeps a presenter's speakers and DCs out of any
session that overlaps the block; `capacity.max_dc_sessions` counts sessions only.
"""

from __future__ import annotations

from ..domain import Dataset, Pin, Request
from ..scenario import Scenario
from .block.mode import BlockMode
from .formulation import Formulation
from .individual import IndividualMode
from .items import Item, Placement
from .slots import Context
from .solve import Solution


def mode_of(request: Request, dataset: Dataset, scenario: Scenario) -> str:
    """The mode the request asked for, else the one `[mixed]` gives its lead DC's category."""
    return scenario.mixed.mode_of(request, dataset)


class MixedMode:
    """Sessions for the categories mapped to `individual`, blocks for those mapped to `block`."""

    name = "mixed"

    def __init__(self, dataset: Dataset, scenario: Scenario, requests: list[Request],
                 pins: dict[str, Pin] | None = None):
        in_mode: dict[str, list[Request]] = {"individual": [], "block": []}
        for request in requests:
            in_mode[mode_of(request, dataset, scenario)].append(request)
        self.sessions = IndividualMode(dataset, scenario, in_mode["individual"], pins)
        self.block = BlockMode(dataset, scenario, in_mode["block"], pins)
        self.parts = (self.sessions, self.block)

    def part_of(self, request_id: str):
        """The part (sessions or block) that places this request."""
        return self.block if any(p.request_id == request_id for p in self.block.presenters) \
            else self.sessions

    def items(self) -> list[Item]:
        return [item for part in self.parts for item in part.items()]

    def check_input(self, ctx: Context) -> None:
        for part in self.parts:
            part.check_input(ctx)

    def constrain(self, f: Formulation) -> None:
        """Each part's own rules; the block's rules already see the sessions in the model."""
        for part in self.parts:
            part.constrain(f)

    def placements(self, f: Formulation, solution: Solution) -> list[Placement]:
        return [p for part in self.parts for p in part.placements(f, solution)]
