"""The time-indexed formulation: one boolean per (item, slot), a slot being (day, start, room).

An item placed in a slot covers the grid units of its window, so "at most one item per room
(person, coalition) and unit" is a plain at-most-one row and every cost of a placement is a
coefficient of its slot boolean: a tight LP, which proves DC-scale scenarios optimal fastest
(bench/RESULTS.md). Its size grows with the starts, hence `intervals.py` for the whole programme.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Callable, Iterable

from ortools.sat.python import cp_model

from ..scenario import Scenario
from ..timegrid import units_covered
from .formulation import Cost, Formulation, Literal, transition_time
from .greedy import greedy
from .items import Item, Placement, Slot
from .slots import Context, Starts


class TimeIndexed(Formulation):
    def __init__(self, items: Iterable[Item], ctx: Context, scenario: Scenario,
                 baseline: dict[str, Placement] | None = None,
                 starts: dict[str, tuple[Starts, str | None]] | None = None):
        super().__init__(items, ctx, scenario, baseline, starts)
        self.slots: dict[str, list[tuple[Slot, Literal]]] = {
            item_id: [(slot, self.cp.new_bool_var(f"{item_id}@{slot.day}/{slot.start}/{slot.room}"))
                      for slot in self.candidate_slots(item_id)]
            for item_id in self.items}
        self._overlaps: dict[tuple[str, str], Literal | None] = {}

    def slot_literals(self, item_id: str) -> list[tuple[Slot, Literal]]:
        return self.slots[item_id]

    def at_slot(self, item_id: str, slot: Slot) -> Literal | None:
        return next((var for s, var in self.slots.get(item_id, ()) if s == slot), None)

    def choice_count(self, item_id: str):
        return sum(var for _, var in self.slots[item_id])

    def cost_at_start(self, name: str, item_id: str, cost: Cost):
        return sum(var * cost(slot.day, slot.start) for slot, var in self.slots[item_id])

    def units(self, item_id: str, slot: Slot) -> range:
        return units_covered(*self.window(item_id, slot), self.grid)

    def held_units(self, item_id: str, slot: Slot) -> range:
        """The units the item holds its room, people and DCs: its own and the transition."""
        return units_covered(slot.start, slot.start + transition_time(
            self.items[item_id].duration, self.transition), self.grid)

    @cached_property
    def cover(self) -> dict[str, dict[tuple[str, int], list[Literal]]]:
        """For each item, (day, unit) -> its slot variables that cover that unit."""
        cover: dict[str, dict[tuple[str, int], list]] = {}
        for item_id, slots in self.slots.items():
            by_unit: dict[tuple[str, int], list] = defaultdict(list)
            for slot, var in slots:
                for unit in self.units(item_id, slot):
                    by_unit[(slot.day, unit)].append(var)
            cover[item_id] = by_unit
        return cover

    def _at_most_one_per_row(self, resources: Callable[[str, Slot], Iterable[str]],
                             transition: bool = True) -> None:
        """An at-most-one row per (resource, day, unit) over the slot variables using it (its
        own units, and with `transition` the transition's after them)."""
        units = self.held_units if transition else self.units
        rows: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for item_id, slots in self.slots.items():
            for slot, var in slots:
                for resource in resources(item_id, slot):
                    for unit in units(item_id, slot):
                        rows[(resource, slot.day, unit)][item_id].append(var)
        seen: set[tuple[int, ...]] = set()
        for per_item in rows.values():
            if len(per_item) < 2:
                continue
            row = [var for vars_ in per_item.values() for var in vars_]
            key = tuple(sorted(var.index for var in row))
            if key not in seen:
                seen.add(key)
                self.cp.add_at_most_one(row)

    def one_item_per_room(self) -> None:
        self._at_most_one_per_row(lambda item_id, slot: [slot.room])

    def one_at_a_time(self, groups: dict[str, list[str]], transition: bool = True) -> None:
        member_of: dict[str, list[str]] = defaultdict(list)
        for key in sorted(groups):
            for item_id in groups[key]:
                member_of[item_id].append(key)
        self._at_most_one_per_row(lambda item_id, slot: member_of.get(item_id, ()), transition)

    def overlap(self, a: str, b: str) -> Literal | None:
        """Forced to 1 when a and b share a grid unit (a lower bound only)."""
        a, b = sorted((a, b))
        if (a, b) not in self._overlaps:
            shared = sorted(self.cover[a].keys() & self.cover[b].keys())
            both = None
            if shared:
                both = self.cp.new_bool_var(f"overlap[{a},{b}]")
                for key in shared:
                    self.cp.add(both >= sum(self.cover[a][key]) + sum(self.cover[b][key]) - 1)
            self._overlaps[(a, b)] = both
        return self._overlaps[(a, b)]

    def overlaps_follow_load(self, item_ids: list[str], name: str) -> None:
        """Summed over the grid units, the units two items share is exactly the number of pairs
        running at each unit, at least C(n, 2) where n items run: each overlapping pair shares
        at most its shorter item's units. So the pairs' overlap booleans, weighted by that
        length, cover the convex C(n, 2) of the load at every unit (its tangents as rows).
        With the items spread fractionally, the pair rows alone let every overlap be 0."""
        running: dict[tuple[str, int], list] = defaultdict(list)
        rooms: dict[tuple[str, int], set[str]] = defaultdict(set)
        for item_id in item_ids:
            for slot, var in self.slots[item_id]:
                for unit in self.units(item_id, slot):
                    running[(slot.day, unit)].append(var)
                    rooms[(slot.day, unit)].add(slot.room)
        pairs_running = []
        for key in sorted(running, key=lambda k: (self.ctx.dataset.day_index[k[0]], k[1])):
            # No more of the items run at a unit than there are rooms for them then.
            most = min(len(rooms[key]), sum(key in self.cover[i] for i in item_ids))
            if most < 2:
                continue
            load = self.cp.new_int_var(0, most, f"{name}[load {key[0]} {key[1]}]")
            self.cp.add(load == sum(running[key]))
            pairs_here = self.cp.new_int_var(0, most * (most - 1) // 2,
                                             f"{name}[pairs {key[0]} {key[1]}]")
            for k in range(1, most):
                self.cp.add(pairs_here >= k * load - k * (k + 1) // 2)
            pairs_running.append(pairs_here)
        if not pairs_running:
            return
        shared = self.shared_units_at_most(item_ids, self.units_of)
        self.cp.add(sum(shared) >= sum(pairs_running))

    def units_of(self, item_id: str) -> int:
        """How many grid units the item covers (its longest window on the grid)."""
        return max((len(self.units(item_id, slot)) for slot, _ in self.slots[item_id]), default=0)

    def slots_by_start(self, item_id: str) -> dict[tuple[int, int], list[Literal]]:
        """(day index, start) -> the item's slot variables starting then (any room)."""
        day_index = self.ctx.dataset.day_index
        by_start: dict[tuple[int, int], list] = defaultdict(list)
        for slot, var in self.slots[item_id]:
            by_start[(day_index[slot.day], slot.start)].append(var)
        return dict(sorted(by_start.items()))

    def order_rows(self, first: str, second: str) -> None:
        """Linear rows, one per start s of the optional item, over the required one's slots
        (it takes exactly one, so a sum of its slots is 1 exactly when it is there):
        - `first` required: second's slots starting at s <= first's slots ending by s;
        - `second` required: first's slots starting at s <= second's slots starting at or
          after s + first's length.
        Each row is tight in the LP, unlike a big-M form over start times."""
        length = self.items[first].duration
        firsts, seconds = self.slots_by_start(first), self.slots_by_start(second)
        if self.items[first].required:
            for s, at_s in seconds.items():
                over = [v for t, vs in firsts.items() if minute(t) + length <= minute(s)
                        for v in vs]
                self.cp.add(sum(at_s) <= sum(over))
        else:
            for s, at_s in firsts.items():
                after = [v for t, vs in seconds.items() if minute(t) >= minute(s) + length
                         for v in vs]
                self.cp.add(sum(at_s) <= sum(after))

    def room_use(self, item_id: str) -> dict[str, cp_model.LinearExprT]:
        per_room: dict[str, list] = defaultdict(list)
        for slot, var in self.slots[item_id]:
            per_room[slot.room].append(var)
        return {room: sum(vars_) for room, vars_ in per_room.items()}

    def peak(self, item_ids: list[str], name: str) -> cp_model.IntVar:
        running: dict[tuple[str, int], list] = defaultdict(list)
        for item_id in item_ids:
            for key, vars_ in self.cover[item_id].items():
                running[key].extend(vars_)
        peak = self.cp.new_int_var(0, len(item_ids), name)
        for key in sorted(running):
            self.cp.add(sum(running[key]) <= peak)
        return peak

    def warm_start(self, progress: Callable[[str], None] | None) -> None:
        """Hint every slot boolean with the greedy schedule (`[solver] hint`)."""
        if not self.scenario.solver.hint:
            return
        chosen = {item_id: slot for item_id, (_, slot) in greedy(self).items()}
        for item_id, slots in self.slots.items():
            self.cp.add_hint(self.placed[item_id], int(item_id in chosen))
            for slot, var in slots:
                self.cp.add_hint(var, int(chosen.get(item_id) == slot))
        if progress:
            progress(f"  first guess: {len(chosen)} of {len(self.items)} items placed")

    def read_chosen(self, solver: cp_model.CpSolver) -> dict[str, Slot]:
        return {item_id: slot for item_id, slots in self.slots.items()
                for slot, var in slots if solver.boolean_value(var)}


def minute(start: tuple[int, int]) -> int:
    """(day index, minute of the day) -> minutes since the first day's midnight."""
    day, at = start
    return day * 24 * 60 + at
