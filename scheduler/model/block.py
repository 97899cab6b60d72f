"""Mode `block`: the consolidated DC block, in which DCs present their outputs by theme.

The model decides, jointly with everything else the shared engine places:
- where each block runs (day, start, room): a block is an `Item` of kind "block", placed by the
  `PlacementModel` like any session, so the room, break, day-hour and exclusive-item rules apply
  to it unchanged (`slots.py`, `rules.py`) and the engine's `parallel_sessions` goal counts it;
- which eligible requests present in it: one segment per request (a joint request is one
  segment of all its DCs); when they do not all fit, the `placed` goal (priority),
  `outputs_presented` and `fairness` choose, and each request left out gets its reason;
- each segment's cluster (one of its request's themes), length and start. Segments are intervals
  in the block's speaking time; each cluster is an interval that holds its segments; clusters do
  not overlap (so the DCs of a cluster sit next to each other, in the order the model chooses),
  and the segments pack from the end of the opening without gaps.

Design choices, and why:
- Presenters stay for the whole block. A presenting request's speakers must be free for the
  whole block - of the programme, of their unavailable windows and, in `mixed`, of every other DC
  item - not only during their own segment. The block exists so that DCs hear each other's
  outputs across clusters; and it keeps each presenter's rule one row per (request, block)
  instead of one per (request, block slot, segment position), so segment order is free.
- Capacity: the room must seat the LARGEST expected audience among the presenting requests, not
  their sum. Each figure is the audience of a session of the DC's own; a block's audience comes
  and goes between segments and largely overlaps (the sum, about 2,000 on the sample data, would
  exceed every room). The largest single audience is the peak the room must hold.
- Features: the room has every feature that any presenting request needs (hybrid when one of
  its speakers is online).
- Overhead: half opens the block (rounded up), half wraps it up (`scenario.Block.opening`).
- The segments fill the speaking time, unless each already has `max_segment` minutes: a block is
  booked whole, and time left over would be dead air.
- Days and rooms: `[block] days/rooms` narrowed by `[capacity] days/rooms` (empty = any).
- Several blocks (`[block] count`) run one after another (never in parallel: each gathers the
  same DC community); a request presents in at most one.

Soft goals this mode adds, each a named weighted term: `theme_coherence`, `segment_proportion`,
`outputs_presented`, `outputs_first`; and it adds the block's share to the engine's `placed`,
`fairness` (via grants), `theme_clash`, `preferred_day` and `online_hours` terms, counted for the
requests that actually present (the block item itself has no themes, people or preferences).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable

from ortools.sat.python import cp_model

from ..domain import Dataset, Request
from ..eligibility import EligibilityReport
from ..scenario import Block, Scenario
from ..schedule import ScheduleRow, Unscheduled
from ..timegrid import Window, overlap
from .goals import inside_local_hours
from .individual import request_item
from .items import Item, Slot
from .slots import Context, candidate_slots, describe_slot
from .solve import Solution
from .variables import Grant, PlacementModel

# Programme sessions that a block's outputs can feed (SPEC §5, "outputs first").
OUTPUT_FED_TYPES = ("workshop", "main")
# The cluster of a request that names no theme.
NO_THEME = "general"


def narrow(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...] | None:
    """Two "empty = any" restrictions combined: the common values, or None if they share none."""
    if not first or not second:
        return first or second
    common = tuple(value for value in first if value in second)
    return common or None


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


def block_variables(pm: PlacementModel, bv: BlockVars) -> None:
    """Create the block's segment variables, and judge each presenter against each block slot."""
    cp, s = pm.cp, bv.settings
    first, last = s.opening, s.duration - s.wrap_up
    for presenter in bv.presenters:
        rid, name = presenter.request_id, f"{presenter.request_id}@{bv.block_id}"
        bv.conflicts[rid] = {slot: presenter_conflict(presenter.item, slot, s.duration, pm.ctx)
                             for slot, _ in pm.slots[bv.block_id]}
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


