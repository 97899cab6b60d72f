"""Mode `block`: the mode object that puts the block's items, variables, rules and goals into
the model and reads the segments back from a solution (see `block/__init__.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...domain import Dataset, Pin, Request
from ...errors import InputError
from ...scenario import Scenario
from ..formulation import Formulation
from ..individual import request_item
from ..items import Item, Placement
from ..slots import Context
from ..solve import Solution
from .goals import BLOCK_GOALS
from .rules import BETWEEN_BLOCKS, BLOCK_RULES
from .variables import BlockVars, Presenter, block_variables, themes_shown


def narrow(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...] | None:
    """Two "empty = any" restrictions combined: the common values, or None if they share none."""
    if not first or not second:
        return first or second
    common = tuple(value for value in first if value in second)
    return common or None


def request_outputs(request: Request, dataset: Dataset) -> int:
    """The tangible outputs a request can present: those of all its DCs."""
    return sum(dataset.coalition_by_id[dc].outputs for dc in request.dc_ids)


@dataclass(frozen=True)
class Segment:
    """A presenting request's place in its block, read from a solution."""

    presenter: Presenter
    cluster: str
    start: int     # minutes after the block's start
    length: int


class BlockMode:
    """Eligible requests present their outputs in `[block] count` consolidated blocks."""

    name = "block"

    def __init__(self, dataset: Dataset, scenario: Scenario, requests: list[Request],
                 pins: dict[str, Pin] | None = None):
        self.dataset, self.scenario = dataset, scenario
        self.settings = scenario.block
        self.requests = sorted(requests, key=lambda r: r.request_id)
        pins = pins or {}
        self.presenters = [Presenter(request_item(r, dataset, pin=pins.get(r.request_id)),
                                     request_outputs(r, dataset), r.priority)
                           for r in self.requests]
        self.days = narrow(self.settings.days, scenario.capacity.days)
        self.rooms = narrow(self.settings.rooms, scenario.capacity.rooms)
        self.blocks: list[BlockVars] = []

    @property
    def scope_problem(self) -> str | None:
        """Why no block can exist at all, from the scenario alone (None when one can)."""
        if self.settings.count == 0:
            return "no block: block.count is 0"
        if self.days is None:
            return "no block: block.days and capacity.days have no day in common"
        if self.rooms is None:
            return "no block: block.rooms and capacity.rooms have no room in common"
        return None

    def block_item(self, number: int) -> Item:
        """A block as the engine places it. Its people, DCs, themes and preferences depend on
        who presents, so the mode's own rules and goals handle them; its fixed needs are the
        ones every candidate shares (no one could present without them)."""
        needs = frozenset.intersection(*(p.item.needs for p in self.presenters))
        return Item(item_id=f"BLOCK-{number}", kind="block", dc_ids=(),
                    title="Dynamic Coalitions' outputs", duration=self.settings.duration,
                    needs=needs, attendance=min(p.item.attendance for p in self.presenters),
                    days=self.days, rooms=self.rooms, value=0)

    def items(self) -> list[Item]:
        if not self.presenters or self.scope_problem:
            return []
        return [self.block_item(n) for n in range(1, self.settings.count + 1)]

    def check_input(self, ctx: Context) -> None:
        """A block that fits nowhere is a finding (each request gets the reason), not bad input;
        a pinned presenter with no block to present in is."""
        pinned = [p.item.pin for p in self.presenters if p.item.pin is not None]
        if pinned and (problem := self.scope_problem):
            raise InputError(self.scenario.source, f"{pinned[0]} cannot be kept: {problem}")

    def constrain(self, f: Formulation) -> None:
        """Each block's variables, hard rules and goals, then the rules between blocks."""
        self.blocks = [BlockVars(f.items[item.item_id], self.settings, self.presenters)
                       for item in self.items()]
        for bv in self.blocks:
            block_variables(f, bv)
            themes_shown(f, bv)
            for rule in BLOCK_RULES:
                rule(f, bv)
            for goal in BLOCK_GOALS:
                if getattr(f.scenario.weights, goal.__name__):
                    goal(f, bv)
            f.occupant_readers[bv.block_id] = self.occupant_reader(bv)
        for rule in BETWEEN_BLOCKS:
            rule(f, self.blocks)

    def occupant_reader(self, bv: BlockVars) -> Callable:
        """The people and DCs a block holds in a solution: those of whoever presents in it."""
        def read(solution: Solution) -> tuple[frozenset[str], frozenset[str]]:
            presenting = [s.presenter.item for s in self.segments(bv, solution)]
            return (frozenset().union(*(p.people for p in presenting)),
                    frozenset(dc for p in presenting for dc in p.dc_ids))
        return read

    def segments(self, bv: BlockVars, solution: Solution) -> list[Segment]:
        """The block's segments in order of start."""
        if not solution.has_schedule or bv.block_id not in solution.chosen:
            return []
        found = []
        for presenter in bv.presenters:
            rid = presenter.request_id
            if not solution.value(bv.present[rid]):
                continue
            cluster = next(t for t in presenter.clusters if solution.value(bv.cluster[(rid, t)]))
            found.append(Segment(presenter, cluster, solution.value(bv.start[rid]),
                                 solution.value(bv.length[rid])))
        return sorted(found, key=lambda s: (s.start, s.presenter.request_id))

    def placements(self, f: Formulation, solution: Solution) -> list[Placement]:
        """Each block placed, then a segment per request presenting in it."""
        found = []
        for bv in self.blocks:
            segments = self.segments(bv, solution)
            if not segments:
                continue
            slot = solution.chosen[bv.block_id]
            found.append(Placement(bv.block_id, "block", slot.day, slot.start,
                                   slot.start + self.settings.duration, slot.room))
            found.extend(Placement(s.presenter.request_id, "segment", slot.day,
                                   slot.start + s.start, slot.start + s.start + s.length,
                                   slot.room, block_id=bv.block_id, cluster=s.cluster)
                         for s in segments)
        return found
