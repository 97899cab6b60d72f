"""The interval formulation of mode `individual`, for whole-programme scale.

Selected by `[solver] formulation = "interval"`. Where the time-indexed model
(`variables.PlacementModel`) has one boolean per (item, day, start, room) and at-most-one rows
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

The single-item hard rules are not repeated here: the allowed (day, start, room) of each item
come from `slots.room_starts`, the one place they live. The rules between items and the goals
mean exactly what `rules.py` and `goals.py` mean, term for term:

- `placed` and `fairness` are the very functions of `goals.py` (they read only `items`,
  `placed`, `grants`, `cp`, `scenario` and `add_term`, which this model has too);
- the parts of `theme_clash`, `parallel_sessions` and `online_hours` against the fixed
  programme cost the same for every room at a start: a cost table per item over its start
  (AddElement), counted only when it is placed;
- `preferred_day`: a literal per item, true exactly when placed on a day it did not prefer;
- the parts of `theme_clash` and `parallel_sessions` between two DC items: an overlap boolean
  per pair that can meet (two ordering literals), exact both ways. These grow with the square
  of the items: at whole-programme scale set their weights to 0 (bench/whole_programme.py
  does), or expect a large model and a weak bound.

`solve` warm-starts CP-SAT from a greedy schedule (`greedy`, every variable hinted): at
whole-programme scale the solver finds nothing in minutes without it. The Solution has the
shape of `solve.solve`'s, so the mode's rows and reasons, the metrics and the checker read it
unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from typing import Callable, Iterable, Iterator

from ortools.sat.python import cp_model

from ..errors import InputError
from ..scenario import Scenario
from ..scenario import Solver as SolverSettings
from . import goals
from .items import Item, Slot
from .slots import Context, room_starts
from .solve import Solution, run
from .variables import Grant, Objective, Term

Domain = cp_model.Domain


def check_supported(scenario: Scenario) -> None:
    """The interval formulation places the items of mode `individual` only (the other modes
    add variables of their own to the time-indexed model)."""
    if scenario.solver.formulation == "interval" and scenario.mode != "individual":
        raise InputError(scenario.source, "key 'solver.formulation': the interval formulation "
                         f"supports mode 'individual' only, not '{scenario.mode}' (use "
                         "formulation = \"time_indexed\")")


class _Slots(Mapping):
    """item id -> [(Slot, None), ...] in `candidate_slots` order, built on demand from the
    starts per (day, room): what `explain.why_not_placed` walks, without a Slot per start
    for every item up front."""

    def __init__(self, model: "IntervalModel"):
        self._model = model

    def __getitem__(self, item_id: str) -> list[tuple[Slot, None]]:
        day_index = self._model.ctx.dataset.day_index
        slots = [Slot(day, start, room) for (day, room), starts in
                 self._model.starts[item_id].items() for start in starts]
        slots.sort(key=lambda s: (day_index[s.day], s.start, s.room))
        return [(slot, None) for slot in slots]

    def __iter__(self) -> Iterator[str]:
        return iter(self._model.starts)

    def __len__(self) -> int:
        return len(self._model.starts)


class IntervalModel(Objective):
    """Variables of the interval formulation, and what the mode, goals and explain read."""

    def __init__(self, items: Iterable[Item], ctx: Context, scenario: Scenario):
        self.cp = cp_model.CpModel()
        self.ctx = ctx
        self.scenario = scenario
        self.grid = ctx.dataset.event.granularity
        self.day_units = 24 * 60 // self.grid + 1          # units per day, with a gap after
        self.day_of = [d.label for d in ctx.dataset.event.days]
        self.items: dict[str, Item] = {i.item_id: i for i in sorted(items, key=lambda i: i.item_id)}
        self.no_slot_reason: dict[str, str] = {}
        self.starts: dict[str, dict[tuple[str, str], tuple[int, ...]]] = {}
        self.slots = _Slots(self)
        self.size: dict[str, int] = {}                      # units an item covers
        self.placed: dict[str, cp_model.IntVar] = {}
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
        self.terms: list[Term] = []
        self.grants: list[Grant] = []                       # none: no mode adds grants here
        self.occupant_readers: dict[str, Callable] = {}     # none: items hold their own people
        self.hints: dict[str, list] = {}                    # hint name -> [(var, fn(chosen))]
        self._overlaps: dict[tuple[str, str], cp_model.IntVar | None] = {}
        for item in self.items.values():
            self._allowed_starts(item)
        self._room_classes()
        for item in self.items.values():
            self._add_item(item)

    # --- time --------------------------------------------------------------------------------

    def unit(self, day: str, minute: int) -> int:
        return self.ctx.dataset.day_index[day] * self.day_units + minute // self.grid

    def slot_of(self, unit: int, room: str) -> Slot:
        return Slot(self.day_of[unit // self.day_units], (unit % self.day_units) * self.grid,
                    room)

    def window(self, item_id: str, slot: Slot) -> tuple[int, int]:
        return slot.start, slot.start + self.items[item_id].duration

    def occupants(self, item_id: str, solution) -> tuple[frozenset[str], frozenset[str]]:
        item = self.items[item_id]
        return item.people, frozenset(item.dc_ids)

    # --- variables ---------------------------------------------------------------------------

    def _allowed_starts(self, item: Item) -> None:
        """The item's starts per (day, room) from the single-item rules, and per room in
        units."""
        i = item.item_id
        found, reason = room_starts(item, self.ctx)
        if reason:
            self.no_slot_reason[i] = reason
        self.starts[i] = found
        self.size[i] = -(-item.duration // self.grid)
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

    def _room_classes(self) -> None:
        """Group the rooms that allow every item exactly the same starts (copies of one room:
        same capacity, features, days, scope, programme). Nothing else in the model depends on
        which room an item gets, so such rooms are interchangeable: the rule "one item per
        room at a time" over a class of k rooms is "at most k items of the class at a time"
        (intervals on a line can then always be given rooms, `assign_rooms`). A room unlike
        any other is a class of its own, under NoOverlap."""
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
            groups.setdefault(signature, []).append(room.room_id)
        for signature, rooms in groups.items():
            if any(units is not None for units in signature):
                self.class_of.update({room: len(self.classes) for room in rooms})
                self.classes.append(tuple(rooms))

    def _add_item(self, item: Item) -> None:
        i = item.item_id
        self.placed[i] = self.cp.new_bool_var(f"placed[{i}]")
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
                start, self.size[i], z, f"in[{i},{self.classes[index][0]}]")
            self.choices[i].append((index, z, interval, own))

    def assign_rooms(self, placed: dict[str, tuple[int, int]]) -> dict[str, str]:
        """item id -> room, for items placed as item id -> (class index, start unit): in each
        class, by start (then id), the first room of the class free again by then. No more
        rooms are needed than items of the class run at once, which the model bounds."""
        rooms: dict[str, str] = {}
        free_from: dict[str, int] = {}
        for item_id, (index, unit) in sorted(placed.items(), key=lambda e: (e[1][1], e[0])):
            room = next(r for r in self.classes[index] if free_from.get(r, unit) <= unit)
            free_from[room] = unit + self.size[item_id]
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

    def _both_overlap(self, chosen, a: str, b: str) -> bool:
        if a not in chosen or b not in chosen:
            return False
        (ua, _), (ub, _) = chosen[a], chosen[b]
        return ua < ub + self.size[b] and ub < ua + self.size[a]

    def per_start_cost(self, name: str, item_id: str, cost: Callable[[Slot], int]):
        """An integer equal to cost(the item's slot) when it is placed, 0 when not: a table
        over its start (AddElement), for a goal against the fixed programme, whose cost of a
        slot does not depend on the room. None when every start costs 0."""
        values = self.domain[item_id].flattened_intervals()
        units = [u for lo, hi in zip(values[::2], values[1::2], strict=True)
                 for u in range(lo, hi + 1)]
        costs = {u: cost(self.slot_of(u, "")) for u in units}
        if not any(costs.values()):
            return None
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



# --- hard rules (the same rules as rules.py, on intervals) --------------------------------------

def each_item_at_most_once(im: IntervalModel) -> None:
    """An item takes at most one room (and start); a required item takes exactly one."""
    for item_id, item in im.items.items():
        if item_id in im.choices:
            im.cp.add(sum(z for _, z, _, _ in im.choices[item_id]) == im.placed[item_id])
        if item.required:
            im.cp.add(im.placed[item_id] == 1)


def _no_overlap_per(im: IntervalModel, groups: dict[str, list]) -> None:
    for key in sorted(groups):
        if len(groups[key]) > 1:
            im.cp.add_no_overlap(groups[key])


def one_item_per_room_at_a_time(im: IntervalModel) -> None:
    """No two DC items share a room at the same time (the programme is excluded in slots):
    NoOverlap per room over the items' intervals in it; for a class of k interchangeable
    rooms, at most k of the class's intervals at a time (Cumulative), rooms given after
    solving (`IntervalModel.assign_rooms`)."""
    groups: dict[int, list] = {}
    for item_id in im.choices:
        for index, _, interval, _ in im.choices[item_id]:
            groups.setdefault(index, []).append(interval)
    for index in sorted(groups):
        rooms, intervals = len(im.classes[index]), groups[index]
        if len(intervals) <= rooms:
            continue
        if rooms == 1:
            im.cp.add_no_overlap(intervals)
        else:
            im.cp.add_cumulative(intervals, [1] * len(intervals), rooms)


def no_person_in_two_places(im: IntervalModel) -> None:
    """No speaker is in two DC items at the same time: NoOverlap per person over the main
    intervals of the items they speak in."""
    groups: dict[str, list] = {}
    for item_id in im.main:
        for person in sorted(im.items[item_id].people):
            groups.setdefault(person, []).append(im.main[item_id])
    _no_overlap_per(im, groups)


def coalitions_in_one_place(im: IntervalModel) -> None:
    """A DC (lead or co-organiser) runs at most one item at a time: NoOverlap per coalition
    over the main intervals of its items."""
    groups: dict[str, list] = {}
    for item_id in im.main:
        for dc in sorted(set(im.items[item_id].dc_ids)):
            groups.setdefault(dc, []).append(im.main[item_id])
    _no_overlap_per(im, groups)


def nothing_beside_exclusive_items(im: IntervalModel) -> None:
    """While an exclusive DC item runs (a DC Day plenary), no other DC item runs: NoOverlap of
    its main interval with every other item's that could run at the same time."""
    for item_id, item in im.items.items():
        if not item.exclusive:
            continue
        for other in im.items:
            if other != item_id and im.can_overlap(item_id, other):
                im.cp.add_no_overlap([im.main[item_id], im.main[other]])


def session_quota(im: IntervalModel) -> None:
    """At most `capacity.max_dc_sessions` individual DC sessions."""
    quota = im.scenario.capacity.max_dc_sessions
    sessions = [im.placed[i] for i, item in im.items.items() if item.kind == "session"]
    if quota is not None and sessions:
        im.cp.add(sum(sessions) <= quota)


HARD_RULES = (each_item_at_most_once, one_item_per_room_at_a_time, no_person_in_two_places,
              coalitions_in_one_place, nothing_beside_exclusive_items, session_quota)


# --- soft goals (the same terms as goals.py; named after their weights) --------------------------

def placed(im: IntervalModel) -> None:
    """Reward each placed item by its value: `goals.placed` itself."""
    goals.placed(im)


def fairness(im: IntervalModel) -> None:
    """Reward the smallest share of requests placed in any category: `goals.fairness` itself."""
    goals.fairness(im)
    share = next((t.expr for t in im.terms if t.name == "fairness"), None)
    if share is None:                                   # fewer than two categories
        return
    members: dict[str, list[str]] = {}
    for item_id, item in im.items.items():
        if item.category and item.kind != "plenary":
            members.setdefault(item.category, []).append(item_id)
    im.hints["fairness"] = [(share, lambda c: min(          # the share, to hint it
        100 * sum(i in c for i in ids) // len(ids) for ids in members.values()))]


def _dc_pairs(im: IntervalModel):
    ids = [i for i, item in im.items.items() if item.kind != "plenary"]
    return combinations(ids, 2)


def theme_clash(im: IntervalModel) -> None:
    """Penalise each pair of sessions on a shared theme that run at the same time: with a
    programme session, a per-start cost table of the item; between two DC items, their exact
    overlap boolean."""
    programme = im.ctx.programme
    with_programme = [im.per_start_cost(
        "theme_clash", i, lambda slot, i=i: programme.theme_clashes(
            im.items[i].themes, slot.day, *im.window(i, slot)))
        for i in im.items if i in im.start]
    among_dcs = [im.overlap(a, b) for a, b in _dc_pairs(im)
                 if im.items[a].themes & im.items[b].themes]
    im.add_term("theme_clash", im.scenario.weights.theme_clash,
                sum(v for v in with_programme + among_dcs if v is not None), -1,
                "same-theme session pairs in parallel")


def parallel_sessions(im: IntervalModel) -> None:
    """Penalise every other session (programme or DC) running during a DC item."""
    programme = im.ctx.programme
    with_programme = [im.per_start_cost(
        "parallel_sessions", i, lambda slot, i=i: len(programme.parallel(
            slot.day, *im.window(i, slot))))
        for i in im.items if i in im.start]
    among_dcs = [im.overlap(a, b) for a, b in _dc_pairs(im)]
    im.add_term("parallel_sessions", im.scenario.weights.parallel_sessions,
                sum(v for v in with_programme + among_dcs if v is not None), -1,
                "sessions in parallel with DC items")


def preferred_day(im: IntervalModel) -> None:
    """Penalise an item placed on a day its organisers did not prefer: a literal per item,
    true exactly when it is placed with its start on a day it did not prefer."""
    off_days = []
    for item_id, item in im.items.items():
        if not item.preferred_days or item_id not in im.start:
            continue
        days = {day for day, _ in im.starts[item_id]}
        preferred = [im.ctx.dataset.day_index[d] for d in sorted(days & set(item.preferred_days))]
        if days <= set(item.preferred_days):
            continue
        if not preferred:
            off_days.append(im.placed[item_id])
            continue
        on = Domain.from_intervals([[d * im.day_units, (d + 1) * im.day_units - 1]
                                    for d in preferred])
        off = im.cp.new_bool_var(f"off_day[{item_id}]")
        im.cp.add_implication(off, im.placed[item_id])
        im.cp.add_linear_expression_in_domain(im.start[item_id], on).only_enforce_if(
            [im.placed[item_id], ~off])
        im.cp.add_linear_expression_in_domain(im.start[item_id], on.complement()
                                              ).only_enforce_if(off)
        im.hints.setdefault("preferred_day", []).append(
            (off, lambda c, i=item_id: int(i in c and c[i][1].day not in
                                           im.items[i].preferred_days)))
        off_days.append(off)
    im.add_term("preferred_day", im.scenario.weights.preferred_day, sum(off_days), -1,
                "items off their preferred days")


def online_hours(im: IntervalModel) -> None:
    """Penalise each online speaker asked to speak outside reasonable local hours: a per-start
    cost table of the item (`goals.out_of_hours_speakers` counts them)."""
    penalty = [im.per_start_cost(
        "online_hours", i, lambda slot, i=i: goals.out_of_hours_speakers(im, im.items[i], slot))
        for i in im.items if i in im.start]
    im.add_term("online_hours", im.scenario.weights.online_hours,
                sum(v for v in penalty if v is not None), -1,
                "online speakers outside local hours")


SOFT_GOALS = (placed, fairness, theme_clash, parallel_sessions, preferred_day, online_hours)


def build(items: Iterable[Item], ctx: Context, scenario: Scenario) -> IntervalModel:
    """The interval model with every hard rule, and every soft goal whose weight is not 0."""
    im = IntervalModel(items, ctx, scenario)
    for rule in HARD_RULES:
        rule(im)
    for goal in SOFT_GOALS:
        if getattr(scenario.weights, goal.__name__):
            goal(im)
    return im


# --- a greedy first schedule, as a hint ------------------------------------------------------

def greedy(im: IntervalModel) -> dict[str, tuple[int, Slot]]:
    """A schedule that respects every hard rule: items by value (then those with preferred
    days, then the shortest, then fewest starts, then id), each at its first free start
    (on a preferred day if it can, else the earliest) in the first room free then. Up to the
    session quota; item id -> (start unit, slot). Deterministic.

    Occupancy is kept as bit sets over units (Python ints): bit u of a room's (person's,
    coalition's) set is 1 while an item holds it during unit u.
    """
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

    room_busy: dict[str, int] = {}
    person_busy: dict[str, int] = {}
    dc_busy: dict[str, int] = {}
    any_busy = exclusive_busy = 0
    quota = im.scenario.capacity.max_dc_sessions
    sessions = 0
    chosen: dict[str, tuple[int, Slot]] = {}
    order = sorted(im.choices, key=lambda i: (-im.items[i].value, not im.items[i].preferred_days,
                                            im.size[i], im.domain[i].size(), i))
    for item_id in order:
        item = im.items[item_id]
        if item.kind == "session" and quota is not None and sessions >= quota:
            continue
        size = im.size[item_id]
        held = exclusive_busy | (any_busy if item.exclusive else 0)
        for person in item.people:
            held |= person_busy.get(person, 0)
        for dc in item.dc_ids:
            held |= dc_busy.get(dc, 0)
        not_free = blocked_starts(held, size)
        masks: dict[int, int] = {}                      # id(units) -> their bits
        preferred = bits(u for d in item.preferred_days if d in im.ctx.dataset.day_index
                         for u in range(im.ctx.dataset.day_index[d] * im.day_units,
                                        (im.ctx.dataset.day_index[d] + 1) * im.day_units))
        best = None
        for room, units in im.room_units[item_id].items():
            if id(units) not in masks:
                masks[id(units)] = bits(units)
            free = masks[id(units)] & ~not_free & ~blocked_starts(room_busy.get(room, 0), size)
            if not free:
                continue
            on_preferred = free & preferred
            pick = on_preferred or free
            first = (pick & -pick).bit_length() - 1
            rank = (0 if on_preferred or not preferred else 1, first)
            if best is None or rank < best[0]:
                best = (rank, first, room)
        if best is None:
            continue
        _, unit, room = best
        span = ((1 << size) - 1) << unit
        room_busy[room] = room_busy.get(room, 0) | span
        for person in item.people:
            person_busy[person] = person_busy.get(person, 0) | span
        for dc in item.dc_ids:
            dc_busy[dc] = dc_busy.get(dc, 0) | span
        any_busy |= span
        if item.exclusive:
            exclusive_busy |= span
        sessions += item.kind == "session"
        chosen[item_id] = (unit, im.slot_of(unit, room))
    return chosen


def add_hint(im: IntervalModel, chosen: dict[str, tuple[int, Slot]]) -> None:
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


# --- solve ---------------------------------------------------------------------------------

def solve(im: IntervalModel, settings: SolverSettings,
          progress: Callable[[str], None] | None = None, hint: bool = True) -> Solution:
    """Solve with the scenario's solver settings (`solve.parameters`), warm-started from the
    greedy schedule; the Solution reads like `solve.solve`'s."""
    if hint:
        chosen = greedy(im)
        add_hint(im, chosen)
        if progress:
            progress(f"  greedy hint: {len(chosen)} of {len(im.items)} items placed")

    def read_chosen(solver: cp_model.CpSolver) -> dict[str, Slot]:
        placed = {item_id: (index, solver.value(im.start[item_id]))
                  for item_id, choices in im.choices.items()
                  for index, z, _, _ in choices if solver.boolean_value(z)}
        rooms = im.assign_rooms(placed)
        return {item_id: im.slot_of(unit, rooms[item_id])
                for item_id, (_, unit) in sorted(placed.items())}

    return run(im, settings, progress, read_chosen)
