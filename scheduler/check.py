"""The independent checker: judges any schedule (solver's or hand-edited) against the hard rules.

Plain Python over concrete times, written without the model, so that it can be the oracle of
the solver's tests. Each rule is one function yielding `Violation`s in plain words.
"""

from __future__ import annotations

import dataclasses

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, combinations
from pathlib import Path
from typing import Callable, Iterator

from .domain import NO_THEME, Dataset, Pin, Request, people_unavailable, request_themes
from .eligibility import EligibilityReport
from .reserve import Reservation, programme_as_scheduled, reserve_for_dc_day
from .scenario import Scenario
from .schedule import ScheduleRow, check_schedule_references, read_schedule_rows
from .timegrid import Window, format_hhmm, overlap


@dataclass(frozen=True)
class Violation:
    rule: str
    item_id: str
    message: str
    row: int | None = None      # the row of schedule.csv, when judged from the file

    def __str__(self) -> str:
        where = f" (row {self.row})" if self.row is not None else ""
        return f"[{self.rule}] {self.item_id}: {self.message}{where}"


@dataclass(frozen=True)
class Entry:
    """Anything that runs at a time: a programme session or a schedule row."""

    entry_id: str
    is_dc: bool
    window: Window
    room: str
    people: frozenset[str]
    themes: frozenset[str]
    dc_ids: frozenset[str]
    exclusive: bool
    block_id: str = ""
    moved: bool = False         # a programme session placed by the schedule (a `programme` row)

    def clashes_with(self, other: "Entry", margin: int = 0) -> bool:
        """They overlap, or (with a margin) run less than `margin` minutes apart."""
        window = Window(self.window.day, self.window.start - margin, self.window.end + margin)
        return self.entry_id != other.entry_id and window.overlaps(other.window)

    def nested_in(self, other: "Entry") -> bool:
        """A segment and its own block are meant to overlap."""
        return self.block_id == other.entry_id or other.block_id == self.entry_id


class Checker:
    """`rows` are the schedule's: DC items (`self.rows`) and programme sessions it moved
    (`self.moved`, kind `programme`), which stand at their moved times in `self.programme`;
    `pins` are the placements it must keep. `dataset` is as given; a DC Day that reserves rooms
    (or its day) is judged without the sessions it displaces, except those the schedule places
    again (`reservation`: made here unless given)."""

    def __init__(self, dataset: Dataset, scenario: Scenario, rows: list[ScheduleRow],
                 pins: tuple[Pin, ...] = (), reservation: Reservation | None = None):
        self.reservation = reservation or reserve_for_dc_day(dataset, scenario)
        self.dataset, self.scenario, self.pins = dataset, scenario, pins
        self.rows = [r for r in rows if r.kind != "programme"]
        self.moved = [r for r in rows if r.kind == "programme"]
        # The dataset with the programme where the schedule leaves it.
        self.scheduled = programme_as_scheduled(self.reservation, self.moved)
        self.programme = self.scheduled.programme
        self.report = EligibilityReport(dataset, scenario.eligibility)

    def request(self, row: ScheduleRow) -> Request | None:
        return self.dataset.request_by_id.get(row.item_id)

    def people(self, row: ScheduleRow) -> frozenset[str]:
        if (request := self.request(row)) is not None:
            return frozenset(request.speakers)
        return frozenset().union(*(self.people(r) for r in self.rows
                                   if r.block_id == row.item_id and r is not row))

    @cached_property
    def block_ids(self) -> set[str]:
        return {row.item_id for row in self.rows if row.kind == "block"}

    def holds_presenters(self, row: ScheduleRow) -> bool:
        """A block holds its presenters' speakers and DCs for its whole time only when they
        stay for it (`block.presence`); else each segment holds its own."""
        return row.kind != "block" or self.scenario.block.presence == "whole_block"

    @cached_property
    def dc_entries(self) -> list[Entry]:
        return [Entry(r.item_id, True, r.window, r.room if r.occupies_room else "",
                      self.people(r) if self.holds_presenters(r) else frozenset(),
                      frozenset(r.themes),
                      frozenset(r.dc_ids) if self.holds_presenters(r) else frozenset(), False,
                      r.block_id) for r in self.rows]

    @cached_property
    def programme_entries(self) -> list[Entry]:
        moved = {r.item_id for r in self.moved}
        return [Entry(s.session_id, False, s.window, s.room or "", frozenset(s.people),
                      frozenset(s.themes), frozenset(), s.exclusive,
                      moved=s.session_id in moved)
                for s in self.programme]

    def clashing_pairs(self, margin: int = 0) -> Iterator[tuple[Entry, Entry]]:
        """Every overlapping pair (or less than `margin` minutes apart) with at least one DC
        entry (DC pairs once)."""
        for a, b in combinations(self.dc_entries, 2):
            if a.clashes_with(b, margin) and not a.nested_in(b):
                yield a, b
        for a in self.dc_entries:
            for b in self.programme_entries:
                if a.clashes_with(b, margin):
                    yield a, b

    def moved_pairs(self, margin: int = 0) -> Iterator[tuple[Entry, Entry]]:
        """Overlapping pairs (or less than `margin` minutes apart) of programme sessions of
        which at least one was moved (a moved one first): the fixed programme is judged by the
        loader, the moves here."""
        by_day: dict[str, list[Entry]] = {}
        for entry in self.programme_entries:
            by_day.setdefault(entry.window.day, []).append(entry)
        for entries in by_day.values():
            entries.sort(key=lambda e: (e.window.start, e.entry_id))
            for index, a in enumerate(entries):
                for b in entries[index + 1:]:
                    if b.window.start >= a.window.end + margin:
                        break
                    if (a.moved or b.moved) and a.clashes_with(b, margin):
                        yield (a, b) if a.moved else (b, a)

    def all_pairs(self) -> Iterator[tuple[Entry, Entry]]:
        """Every overlapping pair the hard rules between sessions judge."""
        yield from self.clashing_pairs()
        yield from self.moved_pairs()

    def violations(self) -> list[Violation]:
        return [v for rule in CHECKS for v in rule(self)]


