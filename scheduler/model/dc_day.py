"""Mode `dc_day`: a day dedicated to the Dynamic Coalitions, ahead of the meeting or during it.

Every eligible request becomes one session restricted to `[dc_day] day` and the DC Day's rooms
(`[dc_day] rooms`, or every room open that day). The programme's sessions that day keep their
rooms and people: the shared engine (`slots`, `rules`, `goals`) places the sessions around them
under every hard rule and soft goal, as in every mode. This mode adds:

- an optional opening and closing plenary (`[dc_day] opening` / `closing`, minutes): required
  items of kind "plenary", exclusive (no DC session beside them: `rules.
  nothing_beside_exclusive_items`), each in the largest room free at its time, the opening over
  before any DC session starts and the closing starting after every DC session has ended;
- two soft goals: `tracks` (sessions on a theme kept in few rooms, so that they follow one
  another in "their" room rather than run in parallel) and `dc_parallel` (the most DC sessions
  running at the same time: the DCs' audience is split among them);
- for each request the day cannot hold, a reason that states the shortfall of room time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..domain import Dataset, Request
from ..eligibility import EligibilityReport
from ..errors import InputError
from ..scenario import Scenario
from ..schedule import ScheduleRow, Unscheduled
from ..timegrid import format_hhmm, units_covered
from .explain import clashes
from .individual import request_item, session_row
from .items import Item
from .slots import ROOM_RULES, Context
from .solve import Solution
from .variables import PlacementModel

OPENING_ID = "DCDAY-OPENING"
CLOSING_ID = "DCDAY-CLOSING"


def dc_day_rooms(scenario: Scenario) -> tuple[str, ...]:
    """The rooms open to the DC Day: `[dc_day] rooms`, narrowed by `[capacity] rooms` when both
    are set (the checker holds every DC item to `capacity.rooms`); empty = every room."""
    own, scenario_wide = scenario.dc_day.rooms, scenario.capacity.rooms
    if own and scenario_wide:
        return tuple(room for room in own if room in scenario_wide)
    return own or scenario_wide


def plenary_item(item_id: str, title: str, duration: int, day: str,
                 rooms: tuple[str, ...]) -> Item:
    """A DC Day plenary: required, alone among the DC items, worth nothing in `placed`."""
    return Item(item_id=item_id, kind="plenary", dc_ids=(), title=title, duration=duration,
                days=(day,), rooms=rooms, value=0, required=True, exclusive=True)


def slots_by_start(pm: PlacementModel, item_id: str) -> dict[int, list[cp_model.IntVar]]:
    """An item's slot variables grouped by start time (any room)."""
    by_start: dict[int, list] = defaultdict(list)
    for slot, var in pm.slots[item_id]:
        by_start[slot.start].append(var)
    return dict(sorted(by_start.items()))


def dc_sessions(pm: PlacementModel) -> list[str]:
    return [item_id for item_id, item in pm.items.items() if item.kind != "plenary"]


# --- hard rules of the mode -------------------------------------------------------------------

def plenary_in_largest_free_room(pm: PlacementModel, plenary_id: str) -> None:
    """At each start, the plenary may only take the largest room free then (ties: any of them).

    The plenary needs no feature and seats no stated audience, so its candidate rooms at a
    start are exactly the DC Day's rooms open that day and free of the programme for its whole
    length; DC sessions cannot hold a room then, the plenary being exclusive. Slots in smaller
    rooms are fixed to 0.
    """
    capacity = {room.room_id: room.capacity for room in pm.ctx.dataset.rooms}
    by_start: dict[int, list] = defaultdict(list)
    for slot, var in pm.slots[plenary_id]:
        by_start[slot.start].append((slot, var))
    for slots in by_start.values():
        largest = max(capacity[slot.room] for slot, _ in slots)
        for slot, var in slots:
            if capacity[slot.room] < largest:
                pm.cp.add(var == 0)


