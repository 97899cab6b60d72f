"""Why a request got nothing: the rule that left it no slot, the quota, or the DC items in its way."""

from __future__ import annotations

from collections import Counter

from ..timegrid import overlap
from .items import Slot
from .solve import Solution
from .variables import PlacementModel


def clashes(pm: PlacementModel, item_id: str, slot: Slot, solution: Solution) -> list[str]:
    """The placed DC items that make `slot` impossible for `item_id`, as short phrases."""
    item = pm.items[item_id]
    start, end = pm.window(item_id, slot)
    found = []
    for other_id, other_slot in solution.chosen.items():
        other = pm.items[other_id]
        if other_slot.day != slot.day or not overlap(start, end, *pm.window(other_id, other_slot)):
            continue
        if other_slot.room == slot.room:
            found.append("room taken by another DC item")
        people, dc_ids = pm.occupants(other_id, solution)
        found.extend(f"speaker {p} in {other_id}" for p in sorted(item.people & people))
        found.extend(f"{dc} already in {other_id}" for dc in sorted(set(item.dc_ids) & dc_ids))
        if other.exclusive or item.exclusive:
            found.append(f"exclusive {other_id}")
    return found


def why_not_placed(pm: PlacementModel, item_id: str, solution: Solution) -> str:
    if item_id in pm.no_slot_reason:
        return pm.no_slot_reason[item_id]
    if not solution.has_schedule:
        return f"no schedule: the solver ended {solution.status}"
    item = pm.items[item_id]
    quota = pm.scenario.capacity.max_dc_sessions
    placed_sessions = [i for i in solution.chosen if pm.items[i].kind == "session"]
    if item.kind == "session" and quota is not None and len(placed_sessions) >= quota:
        weakest = min((pm.items[i].value for i in placed_sessions), default=0)
        head = (f"quota reached: all {quota} DC session slots (capacity.max_dc_sessions) went to "
                "other requests")
        if weakest > item.value:
            return head + " of higher priority"
        return head + (" of the same or higher priority; among equals, the solver chose "
                       "those whose slots cost less (theme clashes, parallel sessions, "
                       "preferred days, fairness across categories)")
    blocked = Counter()
    free = 0
    for slot, _ in pm.slots[item_id]:
        found = clashes(pm, item_id, slot, solution)
        blocked.update(sorted(set(found)))  # sorted: ties in most_common keep a fixed order
        free += not found
    if free == 0:
        common = ", ".join(f"{what} ({n} slots)" for what, n in blocked.most_common(3))
        return f"every possible slot clashes with placed DC items: {common}"
    return (f"{free} free slots remain, but placing it there would cost more (theme clashes, "
            "parallel sessions, preferences) than weights.placed gains")
