"""A DC Day that owns its day: `[dc_day] reserve` gives the DCs rooms (or the whole day), and the
programme sessions held there lose their place.

- `reserve = "none"` (the default): the DC Day is packed around that day's programme.
- `reserve = "rooms"`: the DC Day's rooms (`dc_day.rooms`, else every room open that day) are
  the DCs' for the whole day; the programme sessions in them that day are displaced.
- `reserve = "day"`: the whole day is the DCs'; every programme session that day is displaced,
  except the exclusive ones (ceremonies stay where they are).

The model, the checker, the metrics and the exports all see the programme without the displaced
sessions (`Reservation.dataset`), so the DC Day's items use the reserved rooms free of them; the
displaced sessions are listed (`displaced.csv`) with their cost: the room-hours they held and
the people who had a place in them. Moving them elsewhere is the whole-programme engine's work:
it takes `Reservation.displaced` as the sessions to place outside the reservation.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .domain import Dataset, ProgrammeSession
from .scenario import Scenario
from .timegrid import format_hhmm

DISPLACED_COLUMNS = ("session_id", "type", "title", "day", "start", "end", "room", "minutes",
                     "people")


@dataclass(frozen=True)
class Reservation:
    dataset: Dataset                            # the programme without the displaced sessions
    displaced: tuple[ProgrammeSession, ...]     # by start, then id

    def figures(self) -> dict:
        """The cost of the reservation, 0 when there is none (so every mode compares)."""
        return {"displaced_sessions": len(self.displaced),
                "displaced_room_minutes": sum(s.end - s.start for s in self.displaced
                                              if s.room),
                "displaced_people": len({p for s in self.displaced for p in s.people})}


def displaced_rows(displaced: tuple[ProgrammeSession, ...]) -> list[dict]:
    """The displaced sessions as the rows of displaced.csv."""
    return [{"session_id": s.session_id, "type": s.type, "title": s.title, "day": s.day,
             "start": format_hhmm(s.start), "end": format_hhmm(s.end), "room": s.room or "",
             "minutes": s.end - s.start, "people": ";".join(s.people)} for s in displaced]


def reserved_rooms(dataset: Dataset, scenario: Scenario) -> set[str]:
    """The rooms a DC Day reserves: its own (or every room) open that day."""
    named = scenario.dc_day_rooms
    return {room.room_id for room in dataset.rooms
            if room.open_on(scenario.dc_day.day) and (not named or room.room_id in named)}


def is_displaced(session: ProgrammeSession, scenario: Scenario, rooms: set[str]) -> bool:
    """A programme session loses its place to the DC Day's reservation."""
    if scenario.mode != "dc_day" or session.day != scenario.dc_day.day:
        return False
    if scenario.dc_day.reserve == "day":
        return not session.exclusive
    return scenario.dc_day.reserve == "rooms" and session.room in rooms


def reserve_for_dc_day(dataset: Dataset, scenario: Scenario) -> Reservation:
    """The dataset as the DC Day's reservation leaves it, and the sessions it displaces (none
    outside mode dc_day or with `reserve = "none"`). Applying it twice changes nothing."""
    rooms = reserved_rooms(dataset, scenario)
    displaced = tuple(sorted((s for s in dataset.programme if is_displaced(s, scenario, rooms)),
                             key=lambda s: (s.start, s.session_id)))
    if not displaced:
        return Reservation(dataset, ())
    gone = {s.session_id for s in displaced}
    kept = tuple(s for s in dataset.programme if s.session_id not in gone)
    return Reservation(dataclasses.replace(dataset, programme=kept), displaced)
