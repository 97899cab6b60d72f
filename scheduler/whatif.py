"""The cheapest change that would place a request left out: one quota step, a longer block or
one more, a larger room for the block, a session of its own instead of a block segment, one
room or day opened, a speaker's unavailable window dropped; each tried by solving again.

Candidates come from the request's reason (a quota reached suggests a quota step, a full block a
longer one, ...), cheapest first; the first that places the request is its answer. Each trial
is a solve of its own with a short time limit, so this runs only when asked (`solve --suggest`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Iterator

from .domain import Dataset, Request
from .plan import Result, plan, unless_interrupted
from .scenario import Scenario
from .schedule import Unscheduled

TRIAL_SECONDS = 10.0


@dataclass(frozen=True)
class Change:
    """One change to try: in words (a `--set` a planner can pass, or a data edit)."""

    words: str
    scenario: Scenario
    dataset: Dataset


def setting(scenario: Scenario, key: str, value) -> Scenario:
    """The scenario with `table.key` set to `value`."""
    table, _, name = key.partition(".")
    section = getattr(scenario, table)
    return scenario.model_copy(update={table: section.model_copy(update={name: value})})


def quota_step(dataset: Dataset, scenario: Scenario, request: Request,
               reason: str) -> Iterator[Change]:
    quota = scenario.capacity.max_dc_sessions
    if quota is not None and reason.startswith("quota reached"):
        yield Change(f"--set capacity.max_dc_sessions={quota + 1}",
                     setting(scenario, "capacity.max_dc_sessions", quota + 1), dataset)


def longer_block(dataset: Dataset, scenario: Scenario, request: Request,
                 reason: str) -> Iterator[Change]:
    block = scenario.block
    if reason.startswith("block full"):
        longer = block.duration + block.min_segment
        yield Change(f"--set block.duration={longer}",
                     setting(scenario, "block.duration", longer), dataset)
    if reason.startswith(("block full", "not free for the block", "no block")):
        yield Change(f"--set block.count={block.count + 1}",
                     setting(scenario, "block.count", block.count + 1), dataset)


BLOCK_REASONS = ("never free for a block", "not free for the block", "block full", "no block")


def larger_block_room(dataset: Dataset, scenario: Scenario, request: Request,
                      reason: str) -> Iterator[Change]:
    """The block in a room that seats the request, when `block.rooms` keeps it to smaller ones
    (the request's expected audience is the block's for its segment)."""
    rooms = scenario.block.rooms
    if not rooms or not reason.startswith(BLOCK_REASONS) or scenario.mode not in ("block",
                                                                                  "mixed"):
        return
    seats = {r.room_id: r.capacity for r in dataset.rooms}
    if any(seats.get(room, 0) >= request.expected_attendance for room in rooms):
        return
    for room in dataset.rooms:
        if room.room_id not in rooms and room.capacity >= request.expected_attendance:
            yield Change(f"--set block.rooms={[*rooms, room.room_id]}",
                         setting(scenario, "block.rooms", (*rooms, room.room_id)), dataset)


def own_session(dataset: Dataset, scenario: Scenario, request: Request,
                reason: str) -> Iterator[Change]:
    """In mode mixed, a request the block cannot take in a session of its own: its
    `placement` set to `session` (a block's room too small for its audience, the block full or
    never free for it)."""
    if scenario.mode != "mixed" or not reason.startswith(BLOCK_REASONS):
        return
    edited = request.model_copy(update={"placement": "session"})
    requests = tuple(edited if r is request else r for r in dataset.requests)
    yield Change(f"a session of its own: placement = session (requests.csv, row "
                 f"{request.request_id}, column 'placement')", scenario,
                 dataclasses.replace(dataset, requests=requests))


def room_opened(dataset: Dataset, scenario: Scenario, request: Request,
                reason: str) -> Iterator[Change]:
    """Each room the scenario keeps from DC items (capacity.rooms, dc_day.rooms) that seats the
    request, one at a time."""
    for key, rooms in (("capacity.rooms", scenario.capacity.rooms),
                       ("dc_day.rooms", scenario.dc_day.rooms if scenario.mode == "dc_day"
                        else ())):
        if not rooms:
            continue
        for room in dataset.rooms:
            if room.room_id not in rooms and room.capacity >= request.expected_attendance:
                opened = [*rooms, room.room_id]
                yield Change(f"--set {key}={opened}", setting(scenario, key, tuple(opened)),
                             dataset)


def day_opened(dataset: Dataset, scenario: Scenario, request: Request,
               reason: str) -> Iterator[Change]:
    days = scenario.capacity.days
    for day in dataset.event.days if days and scenario.mode != "dc_day" else ():
        if day.label not in days:
            opened = [*days, day.label]
            yield Change(f"--set capacity.days={opened}",
                         setting(scenario, "capacity.days", tuple(opened)), dataset)


def speaker_window_dropped(dataset: Dataset, scenario: Scenario, request: Request,
                           reason: str) -> Iterator[Change]:
    for window in request.unavailable:
        kept = tuple(w for w in request.unavailable if w != window)
        edited = request.model_copy(update={"unavailable": kept})
        requests = tuple(edited if r is request else r for r in dataset.requests)
        yield Change(f"its speakers available {window} (requests.csv, column 'unavailable')",
                     scenario, dataclasses.replace(dataset, requests=requests))


CANDIDATES: tuple[Callable[..., Iterator[Change]], ...] = (
    quota_step, longer_block, larger_block_room, own_session, room_opened, day_opened,
    speaker_window_dropped)


def cheapest_change(result: Result, request: Request, reason: str,
                    most: int = 6) -> str:
    """The first of at most `most` candidate changes that places `request`, in words
    ("" when none of them does)."""
    tried = 0
    for candidate in CANDIDATES:
        for change in candidate(result.dataset, result.scenario, request, reason):
            if tried == most:
                return ""
            tried += 1
            limit = min(TRIAL_SECONDS, change.scenario.solver.time_limit)
            trial = setting(change.scenario, "solver.time_limit", limit)
            placed = unless_interrupted(plan(change.dataset, trial)).rows
            if any(row.item_id == request.request_id for row in placed):
                return change.words
    return ""


def with_cheapest_changes(result: Result,
                          progress: Callable[[str], None] | None = None) -> list[Unscheduled]:
    """The result's unscheduled requests, each eligible one with its cheapest change."""
    entries = []
    for entry in result.unscheduled:
        request = result.dataset.request_by_id[entry.request_id]
        if result.report.request_failure(request) is None and result.solution.has_schedule:
            if progress:
                progress(f"  trying changes that would place {entry.request_id}")
            entry = dataclasses.replace(entry, cheapest_change=cheapest_change(
                result, request, entry.reason))
        entries.append(entry)
    return entries
