"""Mode `individual`: each eligible request is one DC session of its own, up to the quota."""

from __future__ import annotations

from ..domain import Dataset, Request
from ..eligibility import EligibilityReport
from ..scenario import Scenario
from ..schedule import ScheduleRow, Unscheduled
from .explain import why_not_placed
from .items import Item
from .solve import Solution
from .variables import PlacementModel


def request_value(request: Request, dataset: Dataset) -> int:
    """Priority 1 is the highest: it gets the largest value."""
    lowest = max((r.priority for r in dataset.requests), default=1)
    return lowest + 1 - request.priority


def request_item(request: Request, dataset: Dataset, *, kind: str = "session",
                 days: tuple[str, ...] = (), rooms: tuple[str, ...] = ()) -> Item:
    """The item that places one request. Online speakers make the room need hybrid."""
    people = dataset.person_by_id
    needs = set(request.needs)
    if any(not people[p].onsite for p in request.speakers):
        needs.add("hybrid")
    return Item(
        item_id=request.request_id, kind=kind, dc_ids=request.dc_ids, title=request.title,
        duration=request.duration, themes=frozenset(request.themes),
        people=frozenset(request.speakers), needs=frozenset(needs),
        attendance=request.expected_attendance, days=days, rooms=rooms,
        unavailable=request.unavailable, preferred_days=request.preferred_days,
        value=request_value(request, dataset),
        category=dataset.coalition_by_id[request.lead].category,
        request_ids=(request.request_id,))


def session_row(item: Item, pm: PlacementModel, solution: Solution) -> ScheduleRow:
    slot = solution.chosen[item.item_id]
    start, end = pm.window(item.item_id, slot)
    return ScheduleRow(item_id=item.item_id, kind=item.kind, dc_ids=item.dc_ids,
                       title=item.title, day=slot.day,
                       date=pm.ctx.dataset.day_by_label[slot.day].date.isoformat(),
                       start=start, end=end, room=slot.room, themes=tuple(sorted(item.themes)),
                       speakers=tuple(sorted(item.people)))


class IndividualMode:
    """One session per eligible request, placed where the scenario's capacity allows."""

    name = "individual"

    def __init__(self, dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                 requests: list[Request] | None = None):
        self.dataset, self.scenario, self.report = dataset, scenario, report
        self.requests = sorted(dataset.requests if requests is None else requests,
                               key=lambda r: r.request_id)
        self.ineligible = {r.request_id: reason for r in self.requests
                           if (reason := report.request_failure(r))}

    def items(self) -> list[Item]:
        capacity = self.scenario.capacity
        return [request_item(r, self.dataset, days=capacity.days, rooms=capacity.rooms)
                for r in self.requests if r.request_id not in self.ineligible]

    def constrain(self, pm: PlacementModel) -> None:
        """Individual sessions need nothing beyond the shared rules and goals."""

    def rows(self, pm: PlacementModel, solution: Solution) -> list[ScheduleRow]:
        return [session_row(pm.items[r.request_id], pm, solution) for r in self.requests
                if r.request_id in solution.chosen]

    def unscheduled(self, pm: PlacementModel, solution: Solution) -> list[Unscheduled]:
        entries = []
        for request in self.requests:
            if request.request_id in solution.chosen:
                continue
            reason = (self.ineligible.get(request.request_id)
                      or why_not_placed(pm, request.request_id, solution))
            entries.append(Unscheduled(request.request_id, request.dc_ids, reason))
        return entries