# --- hard rules of one block ------------------------------------------------------------------

def presenters_free_for_whole_block(pm: PlacementModel, bv: BlockVars) -> None:
    """A request presents only if the block sits in a slot where all its speakers are free of
    the programme and available for the whole block, and whose room seats its audience and has
    the features it needs (at most one slot is chosen, so `present <= sum of good slots`)."""
    for presenter in bv.presenters:
        rid = presenter.request_id
        good = [var for slot, var in pm.slots[bv.block_id] if bv.conflicts[rid][slot] is None]
        pm.cp.add(bv.present[rid] <= sum(good))


def block_held_only_for_presenters(pm: PlacementModel, bv: BlockVars) -> None:
    """No empty block: the block is placed only if at least one request presents in it."""
    pm.cp.add(pm.placed[bv.block_id] <= sum(bv.present.values()))


def segment_lengths(pm: PlacementModel, bv: BlockVars) -> None:
    """A presenting request's segment lasts min_segment..max_segment minutes; others 0."""
    s = bv.settings
    for rid, present in bv.present.items():
        pm.cp.add(bv.length[rid] >= s.min_segment * present)
        pm.cp.add(bv.length[rid] <= s.max_segment * present)


def one_cluster_per_segment(pm: PlacementModel, bv: BlockVars) -> None:
    """A presenting request joins exactly one cluster, named by one of its themes; a cluster is
    in use exactly when some segment joins it."""
    for presenter in bv.presenters:
        rid = presenter.request_id
        pm.cp.add(sum(bv.cluster[(rid, t)] for t in presenter.clusters) == bv.present[rid])
    for theme, used in bv.used.items():
        members = [var for (_, t), var in bv.cluster.items() if t == theme]
        for member in members:
            pm.cp.add(used >= member)
        pm.cp.add(used <= sum(members))


def segments_do_not_overlap(pm: PlacementModel, bv: BlockVars) -> None:
    """Two segments of a block never overlap (they lie between the opening and the wrap-up by
    the domains of their start and end)."""
    pm.cp.add_no_overlap(list(bv.segment.values()))


def clusters_contiguous(pm: PlacementModel, bv: BlockVars) -> None:
    """The segments of one cluster sit next to each other: each cluster's span holds its
    segments, and no two cluster spans overlap, so no other segment can come between them."""
    for (rid, theme), member in bv.cluster.items():
        pm.cp.add(bv.cluster_start[theme] <= bv.start[rid]).only_enforce_if(member)
        pm.cp.add(bv.end[rid] <= bv.cluster_end[theme]).only_enforce_if(member)
    pm.cp.add_no_overlap(list(bv.cluster_span.values()))


def segments_packed_from_opening(pm: PlacementModel, bv: BlockVars) -> None:
    """Segments follow each other without gaps from the end of the opening: every segment ends
    by opening + the sum of all lengths, and the segments do not overlap, so they tile that span;
    the sum of lengths fits in the speaking time."""
    s = bv.settings
    total = bv.total_length()
    pm.cp.add(total <= s.speaking_minutes)
    for rid, present in bv.present.items():
        pm.cp.add(bv.end[rid] <= s.opening + total).only_enforce_if(present)


def segments_fill_speaking_time(pm: PlacementModel, bv: BlockVars) -> None:
    """The segments fill the block's speaking time, unless every segment already has
    max_segment minutes (then the block ends with open discussion before the wrap-up)."""
    s = bv.settings
    fills = pm.cp.new_bool_var(f"fills[{bv.block_id}]")
    pm.cp.add(bv.total_length() == s.speaking_minutes).only_enforce_if(fills)
    for rid, present in bv.present.items():
        pm.cp.add(bv.length[rid] >= s.max_segment * present).only_enforce_if(~fills)


