"""A DC Day that owns its day: `[dc_day] reserve` gives the DCs rooms (or the whole day), and the
programme sessions held there lose their place.

- `reserve = "none"` (the default): the DC Day is packed around that day's programme.
- `reserve = "rooms"`: the DC Day's rooms (`dc_day.rooms`, else every room open that day) are
  the DCs' for the whole day; the programme sessions in them that day are displaced.
- `reserve = "day"`: the whole day is the DCs'; every programme session that day is displaced.

An exclusive session (a ceremony) is never displaced: it stays where it is, and nothing runs
beside it, DC items included.

The DC Day's items use the reserved rooms free of the displaced sessions (`Reservation.dataset`,
the programme without them). The engine places each displaced session again on another day, as
it moves any programme session (`model/moving_programme.displaced_items`), or leaves it out with
the reason; the schedule says where (rows of kind `programme`), and the checker, the metrics and
the exports see the programme as the schedule leaves it (`programme_as_scheduled`).
`displaced.csv` lists every displaced session, its cost (the room-minutes it held, its people)
and its new place or why it has none (`displaced_rows`).

`plan` computes the reservation once and passes it down; the checker and the exports, which
read a schedule file, compute it from the dataset as given.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .domain import Dataset, ProgrammeSession
from .scenario import Scenario
from .schedule import ScheduleRow, with_moved_programme
from .timegrid import format_hhmm

DISPLACED_COLUMNS = ("session_id", "type", "title", "day", "start", "end", "room", "minutes",
                     "people", "moved_to", "reason")


@dataclass(frozen=True)
class Reservation:
    dataset: Dataset                            # the programme without the displaced sessions
    displaced: tuple[ProgrammeSession, ...]     # by start, then id
    day: str = ""                               # the DC Day (none: "")

    @property
    def displaced_ids(self) -> frozenset[str]:
        return frozenset(s.session_id for s in self.displaced)

    def placed_again(self, rows: list[ScheduleRow]) -> list[ScheduleRow]:
        """The `programme` rows that place a displaced session again."""
        return [r for r in rows if r.kind == "programme" and r.item_id in self.displaced_ids]

    def figures(self, rows: list[ScheduleRow]) -> dict:
        """The cost of the reservation in a schedule's `rows`, 0 when there is none (so every
        mode compares): the sessions displaced, the room-minutes they held, their people; how
        many of them the schedule placed again on another day (and their minutes and people),
        and how many it dropped."""
        moved = {r.item_id for r in self.placed_again(rows)}
        again = [s for s in self.displaced if s.session_id in moved]
        return {"displaced_sessions": len(self.displaced),
                "displaced_room_minutes": sum(s.end - s.start for s in self.displaced
                                              if s.room),
                "displaced_people": len({p for s in self.displaced for p in s.people}),
                "displaced_moved": len(again),
                "displaced_moved_minutes": sum(s.end - s.start for s in again),
                "displaced_moved_people": len({p for s in again for p in s.people}),
                "displaced_dropped": len(self.displaced) - len(again)}


def displaced_rows(reservation: Reservation, rows: list[ScheduleRow],
                   why_dropped: dict[str, str]) -> list[dict]:
    """The displaced sessions as the rows of displaced.csv: each with its new place (a
    `programme` row of the schedule) or the reason it has none (`why_dropped`)."""
    moved = {r.item_id: r for r in reservation.placed_again(rows)}
    return [{"session_id": s.session_id, "type": s.type, "title": s.title, "day": s.day,
             "start": format_hhmm(s.start), "end": format_hhmm(s.end), "room": s.room or "",
             "minutes": s.end - s.start, "people": ";".join(s.people),
             "moved_to": f"{row.window} {row.room}" if (row := moved.get(s.session_id)) else "",
             "reason": "" if s.session_id in moved else why_dropped.get(s.session_id, "")}
            for s in reservation.displaced]


def reserved_rooms(dataset: Dataset, scenario: Scenario) -> set[str]:
    """The rooms a DC Day reserves: its own (or every room) open that day."""
    named = scenario.dc_day_rooms
    return {room.room_id for room in dataset.rooms
            if room.open_on(scenario.dc_day.day) and (not named or room.room_id in named)}


def is_displaced(session: ProgrammeSession, scenario: Scenario, rooms: set[str]) -> bool:
    """A programme session loses its place to the DC Day's reservation."""
    if scenario.mode != "dc_day" or session.day != scenario.dc_day.day or session.exclusive:
        return False
    if scenario.dc_day.reserve == "day":
        return True
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
    return Reservation(dataclasses.replace(dataset, programme=kept), displaced,
                       scenario.dc_day.day)


def programme_as_scheduled(reservation: Reservation, rows: list[ScheduleRow]) -> Dataset:
    """The dataset with the programme where a schedule's `rows` leave it: the sessions the
    reservation kept and the displaced ones the schedule places again, each session that a
    `programme` row moves at its new day, time and room."""
    again = {r.item_id for r in reservation.placed_again(rows)}
    dataset = reservation.dataset
    if again:
        dataset = dataclasses.replace(dataset, programme=dataset.programme + tuple(
            s for s in reservation.displaced if s.session_id in again))
    return with_moved_programme(dataset, rows)
