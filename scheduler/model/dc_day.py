"""Mode `dc_day`: a day dedicated to the Dynamic Coalitions, ahead of the meeting or during it.

Every eligible request becomes one session restricted to `[dc_day] day` and the DC Day's rooms
(`[dc_day] rooms`, or every room open that day). The programme's sessions that day keep their
rooms and people: the shared engine (`slots`, `rules`, `goals`) places the sessions around them
under every hard rule and soft goal, as in every mode. This mode adds:

- an optional opening and closing plenary (`[dc_day] opening` / `closing`, minutes): required
  items of kind "plenary", exclusive (no DC session beside them: `rules.
  nothing_beside_exclusive_items`), each in the largest room free at its time, the opening over
  before any DC session starts and the closing starting after every DC session has ended;
- three soft goals: `tracks` (sessions on a theme kept in few rooms, so that they follow one
  another in "their" room rather than run in parallel), `dc_parallel` (the most DC sessions
  running at the same time: the DCs' audience is split among them) and `displaced_placed` (the
  programme sessions its reservation displaces placed again on another day,
  `moving_programme.displaced_items`);
- for each request the day cannot hold, a reason that states the shortfall of room time
  (`scheduler/reasons.py`).
"""

from __future__ import annotations

from collections import defaultdict

from ..domain import Dataset, Pin, Request
from ..errors import InputError
from ..scenario import Scenario
from .formulation import Formulation
from .individual import placement_of, request_item
from .items import Item, Placement
from .moving_programme import is_displaced
from .slots import Context, room_starts
from .solve import Solution

OPENING_ID = "DCDAY-OPENING"
CLOSING_ID = "DCDAY-CLOSING"


def plenary_item(item_id: str, title: str, duration: int, day: str,
                 rooms: tuple[str, ...]) -> Item:
    """A DC Day plenary: required, alone among the DC items, worth nothing in `placed`."""
    return Item(item_id=item_id, kind="plenary", dc_ids=(), title=title, duration=duration,
                days=(day,), rooms=rooms, value=0, required=True, exclusive=True)


def dc_day_items(f: Formulation) -> list[str]:
    """The DC Day's own items (its sessions and plenaries), not the displaced programme."""
    return [item_id for item_id, item in f.items.items() if item.kind != "programme"]


def dc_sessions(f: Formulation) -> list[str]:
    return [item_id for item_id, item in f.items.items()
            if item.kind not in ("plenary", "programme")]


# --- hard rules of the mode -------------------------------------------------------------------

def plenary_in_largest_free_room(f: Formulation, plenary_id: str) -> None:
    """At each start, the plenary may only take the largest room free then (ties: any of them).

    The plenary needs no feature and seats no stated audience, so its candidate rooms at a
    start are exactly the DC Day's rooms open that day and free of the programme for its whole
    length; DC sessions cannot hold a room then, the plenary being exclusive. Slots in smaller
    rooms are fixed to 0.
    """
    capacity = {room.room_id: room.capacity for room in f.ctx.dataset.rooms}
    by_start: dict[int, list] = defaultdict(list)
    for slot, var in f.slot_literals(plenary_id):
        by_start[slot.start].append((slot, var))
    for slots in by_start.values():
        largest = max(capacity[slot.room] for slot, _ in slots)
        for slot, var in slots:
            if capacity[slot.room] < largest:
                f.cp.add(var == 0)


def opening_before_sessions(f: Formulation) -> None:
    """Every other DC Day item starts at or after the end of the opening plenary."""
    for item_id in dc_day_items(f):
        if item_id != OPENING_ID:
            f.ends_before(OPENING_ID, item_id)


def closing_after_sessions(f: Formulation) -> None:
    """The closing plenary starts at or after the end of every other DC Day item."""
    for item_id in dc_day_items(f):
        if item_id != CLOSING_ID:
            f.ends_before(item_id, CLOSING_ID)


# --- soft goals of the mode -------------------------------------------------------------------