def _needs(checker: Checker, request: Request) -> set[str]:
    people = checker.dataset.person_by_id
    return set(request.needs) | ({"hybrid"} if any(not people[p].onsite
                                                   for p in request.speakers) else set())


# --- rules -----------------------------------------------------------------------------------

CHECKS: list[Callable[[Checker], Iterator[Violation]]] = []


def judges(*tags: str):
    """Register a check and the tags (`Violation.rule`) it reports under: the names by which
    `catalogue.HARD_RULES` says which check judges each rule."""
    def register(check):
        check.tags = tags
        CHECKS.append(check)
        return check
    return register


@judges("eligibility")
def eligible_only(c: Checker):
    """No ineligible request (or DC) is placed."""
    for row in c.rows:
        if (request := c.request(row)) and (reason := c.report.request_failure(request)):
            yield Violation("eligibility", row.item_id, reason)


@judges("placed_once")
def placed_once(c: Checker):
    """A request is placed at most once."""
    for item_id, n in Counter(r.item_id for r in c.rows).items():
        if n > 1:
            yield Violation("placed_once", item_id, f"placed {n} times")


@judges("request")
def matches_request(c: Checker):
    """The row's DCs and (for a session) its length are the request's."""
    for row in c.rows:
        if (request := c.request(row)) is None:
            continue
        if tuple(row.dc_ids) != tuple(request.dc_ids):
            yield Violation("request", row.item_id, f"DCs {';'.join(row.dc_ids)} differ from the "
                            f"request's {';'.join(request.dc_ids)}")
        if row.kind == "session" and row.end - row.start != request.duration:
            yield Violation("request", row.item_id, f"lasts {row.end - row.start} min, the "
                            f"request asks for {request.duration}")


@judges("hours", "breaks", "date")
def within_day_hours(c: Checker):
    """Inside the day's opening hours, starting on the time grid, off the breaks."""
    grid = c.dataset.event.granularity
    for row in c.rows + c.moved:
        day = c.dataset.day_by_label[row.day]
        if row.end <= row.start:
            yield Violation("hours", row.item_id, "ends before it starts")
        if row.start < day.open or row.end > day.close:
            yield Violation("hours", row.item_id, f"{row.window} is outside {day.label}'s hours "
                            f"{format_hhmm(day.open)}-{format_hhmm(day.close)}")
        if row.start % grid and row.kind != "segment":   # segments split a block by the minute
            yield Violation("hours", row.item_id, f"starts at {format_hhmm(row.start)}, off the "
                            f"{grid}-minute grid")
        for start, end in day.breaks:
            if overlap(start, end, row.start, row.end) and row.kind != "segment":
                yield Violation("breaks", row.item_id, f"crosses the break "
                                f"{format_hhmm(start)}-{format_hhmm(end)}")
        if row.date and row.date != day.date.isoformat():
            yield Violation("date", row.item_id, f"date {row.date} is not {day.label}'s date "
                            f"{day.date.isoformat()}")


