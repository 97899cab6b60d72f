"""Where each item may go: every hard rule that judges one item against the fixed data.

Each rule is a named predicate. Rules run in order, each narrowing the slots the previous
ones kept; when a rule leaves nothing, its explanation is the item's reason for not being
placed. Rules between DC items (rooms, people, coalitions shared) live in `rules.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..domain import Dataset, Room
from ..timegrid import format_hhmm, overlap
from .items import Item, Slot
from .programme import ProgrammeIndex

# (day, room id) -> the starts (minutes) an item may take there
Starts = dict[tuple[str, str], tuple[int, ...]]


@dataclass(frozen=True)
class Context:
    dataset: Dataset
    programme: ProgrammeIndex

    @classmethod
    def of(cls, dataset: Dataset) -> "Context":
        return cls(dataset, ProgrammeIndex(dataset))


# --- rules on a room for an item on a day -----------------------------------------------------

def room_allowed(item: Item, room: Room, day: str, ctx: Context) -> bool:
    """The scenario (or the mode) opens this room to the item."""
    return not item.rooms or room.room_id in item.rooms


def room_open(item: Item, room: Room, day: str, ctx: Context) -> bool:
    """The room is available on that day."""
    return room.open_on(day)


def room_capacity(item: Item, room: Room, day: str, ctx: Context) -> bool:
    """The room seats the expected attendance."""
    return room.capacity >= item.attendance


def room_features(item: Item, room: Room, day: str, ctx: Context) -> bool:
    """The room has every feature the item needs (hybrid, captioning, step-free, ...)."""
    return item.needs <= room.features


def pinned_room(item: Item, room: Room, day: str, ctx: Context) -> bool:
    """A pinned item stays on its pinned day and in its pinned room (where the pin names them)."""
    pin = item.pin
    return pin is None or ((pin.day is None or day == pin.day)
                           and (pin.room is None or room.room_id == pin.room))


# --- rules on a time window for an item -------------------------------------------------------

def off_breaks(item: Item, day: str, start: int, end: int, ctx: Context) -> bool:
    """No session crosses one of the day's breaks."""
    return not any(overlap(b_start, b_end, start, end)
                   for b_start, b_end in ctx.dataset.day_by_label[day].breaks)


def off_exclusive_items(item: Item, day: str, start: int, end: int, ctx: Context) -> bool:
    """Nothing runs in parallel with an exclusive programme item (e.g. the opening)."""
    return ctx.programme.exclusive_clash(day, start, end) is None


def speakers_available(item: Item, day: str, start: int, end: int, ctx: Context) -> bool:
    """Outside every window in which a key speaker said they cannot attend."""
    return not any(w.day == day and overlap(w.start, w.end, start, end) for w in item.unavailable)


def people_free_of_programme(item: Item, day: str, start: int, end: int, ctx: Context) -> bool:
    """No speaker is busy in a fixed programme session at that time, or within the event's
    transition of it (a speaker changing rooms)."""
    gap = ctx.dataset.event.transition
    return all(ctx.programme.person_clash(p, day, start - gap, end + gap) is None
               for p in item.people)


def pinned_start(item: Item, day: str, start: int, end: int, ctx: Context) -> bool:
    """A pinned item keeps its pinned start (where the pin names one)."""
    return item.pin is None or item.pin.start is None or start == item.pin.start


# --- rule on a room at a time -----------------------------------------------------------------

def room_free_of_programme(item: Item, slot: Slot, ctx: Context) -> bool:
    """The room holds no fixed programme session at that time, or within the event's transition
    of it (the room changing over)."""
    gap = ctx.dataset.event.transition
    return ctx.programme.room_clash(slot.room, slot.day, slot.start - gap,
                                    slot.start + item.duration + gap) is None


# A pin is judged after every other rule, so that a pin the rules cannot keep says which pin.
ROOM_RULES = (room_allowed, room_open, room_capacity, room_features, pinned_room)
TIME_RULES = (off_breaks, off_exclusive_items, speakers_available, people_free_of_programme,
              pinned_start)


def explain(rule, item: Item, ctx: Context) -> str:
    """Why `rule` left `item` without any slot, in a planner's words."""
    rooms = ctx.dataset.rooms
    if rule is room_allowed:
        return ("scenario scope: no room open to DC items fits it "
                f"(allowed: {', '.join(item.rooms)})")
    if rule is room_open:
        return f"rooms closed: no allowed room is open on {', '.join(item.days) or 'any day'}"
    if rule is room_capacity:
        days = item.days or [d.label for d in ctx.dataset.event.days]
        largest = max((r for r in rooms if room_allowed(item, r, "", ctx)
                       and any(r.open_on(day) for day in days)), key=lambda r: r.capacity)
        return (f"room capacity: no allowed room seats {item.attendance} "
                f"(largest: {largest.room_id}, {largest.capacity})")
    if rule is room_features:
        return f"room features: no allowed room large enough has {' + '.join(sorted(item.needs))}"
    if rule is off_breaks:
        return f"day hours and breaks: no window of {item.duration} min on the allowed days"
    if rule is off_exclusive_items:
        return "exclusive items: every window overlaps an exclusive programme item"
    if rule is speakers_available:
        return ("unavailable windows: the speakers' unavailable windows cover every start "
                f"({'; '.join(str(w) for w in item.unavailable)})")
    if rule is people_free_of_programme:
        return ("speakers busy: at every remaining time a speaker is in a programme session "
                f"({', '.join(sorted(item.people))})")
    if rule is pinned_room:
        return (f"pin: {item.pin} cannot be kept: the other rules leave that day and room "
                "out for it (scope, capacity, features, rooms open)")
    if rule is pinned_start:
        return (f"pin: {item.pin} cannot be kept: the other rules leave that start out for it "
                "(hours, breaks, exclusive items, speakers)")
    if rule is room_free_of_programme:
        return "rooms taken: every suitable room is taken by the programme whenever it could run"
    raise ValueError(rule)


