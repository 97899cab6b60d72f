"""Hard rules between DC items, written once against the formulation interface.

Rules that judge one item against the fixed data (rooms, hours, breaks, the programme) filter
its candidate slots in `slots.py`; a mode's own rules live with the mode.
"""

from __future__ import annotations

from .formulation import Formulation


def each_item_at_most_once(f: Formulation) -> None:
    """An item takes at most one slot; a required item (a DC Day plenary) exactly one."""
    for item_id, item in f.items.items():
        f.cp.add(f.choice_count(item_id) == f.placed[item_id])
        if item.required:
            f.cp.add(f.placed[item_id] == 1)


def one_item_per_room_at_a_time(f: Formulation) -> None:
    """No two DC items share a room at the same time (the programme is excluded in slots)."""
    f.one_item_per_room()


def _groups(f: Formulation, members) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for item_id, item in f.items.items():
        for key in sorted(members(item)):
            groups.setdefault(key, []).append(item_id)
    return groups


def no_person_in_two_places(f: Formulation) -> None:
    """No speaker is in two DC items at the same time."""
    f.one_at_a_time(_groups(f, lambda item: item.people))


def coalitions_in_one_place(f: Formulation) -> None:
    """A DC (lead or co-organiser) runs at most one item at a time."""
    f.one_at_a_time(_groups(f, lambda item: set(item.dc_ids)))


def nothing_beside_exclusive_items(f: Formulation) -> None:
    """While an exclusive DC item runs (a DC Day plenary), no other item runs. Only overlap is
    forbidden: the transition applies where a room, a person or a DC is shared, as between any
    two items (an item may start in another room as the plenary ends)."""
    for item_id, item in f.items.items():
        if item.exclusive:
            f.one_at_a_time({f"{item_id}|{other}": [item_id, other]
                             for other in f.items if other != item_id}, transition=False)


def session_quota(f: Formulation) -> None:
    """At most `capacity.max_dc_sessions` individual DC sessions."""
    quota = f.scenario.capacity.max_dc_sessions
    sessions = [f.placed[i] for i, item in f.items.items() if item.kind == "session"]
    if quota is not None and sessions:
        f.cp.add(sum(sessions) <= quota)


HARD_RULES = (each_item_at_most_once, one_item_per_room_at_a_time, no_person_in_two_places,
              coalitions_in_one_place, nothing_beside_exclusive_items, session_quota)