@judges("scope")
def scenario_scope(c: Checker):
    """Only the rooms and days the scenario opens to DC items."""
    capacity = c.scenario.capacity
    for row in c.rows:
        if capacity.rooms and row.occupies_room and row.room not in capacity.rooms:
            yield Violation("scope", row.item_id, f"room {row.room} is not open to DC items "
                            f"(capacity.rooms)")
        if capacity.days and row.day not in capacity.days:
            yield Violation("scope", row.item_id, f"{row.day} is not open to DC items "
                            f"(capacity.days)")
        block = c.scenario.block
        if row.kind == "block" and block.rooms and row.room not in block.rooms:
            yield Violation("scope", row.item_id, f"room {row.room} is not open to the block "
                            f"(block.rooms)")
        if row.kind == "block" and block.days and row.day not in block.days:
            yield Violation("scope", row.item_id, f"{row.day} is not open to the block "
                            f"(block.days)")


@judges("room_open", "capacity", "features")
def room_suits(c: Checker):
    """The room is open that day, seats the expected audience and has every needed feature."""
    for row in c.rows:
        if not row.occupies_room:
            continue
        room = c.dataset.room_by_id[row.room]
        if not room.open_on(row.day):
            yield Violation("room_open", row.item_id,
                            f"room {room.room_id} is not open on {row.day}")
        requests = [c.request(r) for r in c.rows if r.item_id == row.item_id or
                    r.block_id == row.item_id]
        requests = [r for r in requests if r is not None]
        # A block must seat the largest audience of the DCs presenting in it, not the sum: its
        # audience comes and goes between segments (see model/block.py).
        audience = max((r.expected_attendance for r in requests), default=0)
        if room.capacity < audience:
            yield Violation("capacity", row.item_id, f"room {room.room_id} seats {room.capacity}, "
                            f"{audience} expected")
        missing = set().union(*(_needs(c, r) for r in requests)) - room.features
        if missing:
            yield Violation("features", row.item_id, f"room {room.room_id} lacks "
                            f"{', '.join(sorted(missing))}")


@judges("room")
def room_conflict(c: Checker):
    """One session per room at a time."""
    for a, b in c.all_pairs():
        if a.room and a.room == b.room:
            yield Violation("room", a.entry_id, f"shares room {a.room} with {b.entry_id} "
                            f"({b.window})")


@judges("exclusive")
def exclusive_items(c: Checker):
    """Nothing runs in parallel with an exclusive programme item."""
    for a, b in c.all_pairs():
        if b.exclusive:
            yield Violation("exclusive", a.entry_id, f"runs during the exclusive {b.entry_id} "
                            f"({b.window})")


@judges("person", "coalition")
def no_one_in_two_places(c: Checker):
    """No person in two places at once, the fixed programme included; a DC, lead or
    co-organiser, in one DC item at a time."""
    for a, b in c.all_pairs():
        for person in sorted(a.people & b.people):
            yield Violation("person", a.entry_id, f"{person} also speaks in {b.entry_id} "
                            f"({b.window})")
        for dc in sorted(a.dc_ids & b.dc_ids):
            yield Violation("coalition", a.entry_id, f"{dc} is also in {b.entry_id} "
                            f"({b.window})")


@judges("transition")
def transitions(c: Checker):
    """A room, a person and a DC get the event's `transition` minutes between two sessions (DC
    items or programme) that do not overlap (overlaps are judged above). Two segments of one
    block follow each other in the same room: no one moves between them."""
    gap = c.dataset.event.transition
    if not gap:
        return
    for a, b in chain(c.clashing_pairs(gap), c.moved_pairs(gap)):
        if a.clashes_with(b) or (a.block_id and a.block_id == b.block_id):
            continue
        shared = ([f"room {a.room}"] if a.room and a.room == b.room else []) + \
            sorted(a.people & b.people) + sorted(a.dc_ids & b.dc_ids)
        if shared:
            yield Violation("transition", a.entry_id, f"{', '.join(shared)}: less than the "
                            f"{gap}-minute transition to {b.entry_id} ({b.window})")