def themes_shown(pm: PlacementModel, bv: BlockVars) -> None:
    """A theme is shown in the block when a presenting request has it (a lower bound: the
    goals that read `shown` only penalise it, so it is exact in any optimal solution)."""
    for presenter in bv.presenters:
        for theme in sorted(presenter.item.themes):
            pm.cp.add(bv.shown[theme] >= bv.present[presenter.request_id])


def sharing(presenter: Item, other: Item) -> list[str]:
    """The speakers and DCs that a presenter and another DC item have in common."""
    return sorted(presenter.people & other.people) + sorted(set(presenter.dc_ids)
                                                            & set(other.dc_ids))


def presenters_free_of_other_dc_items(pm: PlacementModel, bv: BlockVars) -> None:
    """(mode `mixed`) A request that presents keeps its speakers and DCs for the whole block: no
    other DC item sharing one of them may overlap the block (`overlap + present <= 1`)."""
    for other_id, other in pm.items.items():
        if other.kind == "block":
            continue
        for presenter in bv.presenters:
            if sharing(presenter.item, other) and \
                    (both := pm.overlap(bv.block_id, other_id)) is not None:
                pm.cp.add(both + bv.present[presenter.request_id] <= 1)


BLOCK_RULES = (presenters_free_for_whole_block, block_held_only_for_presenters, segment_lengths,
               one_cluster_per_segment, segments_do_not_overlap, clusters_contiguous,
               segments_packed_from_opening, segments_fill_speaking_time, themes_shown,
               presenters_free_of_other_dc_items)


# --- hard rules between blocks ----------------------------------------------------------------

def each_request_in_one_block(pm: PlacementModel, blocks: list[BlockVars]) -> None:
    """A request presents in at most one block."""
    for rid in blocks[0].present if blocks else ():
        pm.cp.add(sum(bv.present[rid] for bv in blocks) <= 1)


def blocks_in_sequence(pm: PlacementModel, blocks: list[BlockVars]) -> None:
    """Blocks are used in order (BLOCK-2 only if BLOCK-1) and run one after another, never in
    parallel: each gathers the same DC community, and the order removes symmetric solutions."""
    day_index = pm.ctx.dataset.day_index

    def begins(bv: BlockVars):
        return sum(var * (day_index[slot.day] * 24 * 60 + slot.start)
                   for slot, var in pm.slots[bv.block_id])

    for earlier, later in zip(blocks, blocks[1:]):
        pm.cp.add(pm.placed[later.block_id] <= pm.placed[earlier.block_id])
        pm.cp.add(begins(earlier) + earlier.settings.duration <= begins(later)) \
            .only_enforce_if(pm.placed[later.block_id])


BETWEEN_BLOCKS = (each_request_in_one_block, blocks_in_sequence)


# --- soft goals -------------------------------------------------------------------------------

def segment_grants(pm: PlacementModel, bv: BlockVars) -> None:
    """Each presenting request counts in the engine's `placed` (by priority) and `fairness`
    (by its lead DC's category) goals, as a session of its own would."""
    for presenter in bv.presenters:
        pm.grants.append(Grant(presenter.request_id, bv.present[presenter.request_id],
                               presenter.item.value, presenter.item.category))


def theme_coherence(pm: PlacementModel, bv: BlockVars) -> None:
    """Reward each pair of adjacent segments in the same thematic cluster: segments presenting
    minus clusters used (a cluster of n segments has n - 1 such pairs; a lone DC costs nothing)."""
    pm.add_term("theme_coherence", pm.scenario.weights.theme_coherence,
                sum(bv.present.values()) - sum(bv.used.values()), +1,
                "adjacent segments in the same thematic cluster")


