"""Why a request got nothing, in a planner's words: every reason in one place.

Every reason reads "label: details", the label one of: `ineligible`, the single-item rule that
left no slot (`scenario scope`, `rooms closed`, `room capacity`, `room features`, `day hours
and breaks`, `exclusive items`, `unavailable windows`, `speakers busy`, `rooms taken`, `pin`),
`quota reached`, `DC items in the way`, `costs` (a place was free, the goals preferred
others: the solve is proven best), `tie` (as good with it as without), `the search stopped
before placing it` (a place was free, the search ended unproven), `no block`, `never free for a block`, `not free for the block`, `block full`,
`no slot on the DC Day`, `DC Day full`, `no schedule`.

The eligibility rule it failed (from the report), or what the mode met: the hard rule that left
it no slot, the quota, the DC items in its way (`individual`), the block it could not join
(`block`), the DC Day's room time (`dc_day`). Reasons read the model's candidate slots and the
solution, never change them; where a reason claims what placing a request would score, the model
scores a copy with every placement fixed (`model.solve.score_fixed`), and a cost is claimed only
after a solve proven best. Against a baseline, `changes` says why each request moved: `pin`,
`its place breaks a rule now`, `its place is taken now`, `costs`, `the search stopped after
moving it`; and `requirements_in_conflict` why a scenario has no schedule at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from .catalogue import HARD_RULES
from .check import Checker
from .domain import Dataset, Request
from .eligibility import EligibilityReport
from .model.block.mode import BlockMode
from .model.block.rules import sharing
from .model.block.variables import BlockVars
from .model.dc_day import CLOSING_ID, OPENING_ID, DcDayMode
from .model.formulation import Formulation
from .model.individual import request_item
from .model.items import Item, Slot
from .model.mixed import MixedMode
from .model.slots import ROOM_RULES, Context, candidate_slots, describe_slot, slot_obstacle
from .model.solve import Scored, Solution, score_fixed
from .scenario import Scenario
from .schedule import ScheduleRow, Unscheduled
from .timegrid import format_hhmm, overlap, units_covered


def unscheduled(dataset: Dataset, report: EligibilityReport, mode, f: Formulation,
                solution: Solution, rows: list[ScheduleRow]) -> list[Unscheduled]:
    """Every request without a session or segment, with its reason, by request id."""
    placed = {row.item_id for row in rows}
    left_out = sorted((r for r in dataset.requests if r.request_id not in placed),
                      key=lambda r: r.request_id)
    context = DcDayContext.of(mode, f, solution, rows, left_out, report) \
        if isinstance(mode, DcDayMode) and solution.has_schedule else None
    entries = []
    for request in left_out:
        reason = report.request_failure(request) or mode_reason(mode, f, solution, request,
                                                                context)
        entries.append(Unscheduled(request.request_id, request.dc_ids, reason))
    return entries


def mode_reason(mode, f: Formulation, solution: Solution, request: Request, context) -> str:
    """Why the mode left an eligible request out."""
    if isinstance(mode, MixedMode):
        mode = mode.part_of(request.request_id)
    if isinstance(mode, BlockMode):
        return why_not_presenting(mode, f, request.request_id, solution)
    if isinstance(mode, DcDayMode):
        if not solution.has_schedule:
            return no_schedule(solution)
        return left_out_reason(mode, f, solution, request, context)
    return why_not_placed(f, request.request_id, solution)


def no_schedule(solution: Solution) -> str:
    return f"no schedule: {solution.why or f'the solver ended {solution.status}'}"


# --- individual sessions ------------------------------------------------------------------

def running_beside(f: Formulation, item_id: str, slot: Slot, solution: Solution):
    """The placed DC items (id, slot) that `item_id` at `slot` would meet, the transition
    between them included."""
    start, end = f.window(item_id, slot)
    for other_id, other_slot in solution.chosen.items():
        other_start, other_end = f.window(other_id, other_slot)
        if other_id != item_id and other_slot.day == slot.day and \
                overlap(start - f.transition, end + f.transition, other_start, other_end):
            yield other_id, other_slot


def clashes(f: Formulation, item_id: str, slot: Slot, solution: Solution) -> list[str]:
    """The placed DC items that make `slot` impossible for `item_id`, as short phrases."""
    item = f.items[item_id]
    found = []
    for other_id, other_slot in running_beside(f, item_id, slot, solution):
        other = f.items[other_id]
        if other_slot.room == slot.room:
            found.append("room taken by another DC item")
        people, dc_ids = f.occupants(other_id, solution)
        found.extend(f"speaker {p} in {other_id}" for p in sorted(item.people & people))
        found.extend(f"{dc} already in {other_id}" for dc in sorted(set(item.dc_ids) & dc_ids))
        # Beside an exclusive item only overlap is forbidden (the transition is for what is
        # shared: the room, people and DCs above).
        if (other.exclusive or item.exclusive) and overlap(*f.window(item_id, slot),
                                                           *f.window(other_id, other_slot)):
            found.append(f"exclusive {other_id}")
    return found


def why_not_placed(f: Formulation, item_id: str, solution: Solution) -> str:
    if item_id in f.no_slot_reason:
        return f.no_slot_reason[item_id]
    if not solution.has_schedule:
        return no_schedule(solution)
    item = f.items[item_id]
    quota = f.scenario.capacity.max_dc_sessions
    placed_sessions = [i for i in solution.chosen if f.items[i].kind == "session"]
    if item.kind == "session" and quota is not None and len(placed_sessions) >= quota:
        return quota_reason(f, solution, item, quota, placed_sessions)
    blocked = Counter()
    free = []
    for slot in f.candidate_slots(item_id):
        found = clashes(f, item_id, slot, solution)
        blocked.update(sorted(set(found)))  # sorted: ties in most_common keep a fixed order
        if not found:
            free.append(slot)
    reason = free and free_slot_reason(f, solution, item_id, free, "other DC items")
    if reason:
        return reason
    common = ", ".join(f"{what} ({counted(n, 'slot')})" for what, n in blocked.most_common(3))
    return (f"DC items in the way: every possible slot clashes with one ({common})"
            f"{refused_words(free)}")


def refused_words(free: list[Slot]) -> str:
    """The slots free of other items that the model refused (`free_slot_reason` found none it
    accepts among those it tried), in words; '' when there were none."""
    if not free:
        return ""
    tried = "each" if len(free) <= SLOTS_TRIED else f"the {SLOTS_TRIED} tried"
    return (f", but for {counted(len(free), 'slot')} free of them, where the model refuses "
            f"{tried} with the others where they are (a rule between DC items)")


def weight(item: Item) -> int:
    """What placing the item adds to the `placed` goal (times weights.placed): its priority's
    value for each of its DCs, so a joint request of two DCs weighs twice its priority's."""
    return item.value * len(item.dc_ids)


