"""The decision variables: one boolean per (item, slot), and the indexes the rules read.

A time-indexed formulation: an item placed in a slot covers the grid units of its window, so
"at most one item per room (person, coalition) and unit" is a plain at-most-one row, and
overlaps between DC items are linear. Slots come pre-filtered by `slots.candidate_slots`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable

from ortools.sat.python import cp_model

from ..scenario import Scenario
from ..timegrid import units_covered
from .items import Item, Slot
from .slots import Context, candidate_slots


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
    """A request given time by a mode's own literal instead of an item of its own (a segment in
    a block). The `placed` and `fairness` goals count grants as they count items."""

    request_id: str
    literal: cp_model.IntVar
    value: int
    category: str


class Objective:
    """The named soft terms of a model (either formulation) and the objective they make."""

    cp: cp_model.CpModel
    terms: list[Term]

    def add_term(self, name: str, weight: int, expr, sign: int, unit: str) -> None:
        """Add to the named soft term (modes may add to a shared goal such as `placed`)."""
        if not weight:
            return
        for term in self.terms:
            if term.name == name:
                term.expr = term.expr + expr
                return
        self.terms.append(Term(name, weight, expr, sign, unit))

    def set_objective(self) -> None:
        self.cp.maximize(sum(t.sign * t.weight * t.expr for t in self.terms))


class PlacementModel(Objective):
    def __init__(self, items: Iterable[Item], ctx: Context, scenario: Scenario):
        self.cp = cp_model.CpModel()
        self.ctx = ctx
        self.scenario = scenario
        self.grid = ctx.dataset.event.granularity
        self.items: dict[str, Item] = {i.item_id: i for i in sorted(items, key=lambda i: i.item_id)}
        self.slots: dict[str, list[tuple[Slot, cp_model.IntVar]]] = {}
        self.no_slot_reason: dict[str, str] = {}
        self.placed: dict[str, cp_model.IntVar] = {}
        self.terms: list[Term] = []
        self.grants: list[Grant] = []
        # item id -> solution -> (people, DCs) it holds, for items whose occupants the model
        # decides (a block holds the speakers and DCs of whoever presents in it).
        self.occupant_readers: dict[str, Callable] = {}
        self._overlaps: dict[tuple[str, str], cp_model.IntVar] = {}
        for item in self.items.values():
            slots, reason = candidate_slots(item, ctx)
            if reason:
                self.no_slot_reason[item.item_id] = reason
            self.slots[item.item_id] = [
                (slot, self.cp.new_bool_var(f"{item.item_id}@{slot.day}/{slot.start}/{slot.room}"))
                for slot in slots]
            self.placed[item.item_id] = self.cp.new_bool_var(f"placed[{item.item_id}]")

    def occupants(self, item_id: str, solution) -> tuple[frozenset[str], frozenset[str]]:
        """The people and DCs that `item_id` holds in `solution` (its own, unless its mode
        registered a reader in `occupant_readers`)."""
        if item_id in self.occupant_readers:
            return self.occupant_readers[item_id](solution)
        item = self.items[item_id]
        return item.people, frozenset(item.dc_ids)

    def window(self, item_id: str, slot: Slot) -> tuple[int, int]:
        return slot.start, slot.start + self.items[item_id].duration

    def units(self, item_id: str, slot: Slot) -> range:
        return units_covered(*self.window(item_id, slot), self.grid)

    @cached_property
    def cover(self) -> dict[str, dict[tuple[str, int], list[cp_model.IntVar]]]:
        """For each item, (day, unit) -> its slot variables that cover that unit."""
        cover: dict[str, dict[tuple[str, int], list]] = {}
        for item_id, slots in self.slots.items():
            by_unit: dict[tuple[str, int], list] = defaultdict(list)
            for slot, var in slots:
                for unit in self.units(item_id, slot):
                    by_unit[(slot.day, unit)].append(var)
            cover[item_id] = by_unit
        return cover

    def rows_by_resource(self, resources: Callable[[Item, Slot], Iterable[str]]
                         ) -> dict[tuple[str, str, int], dict[str, list[cp_model.IntVar]]]:
        """(resource, day, unit) -> item -> slot variables that use the resource then."""
        rows: dict[tuple[str, str, int], dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for item_id, slots in self.slots.items():
            item = self.items[item_id]
            for slot, var in slots:
                for resource in resources(item, slot):
                    for unit in self.units(item_id, slot):
                        rows[(resource, slot.day, unit)][item_id].append(var)
        return rows

    def overlap(self, a: str, b: str) -> cp_model.IntVar | None:
        """A boolean forced to 1 when items a and b run at the same time (None if they never can).

        Only a lower bound is imposed, so it is exact wherever the objective penalises it.
        """
        a, b = sorted((a, b))
        if (a, b) not in self._overlaps:
            shared = sorted(self.cover[a].keys() & self.cover[b].keys())
            if not shared:
                self._overlaps[(a, b)] = None
            else:
                both = self.cp.new_bool_var(f"overlap[{a},{b}]")
                for key in shared:
                    self.cp.add(both >= sum(self.cover[a][key]) + sum(self.cover[b][key]) - 1)
                self._overlaps[(a, b)] = both
        return self._overlaps[(a, b)]

