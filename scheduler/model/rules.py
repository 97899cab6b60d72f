"""Hard rules between DC items, as CP-SAT constraints (rules on one item live in `slots.py`)."""

from __future__ import annotations

from .variables import PlacementModel


def each_item_at_most_once(pm: PlacementModel) -> None:
    """An item takes at most one slot; a required item takes exactly one."""
    for item_id, item in pm.items.items():
        pm.cp.add(sum(var for _, var in pm.slots[item_id]) == pm.placed[item_id])
        if item.required:
            pm.cp.add(pm.placed[item_id] == 1)


def _at_most_one_per_row(pm: PlacementModel, resources) -> None:
    seen: set[tuple[int, ...]] = set()
    for per_item in pm.rows_by_resource(resources).values():
        if len(per_item) < 2:
            continue
        row = [var for vars_ in per_item.values() for var in vars_]
        key = tuple(sorted(var.index for var in row))
        if key not in seen:
            seen.add(key)
            pm.cp.add_at_most_one(row)


def one_item_per_room_at_a_time(pm: PlacementModel) -> None:
    """No two DC items share a room at the same time (the programme is excluded in slots)."""
    _at_most_one_per_row(pm, lambda item, slot: [slot.room])


def no_person_in_two_places(pm: PlacementModel) -> None:
    """No speaker is in two DC items at the same time."""
    _at_most_one_per_row(pm, lambda item, slot: item.people)


def coalitions_in_one_place(pm: PlacementModel) -> None:
    """A DC (lead or co-organiser) runs at most one item at a time."""
    _at_most_one_per_row(pm, lambda item, slot: item.dc_ids)


def nothing_beside_exclusive_items(pm: PlacementModel) -> None:
    """While an exclusive DC item runs (a DC Day plenary), no other DC item runs."""
    for item_id, item in pm.items.items():
        if not item.exclusive:
            continue
        for other in pm.items:
            if other != item_id and (both := pm.overlap(item_id, other)) is not None:
                pm.cp.add(both == 0)


def session_quota(pm: PlacementModel) -> None:
    """At most `capacity.max_dc_sessions` individual DC sessions."""
    quota = pm.scenario.capacity.max_dc_sessions
    sessions = [pm.placed[i] for i, item in pm.items.items() if item.kind == "session"]
    if quota is not None and sessions:
        pm.cp.add(sum(sessions) <= quota)


HARD_RULES = (each_item_at_most_once, one_item_per_room_at_a_time, no_person_in_two_places,
              coalitions_in_one_place, nothing_beside_exclusive_items, session_quota)
