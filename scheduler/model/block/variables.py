"""The block's variables: its candidate presenters, and per presenter a presence literal, a
cluster, a segment (start, length) inside the block's speaking time; per cluster a span.

Segment times are minutes after the block's start. Each presenter is judged once against each
slot the block may take (`presenter_conflict`), and counted by the shared goals as a `Grant`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ...domain import NO_THEME
from ...scenario import Block
from ...timegrid import Window
from ..formulation import Formulation, Grant
from ..items import Item, Slot
from ..slots import Context


@dataclass(frozen=True)
class Presenter:
    """An eligible request that may present in a block: the item it would be as a session of its
    own (speakers, needs, audience, windows, value, category) and the outputs its DCs bring."""

    item: Item
    outputs: int
    priority: int

    @property
    def request_id(self) -> str:
        return self.item.item_id

    @property
    def clusters(self) -> tuple[str, ...]:
        """The clusters it may join: one per theme of its request."""
        return tuple(sorted(self.item.themes)) or (NO_THEME,)


@dataclass(frozen=True)
class Conflict:
    """Why a request cannot present in a block at one slot: a kind (for counting) and details."""

    kind: str
    detail: str


def presenter_conflict(presenter: Item, slot: Slot, duration: int, ctx: Context) -> Conflict | None:
    """The first reason `presenter` cannot be in a block of `duration` minutes at `slot`.

    Its speakers must be free of the programme and available for the whole block; the room must
    seat its audience and have the features it needs.
    """
    window = Window(slot.day, slot.start, slot.start + duration)
    for person in sorted(presenter.people):
        session = ctx.programme.person_clash(person, *window)
        if session is not None:
            return Conflict("a speaker is busy in the programme",
                            f"speaker {person} is in {session.session_id} ({session.window})")
    for unavailable in presenter.unavailable:
        if unavailable.overlaps(window):
            return Conflict("a speaker is unavailable", f"a speaker is unavailable {unavailable}")
    room = ctx.dataset.room_by_id[slot.room]
    if room.capacity < presenter.attendance:
        return Conflict("the room is too small", f"room {room.room_id} seats {room.capacity}, "
                        f"{presenter.attendance} expected")
    missing = presenter.needs - room.features
    if missing:
        return Conflict("the room lacks a feature",
                        f"room {room.room_id} lacks {', '.join(sorted(missing))}")
    return None


@dataclass
class BlockVars:
    """One block: its item, its candidate presenters, and the variables of its segments.

    Segment times (`start`, `end`) are minutes after the block's start.
    """

    item: Item
    settings: Block
    presenters: list[Presenter]
    conflicts: dict[str, dict[Slot, Conflict | None]] = field(default_factory=dict)
    present: dict[str, cp_model.IntVar] = field(default_factory=dict)
    cluster: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    length: dict[str, cp_model.IntVar] = field(default_factory=dict)
    start: dict[str, cp_model.IntVar] = field(default_factory=dict)
    end: dict[str, cp_model.IntVar] = field(default_factory=dict)
    segment: dict[str, cp_model.IntervalVar] = field(default_factory=dict)
    used: dict[str, cp_model.IntVar] = field(default_factory=dict)
    cluster_start: dict[str, cp_model.IntVar] = field(default_factory=dict)
    cluster_end: dict[str, cp_model.IntVar] = field(default_factory=dict)
    cluster_span: dict[str, cp_model.IntervalVar] = field(default_factory=dict)
    shown: dict[str, cp_model.IntVar] = field(default_factory=dict)

    @property
    def block_id(self) -> str:
        return self.item.item_id

    def total_length(self):
        return sum(self.length.values())

    def presenter(self, request_id: str) -> Presenter:
        return next(p for p in self.presenters if p.request_id == request_id)


def block_variables(f: Formulation, bv: BlockVars) -> None:
    """Create the block's segment variables, and judge each presenter against each block slot."""
    cp, s = f.cp, bv.settings
    first, last = s.opening, s.duration - s.wrap_up
    for presenter in bv.presenters:
        rid, name = presenter.request_id, f"{presenter.request_id}@{bv.block_id}"
        bv.conflicts[rid] = {slot: presenter_conflict(presenter.item, slot, s.duration, f.ctx)
                             for slot, _ in f.slot_literals(bv.block_id)}
        bv.present[rid] = cp.new_bool_var(f"present[{name}]")
        bv.length[rid] = cp.new_int_var(0, s.max_segment, f"length[{name}]")
        bv.start[rid] = cp.new_int_var(first, last, f"start[{name}]")
        bv.end[rid] = cp.new_int_var(first, last, f"end[{name}]")
        bv.segment[rid] = cp.new_optional_interval_var(
            bv.start[rid], bv.length[rid], bv.end[rid], bv.present[rid], f"segment[{name}]")
        for theme in presenter.clusters:
            bv.cluster[(rid, theme)] = cp.new_bool_var(f"cluster[{name},{theme}]")
        for theme in sorted(presenter.item.themes):          # sorted: a stable model
            if theme not in bv.shown:
                bv.shown[theme] = cp.new_bool_var(f"shown[{bv.block_id},{theme}]")
    for theme in sorted({theme for p in bv.presenters for theme in p.clusters}):
        name = f"{bv.block_id},{theme}"
        bv.used[theme] = cp.new_bool_var(f"used[{name}]")
        bv.cluster_start[theme] = cp.new_int_var(first, last, f"cluster_start[{name}]")
        bv.cluster_end[theme] = cp.new_int_var(first, last, f"cluster_end[{name}]")
        span = cp.new_int_var(0, last - first, f"cluster_length[{name}]")
        bv.cluster_span[theme] = cp.new_optional_interval_var(
            bv.cluster_start[theme], span, bv.cluster_end[theme], bv.used[theme],
            f"cluster[{name}]")
    f.variable_themes[bv.block_id] = bv.shown
    f.grants.extend(Grant(p.item, bv.block_id, bv.present[p.request_id]) for p in bv.presenters)


def themes_shown(f: Formulation, bv: BlockVars) -> None:
    """A theme is shown in the block when a presenting request has it (a lower bound: the
    goals that read `shown` only penalise it, so it is exact in any optimal solution)."""
    for presenter in bv.presenters:
        for theme in sorted(presenter.item.themes):
            f.cp.add(bv.shown[theme] >= bv.present[presenter.request_id])