@judges("unavailable")
def speakers_available(c: Checker):
    """Outside every window a key speaker cannot attend."""
    for row in c.rows:
        if (request := c.request(row)) is None:
            continue
        for window in request.unavailable:
            if window.overlaps(row.window):
                yield Violation("unavailable", row.item_id, f"a speaker is unavailable {window}")


@judges("quota")
def session_quota(c: Checker):
    """At most capacity.max_dc_sessions individual DC sessions."""
    quota = c.scenario.capacity.max_dc_sessions
    sessions = [r for r in c.rows if r.kind == "session"]
    if quota is not None and len(sessions) > quota:
        yield Violation("quota", "(schedule)", f"{len(sessions)} DC sessions, the quota is {quota}")


def _dc_day_rooms(c: Checker) -> list:
    """The rooms open to a DC Day: open that day, among `Scenario.dc_day_rooms` when set."""
    named = c.scenario.dc_day_rooms
    return [room for room in c.dataset.rooms
            if room.open_on(c.scenario.dc_day.day) and (not named or room.room_id in named)]


@judges("dc_day")
def dc_day_scope(c: Checker):
    """Mode dc_day: every DC item on the DC Day, in the DC Day's rooms."""
    if c.scenario.mode != "dc_day":
        return
    day = c.scenario.dc_day.day
    rooms = {room.room_id for room in _dc_day_rooms(c)}
    for row in c.rows:
        if row.day != day:
            yield Violation("dc_day", row.item_id, f"on {row.day}, not on the DC Day ({day})")
        elif row.occupies_room and row.room not in rooms:
            yield Violation("dc_day", row.item_id, f"room {row.room} is not open to the DC Day "
                            f"(dc_day.rooms, capacity.rooms, rooms open on {day})")


@judges("plenary")
def plenary_alone(c: Checker):
    """No other DC item runs in parallel with a plenary (a DC Day opening or closing)."""
    for plenary in (r for r in c.rows if r.kind == "plenary"):
        for other in c.rows:
            if other is not plenary and other.window.overlaps(plenary.window):
                yield Violation("plenary", plenary.item_id, f"{other.item_id} runs in parallel "
                                f"({other.window})")


@judges("plenary")
def dc_day_plenaries(c: Checker):
    """Mode dc_day: the configured opening (closing) plenary, as long as configured, ends before
    every DC session starts (starts after every one ends), in the largest DC Day room free of
    the programme at its time and for the transition before and after it."""
    if c.scenario.mode != "dc_day":
        return
    settings = c.scenario.dc_day
    plenaries = sorted((r for r in c.rows if r.kind == "plenary"), key=lambda r: r.start)
    sessions = [r for r in c.rows if r.kind != "plenary"]
    configured = [(role, minutes) for role, minutes in (("opening", settings.opening),
                                                        ("closing", settings.closing)) if minutes]
    if len(plenaries) != len(configured):
        yield Violation("plenary", "(schedule)", f"{len(plenaries)} plenary rows, the scenario "
                        f"configures {len(configured)} (dc_day.opening {settings.opening} min, "
                        f"dc_day.closing {settings.closing} min)")
        return
    roles = dict(zip([role for role, _ in configured], plenaries))   # both sorted by time
    for role, minutes in configured:
        plenary = roles[role]
        if plenary.end - plenary.start != minutes:
            yield Violation("plenary", plenary.item_id, f"the {role} lasts "
                            f"{plenary.end - plenary.start} min, dc_day.{role} is {minutes}")
        for row in sessions:
            if role == "opening" and row.start < plenary.end:
                yield Violation("plenary", row.item_id, f"starts at {format_hhmm(row.start)}, "
                                f"before the opening {plenary.item_id} ends ({plenary.window})")
            if role == "closing" and row.end > plenary.start:
                yield Violation("plenary", row.item_id, f"ends at {format_hhmm(row.end)}, after "
                                f"the closing {plenary.item_id} starts ({plenary.window})")
        # Free: no programme session there within the transition (the room changes over).
        gap = c.dataset.event.transition
        held = Window(plenary.day, plenary.start - gap, plenary.end + gap)
        free = [room for room in _dc_day_rooms(c)
                if not any(s.room == room.room_id and s.window.overlaps(held)
                           for s in c.programme)]
        largest = max(free, key=lambda room: room.capacity, default=None)
        here = c.dataset.room_by_id.get(plenary.room)
        if largest is not None and here is not None and here.capacity < largest.capacity:
            yield Violation("plenary", plenary.item_id, f"in {here.room_id} (seats "
                            f"{here.capacity}), but {largest.room_id} (seats {largest.capacity}) "
                            f"is free then")


