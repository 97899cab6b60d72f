"""A greedy first schedule, the hint both formulations give CP-SAT (`[solver] hint`).

It respects every hard rule shared by the modes (the single-item rules through the candidate
starts, one item per room, no person or DC in two items at once, nothing beside an exclusive
item, the session quota) and the order a mode asks (`Formulation.ends_before`: a DC Day's
opening and closing plenaries), an exclusive item in the largest room free (a DC Day's
plenary), not the rest of a mode's own rules (a block's segments and presenters): the model
refuses such a guess, and the search starts from a first schedule of its own. Each item goes
where the shared soft goals cost least given the items placed before it (`StartCosts`), then
moves where it costs less given all the others (`polish`). Deterministic.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from typing import Iterable

from .formulation import Formulation, transition_time
from .goals import out_of_hours_speakers
from .items import Item, Slot
from .moving_programme import is_displaced


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


def placement_reward(weights, item: Item) -> int:
    """What the placement goals (`goals.placed`, `dc_day.displaced_placed`) give for placing
    the item, weighted."""
    if is_displaced(item):
        return weights.displaced_placed
    return weights.placed * item.value * len(item.dc_ids)


class StartCosts:
    """What an item placed at a start unit adds to the shared soft goals the greedy can see:
    theme clashes and parallel sessions with the fixed programme and with the items placed so
    far (a pair with a DC item in it, as the goals count them), an off-preference day and online
    speakers out of their hours, each by its weight. The start's own cost (the fixed programme,
    the day, the hours) is worked out once per item and start."""

    def __init__(self, f: Formulation, time: Units):
        self.f, self.time, self.weights = f, time, f.scenario.weights
        self.own_cost: dict[tuple[str, int], int] = {}
        # (a DC item?, themes) -> sorted starts and ends (units) of the items placed so far
        self.placed: dict[tuple[bool, frozenset[str]], tuple[list[int], list[int]]] = {}
        # The placement goals' reward of the items placed so far, less what they cost.
        self.score = 0

    def reward(self, item: Item) -> int:
        return placement_reward(self.weights, item)

    def themes(self, item: Item) -> frozenset[str]:
        """The themes its clashes are counted by (a block's come from what it hosts: none)."""
        return frozenset() if item.item_id in self.f.variable_themes else item.themes

    def of(self, item_id: str, unit: int) -> int:
        item = self.f.items[item_id]
        if item.kind == "plenary":
            return 0
        if (item_id, unit) not in self.own_cost:
            self.own_cost[(item_id, unit)] = self.at_start(item, unit)
        return self.own_cost[(item_id, unit)] + self.beside_placed(item, unit)

    def at_start(self, item: Item, unit: int) -> int:
        w, f = self.weights, self.f
        day = self.time.day_of[unit // self.time.per_day]
        start = (unit % self.time.per_day) * self.time.grid
        end = start + item.duration
        cost = w.preferred_day * int(bool(item.preferred_days) and day not in item.preferred_days)
        if item.kind != "programme" or is_displaced(item):
            cost += w.online_hours * out_of_hours_speakers(f, item.people, day, start, end)
        if item.kind != "programme":
            cost += w.parallel_sessions * len(f.ctx.programme.parallel(day, start, end))
            if themes := self.themes(item):
                cost += w.theme_clash * f.ctx.programme.theme_clashes(themes, day, start, end)
        return cost

    def beside_placed(self, item: Item, unit: int) -> int:
        dc, themes = item.kind != "programme", self.themes(item)
        end = unit + own_units(self.f, item.item_id)
        cost = 0
        for (other_dc, other_themes), (starts, ends) in self.placed.items():
            if not (dc or other_dc):
                continue                     # two programme sessions: no goal's
            running = bisect_left(starts, end) - bisect_right(ends, unit)
            if running:
                cost += running * (self.weights.parallel_sessions * (1 + (dc and other_dc))
                                   + self.weights.theme_clash * bool(themes & other_themes))
        return cost

    def add(self, item_id: str, unit: int) -> None:
        item = self.f.items[item_id]
        self.score += self.reward(item) - self.of(item_id, unit)
        if item.kind == "plenary":
            return
        starts, ends = self.placed.setdefault((item.kind != "programme", self.themes(item)),
                                              ([], []))
        insort(starts, unit)
        insort(ends, unit + own_units(self.f, item.item_id))

    def remove(self, item_id: str, unit: int) -> None:
        """Undo `add(item_id, unit)`."""
        item = self.f.items[item_id]
        if item.kind != "plenary":
            starts, ends = self.placed[(item.kind != "programme", self.themes(item))]
            del starts[bisect_left(starts, unit)]
            del ends[bisect_left(ends, unit + own_units(self.f, item_id))]
        self.score -= self.reward(item) - self.of(item_id, unit)


def greedy(f: Formulation) -> dict[str, tuple[int, Slot]]:
    """Of two greedy schedules, the one whose placement reward less the costs it can see
    (`StartCosts.score`) is higher: each item at its cheapest start (fewer theme clashes and
    parallel sessions: the sample's individual scenario 5978 -> 6362 by the model's objective),
    or at its earliest (packed: on the dense request set, where people sit in several requests,
    113 items placed against 104 by their cheapest starts); each then polished (`polish`).
    Item id -> (start unit, slot)."""
    (cheap, by_cost), (early, packed) = (place(f, cheapest, polished=True),
                                         place(f, earliest, polished=True))
    return cheap if by_cost.score >= packed.score else early


# How many times `polish` goes over the schedule at most (each round moves fewer items).
POLISH_ROUNDS = 5


class Board:
    """Who holds what, as bit sets over units (Python ints): bit u of a room's (person's,
    coalition's) set is 1 while an item holds it during unit u (its own minutes and the
    transition after them)."""

    def __init__(self, f: Formulation, time: Units):
        self.f = f
        day_masks: dict[tuple[str, int], int] = {}       # (day, id(starts)) -> their bits

        def day_mask(day: str, starts: tuple[int, ...]) -> int:
            # Rooms free of the programme share one tuple of starts (`slots.room_starts`).
            if (day, id(starts)) not in day_masks:
                day_masks[(day, id(starts))] = bits(time.unit(day, s) for s in starts)
            return day_masks[(day, id(starts))]

        # item id -> room -> its allowed start bits
        self.room_units: dict[str, dict[str, int]] = {}
        for item_id in f.items:
            for (day, room), starts in f.starts[item_id].items():
                per_room = self.room_units.setdefault(item_id, {})
                per_room[room] = per_room.get(room, 0) | day_mask(day, starts)
        self.size = {i: -(-transition_time(f.items[i].duration, f.transition) // f.grid)
                     for i in self.room_units}
        self.room_busy: dict[str, int] = {}
        self.person_busy: dict[str, int] = {}
        self.dc_busy: dict[str, int] = {}
        self.any_busy = self.exclusive_busy = 0

    def free_in(self, item_id: str) -> dict[str, int]:
        """Room -> the starts (bits) where the item may go now."""
        item = self.f.items[item_id]
        held = self.exclusive_busy | (self.any_busy if item.exclusive else 0)
        for person in item.people:
            held |= self.person_busy.get(person, 0)
        for dc in item.dc_ids:
            held |= self.dc_busy.get(dc, 0)
        not_free = blocked_starts(held, self.size[item_id])
        free_in: dict[str, int] = {}
        for room, allowed in self.room_units[item_id].items():
            free = allowed & ~not_free & ~blocked_starts(self.room_busy.get(room, 0),
                                                         self.size[item_id])
            if free:
                free_in[room] = free
        return free_in

    def put(self, item_id: str, unit: int, room: str) -> None:
        item, span = self.f.items[item_id], ((1 << self.size[item_id]) - 1) << unit
        self.room_busy[room] = self.room_busy.get(room, 0) | span
        for person in item.people:
            self.person_busy[person] = self.person_busy.get(person, 0) | span
        for dc in item.dc_ids:
            self.dc_busy[dc] = self.dc_busy.get(dc, 0) | span
        self.any_busy |= span
        if item.exclusive:
            self.exclusive_busy |= span

    def take(self, item_id: str, unit: int, room: str) -> None:
        """Free what a non-exclusive item holds: no other item holds its room, people or DCs
        then (the spans are disjoint). `any_busy` keeps its bits: it is read only to place an
        exclusive item, and none is placed after the schedule is built."""
        item, span = self.f.items[item_id], ((1 << self.size[item_id]) - 1) << unit
        self.room_busy[room] &= ~span
        for person in item.people:
            self.person_busy[person] &= ~span
        for dc in item.dc_ids:
            self.dc_busy[dc] &= ~span


def place(f: Formulation, pick, polished: bool = False
          ) -> tuple[dict[str, tuple[int, Slot]], StartCosts]:
    """Items with a home first (the homes are a schedule: they all fit), then required items,
    then by value (then those with preferred days, then the shortest, then fewest starts,
    then id), each where it is now (`Item.home`) if that is free, else at
    the start `pick` picks among the free ones. Up to the session quota. With `polished`, then
    `polish`."""
    time = Units(f)
    board = Board(f, time)
    choices = {i: bin(_union(masks.values())).count("1") for i, masks in board.room_units.items()}
    quota = f.scenario.capacity.max_dc_sessions
    sessions = 0
    chosen: dict[str, tuple[int, Slot]] = {}
    costs = StartCosts(f, time)
    follows: dict[str, list[str]] = {}
    precedes: dict[str, list[str]] = {}
    for first, second in f.order:
        follows.setdefault(second, []).append(first)
        precedes.setdefault(first, []).append(second)
    capacity = {room.room_id: room.capacity for room in f.ctx.dataset.rooms}
    order = sorted(board.room_units, key=lambda i: (
        f.items[i].home is None, not f.items[i].required, -f.items[i].value,
        not f.items[i].preferred_days, board.size[i], choices[i], i))
    for item_id in order:
        item = f.items[item_id]
        if item.kind == "session" and quota is not None and sessions >= quota:
            continue
        free_in = in_order(item_id, board.free_in(item_id), chosen, f, follows, precedes)
        if any(first not in chosen for first in follows.get(item_id, ())):
            best = latest(free_in)          # what must come before it goes first, in the room
        else:
            best = at_home(item, free_in, time) or pick(item_id, free_in, costs)
        if best is None:
            continue
        unit, room = best
        if item.exclusive:
            room = max(rooms_free_at(free_in, unit), key=lambda r: capacity[r])
        board.put(item_id, unit, room)
        sessions += item.kind == "session"
        costs.add(item_id, unit)
        chosen[item_id] = (unit, time.slot_of(unit, room))
    if polished and not f.baseline:
        polish(f, board, chosen, costs, follows, precedes)
    return chosen, costs


def polish(f: Formulation, board: Board, chosen: dict[str, tuple[int, Slot]],
           costs: StartCosts, follows: dict[str, list[str]],
           precedes: dict[str, list[str]]) -> None:
    """Move each placed item in turn (at first in the order placed) to its cheapest free start
    where that costs less than where it is, given every other item (an item placed early did
    not see those placed after it: a programme session moved beside a DC item, at
    whole-programme scale); again while items move, at most `POLISH_ROUNDS` times. The costs
    of a pair are the same from either side, so each move lowers the schedule's cost by what
    it saves. Not an exclusive item (a plenary), and not where a baseline's `moved` goal,
    which the costs do not see, counts every move."""
    for _ in range(POLISH_ROUNDS):
        moved = False
        for item_id in list(chosen):
            if f.items[item_id].exclusive:
                continue
            unit, slot = chosen.pop(item_id)
            board.take(item_id, unit, slot.room)
            costs.remove(item_id, unit)
            here = costs.of(item_id, unit)
            best = cheapest(item_id, in_order(item_id, board.free_in(item_id), chosen, f,
                                              follows, precedes), costs) if here else None
            if best is None or costs.of(item_id, best[0]) >= here:
                best = unit, slot.room
            moved |= best[0] != unit
            board.put(item_id, *best)
            costs.add(item_id, best[0])
            chosen[item_id] = (best[0], costs.time.slot_of(*best))
        if not moved:
            return


def in_order(item_id: str, free_in: dict[str, int], chosen: dict[str, tuple[int, Slot]],
             f: Formulation, follows: dict[str, list[str]],
             precedes: dict[str, list[str]]) -> dict[str, int]:
    """The free starts that keep the order asked (`Formulation.ends_before`) with the items
    placed: after the end of those it follows, ending by the start of those it precedes."""
    window = -1                                      # every unit, as bits
    for first in follows.get(item_id, ()):
        if first in chosen:
            window &= -1 << (chosen[first][0] + own_units(f, first))
    for second in precedes.get(item_id, ()):
        if second in chosen:
            window &= (1 << max(0, chosen[second][0] - own_units(f, item_id) + 1)) - 1
    kept = {room: free & window for room, free in free_in.items()}
    return {room: free for room, free in kept.items() if free}


def latest(free_in: dict[str, int]) -> tuple[int, str] | None:
    """The latest free start, in the first room free then."""
    if not free_in:
        return None
    unit = _union(free_in.values()).bit_length() - 1
    return unit, rooms_free_at(free_in, unit)[0]


def at_home(item: Item, free_in: dict[str, int], time: Units) -> tuple[int, str] | None:
    """Where the item is now, if that is free: the programme as it stands is a schedule."""
    home = item.home
    if home is not None and (free_in.get(home.room, 0) >> (unit := time.unit(home.day,
                                                                            home.start))) & 1:
        return unit, home.room
    return None


def cheapest(item_id: str, free_in: dict[str, int], costs: StartCosts) -> tuple[int, str] | None:
    """The free start of least cost (the earliest of equal cost), in the first room free then."""
    best = None
    for unit in set_bits(_union(free_in.values())):          # from the earliest
        rank = (costs.of(item_id, unit), unit)
        if best is None or rank < best:
            best = rank
            if not rank[0]:
                break                                         # no start costs less
    if best is None:
        return None
    unit = best[1]
    return unit, rooms_free_at(free_in, unit)[0]


def earliest(item_id: str, free_in: dict[str, int], costs: StartCosts) -> tuple[int, str] | None:
    """The earliest free start on a day the item prefers (else the earliest), in the first room
    free then."""
    item, time = costs.f.items[item_id], costs.time
    on_preferred_days = bits(u for d in item.preferred_days if d in time.day_index
                             for u in range(time.day_index[d] * time.per_day,
                                            (time.day_index[d] + 1) * time.per_day))
    best = None
    for room, free in free_in.items():
        preferred = free & on_preferred_days
        pick = preferred or free
        first = (pick & -pick).bit_length() - 1
        rank = (not preferred and bool(item.preferred_days), first)
        if best is None or rank < best[0]:
            best = (rank, first, room)
    return None if best is None else (best[1], best[2])


def rooms_free_at(free_in: dict[str, int], unit: int) -> list[str]:
    """The rooms where the item may start at `unit`, in their order."""
    return [room for room, free in free_in.items() if (free >> unit) & 1]


def own_units(f: Formulation, item_id: str) -> int:
    """The grid units the item runs (without the transition after it)."""
    return -(-f.items[item_id].duration // f.grid)


def set_bits(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _union(masks: Iterable[int]) -> int:
    out = 0
    for mask in masks:
        out |= mask
    return out
