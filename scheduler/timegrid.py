"""Time arithmetic: the one place that turns clock times into minutes and compares windows.

Inside the package a time is an int of minutes after midnight (local event time), and a
window is a half-open interval [start, end) of such minutes on one day.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_WINDOW = re.compile(r"^\s*(\S+(?:\s+\S+)*?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


def parse_hhmm(text: str) -> int:
    """'09:30' -> 570. Raises ValueError naming the bad text."""
    match = _HHMM.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a time of the form HH:MM")
    return int(match.group(1)) * 60 + int(match.group(2))


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Window(NamedTuple):
    """A half-open time window [start, end) in minutes on the day with label `day`."""

    day: str
    start: int
    end: int

    def overlaps(self, other: "Window") -> bool:
        return self.day == other.day and overlap(self.start, self.end, other.start, other.end)

    def __str__(self) -> str:
        return f"{self.day} {format_hhmm(self.start)}-{format_hhmm(self.end)}"


def overlap(start_a: int, end_a: int, start_b: int, end_b: int) -> bool:
    """True when [start_a, end_a) and [start_b, end_b) share at least one minute."""
    return start_a < end_b and start_b < end_a


def parse_span(text: str) -> tuple[int, int]:
    """'12:30-13:30' -> (750, 810)."""
    parts = text.split("-")
    if len(parts) != 2:
        raise ValueError(f"'{text}' is not a span of the form HH:MM-HH:MM")
    start, end = parse_hhmm(parts[0]), parse_hhmm(parts[1])
    if end <= start:
        raise ValueError(f"'{text}' ends before it starts")
    return start, end


def parse_window(text: str) -> Window:
    """'Day 2 09:00-12:00' -> Window('Day 2', 540, 720)."""
    match = _WINDOW.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a window of the form 'Day 2 09:00-12:00'")
    start, end = parse_span(f"{match.group(2)}-{match.group(3)}")
    return Window(match.group(1), start, end)


def units_covered(start: int, end: int, granularity: int) -> range:
    """Grid units (of `granularity` minutes from midnight) that [start, end) touches.

    For windows whose starts lie on the grid, two windows overlap exactly when they share a unit,
    which is what lets the model express overlaps as at-most-one rows per unit.
    """
    return range(start // granularity, (end - 1) // granularity + 1)


def event_moment(event_tz: str, date: dt.date, minutes: int) -> dt.datetime:
    """`minutes` after midnight of `date` at the event, as an aware datetime in `event_tz`."""
    return dt.datetime.combine(date, dt.time(), tzinfo=ZoneInfo(event_tz)) \
        + dt.timedelta(minutes=minutes)


@lru_cache(maxsize=None)
def inside_local_hours(event_tz: str, person_tz: str, date: dt.date, start: int, end: int,
                       earliest: int, latest: int) -> bool:
    """True when [start, end) at the event falls within [earliest, latest] in person_tz."""
    local_start = event_moment(event_tz, date, start).astimezone(ZoneInfo(person_tz))
    local_end = event_moment(event_tz, date, end).astimezone(ZoneInfo(person_tz))
    if local_start.date() != local_end.date() and local_end.time() != dt.time():
        return False
    start_minute = local_start.hour * 60 + local_start.minute
    end_minute = local_end.hour * 60 + local_end.minute or 24 * 60
    return earliest <= start_minute and end_minute <= latest
