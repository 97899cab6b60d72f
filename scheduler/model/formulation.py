"""The formulation interface: what every hard rule, soft goal and mode is written against.

Two formulations implement it (chosen by `[solver] formulation`):
- `time_indexed.TimeIndexed`: one boolean per (item, day, start, room). Tight LP, proves the
  DC-scale scenarios optimal fastest; its size grows with the starts.
- `intervals.Intervals`: per item a start variable and an optional interval per room. Compact
  at whole-programme scale (hundreds of items, wide domains).

Rules and goals never touch the variables of one formulation: they ask the questions below
("the literal of this slot", "the cost of the start it gets", "do these two overlap", "at most
one of these at a time", ...), and each formulation answers in its own terms. The candidate
slots of an item (the single-item hard rules of `slots.py`) are computed once, here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from itertools import combinations
from typing import Callable, Iterable

from ortools.sat.python import cp_model

from ..catalogue import GOAL_BY_NAME
from ..scenario import Scenario
from .items import Item, Placement, Slot
from .slots import Context, Starts, starts_of_items


def transition_time(duration: int, transition: int) -> int:
    """How long an item holds its room, its people and its DCs: its own minutes and then the
    event's `transition` (nothing else may use them until it is over). Both formulations build
    the rules "one item per room (person, DC) at a time" on this; the programme's sessions are
    kept that far away by `slots` (`Context.transition`)."""
    return duration + transition


Literal = cp_model.IntVar
Cost = Callable[[str, int], int]          # (day, start) -> cost of an item starting then
MINUTES_PER_DAY = 24 * 60


@dataclass
class Term:
    """A soft goal's contribution: objective += sign * weight * expr."""

    name: str
    weight: int
    expr: cp_model.LinearExprT
    sign: int  # +1 reward, -1 penalty
    unit: str


@dataclass(frozen=True)
class Grant:
    """A request given time inside another item (a segment in a block), decided by `literal`.

    `request` is the item the request would be as a session of its own: its speakers, themes,
    needs, preferences, value and category. Goals count a grant as they count an item.
    """

    request: Item
    host_id: str
    literal: Literal
    # Its own time on the timeline (a segment's minutes), which goals count it by.
    own_time: cp_model.IntervalVar
    # Its people are held for the host's whole time (block.presence "whole_block").
    stays: bool = False