# --- blocks and their segments (modes block and mixed) ------------------------------------------

def _blocks(c: Checker) -> dict[str, ScheduleRow]:
    return {row.item_id: row for row in c.rows if row.kind == "block"}


def _segments_of(c: Checker, block_id: str) -> list[ScheduleRow]:
    return sorted((r for r in c.rows if r.kind == "segment" and r.block_id == block_id),
                  key=lambda r: (r.start, r.item_id))


@judges("block")
def block_shape(c: Checker):
    """A block lasts block.duration minutes, holds at least one segment, and there are at most
    block.count blocks, never two at the same time."""
    settings = c.scenario.block
    blocks = _blocks(c)
    if len(blocks) > settings.count:
        yield Violation("block", "(schedule)", f"{len(blocks)} blocks, block.count is "
                        f"{settings.count}")
    for block in blocks.values():
        if block.end - block.start != settings.duration:
            yield Violation("block", block.item_id, f"lasts {block.end - block.start} min, "
                            f"block.duration is {settings.duration}")
        if not _segments_of(c, block.item_id):
            yield Violation("block", block.item_id, "has no segment")
    for a, b in combinations(sorted(blocks), 2):
        if blocks[a].window.overlaps(blocks[b].window):
            yield Violation("block", a, f"runs at the same time as {b} ({blocks[b].window})")


@judges("segment")
def segments_inside_block(c: Checker):
    """A segment lies in its block's room and day, after the opening and before the wrap-up,
    and lasts block.min_segment..block.max_segment minutes."""
    settings = c.scenario.block
    blocks = _blocks(c)
    for row in c.rows:
        if row.kind != "segment" or row.block_id not in blocks:
            continue
        block = blocks[row.block_id]
        first, last = block.start + settings.opening, block.end - settings.wrap_up
        if row.day != block.day or row.room != block.room:
            yield Violation("segment", row.item_id, f"in {row.day} {row.room}, its block "
                            f"{block.item_id} is in {block.day} {block.room}")
        if row.start < first or row.end > last:
            yield Violation("segment", row.item_id, f"{row.window} is outside {block.item_id}'s "
                            f"speaking time {format_hhmm(first)}-{format_hhmm(last)} (after the "
                            f"{settings.opening}-min opening, before the {settings.wrap_up}-min "
                            f"wrap-up)")
        length = row.end - row.start
        if not settings.min_segment <= length <= settings.max_segment:
            yield Violation("segment", row.item_id, f"lasts {length} min, outside "
                            f"{settings.min_segment}..{settings.max_segment} (block.min_segment, "
                            f"block.max_segment)")


@judges("segment")
def segments_disjoint(c: Checker):
    """Two segments of the same block never overlap."""
    for block_id in _blocks(c):
        for a, b in combinations(_segments_of(c, block_id), 2):
            if a.window.overlaps(b.window):
                yield Violation("segment", a.item_id, f"overlaps segment {b.item_id} "
                                f"({b.window}) in {block_id}")


@judges("block")
def block_lists_its_dcs(c: Checker):
    """A block row names exactly the DCs of its segments."""
    for block in _blocks(c).values():
        presenting = {dc for r in _segments_of(c, block.item_id) for dc in r.dc_ids}
        if set(block.dc_ids) != presenting:
            yield Violation("block", block.item_id, f"lists DCs {';'.join(block.dc_ids)}, its "
                            f"segments are by {';'.join(sorted(presenting))}")