def opening_before_sessions(pm: PlacementModel, opening_id: str) -> None:
    """Every other DC Day item starts at or after the end of the opening plenary.

    Linear over slot booleans, one row per (item, start s):
        sum(item's slots starting at s, any room) <= sum(opening's slots ending by s).
    The opening takes exactly one slot (it is required), so the right side is 1 exactly when
    the opening is over by s, and 0 otherwise, which forbids starting at s. Each row is tight
    in the LP relaxation, unlike a big-M form over start times.
    """
    length = pm.items[opening_id].duration
    opening = slots_by_start(pm, opening_id)
    for item_id in pm.items:
        if item_id == opening_id:
            continue
        for start, at_start in slots_by_start(pm, item_id).items():
            over_by_then = [var for t, vars_ in opening.items() if t + length <= start
                            for var in vars_]
            pm.cp.add(sum(at_start) <= sum(over_by_then))


def closing_after_sessions(pm: PlacementModel, closing_id: str) -> None:
    """The closing plenary starts at or after the end of every other DC Day item.

    One row per (item, start s), with e = s + the item's length:
        sum(item's slots starting at s, any room) <= sum(closing's slots starting at e or later).
    """
    closing = slots_by_start(pm, closing_id)
    for item_id, item in pm.items.items():
        if item_id == closing_id:
            continue
        for start, at_start in slots_by_start(pm, item_id).items():
            later = [var for t, vars_ in closing.items() if t >= start + item.duration
                     for var in vars_]
            pm.cp.add(sum(at_start) <= sum(later))


# --- soft goals of the mode -------------------------------------------------------------------

def thematic_tracks(pm: PlacementModel) -> None:
    """Penalise each (theme, room) pair in use: a room holding a DC session on that theme.

    Summed over themes, this is how many rooms a participant following one theme must visit,
    summed over the themes. A theme whose sessions all run in one room (a track: one after the
    other, never in parallel) costs 1; spread over three rooms, 3. A session with two themes
    counts in both. Unit: rooms per theme, summed.
    """
    weight = pm.scenario.weights.tracks
    if not weight:
        return
    sessions = dc_sessions(pm)
    in_use = []
    for theme in sorted({t for i in sessions for t in pm.items[i].themes}):
        by_room: dict[str, list[list]] = defaultdict(list)
        for item_id in sessions:
            if theme not in pm.items[item_id].themes:
                continue
            per_room: dict[str, list] = defaultdict(list)
            for slot, var in pm.slots[item_id]:
                per_room[slot.room].append(var)
            for room, vars_ in per_room.items():
                by_room[room].append(vars_)
        for room in sorted(by_room):
            used = pm.cp.new_bool_var(f"track[{theme},{room}]")
            for vars_ in by_room[room]:
                pm.cp.add(sum(vars_) <= used)
            in_use.append(used)
    pm.add_term("tracks", weight, sum(in_use), -1, "rooms used per theme, summed over themes")


def dc_parallel_peak(pm: PlacementModel) -> None:
    """Penalise the most DC sessions running at the same time on the DC Day.

    Each parallel DC session splits the audience that came for the DCs; the total count of
    parallel pairs is already in `parallel_sessions`, this term flattens the peak. Unit: DC
    sessions at the busiest grid unit.
    """
    weight = pm.scenario.weights.dc_parallel
    sessions = dc_sessions(pm)
    if not weight or not sessions:
        return
    running: dict[tuple[str, int], list] = defaultdict(list)
    for item_id in sessions:
        for key, vars_ in pm.cover[item_id].items():
            running[key].extend(vars_)
    peak = pm.cp.new_int_var(0, len(sessions), "dc_parallel[peak]")
    for key in sorted(running):
        pm.cp.add(sum(running[key]) <= peak)
    pm.add_term("dc_parallel", weight, peak, -1, "most DC sessions running at the same time")


