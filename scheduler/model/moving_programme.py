"""The whole programme placed by the engine: `[programme] movable` turns programme sessions into
items placed with the DC items, under the same rules and goals.

A moved session is an item of kind `programme` (item id = its session id): required (it takes
exactly one slot), worth nothing in itself (the goals stay about the DC items: a DC item beside
a moved session counts as beside a fixed one, and `outputs_first` counts a moved workshop or main
session, by its `session_type`, where it goes), with its own length, people and themes, and a
room that seats as many as its own room and has every feature of it. The model's fixed
programme (`Context`) is what stays: the sessions that do not move.

The sessions a DC Day's reservation displaces (`reserve.py`) are placed again the same way,
whatever `[programme] movable` says, on another day than the DC Day; each is optional (none may
fit: then it is dropped, with the reason) and the DC Day's goal `displaced_placed` rewards each
one placed.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..domain import Dataset, ProgrammeSession, people_unavailable
from ..errors import InputError, warn
from ..reserve import Reservation
from ..scenario import Scenario
from .items import Item, Placement, Slot

KIND = "programme"


def movable_sessions(dataset: Dataset, scenario: Scenario) -> list[ProgrammeSession]:
    """The sessions the scenario lets the engine move: never an exclusive one (a ceremony) nor
    one without a room (online only: it holds nothing the DC items need)."""
    movable = scenario.programme.movable
    if movable == "none":
        return []
    return [s for s in dataset.programme if s.room and not s.exclusive
            and (movable == "all" or s.movable)]


def fixed_programme(dataset: Dataset, scenario: Scenario) -> Dataset:
    """The dataset with only the sessions that stay where they are (the model's programme)."""
    moving = {s.session_id for s in movable_sessions(dataset, scenario)}
    if not moving:
        return dataset
    return dataclasses.replace(dataset, programme=tuple(
        s for s in dataset.programme if s.session_id not in moving))


def check_ids(dataset: Dataset, scenario: Scenario) -> None:
    """A moved session is named by its session id among the DC requests: the two must differ.
    `movable = "marked"` with no session marked (no `movable` column, or none saying yes)
    moves nothing: a warning says so."""
    if scenario.programme.movable == "marked" and not any(s.movable for s in dataset.programme):
        warn(scenario.source, "key 'programme.movable': \"marked\" moves nothing here: no "
             f"session of {Path(dataset.folder) / 'programme.csv'} is marked movable (its "
             "'movable' column says yes for the sessions the engine may move)")
    for session in movable_sessions(dataset, scenario):
        if session.session_id in dataset.request_by_id:
            raise InputError(Path(dataset.folder) / "programme.csv", f"session '{session.session_id}' "
                             "has the id of a DC request: a moved session needs an id of its "
                             "own", column="session_id")


def session_item(session: ProgrammeSession, dataset: Dataset, keep_day: bool) -> Item:
    room = dataset.room_by_id[session.room]
    return Item(item_id=session.session_id, kind=KIND, dc_ids=(), title=session.title,
                duration=session.end - session.start, themes=frozenset(session.themes),
                people=frozenset(session.people), needs=room.features,
                attendance=room.capacity, days=(session.day,) if keep_day else (),
                value=0, required=True, home=Slot(session.day, session.start, session.room),
                session_type=session.type)


def programme_items(dataset: Dataset, scenario: Scenario) -> list[Item]:
    return [session_item(s, dataset, scenario.programme.keep_day)
            for s in movable_sessions(dataset, scenario)]


def displaced_items(dataset: Dataset, reservation: Reservation) -> tuple[list[Item], dict]:
    """The sessions a DC Day displaces as items to place again: each as a moved session, on any
    day but the DC Day, never when one of its people cannot attend, optional (`placed` says
    whether it fits). Also session id -> why it cannot be placed at all (a session without a
    room: the engine places sessions in rooms)."""
    days = tuple(d.label for d in dataset.event.days if d.label != reservation.day)
    items, unplaceable = [], {}
    for session in reservation.displaced:
        if not session.room:
            unplaceable[session.session_id] = ("online only: the engine places sessions in "
                                               "rooms; give it a time by hand")
            continue
        item = session_item(session, dataset, keep_day=False)
        items.append(dataclasses.replace(
            item, days=days, required=False, value=1, home=None,
            unavailable=people_unavailable(dataset, session.people)))
    return items, unplaceable


def is_displaced(item: Item) -> bool:
    """A displaced session placed again (the only optional programme item)."""
    return item.kind == KIND and not item.required


def programme_placements(items: dict[str, Item], chosen: dict) -> list[Placement]:
    """Where the solution puts each moved session (chosen: item id -> slot)."""
    return [Placement(item_id, KIND, slot.day, slot.start, slot.start + item.duration, slot.room)
            for item_id, item in items.items() if item.kind == KIND and item_id in chosen
            for slot in (chosen[item_id],)]


def first_pass_scenario(scenario: Scenario) -> Scenario | None:
    """The scenario of the first pass: the same DC items around the programme as it stands
    (`[programme] first_pass`), or None when there is none to make."""
    settings = scenario.programme
    if settings.movable == "none" or settings.first_pass == "none":
        return None
    return scenario.model_copy(update={
        "programme": settings.model_copy(update={"movable": "none"}),
        "solver": scenario.solver.model_copy(update={
            "formulation": settings.first_pass, "time_limit": settings.first_pass_time_limit})})


def repair_scenario(scenario: Scenario) -> Scenario | None:
    """The scenario that places the moving programme alone (no DC request, the interval
    formulation: compact, and quick to find a schedule), for the first pass to start from when
    the programme as given breaks a rule the model holds moved sessions to (most often the
    transition between two sessions that share a person or a room, which the programme as given
    need not keep while it is fixed data); None when there is no first pass."""
    if first_pass_scenario(scenario) is None:
        return None
    settings = scenario.programme
    return scenario.model_copy(update={
        "mode": "individual",
        "solver": scenario.solver.model_copy(update={
            "formulation": "interval", "time_limit": settings.first_pass_time_limit})})


def keeps_its_places(items: dict[str, Item], chosen: dict) -> bool:
    """Every moving programme session where it is given (`chosen`: item id -> (unit, slot), a
    greedy schedule): the programme as given is already a schedule of the model."""
    return all(item_id in chosen and chosen[item_id][1] == item.home
               for item_id, item in items.items() if item.kind == KIND)


def with_homes(items: list[Item], homes: dict[str, Slot]) -> list[Item]:
    """The items, each where the first pass put it (`Item.home`, the hint's start): a DC item,
    and a programme session the first pass had to move off its given place."""
    return [dataclasses.replace(item, home=homes[item.item_id])
            if item.item_id in homes else item for item in items]