def starts(ctx: Context, day: str, duration: int) -> range:
    """Grid-aligned starts at which `duration` minutes fit inside the day's hours."""
    hours = ctx.dataset.day_by_label[day]
    grid = ctx.dataset.event.granularity
    first = -(-hours.open // grid) * grid
    return range(first, hours.close - duration + 1, grid)


def room_starts(item: Item, ctx: Context) -> tuple[Starts, str | None]:
    """Every start that passes the single-item hard rules, per (day, room id) in day and
    dataset room order, or none and the reason why: `candidate_slots` without building a
    `Slot` per start (the interval formulation reads it as is, at whole-programme scale)."""
    days = [d.label for d in ctx.dataset.event.days if not item.days or d.label in item.days]
    rooms_by_day = {day: list(ctx.dataset.rooms) for day in days}
    for rule in ROOM_RULES:
        rooms_by_day = {day: [r for r in rooms if rule(item, r, day, ctx)]
                        for day, rooms in rooms_by_day.items()}
        if not any(rooms_by_day.values()):
            return {}, explain(rule, item, ctx)
    windows = [(day, start) for day in days if rooms_by_day[day]
               for start in starts(ctx, day, item.duration)]
    if not windows:
        return {}, explain(off_breaks, item, ctx)
    for rule in TIME_RULES:
        windows = [(day, s) for day, s in windows if rule(item, day, s, s + item.duration, ctx)]
        if not windows:
            return {}, explain(rule, item, ctx)
    by_day: dict[str, list[int]] = {}
    for day, start in windows:
        by_day.setdefault(day, []).append(start)
    found: dict[tuple[str, str], tuple[int, ...]] = {}
    for day, day_starts in by_day.items():
        every = tuple(day_starts)
        for room in rooms_by_day[day]:
            # A room without programme sessions that day passes `room_free_of_programme` at
            # every start: skip the calls (and share one tuple) for it.
            if not ctx.programme.room_busy.get((room.room_id, day)):
                found[(day, room.room_id)] = every
            elif kept := tuple(s for s in every if room_free_of_programme(
                    item, Slot(day, s, room.room_id), ctx)):
                found[(day, room.room_id)] = kept
    if not found:
        return {}, explain(room_free_of_programme, item, ctx)
    return found, None


def starts_of_items(items: Iterable[Item], ctx: Context) -> dict[str, tuple[Starts, str | None]]:
    """item id -> its `room_starts`: computed once, read by the choice of formulation and by the
    formulation."""
    return {item.item_id: room_starts(item, ctx) for item in items}


def candidate_slots(item: Item, ctx: Context) -> tuple[list[Slot], str | None]:
    """Every slot that passes the single-item hard rules, or none and the reason why."""
    found, reason = room_starts(item, ctx)
    if reason:
        return [], reason
    slots = [Slot(day, start, room) for (day, room), day_starts in found.items()
             for start in day_starts]
    return sorted(slots, key=lambda s: (ctx.dataset.day_index[s.day], s.start, s.room)), None


def describe_slot(slot: Slot, duration: int) -> str:
    return f"{slot.day} {format_hhmm(slot.start)}-{format_hhmm(slot.start + duration)} {slot.room}"


def slot_obstacle(item: Item, slot: Slot, ctx: Context) -> str | None:
    """The name of the first single-item hard rule that forbids `item` at `slot` (None when
    none does): what changed for a placement that must move."""
    room = ctx.dataset.room_by_id.get(slot.room)
    if slot.day not in ctx.dataset.day_by_label or room is None:
        return "room_open"
    if item.days and slot.day not in item.days:
        return room_allowed.__name__
    for rule in ROOM_RULES:
        if not rule(item, room, slot.day, ctx):
            return rule.__name__
    if slot.start not in starts(ctx, slot.day, item.duration):
        return off_breaks.__name__
    for rule in TIME_RULES:
        if not rule(item, slot.day, slot.start, slot.start + item.duration, ctx):
            return rule.__name__
    if not room_free_of_programme(item, slot, ctx):
        return room_free_of_programme.__name__
    return None