def priority(f: Formulation, item: Item) -> int:
    return f.ctx.dataset.request_by_id[item.item_id].priority


def weighed(f: Formulation, item: Item) -> str:
    """'R-IRPC (priority 4, 2 DCs: weighs 4)'."""
    request = f.ctx.dataset.request_by_id.get(item.item_id)
    priority = f"priority {request.priority}, " if request else ""
    dcs = len(item.dc_ids)
    return f"{item.item_id} ({priority}{dcs} DC{'s' if dcs != 1 else ''}: weighs {weight(item)})"


def quota_reason(f: Formulation, solution: Solution, item: Item, quota: int,
                 placed_sessions: list[str]) -> str:
    """The quota reason, comparing what competes: each placed request's weight (its priority's
    value per DC) against this one's."""
    others = sorted((f.items[i] for i in placed_sessions), key=lambda i: (weight(i), i.item_id))
    if not others:
        return "quota reached: capacity.max_dc_sessions = 0 allows no DC session"
    head = (f"quota reached: all {quota} DC session slots (capacity.max_dc_sessions) went to "
            "other requests")
    if weight(others[0]) > weight(item):
        joint = [i for i in others if priority(f, i) >= priority(f, item) and len(i.dc_ids) > 1]
        return (f"{head}, each weighing more in the objective (its priority's value for each of "
                f"its DCs): this one is {weighed(f, item)}, the lightest placed "
                f"{weighed(f, others[0])}"
                + (f"; {', '.join(weighed(f, i) for i in joint)} placed for its DCs, though of "
                   "no higher priority" if joint else ""))
    lighter = [i for i in others if weight(i) <= weight(item)]
    text = (f"{head}; {len(lighter)} of them weigh{'s' if len(lighter) == 1 else ''} no more "
            f"than this one, {weighed(f, item)} "
            f"(e.g. {weighed(f, lighter[0])})")
    if solution.status == "optimal":
        return (f"{text}: giving it one of their slots scores no better, by theme clashes, "
                "parallel sessions, preferred days and fairness across categories (the "
                "schedule is proven best)")
    return (f"{text}: the search stopped before proving whether giving it one of their slots "
            "scores better")


