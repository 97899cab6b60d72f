"""Mode `individual`: each eligible request is one DC session of its own, up to the quota."""

from __future__ import annotations

from ..domain import Dataset, Pin, Request, request_themes, request_value
from ..scenario import Scenario
from .formulation import Formulation
from .items import Item, Placement
from .slots import Context
from .solve import Solution


def request_item(request: Request, dataset: Dataset, *, kind: str = "session",
                 days: tuple[str, ...] = (), rooms: tuple[str, ...] = (),
                 pin: Pin | None = None) -> Item:
    """The item that places one request. Online speakers make the room need hybrid; a pinned
    request must be placed."""
    people = dataset.person_by_id
    needs = set(request.needs)
    if any(not people[p].onsite for p in request.speakers):
        needs.add("hybrid")
    return Item(
        item_id=request.request_id, kind=kind, dc_ids=request.dc_ids, title=request.title,
        duration=request.duration, themes=frozenset(request_themes(request, dataset)),
        people=frozenset(request.speakers), needs=frozenset(needs),
        attendance=request.expected_attendance, days=days, rooms=rooms,
        unavailable=request.unavailable, preferred_days=request.preferred_days,
        value=request_value(request, dataset),
        category=dataset.coalition_by_id[request.lead].category, pin=pin,
        required=pin is not None)


def placement_of(f: Formulation, item_id: str, solution: Solution) -> Placement:
    slot = solution.chosen[item_id]
    item = f.items[item_id]
    return Placement(item_id, item.kind, slot.day, slot.start, slot.start + item.duration,
                     slot.room)


class IndividualMode:
    """One session per eligible request, placed where the scenario's capacity allows."""

    name = "individual"

    def __init__(self, dataset: Dataset, scenario: Scenario, requests: list[Request],
                 pins: dict[str, Pin] | None = None):
        self.dataset, self.scenario, self.pins = dataset, scenario, pins or {}
        self.requests = sorted(requests, key=lambda r: r.request_id)

    def items(self) -> list[Item]:
        capacity = self.scenario.capacity
        return [request_item(r, self.dataset, days=capacity.days, rooms=capacity.rooms,
                             pin=self.pins.get(r.request_id)) for r in self.requests]

    def check_input(self, ctx: Context) -> None:
        """Nothing beyond the scenario's references can make individual sessions impossible."""

    def constrain(self, f: Formulation) -> None:
        """Individual sessions need nothing beyond the shared rules and goals."""

    def placements(self, f: Formulation, solution: Solution) -> list[Placement]:
        return [placement_of(f, r.request_id, solution) for r in self.requests
                if r.request_id in solution.chosen]