def segment_proportion(pm: PlacementModel, bv: BlockVars) -> None:
    """Penalise each minute a segment is off a length proportional to its DCs' outputs.

    The block chooses one rate (tenths of a minute per output); a presenting segment's target is
    rate x outputs; the term is the sum over segments of |length - target|, rounded up.
    """
    weight = pm.scenario.weights.segment_proportion
    if not weight:
        return
    s, cp = bv.settings, pm.cp
    most_outputs = max((p.outputs for p in bv.presenters), default=0)
    rate = cp.new_int_var(0, 10 * s.max_segment, f"rate[{bv.block_id}]")
    deviations = []
    for presenter in bv.presenters:
        rid = presenter.request_id
        deviation = cp.new_int_var(0, max(s.max_segment, s.max_segment * most_outputs),
                                   f"off_proportion[{rid}@{bv.block_id}]")
        target = rate * presenter.outputs
        cp.add(10 * deviation >= 10 * bv.length[rid] - target).only_enforce_if(bv.present[rid])
        cp.add(10 * deviation >= target - 10 * bv.length[rid]).only_enforce_if(bv.present[rid])
        deviations.append(deviation)
    pm.add_term("segment_proportion", weight, sum(deviations), -1,
                "minutes segments are off proportional to outputs")


def outputs_presented(pm: PlacementModel, bv: BlockVars) -> None:
    """Reward the tangible outputs presented: among requests of equal priority, those with
    more to present go first when the block is full."""
    pm.add_term("outputs_presented", pm.scenario.weights.outputs_presented,
                sum(p.outputs * bv.present[p.request_id] for p in bv.presenters), +1,
                "tangible outputs presented in blocks")


def _any_shown(pm: PlacementModel, bv: BlockVars, at_that_time: list, themes, name: str):
    """A boolean forced to 1 when the block is in one of the slots `at_that_time` and shows one
    of `themes` (None when it cannot be)."""
    shown = [bv.shown[t] for t in sorted(themes) if t in bv.shown]
    if not at_that_time or not shown:
        return None
    both = pm.cp.new_bool_var(name)
    for theme_shown in shown:
        pm.cp.add(both >= sum(at_that_time) + theme_shown - 1)
    return both


def block_theme_clash(pm: PlacementModel, bv: BlockVars) -> None:
    """Add to `theme_clash`: each programme session or other DC item running during the block
    on a theme of a presenting request (one per session, as the checker counts pairs)."""
    if not pm.scenario.weights.theme_clash:
        return
    slots = pm.slots[bv.block_id]
    clashes = []
    for session in pm.ctx.dataset.programme:
        during = [var for slot, var in slots if slot.day == session.day and overlap(
            slot.start, slot.start + bv.settings.duration, session.start, session.end)]
        clash = _any_shown(pm, bv, during, session.themes,
                           f"theme_clash[{bv.block_id},{session.session_id}]")
        if clash is not None:
            clashes.append(clash)
    for other_id, other in pm.items.items():
        if other.kind in ("block", "plenary"):
            continue
        both = pm.overlap(bv.block_id, other_id)
        clash = _any_shown(pm, bv, [both] if both is not None else [], other.themes,
                           f"theme_clash[{bv.block_id},{other_id}]")
        if clash is not None:
            clashes.append(clash)
    pm.add_term("theme_clash", pm.scenario.weights.theme_clash, sum(clashes), -1,
                "same-theme session pairs in parallel")


def runs_before_block_ends(session_day: int, session_start: int, slot_day: int,
                           slot_end: int) -> bool:
    """A programme session that starts before the block ends cannot build on its outputs."""
    return session_day < slot_day or (session_day == slot_day and session_start < slot_end)