# --- room time left on the day, and the shortfall ---------------------------------------------

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
    day, rooms = scenario.dc_day.day, dc_day_rooms(scenario)
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


def left_out_requests(dataset: Dataset, report: EligibilityReport,
                      unscheduled: list[Unscheduled]) -> list[Request]:
    """The eligible requests that got nothing."""
    requests = [dataset.request_by_id[u.request_id] for u in unscheduled]
    return [r for r in requests if report.request_failure(r) is None]


def dc_day_metrics(dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                   rows: list[ScheduleRow], unscheduled: list[Unscheduled]) -> dict:
    """The DC Day's own figures: its day, rooms, plenaries, theme tracks and any shortfall."""
    day, rooms = scenario.dc_day.day, dc_day_rooms(scenario)
    open_rooms = [r.room_id for r in dataset.rooms
                  if r.open_on(day) and (not rooms or r.room_id in rooms)]
    tracks: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.kind == "session":
            for theme in row.themes:
                tracks[theme].add(row.room)
    shortfall = room_time_shortfall(dataset, scenario, rows,
                                    left_out_requests(dataset, report, unscheduled),
                                    Context.of(dataset))
    return {
        "day": day,
        "rooms_open": len(open_rooms),
        "plenaries": [f"{r.item_id} {r.window} {r.room}" for r in rows if r.kind == "plenary"],
        "rooms_used": len({r.room for r in rows if r.kind == "session"}),
        "theme_rooms": sum(len(v) for v in tracks.values()),
        "tracks": {theme: sorted(v) for theme, v in sorted(tracks.items())},
        "shortfall": shortfall.as_dict() if shortfall else None,
    }


# --- the mode ---------------------------------------------------------------------------------

