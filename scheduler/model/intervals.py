"""The interval formulation, for whole-programme scale.

Selected by `[solver] formulation = "interval"`. Where the time-indexed model
(`time_indexed.TimeIndexed`) has one boolean per (item, day, start, room) and at-most-one rows
per room, person and coalition per grid unit, this model has per item:

- `placed[i]`, a start `start[i]` (an integer over every allowed start of the item, on every
  allowed day) and a main optional interval (present when placed);
- per allowed room r: a presence literal `z[i, r]` and an optional interval in the room, whose
  start is allowed only where the room is (`start[i]` itself when the room allows every start
  the item has, else a start of its own, equal to `start[i]` when `z[i, r]`);
- sum over r of `z[i, r]` == `placed[i]`;

and NoOverlap per room over the room intervals, per person and per coalition over the main
intervals. Its size grows with items x rooms + items x people, not with the starts.

Rooms that allow every item exactly the same starts (copies of one room, as in a synthetic
10x programme) are one class: an item chooses a class, not a room, and "one item per room at a
time" over a class of k rooms becomes "at most k of its items at a time" (Cumulative), which is
the same rule, since items on a line that never exceed k at once can always be given k rooms
(`IntervalModel.assign_rooms` does, after solving). A room like no other is a class of its
own, under NoOverlap, as above.

Time is counted in grid units (`event.granularity` minutes): unit = day index x `day_units` +
minute // granularity. Every start the single-item rules allow lies on the grid
(`slots.starts`), so an item of d minutes covers ceil(d / granularity) consecutive units, and
two items overlap in minutes exactly when their unit intervals overlap: the same "share a grid
unit" that the time-indexed rows test (`timegrid.units_covered`). Counting in units rather
than minutes keeps each start's domain a few runs of consecutive values.

The single-item hard rules are applied once, by `Formulation` (`slots.room_starts`). Rules
and goals are those of `rules.py` and `goals.py`, written against the interface; this module
answers its questions on intervals:

- a cost of the start against the fixed programme (theme clashes, parallel sessions, online
  hours, preferred days) is a table over the item's start (AddElement), counted when placed;
- the overlap of two DC items is a boolean per pair that can meet (two ordering literals),
  exact both ways. These grow with the square of the items. Rows over a theme's pairs (and
  over all pairs) say that many items on few units must overlap (`overlaps_follow_load`);
- a slot literal (blocks, plenaries: items with few slots whose rules read the slot) is made
  on demand, tied to the start and the room's presence literal;
- rooms are merged into classes only in mode `individual`, where nothing reads which room of
  a class an item gets.

`warm_start` hints CP-SAT with a greedy schedule (`greedy.greedy`, every variable hinted): at
whole-programme scale the solver finds nothing in minutes without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Callable

from ortools.sat.python import cp_model

from ..scenario import Scenario
from .formulation import Cost, Formulation, Literal, transition_time
from .greedy import greedy
from .items import Item, Placement, Slot
from .slots import Context, Starts

Domain = cp_model.Domain


class Intervals(Formulation):
    """Per item: a start over its allowed units, a main interval, and a presence literal and
    interval per room class it may use."""

    def __init__(self, items: Iterable[Item], ctx: Context, scenario: Scenario,
                 baseline: dict[str, Placement] | None = None,
                 starts: dict[str, tuple[Starts, str | None]] | None = None):
        super().__init__(items, ctx, scenario, baseline, starts)
        self.day_units = 24 * 60 // self.grid + 1          # units per day, with a gap after
        self.day_of = [d.label for d in ctx.dataset.event.days]
        self.size: dict[str, int] = {}                      # units an item covers
        self.held: dict[str, int] = {}      # units it holds its room, people, DCs (transition)
        self.held_main: dict[str, cp_model.IntervalVar] = {}
        self.start: dict[str, cp_model.IntVar] = {}
        self.main: dict[str, cp_model.IntervalVar] = {}
        self.domain: dict[str, Domain] = {}
        # item id -> room id -> its allowed start units there
        self.room_units: dict[str, dict[str, tuple[int, ...]]] = {}
        # Rooms that allow every item the same starts are interchangeable: one class.
        self.classes: list[tuple[str, ...]] = []
        self.class_of: dict[str, int] = {}
        # item id -> [(class index, z, interval in the class, own start var or None)]
        self.choices: dict[str, list[tuple[int, cp_model.IntVar, cp_model.IntervalVar,
                                           cp_model.IntVar | None]]] = {}
        self.hints: dict[str, list] = {}                    # hint name -> [(var, fn(chosen))]
        self._overlaps: dict[tuple[str, str], cp_model.IntVar | None] = {}
        self._slot_literals: dict[str, list[tuple[Slot, Literal]]] = {}
        self._at: dict[tuple[str, Slot], Literal] = {}
        for item in self.items.values():
            self._room_units(item)
        # Rooms merge into classes only where nothing reads which room an item gets.
        self._room_classes(merge=scenario.mode == "individual" and not self.baseline)
        for item in self.items.values():
            self._add_item(item)

    # --- time --------------------------------------------------------------------------------

    def unit(self, day: str, minute: int) -> int:
        return self.ctx.dataset.day_index[day] * self.day_units + minute // self.grid

    def slot_of(self, unit: int, room: str) -> Slot:
        return Slot(self.day_of[unit // self.day_units], (unit % self.day_units) * self.grid,
                    room)

    # --- variables ---------------------------------------------------------------------------

    def _room_units(self, item: Item) -> None:
        """The item's allowed starts per room, in units."""
        i = item.item_id
        found = self.starts[i]
        self.size[i] = -(-item.duration // self.grid)
        self.held[i] = -(-transition_time(item.duration, self.transition) // self.grid)
        # Rooms whose starts are the very same tuples (rooms free of the programme share
        # them, see `room_starts`) share one unit tuple.
        by_room: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        for (day, room), starts in found.items():
            by_room.setdefault(room, []).append((day, starts))
        units_of: dict[tuple, tuple[int, ...]] = {}
        self.room_units[i] = {}
        for room, per_day in by_room.items():
            key = tuple((day, id(starts)) for day, starts in per_day)
            if key not in units_of:
                units_of[key] = tuple(self.unit(day, s) for day, starts in per_day
                                      for s in starts)
            self.room_units[i][room] = units_of[key]

    def _room_classes(self, merge: bool) -> None:
        """Group the rooms that allow every item exactly the same starts (copies of one room:
        same capacity, features, days, scope, programme). Nothing else in the model depends on
        which room an item gets, so such rooms are interchangeable: the rule "one item per
        room at a time" over a class of k rooms is "at most k items of the class at a time"
        (intervals on a line can then always be given rooms, `assign_rooms`). A room unlike
        any other is a class of its own, under NoOverlap. Without `merge` every room is a class
        of its own (modes whose rules or goals read the room, e.g. thematic tracks)."""
        canonical: dict[tuple[int, ...], tuple[int, ...]] = {}
        seen: dict[int, int] = {}                       # id(units) -> id(canonical units)

        def same(units: tuple[int, ...] | None) -> int | None:
            if units is None:
                return None
            if id(units) not in seen:
                seen[id(units)] = id(canonical.setdefault(units, units))
            return seen[id(units)]

        groups: dict[tuple, list[str]] = {}
        for room in self.ctx.dataset.rooms:
            signature = tuple(same(self.room_units[i].get(room.room_id)) for i in self.items)
            if not merge:
                signature += (room.room_id,)
            groups.setdefault(signature, []).append(room.room_id)
        for signature, rooms in groups.items():
            if any(units is not None for units in signature):
                self.class_of.update({room: len(self.classes) for room in rooms})
                self.classes.append(tuple(rooms))

    def _add_item(self, item: Item) -> None:
        i = item.item_id
        if not self.starts[i]:
            self.cp.add(self.placed[i] == 0)
            return
        per_class: dict[int, tuple[int, ...]] = {}
        for room, units in self.room_units[i].items():
            per_class.setdefault(self.class_of[room], units)
        every = sorted({u for units in per_class.values() for u in units})
        self.domain[i] = Domain.from_values(every)
        self.start[i] = self.cp.new_int_var_from_domain(self.domain[i], f"start[{i}]")
        self.main[i] = self.cp.new_optional_fixed_size_interval_var(
            self.start[i], self.size[i], self.placed[i], f"main[{i}]")
        self.held_main[i] = self.main[i] if self.held[i] == self.size[i] else \
            self.cp.new_optional_fixed_size_interval_var(self.start[i], self.held[i],
                                                         self.placed[i], f"held[{i}]")
        self.choices[i] = []
        for index in sorted(per_class):
            units = per_class[index]
            z = self.cp.new_bool_var(f"z[{i},{self.classes[index][0]}]")
            if len(units) == len(every):                   # every start: the item's own
                start, own = self.start[i], None
            else:
                own = self.cp.new_int_var_from_domain(Domain.from_values(units),
                                                      f"start[{i},{self.classes[index][0]}]")
                self.cp.add(own == self.start[i]).only_enforce_if(z)
                start = own
            interval = self.cp.new_optional_fixed_size_interval_var(
                start, self.held[i], z, f"in[{i},{self.classes[index][0]}]")
            self.choices[i].append((index, z, interval, own))

    def assign_rooms(self, placed: dict[str, tuple[int, int]]) -> dict[str, str]:
        """item id -> room, for items placed as item id -> (class index, start unit): in each
        class, by start (then id), the first room of the class free again by then. No more
        rooms are needed than items of the class run at once, which the model bounds."""
        rooms: dict[str, str] = {}
        free_from: dict[str, int] = {}
        for item_id, (index, unit) in sorted(placed.items(), key=lambda e: (e[1][1], e[0])):
            room = next(r for r in self.classes[index] if free_from.get(r, unit) <= unit)
            free_from[room] = unit + self.held[item_id]
            rooms[item_id] = room
        return rooms

    def can_overlap(self, a: str, b: str) -> bool:
        """Some allowed start of a and some of b make them share a grid unit."""
        if a not in self.domain or b not in self.domain:
            return False
        da, db = self.domain[a], self.domain[b]
        reach_a = da.addition_with(Domain(0, self.size[a] - 1))
        reach_b = db.addition_with(Domain(0, self.size[b] - 1))
        return not reach_a.intersection_with(reach_b).is_empty()

    def overlap(self, a: str, b: str) -> cp_model.IntVar | None:
        """A boolean equal to 1 exactly when items a and b are both placed and run at the same
        time (None if they never can). Exact both ways, so a term reads true counts even in a
        schedule that is not optimal."""
        a, b = sorted((a, b))
        if (a, b) not in self._overlaps:
            if not self.can_overlap(a, b):
                self._overlaps[(a, b)] = None
            else:
                both = self.cp.new_bool_var(f"overlap[{a},{b}]")
                before = self.cp.new_bool_var(f"before[{a},{b}]")
                after = self.cp.new_bool_var(f"after[{a},{b}]")
                sa, sb, pa, pb = self.start[a], self.start[b], self.placed[a], self.placed[b]
                self.cp.add(sa + self.size[a] <= sb).only_enforce_if(before)
                self.cp.add(sb + self.size[b] <= sa).only_enforce_if(after)
                self.cp.add(before + after + both >= pa + pb - 1)
                self.cp.add_implication(both, pa)
                self.cp.add_implication(both, pb)
                self.cp.add(sa < sb + self.size[b]).only_enforce_if(both)
                self.cp.add(sb < sa + self.size[a]).only_enforce_if(both)
                self._overlaps[(a, b)] = both
                self.hints.setdefault("overlap", []).extend([
                    (both, lambda c, a=a, b=b: int(self._both_overlap(c, a, b))),
                    (before, lambda c, a=a, b=b: int(a in c and b in c and
                                                     c[a][0] + self.size[a] <= c[b][0])),
                    (after, lambda c, a=a, b=b: int(a in c and b in c and
                                                    c[b][0] + self.size[b] <= c[a][0]))])
        return self._overlaps[(a, b)]

    def overlaps_follow_load(self, item_ids: list[str], name: str) -> None:
        """The pairs sharing a unit, summed over the units, are at least the sum over the units
        of C(n, 2) where n of the items run; each overlapping pair shares at most its shorter
        item's units. Here the loads are not variables: the tangents of that convex count
        (k*n - k(k+1)/2) summed over the units where any of the items may run give, for each
        k, a row over the units the items run in all. Without them the LP counts no pair at
        all (bench/RESULTS.md: the dense request set's bound 47196 -> 46047)."""
        ids = [i for i in sorted(item_ids) if i in self.start]
        shared = self.shared_units_at_most(ids, self.size.get)
        if not shared:
            return
        units: set[int] = set()
        for i in ids:
            values = self.domain[i].flattened_intervals()
            for first, last in zip(values[::2], values[1::2], strict=True):
                units.update(range(first, last + self.size[i]))
        pairs, running = sum(shared), sum(self.size[i] * self.placed[i] for i in ids)
        room_count = sum(len(rooms) for rooms in self.classes)
        for k in range(1, min(len(ids), room_count)):
            self.cp.add(pairs >= k * running - len(units) * k * (k + 1) // 2)

    def _both_overlap(self, chosen, a: str, b: str) -> bool:
        if a not in chosen or b not in chosen:
            return False
        (ua, _), (ub, _) = chosen[a], chosen[b]
        return ua < ub + self.size[b] and ub < ua + self.size[a]

    def cost_at_start(self, name: str, item_id: str, cost: Cost):
        """A table over the item's start (AddElement), counted only when it is placed."""
        if item_id not in self.start:
            return 0
        values = self.domain[item_id].flattened_intervals()
        units = [u for lo, hi in zip(values[::2], values[1::2], strict=True)
                 for u in range(lo, hi + 1)]
        costs = {u: cost(self.day_of[u // self.day_units], (u % self.day_units) * self.grid)
                 for u in units}
        if not any(costs.values()):
            return 0
        low, high = units[0], units[-1]
        table = [costs.get(u, 0) for u in range(low, high + 1)]
        at_start = self.cp.new_int_var(min(table), max(table), f"{name}@start[{item_id}]")
        self.cp.add_element(self.start[item_id] - low, table, at_start)
        counted = self.cp.new_int_var(min(0, min(table)), max(0, max(table)),
                                      f"{name}[{item_id}]")
        self.cp.add(counted == at_start).only_enforce_if(self.placed[item_id])
        self.cp.add(counted == 0).only_enforce_if(~self.placed[item_id])
        self.hints.setdefault(name, []).extend([
            (at_start, lambda c, i=item_id: costs[c[i][0]] if i in c else costs[low]),
            (counted, lambda c, i=item_id: costs[c[i][0]] if i in c else 0)])
        return counted

    # --- the rest of the interface -------------------------------------------------------------

    def choice_count(self, item_id: str):
        return sum(z for _, z, _, _ in self.choices.get(item_id, ()))

    def at_slot(self, item_id: str, slot: Slot) -> Literal | None:
        """Made on demand: forces the start and the room's presence literal."""
        if slot.start not in self.starts[item_id].get((slot.day, slot.room), ()):
            return None
        if (item_id, slot) not in self._at:
            literal = self.cp.new_bool_var(f"{item_id}@{slot.day}/{slot.start}/{slot.room}")
            z = next(z for index, z, _, _ in self.choices[item_id]
                     if index == self.class_of[slot.room])
            self.cp.add(self.start[item_id] == self.unit(slot.day, slot.start)) \
                .only_enforce_if(literal)
            self.cp.add_implication(literal, z)
            self.hints.setdefault("slot", []).append(
                (literal, lambda c, i=item_id, s=slot: int(i in c and c[i][1] == s)))
            self._at[(item_id, slot)] = literal
        return self._at[(item_id, slot)]

    def slot_literals(self, item_id: str) -> list[tuple[Slot, Literal]]:
        """A literal per candidate slot (blocks, plenaries: items with few slots whose rules
        read the slot); exactly one holds when the item is placed."""
        if item_id not in self._slot_literals:
            found = [(slot, self.at_slot(item_id, slot))
                     for slot in self.candidate_slots(item_id)]
            self.cp.add(sum(lit for _, lit in found) == self.placed[item_id])
            self._slot_literals[item_id] = found
        return self._slot_literals[item_id]

    def one_item_per_room(self) -> None:
        """NoOverlap per room; for a class of k interchangeable rooms, at most k of its
        intervals at a time (Cumulative), rooms given after solving (`assign_rooms`)."""
        groups: dict[int, list] = {}
        for item_id in self.choices:
            for index, _, interval, _ in self.choices[item_id]:
                groups.setdefault(index, []).append(interval)
        for index in sorted(groups):
            rooms, intervals = len(self.classes[index]), groups[index]
            if len(intervals) <= rooms:
                continue
            if rooms == 1:
                self.cp.add_no_overlap(intervals)
            else:
                self.cp.add_cumulative(intervals, [1] * len(intervals), rooms)

    def one_at_a_time(self, groups: dict[str, list[str]], transition: bool = True) -> None:
        held = self.held_main if transition else self.main
        for key in sorted(groups):
            intervals = [held[i] for i in groups[key] if i in held]
            if len(intervals) > 1:
                self.cp.add_no_overlap(intervals)

    def order_rows(self, first: str, second: str) -> None:
        if first in self.start and second in self.start:
            self.cp.add(self.start[first] + self.size[first] <= self.start[second]) \
                .only_enforce_if([self.placed[first], self.placed[second]])

    def room_use(self, item_id: str) -> dict[str, cp_model.LinearExprT]:
        """Per room, the presence literal of its class (a class of one room here: rooms are
        merged into classes only where nothing reads the room)."""
        return {self.classes[index][0]: z for index, z, _, _ in self.choices.get(item_id, ())
                if len(self.classes[index]) == 1}

    def peak(self, item_ids: list[str], name: str) -> cp_model.IntVar:
        peak = self.cp.new_int_var(0, len(item_ids), name)
        intervals = [self.main[i] for i in item_ids if i in self.main]
        if intervals:
            self.cp.add_cumulative(intervals, [1] * len(intervals), peak)
        return peak

    def read_chosen(self, solver: cp_model.CpSolver) -> dict[str, Slot]:
        placed = {item_id: (index, solver.value(self.start[item_id]))
                  for item_id, choices in self.choices.items()
                  for index, z, _, _ in choices if solver.boolean_value(z)}
        rooms = self.assign_rooms(placed)
        return {item_id: self.slot_of(unit, rooms[item_id])
                for item_id, (_, unit) in sorted(placed.items())}

    def warm_start(self, progress: Callable[[str], None] | None) -> None:
        if not self.scenario.solver.hint:
            return
        chosen = greedy(self)
        add_hint(self, chosen)
        if progress:
            progress(f"  first guess: {len(chosen)} of {len(self.items)} items placed")


# --- the hint ------------------------------------------------------------------------------

def add_hint(im: Intervals, chosen: dict[str, tuple[int, Slot]]) -> None:
    """Hint every variable of the model with its value in `chosen` (item id -> (start unit,
    slot)); an item not placed gets its first start."""
    for item_id in im.items:
        im.cp.add_hint(im.placed[item_id], int(item_id in chosen))
        if item_id not in im.start:
            continue
        unit = chosen[item_id][0] if item_id in chosen else im.domain[item_id].min()
        im.cp.add_hint(im.start[item_id], unit)
        index = im.class_of[chosen[item_id][1].room] if item_id in chosen else None
        for choice, z, _, own in im.choices[item_id]:
            im.cp.add_hint(z, int(choice == index))
            if own is not None:
                im.cp.add_hint(own, unit if choice == index else
                               im.room_units[item_id][im.classes[choice][0]][0])
    for entries in im.hints.values():
        for var, value in entries:
            im.cp.add_hint(var, value(chosen))