@judges("unavailable")
def presenters_available_for_block(c: Checker):
    """With `block.presence = "whole_block"` presenters stay for the whole block: no key
    speaker of a segment is unavailable at any time of its block (being busy elsewhere is judged
    on the block row, which then holds every presenter's speakers). With "segment" each segment
    row is judged on its own time, as any row."""
    if c.scenario.block.presence != "whole_block":
        return
    blocks = _blocks(c)
    for row in c.rows:
        if row.kind != "segment" or row.block_id not in blocks or \
                (request := c.request(row)) is None:
            continue
        block = blocks[row.block_id]
        for window in request.unavailable:
            if window.overlaps(block.window) and not window.overlaps(row.window):
                yield Violation("unavailable", row.item_id, f"a speaker is unavailable {window}, "
                                f"during its block {block.item_id} ({block.window})")


@judges("cluster")
def clusters_named_and_contiguous(c: Checker):
    """A segment's cluster is one of its request's themes (`general` for a request with none),
    and the segments of a cluster sit next to each other in their block."""
    for block_id in _blocks(c):
        segments = _segments_of(c, block_id)
        for row in segments:
            if (request := c.request(row)) is None:
                continue
            allowed = set(request_themes(request, c.dataset)) or {NO_THEME}
            if row.cluster not in allowed:
                yield Violation("cluster", row.item_id, f"cluster '{row.cluster}' is not one of "
                                f"its request's themes ({', '.join(sorted(allowed))})")
        finished: list[str] = []
        for before, after in zip(segments, segments[1:]):
            if before.cluster != after.cluster:
                finished.append(before.cluster)
                if after.cluster in finished:
                    yield Violation("cluster", after.item_id, f"cluster '{after.cluster}' of "
                                    f"{block_id} is split: another cluster runs between its "
                                    "segments")


@judges("segment")
def segments_fill_the_block(c: Checker):
    """Segments follow one another from the end of the opening without gaps, and fill the
    speaking time unless every segment already has block.max_segment minutes."""
    settings = c.scenario.block
    for block_id, block in _blocks(c).items():
        segments = _segments_of(c, block_id)
        expected = block.start + settings.opening
        for row in segments:
            if row.start > expected:
                yield Violation("segment", row.item_id, f"starts at {format_hhmm(row.start)}, "
                                f"{row.start - expected} min after the opening or the segment "
                                "before it ends: segments follow one another without gaps")
            expected = max(expected, row.end)
        lengths = [row.end - row.start for row in segments]
        if segments and sum(lengths) != settings.speaking_minutes and \
                not all(length >= settings.max_segment for length in lengths):
            yield Violation("segment", block_id, f"its segments fill {sum(lengths)} of the "
                            f"{settings.speaking_minutes} speaking minutes, and not every one "
                            f"has block.max_segment ({settings.max_segment}) minutes")


@judges("pin")
def pins_kept(c: Checker):
    """A pinned request is placed where pinned: a session on its day, start and room; a
    segment in a block on its day and in its room (what the pin names)."""
    blocks = _blocks(c)
    for pin in c.pins:
        rows = [r for r in c.rows if r.item_id == pin.request_id]
        if not rows:
            yield Violation("pin", pin.request_id, f"not placed, but {pin}")
            continue
        row = rows[0]
        place = blocks.get(row.block_id, row) if row.kind == "segment" else row
        kept = ((pin.day is None or place.day == pin.day)
                and (pin.room is None or place.room == pin.room)
                and (pin.start is None or row.kind == "segment" or row.start == pin.start))
        if not kept:
            yield Violation("pin", pin.request_id, f"at {row.window} {place.room}, but {pin}")


