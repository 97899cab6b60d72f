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


def presenter_busy(presenter: Item, day: str, ctx: Context) -> list[tuple[int, int, str]]:
    """(start, end, why) of every time on `day` a presenter's speakers cannot present: their
    programme sessions (with the event's transition on each side, to change rooms) and their
    unavailable windows, by start."""
    gap = ctx.dataset.event.transition
    busy = [(s.start - gap, s.end + gap, f"speaker {person} is in {s.session_id} ({s.window})")
            for person in sorted(presenter.people)
            for s in ctx.programme.person_busy.get((person, day), ())]
    busy += [(w.start, w.end, f"a speaker is unavailable {w}")
             for w in presenter.unavailable if w.day == day]
    return sorted(busy)


def longest_free(busy: list[tuple[int, int, str]], start: int, end: int) -> int:
    """The longest stretch of [start, end) that no busy window touches."""
    longest, free_from = 0, start
    for b_start, b_end, _ in busy:
        if b_end <= free_from or b_start >= end:
            continue
        longest = max(longest, min(b_start, end) - free_from)
        free_from = max(free_from, b_end)
    return max(longest, end - free_from)


def presenter_conflict(presenter: Item, slot: Slot, settings: Block,
                       ctx: Context) -> Conflict | None:
    """The first reason `presenter` cannot be in a block at `slot`.

    With `presence = "whole_block"` its speakers must be free of the programme and available for
    the whole block; with "segment" (the default) for a segment of `min_segment` minutes
    somewhere in the block's speaking time (`presenters_free_for_own_segment` places it exactly).
    The room must seat its audience and have the features it needs.
    """
    busy = presenter_busy(presenter, slot.day, ctx)
    if settings.presence == "whole_block":
        window = Window(slot.day, slot.start, slot.start + settings.duration)
        for b_start, b_end, why in busy:
            if b_start < window.end and window.start < b_end:
                kind = "a speaker is unavailable" if why.startswith("a speaker is unavailable") \
                    else "a speaker is busy in the programme"
                return Conflict(kind, why)
    else:
        first = slot.start + settings.opening
        last = slot.start + settings.duration - settings.wrap_up
        if longest_free(busy, first, last) < settings.min_segment:
            during = [why for b_start, b_end, why in busy if b_start < last and first < b_end]
            return Conflict("a speaker is busy during the whole speaking time",
                            f"no {settings.min_segment} free minutes between "
                            f"{Window(slot.day, first, last)}: {'; '.join(during[:2])}")
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
    # each segment on the formulation's timeline (its absolute time)
    on_timeline: dict[str, cp_model.IntervalVar] = field(default_factory=dict)

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
        bv.conflicts[rid] = {slot: presenter_conflict(presenter.item, slot, s, f.ctx)
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
    segments_on_timeline(f, bv)
    f.variable_themes[bv.block_id] = bv.shown
    f.grants.extend(Grant(p.item, bv.block_id, bv.present[p.request_id],
                          bv.on_timeline[p.request_id], s.presence == "whole_block")
                    for p in bv.presenters)


def segments_on_timeline(f: Formulation, bv: BlockVars) -> None:
    """Each segment as an interval on the timeline (`Formulation.timeline`): the block's start
    plus the segment's start inside it, present when the request presents (which places the
    block), so that rules (presence "segment") and goals (a segment counts for its own minutes)
    judge a presenter by its own segment's time."""
    cp, s = f.cp, bv.settings
    begins = f.begins(bv.block_id)
    first, last = s.opening, s.duration - s.wrap_up
    starts = sorted({f.timeline(slot.day, slot.start) for slot, _ in f.slot_literals(bv.block_id)})
    reach = cp_model.Domain.from_intervals([[0, 0]] + [[t + first, t + last] for t in starts])
    for presenter in bv.presenters:
        rid, name = presenter.request_id, f"{presenter.request_id}@{bv.block_id}"
        start = cp.new_int_var_from_domain(reach, f"timeline_start[{name}]")
        end = cp.new_int_var_from_domain(reach, f"timeline_end[{name}]")
        present = bv.present[rid]
        cp.add(start == begins + bv.start[rid]).only_enforce_if(present)
        # A request not presenting sits at 0, before every session: goals count it as nothing.
        cp.add(start == 0).only_enforce_if(~present)
        cp.add(end == 0).only_enforce_if(~present)
        bv.on_timeline[rid] = cp.new_optional_interval_var(
            start, bv.length[rid], end, bv.present[rid], f"timeline_segment[{name}]")


def themes_shown(f: Formulation, bv: BlockVars) -> None:
    """A theme is shown in the block when a presenting request has it (a lower bound: the
    goals that read `shown` only penalise it, so it is exact in any optimal solution)."""
    for presenter in bv.presenters:
        for theme in sorted(presenter.item.themes):
            f.cp.add(bv.shown[theme] >= bv.present[presenter.request_id])