# Slots free of other DC items scored with the request added (each a propagation of the model).
SLOTS_TRIED = 5


def base_score(f: Formulation, solution: Solution) -> Scored:
    """The solution's schedule scored exactly by the model (once per solution)."""
    if solution.exact is None:
        solution.exact = score_fixed(f, solution)
    return solution.exact


def free_slot_reason(f: Formulation, solution: Solution, item_id: str, free: list[Slot],
                     beside: str) -> str | None:
    """Why a request with slots free of `beside` is left out, said only as far as it is known:
    the model scores the schedule with the request added (everything else where it is) at a few
    free slots spread over them, and the best is told. A cost (or a tie) is claimed where the
    solve is proven best; after a search that stopped, that the search stopped. None when the
    model refuses every slot tried (a rule between DC items the slot survey does not see)."""
    tried = spread(free, SLOTS_TRIED)
    scored = [(trial.objective, slot, trial) for slot in tried
              if (trial := score_fixed(f, solution, (item_id, slot))).objective is not None]
    base = base_score(f, solution)
    if not scored or base.objective is None:
        return None
    _, slot, trial = max(scored, key=lambda found: found[0])    # the first best: by slot order
    change = trial.objective - base.objective
    where = describe_slot(slot, f.items[item_id].duration) + (
        f" (the best of {len(tried)} slots tried)" if len(tried) > 1 else "")
    terms = term_changes(f, base.terms, trial.terms)
    free_words = f"{counted(len(free), 'slot')} free of {beside}"
    if solution.status == "optimal" and change == 0:
        return (f"tie: {free_words}; with it at {where} and everything else kept, the schedule "
                f"scores the same ({terms}); of equally good schedules, proven best, the solver "
                "took one without it")
    if solution.status == "optimal":
        return (f"costs: {free_words}; with it at {where} and everything else kept, the "
                f"schedule scores {-change} less ({terms}), and the schedule is proven best")
    if change > 0:
        return (f"the search stopped before placing it: with it at {where} and everything else "
                f"kept, the schedule scores {change} more ({terms}); a longer time limit may "
                "place it")
    return (f"the search stopped before placing it: {free_words}; with it at {where} and "
            f"everything else kept, the schedule scores {-change} less ({terms}), but the "
            "search ended before proving that no other arrangement places it with a gain")