def outputs_first(pm: PlacementModel, bv: BlockVars) -> None:
    """Penalise each workshop or main session on a theme of a presenting request that starts
    before the block ends (it cannot build on the outputs presented); fewer is better."""
    weight = pm.scenario.weights.outputs_first
    if not weight:
        return
    day_index = pm.ctx.dataset.day_index
    slots = pm.slots[bv.block_id]
    early = []
    for session in pm.ctx.dataset.programme:
        if session.type not in OUTPUT_FED_TYPES:
            continue
        before = [var for slot, var in slots if runs_before_block_ends(
            day_index[session.day], session.start, day_index[slot.day],
            slot.start + bv.settings.duration)]
        related = _any_shown(pm, bv, before, session.themes,
                             f"before_block[{bv.block_id},{session.session_id}]")
        if related is not None:
            early.append(related)
    pm.add_term("outputs_first", weight, sum(early), -1,
                "related workshops and main sessions not after the block")


def block_preferred_day(pm: PlacementModel, bv: BlockVars) -> None:
    """Add to `preferred_day`: each presenting request whose block is off its preferred days."""
    if not pm.scenario.weights.preferred_day:
        return
    off_days = []
    for presenter in bv.presenters:
        preferred = presenter.item.preferred_days
        off = [var for slot, var in pm.slots[bv.block_id]
               if preferred and slot.day not in preferred]
        if off:
            rid = presenter.request_id
            missed = pm.cp.new_bool_var(f"off_preferred_day[{rid}@{bv.block_id}]")
            pm.cp.add(missed >= sum(off) + bv.present[rid] - 1)
            off_days.append(missed)
    pm.add_term("preferred_day", pm.scenario.weights.preferred_day, sum(off_days), -1,
                "items off their preferred days")


def online_speakers_out_of_hours(pm: PlacementModel, presenter: Item, slot: Slot,
                                 duration: int) -> int:
    """Online speakers of `presenter` for whom a block at `slot` falls outside local hours."""
    dataset, online = pm.ctx.dataset, pm.scenario.online
    date = dataset.day_by_label[slot.day].date
    people = [dataset.person_by_id[p] for p in sorted(presenter.people)]
    return sum(not inside_local_hours(dataset.event.timezone, person.timezone, date, slot.start,
                                      slot.start + duration, online.earliest, online.latest)
               for person in people if not person.onsite and person.timezone)


def block_online_hours(pm: PlacementModel, bv: BlockVars) -> None:
    """Add to `online_hours`: each online speaker of a presenting request for whom the block
    (they stay for all of it) falls outside reasonable local hours."""
    if not pm.scenario.weights.online_hours:
        return
    penalties = []
    for presenter in bv.presenters:
        counts = [(var, online_speakers_out_of_hours(pm, presenter.item, slot,
                                                     bv.settings.duration))
                  for slot, var in pm.slots[bv.block_id]]
        worst = max((n for _, n in counts), default=0)
        if not worst:
            continue
        rid = presenter.request_id
        penalty = pm.cp.new_int_var(0, worst, f"out_of_hours[{rid}@{bv.block_id}]")
        pm.cp.add(penalty >= sum(n * var for var, n in counts if n)
                  - worst * (1 - bv.present[rid]))
        penalties.append(penalty)
    pm.add_term("online_hours", pm.scenario.weights.online_hours, sum(penalties), -1,
                "online speakers outside local hours")


BLOCK_GOALS = (segment_grants, theme_coherence, segment_proportion, outputs_presented,
               block_theme_clash, outputs_first, block_preferred_day, block_online_hours)


def longest_free_window(block: Item, ctx: Context) -> str:
    """A hint for a block that fits nowhere: the longest time, in grid steps below its duration,
    for which an allowed room is free (of the programme, breaks and exclusive items)."""
    grid = ctx.dataset.event.granularity
    for minutes in range(block.duration - grid, 0, -grid):
        slots, _ = candidate_slots(replace(block, duration=minutes), ctx)
        if slots:
            return (f"; the longest a suitable room is free is {minutes} min (e.g. "
                    f"{describe_slot(slots[0], minutes)}): shorten block.duration or keep a "
                    "room free for the block")
    return ""