@judges("programme", "room_open", "capacity", "features", "unavailable")
def moved_sessions_as_they_were(c: Checker):
    """A programme session the schedule moves is one the scenario lets move ([programme]
    movable; never an exclusive one) or one a DC Day's reservation displaces (then on another
    day, never when one of its people cannot attend); it keeps its length, people and themes
    (and its day, with keep_day: the row's `speakers` and `themes` cells, where filled, are the
    session's), and has a room open that day that seats as many and has every feature of its
    own room."""
    settings = c.scenario.programme
    displaced = c.reservation.displaced_ids
    for row in c.moved:
        session = c.dataset.session_by_id[row.item_id]
        if session.session_id in displaced:
            yield from displaced_session_placed_again(c, row)
        elif session.exclusive or not session.room or settings.movable == "none" or (
                settings.movable == "marked" and not session.movable):
            yield Violation("programme", row.item_id, "moved, but [programme] movable = "
                            f"'{settings.movable}' does not let it move"
                            + (" (exclusive sessions never move)" if session.exclusive else ""))
        if row.end - row.start != session.end - session.start:
            yield Violation("programme", row.item_id, f"lasts {row.end - row.start} min, the "
                            f"session lasts {session.end - session.start}")
        # A cell left blank says nothing; one that names others changes the session.
        for cell, given, own in (("speakers", row.speakers, session.people),
                                 ("themes", row.themes, session.themes)):
            if given and set(given) != set(own):
                yield Violation("programme", row.item_id, f"{cell} {';'.join(given)} differ "
                                f"from the session's {';'.join(own) or '(none)'}")
        if settings.keep_day and row.day != session.day and session.session_id not in displaced:
            yield Violation("programme", row.item_id, f"moved to {row.day}, off its own day "
                            f"{session.day} (programme.keep_day)")
        room, own = c.dataset.room_by_id[row.room], c.dataset.room_by_id.get(session.room or "")
        if not room.open_on(row.day):
            yield Violation("room_open", row.item_id, f"room {room.room_id} is not open on "
                            f"{row.day}")
        if own is not None and room.capacity < own.capacity:
            yield Violation("capacity", row.item_id, f"room {room.room_id} seats "
                            f"{room.capacity}, its own room {own.room_id} {own.capacity}")
        if own is not None and (missing := own.features - room.features):
            yield Violation("features", row.item_id, f"room {room.room_id} lacks "
                            f"{', '.join(sorted(missing))} (its own room {own.room_id} has it)")


def displaced_session_placed_again(c: Checker, row: ScheduleRow) -> Iterator[Violation]:
    """A displaced session goes to another day than the DC Day, and never when one of its
    people cannot attend (the unavailable windows of the DC requests they speak in)."""
    session = c.dataset.session_by_id[row.item_id]
    if row.day == c.reservation.day:
        yield Violation("programme", row.item_id, f"placed again on {row.day}, the DC Day that "
                        "displaces it (dc_day.reserve)")
    for window in people_unavailable(c.dataset, session.people):
        if window.overlaps(row.window):
            yield Violation("unavailable", row.item_id, f"one of its people is unavailable "
                            f"{window}")


MODE_KINDS = {"individual": {"session"}, "block": {"block", "segment"},
              "dc_day": {"session", "plenary"}, "mixed": {"session", "block", "segment"}}


@judges("mode")
def kinds_fit_the_mode(c: Checker):
    """Each mode places its own kinds of item: individual sessions; blocks and their segments;
    a DC Day's sessions and plenaries; in mixed, each request where `[mixed]` sends its lead
    DC's category (a session for `individual`, a segment for `block`), unless the request states
    its own `placement`."""
    mode = c.scenario.mode
    for row in c.rows:
        if row.kind not in MODE_KINDS[mode]:
            yield Violation("mode", row.item_id, f"a {row.kind} row in a '{mode}' schedule")
        elif mode == "mixed" and (request := c.request(row)) is not None:
            wanted = "session" if c.scenario.mixed.mode_of(request, c.dataset) == "individual" \
                else "segment"
            if row.kind == wanted:
                continue
            category = c.dataset.coalition_by_id[request.lead].category
            why = (f"the request asks for a {wanted}" if request.placement != "either" else
                   f"mixed.{category} gives {category} DCs a {wanted}")
            yield Violation("mode", row.item_id, f"a {row.kind}, but {why}")


def check_file(path: str | Path, dataset: Dataset, scenario: Scenario,
               pins: tuple[Pin, ...] = (), reservation: Reservation | None = None
               ) -> list[Violation]:
    numbered = read_schedule_rows(path)
    check_schedule_references(path, numbered, dataset)
    violations = Checker(dataset, scenario, [row for _, row in numbered], pins,
                         reservation).violations()
    return [dataclasses.replace(v, row=row_of(numbered, v)) for v in violations]


def row_of(numbered: list[tuple[int, ScheduleRow]], violation: Violation) -> int | None:
    """The row of the file the violation is about: the first row of its item."""
    rows = [number for number, row in numbered if row.item_id == violation.item_id]
    return rows[0] if rows else None