class Formulation(ABC):
    """The variables of one model and the questions rules and goals ask of them."""

    def __init__(self, items: Iterable[Item], ctx: Context, scenario: Scenario,
                 baseline: dict[str, Placement] | None = None,
                 starts: dict[str, tuple[Starts, str | None]] | None = None):
        self.cp = cp_model.CpModel()
        self.ctx = ctx
        self.scenario = scenario
        # item or request id -> where an earlier schedule had it (the `moved` goal keeps it)
        self.baseline: dict[str, Placement] = baseline or {}
        self.grid = ctx.dataset.event.granularity
        self.transition = ctx.dataset.event.transition
        self.items: dict[str, Item] = {i.item_id: i for i in sorted(items, key=lambda i: i.item_id)}
        self.no_slot_reason: dict[str, str] = {}
        # item id -> (day, room) -> allowed starts: the single-item hard rules, applied once
        if starts is None:
            starts = starts_of_items(self.items.values(), ctx)
        self.starts: dict[str, Starts] = {i: starts[i][0] for i in self.items}
        self.no_slot_reason.update({i: starts[i][1] for i in self.items if starts[i][1]})
        self.placed = {i: self.cp.new_bool_var(f"placed[{i}]") for i in self.items}
        self.terms: list[Term] = []
        self.grants: list[Grant] = []
        # host item id -> theme -> a literal, 1 when a request inside it has that theme
        self.variable_themes: dict[str, dict[str, Literal]] = {}
        # item id -> solution -> (people, DCs) it holds, for items whose occupants the model
        # decides (a block holds the speakers and DCs of whoever presents in it).
        self.occupant_readers: dict[str, Callable] = {}
        self._on_timeline: dict[tuple, cp_model.IntervalVar] = {}
        self._begins: dict[str, cp_model.IntVar] = {}
        self._start_times: dict[str, cp_model.LinearExprT] = {}
        self.order: list[tuple[str, str]] = []          # (first, second): `ends_before`

    # --- what every formulation answers -----------------------------------------------------

    @abstractmethod
    def slot_literals(self, item_id: str) -> list[tuple[Slot, Literal]]:
        """One literal per candidate slot of the item, true exactly for the slot it takes."""

    @abstractmethod
    def at_slot(self, item_id: str, slot: Slot) -> Literal | None:
        """A literal true exactly when the item takes `slot` (None: the slot is not one of its
        candidates)."""

    @abstractmethod
    def choice_count(self, item_id: str) -> cp_model.LinearExprT:
        """The number of places the item takes (rules.each_item_at_most_once bounds it)."""

    @abstractmethod
    def cost_at_start(self, name: str, item_id: str, cost: Cost) -> cp_model.LinearExprT:
        """cost(day, start) of the start the item gets, 0 when it is not placed. For costs that
        depend on the time only (not the room), e.g. against the fixed programme."""

    @abstractmethod
    def overlap(self, a: str, b: str) -> Literal | None:
        """A boolean that is 1 when items a and b run at the same time (None if they never
        can). It may be only a lower bound: exact wherever a goal penalises it or a rule
        forbids it."""

    @abstractmethod
    def one_item_per_room(self) -> None:
        """No two items in one room at a time."""

    @abstractmethod
    def one_at_a_time(self, groups: dict[str, list[str]], transition: bool = True) -> None:
        """For each group (the items of one person, one DC), at most one runs at a time; with
        `transition`, each holds the group for the event's transition after it too (a person,
        a DC moving between rooms). Without it, they only must not overlap."""

    def ends_before(self, first: str, second: str) -> None:
        """`second`, when placed, starts at or after the end of `first` (a required item);
        recorded in `order` for the greedy first guess."""
        self.order.append((first, second))
        self.order_rows(first, second)

    @abstractmethod
    def order_rows(self, first: str, second: str) -> None:
        """The constraints of `ends_before`."""

    @abstractmethod
    def room_use(self, item_id: str) -> dict[str, cp_model.LinearExprT]:
        """room id -> 1 when the item is placed in that room, else 0."""

    @abstractmethod
    def peak(self, item_ids: list[str], name: str) -> cp_model.IntVar:
        """An integer at least the number of these items running at any one time."""

    @abstractmethod
    def read_chosen(self, solver: cp_model.CpSolver) -> dict[str, Slot]:
        """item id -> the slot it got in the solver's solution."""

    def overlaps_follow_load(self, item_ids: list[str], name: str) -> None:
        """Tighten the bound on `overlap` of every pair of these items by the load they imply:
        where n of them run at one time, n(n-1)/2 of their pairs overlap then. Valid for every
        schedule (it only cuts off fractional ones); a formulation may leave it out."""

    def warm_start(self, progress: Callable[[str], None] | None) -> None:
        """Hint the solver with a first schedule, where the formulation has one."""

    def shared_units_at_most(self, item_ids: list[str],
                             units: Callable[[str], int]) -> list[cp_model.LinearExprT]:
        """For each pair of these items that can overlap, its overlap boolean times the units
        of its shorter item: the most units the two share (`overlaps_follow_load`)."""
        shared = []
        for a, b in combinations(sorted(item_ids), 2):
            both = self.overlap(a, b)
            if both is not None:
                shared.append(both * min(units(a), units(b)))
        return shared

    # --- shared by both ------------------------------------------------------------------------

    def candidate_slots(self, item_id: str) -> list[Slot]:
        """Every slot that passes the single-item hard rules, by day, start and room."""
        day_index = self.ctx.dataset.day_index
        slots = [Slot(day, start, room) for (day, room), starts in self.starts[item_id].items()
                 for start in starts]
        return sorted(slots, key=lambda s: (day_index[s.day], s.start, s.room))

    def timeline(self, day: str, minute: int) -> int:
        """Every day's times on one line, so that rules over items whose day the model chooses
        compare times with plain arithmetic: minutes since the midnight one day before the
        first day. The line's first day is kept empty: what is not placed sits at 0, before
        everything."""
        return (self.ctx.dataset.day_index[day] + 1) * MINUTES_PER_DAY + minute

    def begins(self, item_id: str) -> cp_model.LinearExprT:
        """The item's start on the timeline when placed, 0 when not (from its slot literals:
        for items with few slots, such as blocks, or few rules that read it)."""
        return sum(var * self.timeline(slot.day, slot.start)
                   for slot, var in self.slot_literals(item_id))

    def start_time(self, item_id: str) -> cp_model.LinearExprT:
        """The item's start on the timeline when placed, 0 when not, read from its start as a
        cost (no literal per slot: for items with many slots, such as a moved session)."""
        if item_id not in self._start_times:
            self._start_times[item_id] = self.cost_at_start("start_time", item_id, self.timeline)
        return self._start_times[item_id]

    def on_timeline(self, item_id: str, margin: int = 0,
                    presence: Literal | None = None) -> cp_model.IntervalVar:
        """The item as an interval on the timeline, widened by `margin` minutes on each side (a
        transition), present when `presence` holds (default: when the item is placed)."""
        key = (item_id, margin, None if presence is None else presence.index)
        if key not in self._on_timeline:
            if item_id not in self._begins:
                end = (len(self.ctx.dataset.event.days) + 1) * MINUTES_PER_DAY
                self._begins[item_id] = self.cp.new_int_var(0, end, f"begins[{item_id}]")
                self.cp.add(self._begins[item_id] == self.begins(item_id))
            self._on_timeline[key] = self.cp.new_optional_fixed_size_interval_var(
                self._begins[item_id] - margin, self.items[item_id].duration + 2 * margin,
                self.placed[item_id] if presence is None else presence,
                f"timeline[{item_id},{margin},{key[2]}]")
        return self._on_timeline[key]

    def window(self, item_id: str, slot: Slot) -> tuple[int, int]:
        return slot.start, slot.start + self.items[item_id].duration

    def occupants(self, item_id: str, solution) -> tuple[frozenset[str], frozenset[str]]:
        """The people and DCs that `item_id` holds in `solution` (its own, unless its mode
        registered a reader in `occupant_readers`)."""
        if item_id in self.occupant_readers:
            return self.occupant_readers[item_id](solution)
        item = self.items[item_id]
        return item.people, frozenset(item.dc_ids)

    def cost_when(self, name: str, host_id: str, literal: Literal,
                  cost: Cost) -> cp_model.LinearExprT:
        """cost(day, start) of the host's start when `literal` holds (a grant inside the host),
        else 0. A lower bound: exact wherever a goal penalises it."""
        at_start = self.cost_at_start(name, host_id, cost)
        worst = max((cost(slot.day, slot.start) for slot in self.candidate_slots(host_id)),
                    default=0)
        if not worst:
            return 0
        counted = self.cp.new_int_var(0, worst, f"{name}[{literal.name}]")
        self.cp.add(counted >= at_start - worst * (1 - literal))
        return counted

    def add_term(self, name: str, expr) -> None:
        """Add to the soft goal `name` of the catalogue (weight from [weights], direction from
        the catalogue); a goal whose weight is 0 is left out."""
        goal = GOAL_BY_NAME[name]
        weight = getattr(self.scenario.weights, name)
        if not weight:
            return
        for term in self.terms:
            if term.name == name:
                term.expr = term.expr + expr
                return
        self.terms.append(Term(name, weight, expr, goal.sign, goal.unit))

    def set_objective(self) -> None:
        self.cp.maximize(sum(t.sign * t.weight * t.expr for t in self.terms))