# --- the mode ---------------------------------------------------------------------------------

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

    def __init__(self, dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                 requests: list[Request] | None = None):
        self.dataset, self.scenario, self.report = dataset, scenario, report
        self.settings = scenario.block
        self.requests = sorted(dataset.requests if requests is None else requests,
                               key=lambda r: r.request_id)
        self.ineligible = {r.request_id: reason for r in self.requests
                           if (reason := report.request_failure(r))}
        self.presenters = [Presenter(request_item(r, dataset), request_outputs(r, dataset),
                                     r.priority)
                           for r in self.requests if r.request_id not in self.ineligible]
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

    def constrain(self, pm: PlacementModel) -> None:
        """Each block's variables, hard rules and goals, then the rules between blocks."""
        self.blocks = [BlockVars(pm.items[item.item_id], self.settings, self.presenters)
                       for item in self.items()]
        for bv in self.blocks:
            block_variables(pm, bv)
            for rule in BLOCK_RULES:
                rule(pm, bv)
            for goal in BLOCK_GOALS:
                goal(pm, bv)
            pm.occupant_readers[bv.block_id] = self.occupant_reader(bv)
        for rule in BETWEEN_BLOCKS:
            rule(pm, self.blocks)

    def occupant_reader(self, bv: BlockVars) -> Callable:
        """The people and DCs a block holds in a solution: those of whoever presents in it."""
        def read(solution: Solution) -> tuple[frozenset[str], frozenset[str]]:
            presenting = [s.presenter.item for s in self.segments(bv, solution)]
            return (frozenset().union(*(p.people for p in presenting)),
                    frozenset(dc for p in presenting for dc in p.dc_ids))
        return read

    # --- reading a solution -------------------------------------------------------------------

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

    def rows(self, pm: PlacementModel, solution: Solution) -> list[ScheduleRow]:
        """One `block` row per block placed, then one `segment` row per presenting request."""
        rows = []
        for bv in self.blocks:
            segments = self.segments(bv, solution)
            if not segments:
                continue
            slot = solution.chosen[bv.block_id]
            date = self.dataset.day_by_label[slot.day].date.isoformat()
            clusters = list(dict.fromkeys(s.cluster for s in segments))
            dc_ids = tuple(dict.fromkeys(dc for s in segments for dc in s.presenter.item.dc_ids))
            rows.append(ScheduleRow(
                item_id=bv.block_id, kind="block", dc_ids=dc_ids,
                title=f"Dynamic Coalitions' outputs: {len(segments)} segments in "
                      f"{len(clusters)} thematic clusters ({', '.join(clusters)})",
                day=slot.day, date=date, start=slot.start,
                end=slot.start + self.settings.duration, room=slot.room,
                themes=tuple(sorted({t for s in segments for t in s.presenter.item.themes})),
                speakers=tuple(sorted({p for s in segments for p in s.presenter.item.people}))))
            for s in segments:
                item = s.presenter.item
                rows.append(ScheduleRow(
                    item_id=item.item_id, kind="segment", dc_ids=item.dc_ids, title=item.title,
                    day=slot.day, date=date, start=slot.start + s.start,
                    end=slot.start + s.start + s.length, room=slot.room,
                    themes=tuple(sorted(item.themes)), speakers=tuple(sorted(item.people)),
                    block_id=bv.block_id, cluster=s.cluster))
        return rows

    def unscheduled(self, pm: PlacementModel, solution: Solution) -> list[Unscheduled]:
        presenting = {s.presenter.request_id for bv in self.blocks
                      for s in self.segments(bv, solution)}
        entries = []
        for request in self.requests:
            if request.request_id in presenting:
                continue
            reason = self.ineligible.get(request.request_id) or self.why_not_presenting(
                pm, request.request_id, solution)
            entries.append(Unscheduled(request.request_id, request.dc_ids, reason))
        return entries

    # --- reasons --------------------------------------------------------------------------------

    def why_not_presenting(self, pm: PlacementModel, rid: str, solution: Solution) -> str:
        """The specific reason an eligible request has no segment in any block."""
        if self.scope_problem:
            return self.scope_problem
        if not self.blocks:
            return "no block: no eligible request to present"
        first = self.blocks[0]
        if first.block_id in pm.no_slot_reason:
            return (f"no block can be placed: {pm.no_slot_reason[first.block_id]}"
                    f"{longest_free_window(first.item, pm.ctx)}")
        never = self.never_possible(first, rid)
        if never:
            return never
        if not solution.has_schedule:
            return f"no schedule: the solver ended {solution.status}"
        placed = [bv for bv in self.blocks if bv.block_id in solution.chosen]
        if not placed:
            return ("no block placed: at no time and room could enough requests present to "
                    "outweigh its costs")
        return "; ".join(self.why_not_in(pm, bv, rid, solution) for bv in placed)

    def never_possible(self, bv: BlockVars, rid: str) -> str | None:
        """When a request could not present at any time a block may run, why (the blockers
        counted over the block's possible slots)."""
        conflicts = bv.conflicts.get(rid, {})
        if not conflicts or any(c is None for c in conflicts.values()):
            return None
        kinds = Counter(c.kind for c in conflicts.values())
        examples = {}
        for conflict in conflicts.values():
            examples.setdefault(conflict.kind, conflict.detail)
        common = "; ".join(f"{kind} at {n} of them (e.g. {examples[kind]})"
                           for kind, n in kinds.most_common(3))
        return (f"cannot present at any of the {len(conflicts)} times and rooms a block could "
                f"run: {common}")

    def why_not_in(self, pm: PlacementModel, bv: BlockVars, rid: str, solution: Solution) -> str:
        """Why a request has no segment in the block as placed in `solution`."""
        slot = solution.chosen[bv.block_id]
        where = f"{bv.block_id} ({describe_slot(slot, self.settings.duration)})"
        conflict = bv.conflicts[rid][slot]
        if conflict is not None:
            free = sum(1 for c in bv.conflicts[rid].values() if c is None)
            return (f"not free for {where}: {conflict.detail} (it would be free at {free} of the "
                    f"{len(bv.conflicts[rid])} times and rooms the block could use; the block's "
                    "time suits the others better)")
        presenter = next(p for p in bv.presenters if p.request_id == rid)
        block_start, block_end = slot.start, slot.start + self.settings.duration
        for other_id, other_slot in solution.chosen.items():
            other = pm.items[other_id]
            if other.kind == "block" or other_slot.day != slot.day:
                continue
            if overlap(block_start, block_end, *pm.window(other_id, other_slot)) and \
                    (shared := sharing(presenter.item, other)):
                return (f"not free for {where}: {', '.join(shared)} also in the DC session "
                        f"{other_id} ({describe_slot(other_slot, other.duration)})")
        segments = self.segments(bv, solution)
        s = self.settings
        if (len(segments) + 1) * s.min_segment > s.speaking_minutes:
            ranks = Counter((seg.presenter.priority > presenter.priority)
                            - (seg.presenter.priority < presenter.priority) for seg in segments)
            rank = (f"every presenting request has a higher priority (it has {presenter.priority})"
                    if ranks[-1] == len(segments) else
                    f"of the {len(segments)} presenting requests {ranks[-1]} have a higher "
                    f"priority, {ranks[0]} the same ({presenter.priority})"
                    + (f" and {ranks[1]} a lower" if ranks[1] else "")
                    + ": outputs presented, fairness across categories and costs decided")
            return (f"{bv.block_id} full: {len(segments) + 1} segments of at least "
                    f"{s.min_segment} min need {(len(segments) + 1) * s.min_segment} min, "
                    f"{s.speaking_minutes} available ({s.duration} min less {s.overhead} "
                    f"overhead); {rank}")
        return (f"could present in {where}, but the theme clashes, related sessions before the "
                "block and other costs it adds outweigh what weights.placed gains")

