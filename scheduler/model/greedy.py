"""A greedy first schedule, the hint both formulations give CP-SAT (`[solver] hint`).

It respects every hard rule shared by the modes (the single-item rules through the candidate
starts, one item per room, no person or DC in two items at once, nothing beside an exclusive
item, the session quota), not a mode's own rules (a block's segments, a DC Day's plenaries
before and after): CP-SAT repairs or drops what the hint gets wrong. Deterministic.
"""

from __future__ import annotations

from typing import Iterable

from .formulation import Formulation, transition_time
from .items import Slot


class Units:
    """Time in grid units over the whole event: unit = day index x `per_day` + minute // grid
    (a unit left free after each day, so no item spans two days)."""

    def __init__(self, f: Formulation):
        self.grid = f.grid
        self.per_day = 24 * 60 // f.grid + 1
        self.day_index = f.ctx.dataset.day_index
        self.day_of = [d.label for d in f.ctx.dataset.event.days]

    def unit(self, day: str, minute: int) -> int:
        return self.day_index[day] * self.per_day + minute // self.grid

    def slot_of(self, unit: int, room: str) -> Slot:
        return Slot(self.day_of[unit // self.per_day], (unit % self.per_day) * self.grid, room)


def bits(units: Iterable[int]) -> int:
    mask = 0
    for u in units:
        mask |= 1 << u
    return mask


def blocked_starts(occupied: int, size: int) -> int:
    """Starts u at which [u, u + size) meets an occupied unit."""
    out = occupied
    for shift in range(1, size):
        out |= occupied >> shift
    return out


def greedy(f: Formulation) -> dict[str, tuple[int, Slot]]:
    """Required items first, then by value (then those with preferred days, then the shortest,
    then fewest starts, then id), each where it is now (`Item.home`) if that is free, else at
    its first free start (on a preferred day if it can, else the earliest) in the first room
    free then. Up to the session quota; item id -> (start unit, slot).

    Occupancy is kept as bit sets over units (Python ints): bit u of a room's (person's,
    coalition's) set is 1 while an item holds it during unit u.
    """
    time = Units(f)
    day_masks: dict[tuple[str, int], int] = {}       # (day, id(starts)) -> their bits

    def day_mask(day: str, starts: tuple[int, ...]) -> int:
        # Rooms free of the programme share one tuple of starts (`slots.room_starts`).
        if (day, id(starts)) not in day_masks:
            day_masks[(day, id(starts))] = bits(time.unit(day, s) for s in starts)
        return day_masks[(day, id(starts))]

    room_units: dict[str, dict[str, int]] = {}     # item id -> room -> its allowed start bits
    for item_id in f.items:
        for (day, room), starts in f.starts[item_id].items():
            per_room = room_units.setdefault(item_id, {})
            per_room[room] = per_room.get(room, 0) | day_mask(day, starts)
    # What an item holds: its own minutes and the transition after them.
    size = {i: -(-transition_time(f.items[i].duration, f.transition) // f.grid)
            for i in room_units}
    choices = {i: bin(_union(masks.values())).count("1") for i, masks in room_units.items()}
    room_busy: dict[str, int] = {}
    person_busy: dict[str, int] = {}
    dc_busy: dict[str, int] = {}
    any_busy = exclusive_busy = 0
    quota = f.scenario.capacity.max_dc_sessions
    sessions = 0
    chosen: dict[str, tuple[int, Slot]] = {}
    order = sorted(room_units, key=lambda i: (not f.items[i].required, -f.items[i].value,
                                              not f.items[i].preferred_days, size[i],
                                              choices[i], i))
    for item_id in order:
        item = f.items[item_id]
        if item.kind == "session" and quota is not None and sessions >= quota:
            continue
        held = exclusive_busy | (any_busy if item.exclusive else 0)
        for person in item.people:
            held |= person_busy.get(person, 0)
        for dc in item.dc_ids:
            held |= dc_busy.get(dc, 0)
        not_free = blocked_starts(held, size[item_id])
        preferred = bits(u for d in item.preferred_days if d in time.day_index
                         for u in range(time.day_index[d] * time.per_day,
                                        (time.day_index[d] + 1) * time.per_day))
        best = None
        for room, allowed in room_units[item_id].items():
            free = allowed & ~not_free & ~blocked_starts(room_busy.get(room, 0), size[item_id])
            if not free:
                continue
            home = item.home
            if home is not None and home.room == room and \
                    (free >> (unit := time.unit(home.day, home.start))) & 1:
                # Where it is now: the programme as it stands is a schedule.
                best = ((-1, unit), unit, room)
                break
            on_preferred = free & preferred
            pick = on_preferred or free
            first = (pick & -pick).bit_length() - 1
            rank = (0 if on_preferred or not preferred else 1, first)
            if best is None or rank < best[0]:
                best = (rank, first, room)
        if best is None:
            continue
        _, unit, room = best
        span = ((1 << size[item_id]) - 1) << unit
        room_busy[room] = room_busy.get(room, 0) | span
        for person in item.people:
            person_busy[person] = person_busy.get(person, 0) | span
        for dc in item.dc_ids:
            dc_busy[dc] = dc_busy.get(dc, 0) | span
        any_busy |= span
        if item.exclusive:
            exclusive_busy |= span
        sessions += item.kind == "session"
        chosen[item_id] = (unit, time.slot_of(unit, room))
    return chosen


def _union(masks: Iterable[int]) -> int:
    out = 0
    for mask in masks:
        out |= mask
    return out