def spread(slots: list[Slot], count: int) -> list[Slot]:
    """At most `count` of the slots, evenly spread over the list (days, times, rooms)."""
    step = max(1, -(-len(slots) // count))
    return slots[::step][:count]


def term_changes(f: Formulation, before: dict[str, int], after: dict[str, int]) -> str:
    """'placed +300, theme_clash -20': each goal's change to the objective, weighted."""
    changes = [(t.name, t.sign * t.weight * (after[t.name] - before[t.name])) for t in f.terms]
    return ", ".join(f"{name} {change:+d}" for name, change in changes if change) or \
        "no goal changes"


# --- block segments -----------------------------------------------------------------------

def why_not_presenting(mode: BlockMode, f: Formulation, rid: str, solution: Solution) -> str:
    """The specific reason an eligible request has no segment in any block."""
    if mode.scope_problem:
        return mode.scope_problem
    if not mode.blocks:
        return "no block: no eligible request to present"
    first = mode.blocks[0]
    if first.block_id in f.no_slot_reason:
        return (f"no block: it fits nowhere ({f.no_slot_reason[first.block_id]})"
                f"{longest_free_window(first.item, f.ctx)}")
    never = never_possible(first, rid)
    if never:
        return never
    if not solution.has_schedule:
        return no_schedule(solution)
    placed = [bv for bv in mode.blocks if bv.block_id in solution.chosen]
    if not placed:
        if solution.status != "optimal":
            return ("no block: the search stopped before placing one (a longer time limit may "
                    "place it)")
        return ("no block: at no time and room could enough requests present to outweigh "
                "its costs")
    found = {bv.block_id: why_not_in(mode, f, bv, rid, solution) for bv in placed}
    could = [block_place(mode, bv, solution) for bv in placed if found[bv.block_id] is None]
    parts = [reason for reason in found.values() if reason is not None]
    if could and solution.status == "optimal":
        parts.insert(0, f"costs: could present in {', '.join(could)}, but the theme clashes, "
                     "related sessions before the block and other costs it adds outweigh what "
                     "weights.placed gains (the schedule is proven best)")
    elif could:
        parts.insert(0, f"the search stopped before placing it: it could present in "
                     f"{', '.join(could)}, and the search ended before proving whether that "
                     "scores better")
    return "; ".join(parts)


def block_place(mode: BlockMode, bv: BlockVars, solution: Solution) -> str:
    """'BLOCK-1 (Day 1 13:00-16:00 WS10)'."""
    return (f"{bv.block_id} "
            f"({describe_slot(solution.chosen[bv.block_id], mode.settings.duration)})")


def never_possible(bv: BlockVars, rid: str) -> str | None:
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
    return (f"never free for a block: at none of the {len(conflicts)} times and rooms a block "
            f"could run ({common})")


def why_not_in(mode: BlockMode, f: Formulation, bv: BlockVars, rid: str,
               solution: Solution) -> str | None:
    """Why a request has no segment in the block as placed in `solution`; None when nothing
    stands in its way there (it could present)."""
    slot = solution.chosen[bv.block_id]
    where = block_place(mode, bv, solution)
    conflict = bv.conflicts[rid][slot]
    if conflict is not None:
        free = sum(1 for c in bv.conflicts[rid].values() if c is None)
        return (f"not free for the block: {where}: {conflict.detail} (it would be free at "
                f"{free} of the {len(bv.conflicts[rid])} times and rooms the block could use; "
                "the block's time suits the others better)")
    presenter = bv.presenter(rid)
    block_start, block_end = slot.start, slot.start + mode.settings.duration
    for other_id, other_slot in solution.chosen.items():
        other = f.items[other_id]
        if other.kind == "block" or other_slot.day != slot.day:
            continue
        if overlap(block_start, block_end, *f.window(other_id, other_slot)) and \
                (shared := sharing(presenter.item, other)):
            return (f"not free for the block: {where}: {', '.join(shared)} also in the DC session "
                    f"{other_id} ({describe_slot(other_slot, other.duration)})")
    segments = mode.segments(bv, solution)
    s = mode.settings
    if (len(segments) + 1) * s.min_segment > s.speaking_minutes:
        ranks = Counter((seg.presenter.priority > presenter.priority)
                        - (seg.presenter.priority < presenter.priority) for seg in segments)
        rank = (f"every presenting request has a higher priority (it has {presenter.priority})"
                if ranks[-1] == len(segments) else
                f"of the {len(segments)} presenting requests {ranks[-1]} have a higher "
                f"priority, {ranks[0]} the same ({presenter.priority})"
                + (f" and {ranks[1]} a lower" if ranks[1] else "")
                + (": outputs presented, fairness across categories and costs decided"
                   if solution.status == "optimal" else
                   ": the search stopped before proving which presenters score best"))
        return (f"block full: {bv.block_id}: {len(segments) + 1} segments of at least "
                f"{s.min_segment} min need {(len(segments) + 1) * s.min_segment} min, "
                f"{s.speaking_minutes} available ({s.duration} min less {s.overhead} "
                f"overhead); {rank}")
    return None


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


# --- the DC Day --------------------------------------------------------------------------

def session_window(dataset: Dataset, scenario: Scenario,
                   rows: list[ScheduleRow]) -> tuple[int, int]:
    """When DC sessions may run: the day's hours, after the opening and before the closing."""
    day = dataset.day_by_label[scenario.dc_day.day]
    plenaries = sorted((r for r in rows if r.kind == "plenary" and r.day == day.label),
                       key=lambda r: r.start)
    start, end = day.open, day.close
    if scenario.dc_day.opening and plenaries:
        start = plenaries[0].end
    if scenario.dc_day.closing and plenaries:
        end = plenaries[-1].start
    return start, end


def free_gaps(dataset: Dataset, day: str, rooms: list[str], rows: list[ScheduleRow],
              window: tuple[int, int]) -> dict[str, list[tuple[int, int]]]:
    """Per room, the runs of whole grid units inside `window` that nothing occupies: not the
    programme, not a DC row, not a break, not an exclusive programme item."""
    grid = dataset.event.granularity
    hours = dataset.day_by_label[day]
    everywhere = [(start, end) for start, end in hours.breaks]
    everywhere += [(s.start, s.end) for s in dataset.programme if s.day == day and s.exclusive]
    first, last = -(-window[0] // grid), window[1] // grid      # units wholly inside
    gaps = {}
    for room in rooms:
        taken = everywhere + [(s.start, s.end) for s in dataset.programme
                              if s.day == day and s.room == room]
        taken += [(r.start, r.end) for r in rows
                  if r.day == day and r.occupies_room and r.room == room]
        busy = {unit for start, end in taken for unit in units_covered(start, end, grid)}
        runs, run_start = [], None
        for unit in range(first, last + 1):
            free = unit < last and unit not in busy
            if free and run_start is None:
                run_start = unit
            elif not free and run_start is not None:
                runs.append((run_start * grid, unit * grid))
                run_start = None
        gaps[room] = runs
    return gaps


def fitting_rooms(item: Item, day: str, ctx: Context) -> list[str]:
    """The rooms the item may use on `day` by the single-item room rules of the engine."""
    return [room.room_id for room in ctx.dataset.rooms
            if all(rule(item, room, day, ctx) for rule in ROOM_RULES)]


def room_hours(minutes: int) -> str:
    return f"{minutes / 60:.1f} room-hours"


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass(frozen=True)
class Shortfall:
    """Room time the left-out requests need against what is left in the rooms that fit them."""

    day: str
    request_ids: tuple[str, ...]
    rooms: tuple[str, ...]
    window: tuple[int, int]
    needed: int          # room-minutes: the left-out requests' durations, summed
    free: int            # room-minutes free in those rooms inside the session window
    usable: int          # of which in gaps at least as long as the shortest left-out request
    shortest: int

    @property
    def short(self) -> int:
        """A lower bound on the extra room-minutes needed: each left-out request needs a gap
        at least its length in one of these rooms, so they cannot use more than `usable`."""
        return max(0, self.needed - self.usable)

    def sentence(self) -> str:
        span = f"{format_hhmm(self.window[0])}-{format_hhmm(self.window[1])}"
        head = (f"{self.day} cannot hold every eligible request: the "
                f"{counted(len(self.request_ids), 'request')} left out need "
                f"{room_hours(self.needed)}; the {counted(len(self.rooms), 'room')} that fit "
                f"them have {room_hours(self.free)} free in {span}, {room_hours(self.usable)} of "
                f"it in gaps of {self.shortest} min or more")
        if self.short:
            return f"{head}, so at least {room_hours(self.short)} more would be needed"
        return (f"{head}: enough room time in total, so speakers, DCs or costs, not room time, "
                "left them out")

    def as_dict(self) -> dict:
        return {"requests_left_out": list(self.request_ids), "rooms": list(self.rooms),
                "room_minutes_needed": self.needed, "room_minutes_free": self.free,
                "room_minutes_usable": self.usable, "room_minutes_short": self.short}


def room_time_shortfall(dataset: Dataset, scenario: Scenario, rows: list[ScheduleRow],
                        left_out: list[Request], ctx: Context) -> Shortfall | None:
    """The shortfall for the eligible requests left out that some DC Day room could seat."""
    day, rooms = scenario.dc_day.day, scenario.dc_day_rooms
    fits = {r.request_id: fitting_rooms(request_item(r, dataset, days=(day,), rooms=rooms),
                                        day, ctx) for r in left_out}
    considered = [r for r in left_out if fits[r.request_id]]
    if not considered:
        return None
    union = sorted({room for r in considered for room in fits[r.request_id]})
    window = session_window(dataset, scenario, rows)
    gaps = free_gaps(dataset, day, union, rows, window)
    shortest = min(r.duration for r in considered)
    lengths = [end - start for runs in gaps.values() for start, end in runs]
    return Shortfall(day, tuple(r.request_id for r in considered), tuple(union), window,
                     needed=sum(r.duration for r in considered), free=sum(lengths),
                     usable=sum(n for n in lengths if n >= shortest), shortest=shortest)


@dataclass(frozen=True)
class DcDayContext:
    """What every left-out request of a DC Day is judged against: the rows placed, the time
    between the plenaries, the priorities placed and the room-time shortfall."""

    rows: list[ScheduleRow]
    window: tuple[int, int]
    placed_priorities: list[int]
    shortfall: Shortfall | None

    @classmethod
    def of(cls, mode: DcDayMode, f: Formulation, solution: Solution, rows: list[ScheduleRow],
           left_out: list[Request], report: EligibilityReport) -> "DcDayContext":
        eligible = [r for r in left_out if report.request_failure(r) is None]
        dataset = mode.dataset
        return cls(rows, session_window(dataset, mode.scenario, rows),
                   sorted(dataset.request_by_id[i].priority for i in solution.chosen
                          if i in dataset.request_by_id),
                   room_time_shortfall(dataset, mode.scenario, rows, eligible, f.ctx))


def left_out_reason(mode: DcDayMode, f: Formulation, solution: Solution, request: Request,
                    context: DcDayContext) -> str:
    """Why an eligible request got nothing: its own obstacle, its priority, the shortfall."""
    item = f.items[request.request_id]
    parts = [own_obstacle(mode, f, solution, item, context.rows, context.window)]
    placed_priorities, shortfall = context.placed_priorities, context.shortfall
    lower = sum(1 for p in placed_priorities if p > request.priority)
    if not placed_priorities:
        parts.append("no request could be placed")
    elif lower:
        parts.append(f"priority {request.priority} (1 = highest), yet "
                     f"{counted(lower, 'placed request')} {'has' if lower == 1 else 'have'} "
                     "a lower one: its obstacle, not its priority, left it out")
    else:
        parts.append(f"priority {request.priority} (1 = highest): no placed request has a "
                     "lower one")
    if shortfall and request.request_id in shortfall.request_ids:
        parts.append(shortfall.sentence())
    return "; ".join(parts)


def own_obstacle(mode: DcDayMode, f: Formulation, solution: Solution, item: Item,
                 rows: list[ScheduleRow], window: tuple[int, int]) -> str:
    """What stands in the way of this request on the DC Day, in a planner's words."""
    if item.item_id in f.no_slot_reason:
        return f"no slot on the DC Day ({mode.day}): {f.no_slot_reason[item.item_id]}"
    # Overlapping a plenary implies lying outside the session window, said in plainer words.
    # Within the session window, a plenary clash is its transition: said as such.
    plenary_clashes = {f"exclusive {OPENING_ID}", f"exclusive {CLOSING_ID}"}
    blocked: Counter = Counter()
    free_slots = []
    for slot in f.candidate_slots(item.item_id):
        found = set(clashes(f, item.item_id, slot, solution))
        outside = {"before the opening ends"} if slot.start < window[0] else set()
        if slot.start + item.duration > window[1]:
            outside.add("after the closing starts")
        found = (found - plenary_clashes) | outside if outside else \
            {f"within the {f.transition}-min transition of {what.removeprefix('exclusive ')}"
             if what in plenary_clashes else what for what in found}
        blocked.update(found)
        if not found:
            free_slots.append(slot)
    if free_slots and (reason := free_slot_reason(f, solution, item.item_id, free_slots,
                                                  "other DC items and plenaries")):
        return reason
    rooms = fitting_rooms(item, mode.day, f.ctx)
    gaps = free_gaps(mode.dataset, mode.day, rooms, rows, window)
    lengths = [end - start for runs in gaps.values() for start, end in runs]
    # Ties ordered by text: the order of a set of strings changes from run to run.
    ranked = sorted(blocked.items(), key=lambda pair: (-pair[1], pair[0]))[:3]
    common = ", ".join(f"{what} ({counted(n, 'slot')})" for what, n in ranked)
    return (f"DC Day full: no free slot left on {mode.day} ({common}{refused_words(free_slots)});"
            f" the rooms that fit it "
            f"({', '.join(rooms)}) have {sum(lengths)} free minutes left, the longest gap "
            f"{max(lengths, default=0)} min, and it needs {item.duration} min")


def dc_day_shortfall(dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                     rows: list[ScheduleRow], unscheduled: list[Unscheduled],
                     ctx: Context) -> dict | None:
    """The room-time shortfall of a DC Day for the eligible requests it left out (metrics)."""
    left_out = [dataset.request_by_id[u.request_id] for u in unscheduled]
    shortfall = room_time_shortfall(dataset, scenario, rows,
                                    [r for r in left_out if report.request_failure(r) is None],
                                    ctx)
    return shortfall.as_dict() if shortfall else None


# --- what changed against a baseline -------------------------------------------------------

def where(row: ScheduleRow) -> str:
    inside = f" in {row.block_id}" if row.block_id else ""
    return f"{row.day} {format_hhmm(row.start)}-{format_hhmm(row.end)} {row.room}{inside}"


def why_moved(f: Formulation, solution: Solution, item_id: str, before: ScheduleRow) -> str:
    """Why an item (a session, or the block of a segment) is not where the baseline had it:
    its pin, a rule its old place breaks now, what took that place, or a cheaper place."""
    item = f.items[item_id]
    slot = Slot(before.day, before.start, before.room)
    pin = item.pin
    if pin is not None and not (pin.day in (None, slot.day) and pin.start in (None, slot.start)
                                and pin.room in (None, slot.room)):
        return f"pin: {pin}"
    if (rule := slot_obstacle(item, slot, f.ctx)) is not None:
        meaning = next((r.meaning for r in HARD_RULES if r.name == rule), rule)
        return f"its place breaks a rule now: {meaning}"
    if taken := sorted(set(clashes(f, item_id, slot, solution))):
        holders = sorted(other for other, at in running_beside(f, item_id, slot, solution)
                         if at.room == slot.room)
        taken = [f"room taken by {', '.join(holders)}" if t == "room taken by another DC item"
                 else t for t in taken]
        return f"its place is taken now: {'; '.join(taken)}"
    return staying_reason(f, solution, item_id, slot)


def staying_reason(f: Formulation, solution: Solution, item_id: str, slot: Slot) -> str:
    """Why an item free to stay moved: the model scores the schedule with it back in its old
    place, everything else kept (the `moved` goal's penalty included). A cost is claimed only
    after a solve proven best. A block is not scored (its segments' times follow its own)."""
    proven = solution.status == "optimal"
    if f.items[item_id].kind == "block":
        return ("costs: its new place costs less (theme clashes, related sessions, preferences) "
                "than staying, by more than weights.moved" if proven else
                "the search moved it and stopped before proving that staying scores less")
    trial, base = score_fixed(f, solution, (item_id, slot)), base_score(f, solution)
    if trial.objective is None or base.objective is None:
        return ("its place is taken now: with the others where they are, the rules between DC "
                "items refuse it there")
    change = trial.objective - base.objective
    terms = term_changes(f, base.terms, trial.terms)
    if proven or change < 0:
        return (f"costs: staying, everything else kept, scores {-change} less ({terms})"
                + ("" if proven else "; the search stopped before proof"))
    return (f"the search stopped after moving it: staying, everything else kept, scores "
            f"{change} {'more' if change else 'the same'} ({terms}); a longer time limit may "
            "keep it")


def changes(dataset: Dataset, f: Formulation, solution: Solution,
            before_rows, rows: list[ScheduleRow], unscheduled: list[Unscheduled],
            withdrawn=()) -> list[dict]:
    """Per request of the baseline or of the new schedule: kept, moved (from -> to), added or
    dropped, with the reason (changes.csv); a request `withdrawn` since the baseline (no longer
    in the dataset) is dropped, `withdrawn` its reason."""
    placed = ("session", "segment")
    before = {r.item_id: r for r in before_rows if r.kind in placed}
    after = {r.item_id: r for r in rows if r.kind in placed}
    before_blocks = {r.item_id: r for r in before_rows if r.kind == "block"}
    after_blocks = {r.item_id: r for r in rows if r.kind == "block"}
    dropped_because = {u.request_id: u.reason for u in unscheduled}
    found = []
    for request_id in sorted(before.keys() | after.keys()):
        old, new = before.get(request_id), after.get(request_id)
        if new is None:
            change, reason = "dropped", dropped_because.get(request_id, "")
        elif old is None:
            change, reason = "added", "placed now (it had no place in the baseline)"
        elif (old.kind, old.day, old.start, old.end, old.room, old.block_id) == \
                (new.kind, new.day, new.start, new.end, new.room, new.block_id):
            change, reason = "kept", ""
        else:
            change = "moved"
            block_before = before_blocks.get(old.block_id)
            block_after = after_blocks.get(new.block_id)
            if new.kind == "segment" and block_before is not None and block_after is not None \
                    and old.block_id == new.block_id and \
                    (block_before.day, block_before.start, block_before.room) == \
                    (block_after.day, block_after.start, block_after.room):
                reason = "within its block: the segments were laid out again"
            elif new.kind == "segment" and block_before is not None \
                    and old.block_id in f.items:
                reason = f"its block moved: {why_moved(f, solution, old.block_id, block_before)}"
            elif request_id in f.items and old.kind == "session":
                reason = why_moved(f, solution, request_id, old)
            else:
                reason = f"it is placed as a {new.kind} now, not a {old.kind}"
        request = dataset.request_by_id[request_id]
        found.append({"request_id": request_id, "dc_ids": ";".join(request.dc_ids),
                      "change": change, "before": where(old) if old else "",
                      "after": where(new) if new else "", "reason": reason})
    found += [{"request_id": row.item_id, "dc_ids": ";".join(row.dc_ids), "change": "dropped",
               "before": where(row), "after": "",
               "reason": "withdrawn: its request is no longer in requests.csv"}
              for row in withdrawn if row.kind in placed]
    return sorted(found, key=lambda change: change["request_id"])


def count_changes(found: list[dict]) -> dict[str, int]:
    counts = Counter(row["change"] for row in found)
    return {change: counts.get(change, 0) for change in ("kept", "moved", "added", "dropped")}


# --- why a scenario has no schedule at all -------------------------------------------------

def requirement_text(dataset: Dataset, scenario: Scenario, requirement) -> str:
    if requirement in ("opening", "closing"):
        return f"the DC Day {requirement} ({getattr(scenario.dc_day, requirement)} min)"
    return str(requirement)


def moved_sessions_without_slot(f: Formulation) -> str | None:
    """The programme sessions the scenario moves that no slot takes by the single-item rules
    (each must be placed, so each alone leaves the scenario without a schedule), with the
    rule's reason; None when every one has a slot."""
    stuck = [(item, f.no_slot_reason[item_id]) for item_id, item in sorted(f.items.items())
             if item.kind == "programme" and item.required and item_id in f.no_slot_reason]
    if not stuck:
        return None
    return "; ".join(
        f"programme session {item.item_id} ({item.duration} min"
        + (f", kept to {item.days[0]} by programme.keep_day" if item.days else "")
        + f") fits nowhere: {reason}" for item, reason in stuck)


def requirements_in_conflict(dataset: Dataset, scenario: Scenario, core: list,
                             no_slot_reason: dict[str, str], moving: int = 0) -> str:
    """The requirements (plenaries, pins) that cannot hold together, in plain words (a pin
    that fits no slot at all by the single-item rules: that rule's reason). With none to
    blame, the `moving` programme sessions the scenario must place are named as what may not
    fit together."""
    if not core:
        return ("the solver proved the hard rules cannot all hold, and no plenary or pin alone "
                "is the cause" + (f"; the {moving} programme sessions the scenario moves must "
                                  "all be placed (programme.movable"
                                  + (", each on its own day: programme.keep_day"
                                     if scenario.programme.keep_day else "")
                                  + "), and together they may not fit" if moving else ""))
    named = [requirement_text(dataset, scenario, r) for r in core]
    plenaries = [r for r in core if r in ("opening", "closing")]
    if plenaries and len(plenaries) == len(core):
        day = dataset.day_by_label[scenario.dc_day.day]
        hours = (f"{day.label}'s hours {format_hhmm(day.open)}-{format_hhmm(day.close)} "
                 f"({day.close - day.open} min)")
        if len(plenaries) == 2:
            return (f"{named[0]} and {named[1]} do not fit together, one after the other, in "
                    f"{hours}, in the rooms open to the DC Day and free of the programme")
        return f"{named[0]} fits nowhere in {hours}"
    broken = broken_by_pins(dataset, scenario, [r for r in core if r not in plenaries])
    if len(core) == 1:
        request_id = getattr(core[0], "request_id", None)
        if broken:
            return f"{named[0]} cannot be kept: {'; '.join(broken)}"
        return no_slot_reason.get(request_id) or f"{named[0]} cannot be kept with the hard rules"
    return (f"these cannot all be kept together: {'; '.join(named)}"
            + (f" ({'; '.join(broken)})" if broken else ""))


def broken_by_pins(dataset: Dataset, scenario: Scenario, pins: list) -> list[str]:
    """The rules the checker finds broken by the sessions these pins ask for, as `check` names
    them (a pin naming a day, a start and a room is one placement; any other is left out)."""
    rows = [ScheduleRow(item_id=pin.request_id, kind="session", dc_ids=request.dc_ids,
                        day=pin.day, start=pin.start, end=pin.start + request.duration,
                        room=pin.room, themes=request.themes, speakers=request.speakers)
            for pin in pins if None not in (pin.day, pin.start, pin.room)
            for request in (dataset.request_by_id[pin.request_id],)]
    return [str(v) for v in Checker(dataset, scenario, rows).violations()] if rows else []