class DcDayMode:
    """Every eligible request on the DC Day, with an optional opening and closing plenary."""

    name = "dc_day"

    def __init__(self, dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                 requests: list[Request] | None = None):
        self.dataset, self.scenario, self.report = dataset, scenario, report
        self.settings = scenario.dc_day
        self.day = self.settings.day
        self.rooms = dc_day_rooms(scenario)
        if scenario.capacity.days and self.day not in scenario.capacity.days:
            raise InputError(scenario.source, f"key 'dc_day.day': '{self.day}' is not among "
                             f"capacity.days ({', '.join(scenario.capacity.days)})")
        if self.settings.rooms and scenario.capacity.rooms and not self.rooms:
            raise InputError(scenario.source, "key 'dc_day.rooms': none of them is among "
                             "capacity.rooms")
        self.requests = sorted(dataset.requests if requests is None else requests,
                               key=lambda r: r.request_id)
        self.ineligible = {r.request_id: reason for r in self.requests
                           if (reason := report.request_failure(r))}

    def plenaries(self) -> list[tuple[str, str, Item]]:
        """(scenario key, role, item) of each configured plenary."""
        configured = [("dc_day.opening", "opening", OPENING_ID, self.settings.opening),
                      ("dc_day.closing", "closing", CLOSING_ID, self.settings.closing)]
        return [(key, role, plenary_item(item_id, f"DC Day {role} plenary", minutes, self.day,
                                         self.rooms))
                for key, role, item_id, minutes in configured if minutes]

    def items(self) -> list[Item]:
        sessions = [request_item(r, self.dataset, days=(self.day,), rooms=self.rooms)
                    for r in self.requests if r.request_id not in self.ineligible]
        return sessions + [item for _, _, item in self.plenaries()]

    def constrain(self, pm: PlacementModel) -> None:
        for key, role, item in self.plenaries():
            if item.item_id in pm.no_slot_reason:
                raise InputError(self.scenario.source, f"key '{key}': the {item.duration}-minute "
                                 f"{role} plenary has no slot on {self.day}: "
                                 f"{pm.no_slot_reason[item.item_id]}")
            plenary_in_largest_free_room(pm, item.item_id)
        if self.settings.opening:
            opening_before_sessions(pm, OPENING_ID)
        if self.settings.closing:
            closing_after_sessions(pm, CLOSING_ID)
        thematic_tracks(pm)
        dc_parallel_peak(pm)

    def rows(self, pm: PlacementModel, solution: Solution) -> list[ScheduleRow]:
        placed = [session_row(pm.items[item_id], pm, solution) for item_id in solution.chosen]
        return sorted(placed, key=lambda r: (r.start, r.room, r.item_id))

    def unscheduled(self, pm: PlacementModel, solution: Solution) -> list[Unscheduled]:
        left_out = [r for r in self.requests if r.request_id not in solution.chosen]
        if not solution.has_schedule:
            return [Unscheduled(r.request_id, r.dc_ids, self.ineligible.get(r.request_id)
                                or f"no schedule: the solver ended {solution.status}")
                    for r in left_out]
        rows = self.rows(pm, solution)
        eligible_left_out = [r for r in left_out if r.request_id not in self.ineligible]
        shortfall = room_time_shortfall(self.dataset, self.scenario, rows, eligible_left_out,
                                        pm.ctx)
        window = session_window(self.dataset, self.scenario, rows)
        placed_priorities = sorted(self.dataset.request_by_id[i].priority
                                   for i in solution.chosen if i in self.dataset.request_by_id)
        return [Unscheduled(r.request_id, r.dc_ids, self.ineligible.get(r.request_id)
                            or self.left_out_reason(pm, solution, r, rows, window,
                                                    placed_priorities, shortfall))
                for r in left_out]

    def left_out_reason(self, pm: PlacementModel, solution: Solution, request: Request,
                        rows: list[ScheduleRow], window: tuple[int, int],
                        placed_priorities: list[int], shortfall: Shortfall | None) -> str:
        """Why an eligible request got nothing: its own obstacle, its priority, the shortfall."""
        item = pm.items[request.request_id]
        parts = [self.own_obstacle(pm, solution, item, rows, window)]
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

    def own_obstacle(self, pm: PlacementModel, solution: Solution, item: Item,
                     rows: list[ScheduleRow], window: tuple[int, int]) -> str:
        """What stands in the way of this request on the DC Day, in a planner's words."""
        if item.item_id in pm.no_slot_reason:
            return f"no slot on {self.day}: {pm.no_slot_reason[item.item_id]}"
        # Overlapping a plenary implies lying outside the session window, said in plainer words.
        plenary_clashes = {f"exclusive {OPENING_ID}", f"exclusive {CLOSING_ID}"}
        blocked: Counter = Counter()
        free_slots = 0
        for slot, _ in pm.slots[item.item_id]:
            found = set(clashes(pm, item.item_id, slot, solution)) - plenary_clashes
            if slot.start < window[0]:
                found.add("before the opening ends")
            if slot.start + item.duration > window[1]:
                found.add("after the closing starts")
            blocked.update(found)
            free_slots += not found
        if free_slots:
            return (f"{counted(free_slots, 'free slot')} left on {self.day}, but placing it "
                    "there would cost more (theme clashes, parallel sessions, online hours, "
                    "tracks) than weights.placed gains")
        rooms = fitting_rooms(item, self.day, pm.ctx)
        gaps = free_gaps(self.dataset, self.day, rooms, rows, window)
        lengths = [end - start for runs in gaps.values() for start, end in runs]
        # Ties ordered by text: the order of a set of strings changes from run to run.
        ranked = sorted(blocked.items(), key=lambda pair: (-pair[1], pair[0]))[:3]
        common = ", ".join(f"{what} ({counted(n, 'slot')})" for what, n in ranked)
        return (f"no free slot left on {self.day}: {common}; the rooms that fit it "
                f"({', '.join(rooms)}) have {sum(lengths)} free minutes left, the longest gap "
                f"{max(lengths, default=0)} min, and it needs {item.duration} min")