def tracks(f: Formulation) -> None:
    """Penalise each (theme, room) pair in use: a room holding a DC session on that theme.

    Summed over themes, this is how many rooms a participant following one theme must visit,
    summed over the themes. A theme whose sessions all run in one room (a track: one after the
    other, never in parallel) costs 1; spread over three rooms, 3. A session with two themes
    counts in both. Unit: rooms per theme, summed.
    """
    sessions = dc_sessions(f)
    in_use = []
    for theme in sorted({t for i in sessions for t in f.items[i].themes}):
        by_room: dict[str, list] = defaultdict(list)
        for item_id in sessions:
            if theme in f.items[item_id].themes:
                for room, used in f.room_use(item_id).items():
                    by_room[room].append(used)
        for room in sorted(by_room):
            used = f.cp.new_bool_var(f"track[{theme},{room}]")
            for in_room in by_room[room]:
                f.cp.add(in_room <= used)
            in_use.append(used)
    f.add_term("tracks", sum(in_use))


def dc_parallel(f: Formulation) -> None:
    """Penalise the most DC sessions running at the same time on the DC Day.

    Each parallel DC session splits the audience that came for the DCs; the total count of
    parallel pairs is already in `parallel_sessions`, this term flattens the peak. Unit: DC
    sessions at the busiest moment.
    """
    sessions = dc_sessions(f)
    if sessions:
        f.add_term("dc_parallel", f.peak(sessions, "dc_parallel[peak]"))


def displaced_placed(f: Formulation) -> None:
    """Reward each programme session the DC Day's reservation displaces that is placed again
    on another day: the DC Day takes its day, and gives the programme back what it can.
    Unit: sessions placed again."""
    again = [f.placed[i] for i, item in f.items.items() if is_displaced(item)]
    if again:
        f.add_term("displaced_placed", sum(again))


DC_DAY_GOALS = (tracks, dc_parallel, displaced_placed)


# --- the mode ---------------------------------------------------------------------------------

class DcDayMode:
    """Every eligible request on the DC Day, with an optional opening and closing plenary."""

    name = "dc_day"

    def __init__(self, dataset: Dataset, scenario: Scenario, requests: list[Request],
                 pins: dict[str, Pin] | None = None):
        self.dataset, self.scenario, self.pins = dataset, scenario, pins or {}
        self.settings = scenario.dc_day
        self.day = self.settings.day
        self.rooms = scenario.dc_day_rooms
        self.requests = sorted(requests, key=lambda r: r.request_id)

    def plenaries(self) -> list[tuple[str, str, Item]]:
        """(scenario key, role, item) of each configured plenary."""
        configured = [("dc_day.opening", "opening", OPENING_ID, self.settings.opening),
                      ("dc_day.closing", "closing", CLOSING_ID, self.settings.closing)]
        return [(key, role, plenary_item(item_id, f"DC Day {role} plenary", minutes, self.day,
                                         self.rooms))
                for key, role, item_id, minutes in configured if minutes]

    def items(self) -> list[Item]:
        sessions = [request_item(r, self.dataset, days=(self.day,), rooms=self.rooms,
                                 pin=self.pins.get(r.request_id)) for r in self.requests]
        return sessions + [item for _, _, item in self.plenaries()]

    def check_input(self, ctx: Context) -> None:
        """The DC Day's day and rooms agree with [capacity], and each plenary has a slot."""
        scenario = self.scenario
        if scenario.capacity.days and self.day not in scenario.capacity.days:
            raise InputError(scenario.source, f"key 'dc_day.day': '{self.day}' is not among "
                             f"capacity.days ({', '.join(scenario.capacity.days)})")
        if self.settings.rooms and scenario.capacity.rooms and not self.rooms:
            raise InputError(scenario.source, "key 'dc_day.rooms': none of them is among "
                             "capacity.rooms")
        for key, role, item in self.plenaries():
            _, reason = room_starts(item, ctx)
            if reason:
                raise InputError(scenario.source, f"key '{key}': the {item.duration}-minute "
                                 f"{role} plenary has no slot on {self.day}: {reason}")

    def constrain(self, f: Formulation) -> None:
        for _, _, item in self.plenaries():
            plenary_in_largest_free_room(f, item.item_id)
        if self.settings.opening:
            opening_before_sessions(f)
        if self.settings.closing:
            closing_after_sessions(f)
        for goal in DC_DAY_GOALS:
            if getattr(f.scenario.weights, goal.__name__):
                goal(f)

    def placements(self, f: Formulation, solution: Solution) -> list[Placement]:
        placed = [placement_of(f, item_id, solution) for item_id in solution.chosen
                  if f.items[item_id].kind != "programme"]
        return sorted(placed, key=lambda p: (p.start, p.room, p.item_id))
