"""What the model places: items (a DC session, a block, a DC Day plenary) and their slots."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import Pin
from ..timegrid import Window


@dataclass(frozen=True)
class Item:
    """Something that needs one room (or none) for `duration` contiguous minutes on one day."""

    item_id: str
    kind: str                               # session | block | plenary
    dc_ids: tuple[str, ...]
    title: str
    duration: int
    themes: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    attendance: int = 0
    days: tuple[str, ...] = ()              # days it may use; empty = every day
    rooms: tuple[str, ...] = ()             # rooms it may use; empty = every room
    unavailable: tuple[Window, ...] = ()
    preferred_days: tuple[str, ...] = ()
    value: int = 1                          # worth of placing it (from priority)
    category: str = ""
    required: bool = False
    exclusive: bool = False                 # no other DC item may run in parallel
    pin: Pin | None = None                  # where it must stay (then it is required)
    home: "Slot | None" = None              # where it is now (a moved programme session): a hint
    session_type: str = ""                  # a moved programme session's type (workshop, ...)


@dataclass(frozen=True, order=True)
class Slot:
    """One place an item may go: a day, a start (minutes) and a room."""

    day: str
    start: int
    room: str


@dataclass(frozen=True)
class Placement:
    """Where a solution puts an item, or a request inside one (a segment of a block).

    `item_id` is the request id of a session or segment, the item's own id otherwise. Modes
    return placements; `rows.schedule_rows` turns them into the rows of schedule.csv.
    """

    item_id: str
    kind: str                               # session | block | segment | plenary
    day: str
    start: int
    end: int
    room: str
    block_id: str = ""
    cluster: str = ""
