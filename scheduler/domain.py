"""The domain: the event, its rooms, the fixed programme, the coalitions, their requests, people.

Each record is a pydantic model that parses its spreadsheet cells itself (`yes`/`no` booleans,
`;`-separated lists, `HH:MM` times), so that a CSV row validates in one call and a bad cell
yields an error that names its column. Times are minutes after midnight (see `timegrid`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, field_validator,
                      model_validator)

from .errors import InputWarning
from .timegrid import Window, format_hhmm, parse_hhmm, parse_span, parse_window

FEATURES = ("hybrid", "captioning", "step_free", "interpretation")
# Programme session types that DC outputs presented in a block can feed (SPEC §5, "outputs first").
OUTPUT_FED_TYPES = ("workshop", "main")
# The thematic cluster, in a block, of a request that names no theme.
NO_THEME = "general"
Feature = Literal["hybrid", "captioning", "step_free", "interpretation"]
_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n"}


def _split(value):
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


def _flag(value):
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"'{value}' is not a boolean (use yes/no, true/false or 1/0)")
    return value


def _clock(value):
    if isinstance(value, str):
        # A spreadsheet re-saving '09:00' may write '09:00:00': the same time, unambiguous.
        return parse_hhmm(re.sub(r"^(\s*\d{1,2}:\d{2}):00\s*$", r"\1", value))
    return value


def _iso_date(value):
    """A date as YYYY-MM-DD: spreadsheets' '01/04/2024' is refused, as day and month may be
    either way round."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a date of the form YYYY-MM-DD") from None
    return value


def _blank_to_none(value):
    return None if isinstance(value, str) and not value.strip() else value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def _timezone(value):
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"'{value}' is not an IANA time zone (e.g. Asia/Tokyo)") from None
    return value


def _spans(value):
    if isinstance(value, (list, tuple)):
        return tuple(parse_span(v) if isinstance(v, str) else tuple(v) for v in value)
    return value


def _windows(value):
    if isinstance(value, str):
        return tuple(parse_window(part) for part in _split(value))
    return value


Names = Annotated[tuple[str, ...], BeforeValidator(_split)]
Flag = Annotated[bool, BeforeValidator(_flag)]
BlankIsNo = Annotated[bool, BeforeValidator(lambda v: _flag(v) if _blank_to_none(v) else False)]
Clock = Annotated[int, BeforeValidator(_clock)]
# The most people a room seats or a session expects: larger is a typo (or a stadium).
MAX_PEOPLE = 100_000
TimeZone = Annotated[str, BeforeValidator(_timezone)]
OptionalYear = Annotated[int | None, BeforeValidator(_blank_to_none)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]
Identifier = Annotated[str, BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v),
                       Field(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)


class Day(Record):
    # A misspelt key ('brakes') would otherwise drop the day's breaks without a word.
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    label: Identifier
    date: dt.date
    open: Clock
    close: Clock
    breaks: Annotated[tuple[tuple[int, int], ...], BeforeValidator(_spans)] = ()

    @model_validator(mode="after")
    def _hours_make_sense(self):
        if self.close <= self.open:
            raise ValueError(f"day '{self.label}' closes ({format_hhmm(self.close)}) "
                             f"before it opens ({format_hhmm(self.open)})")
        for start, end in self.breaks:
            if start < self.open or end > self.close:
                raise ValueError(f"break {format_hhmm(start)}-{format_hhmm(end)} of "
                                 f"'{self.label}' is outside the day's hours")
        return self


class Event(Record):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    timezone: TimeZone
    granularity: int = Field(gt=0, le=60)
    # Minutes a room, a person and a DC need between two sessions (the IGF uses 10: the room
    # changes over, a speaker changes rooms); 0 = back to back.
    transition: int = Field(default=0, ge=0, le=120)
    days: tuple[Day, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_labels(self):
        labels = [day.label for day in self.days]
        for label in labels:
            if labels.count(label) > 1:
                raise ValueError(f"day label '{label}' appears twice")
        return self

    def day(self, label: str) -> Day:
        return next(day for day in self.days if day.label == label)


class Room(Record):
    room_id: Identifier
    name: str
    capacity: int = Field(ge=0, le=MAX_PEOPLE)
    hybrid: Flag
    captioning: Flag
    step_free: Flag
    interpretation: Flag
    days: Names = ()

    @property
    def features(self) -> frozenset[str]:
        return frozenset(f for f in FEATURES if getattr(self, f))

    def open_on(self, day: str) -> bool:
        return not self.days or day in self.days


class ProgrammeSession(Record):
    session_id: Identifier
    type: str
    title: str
    day: str
    start: Clock
    end: Clock
    room: OptionalText = None
    themes: Names = ()
    people: Names = ()
    exclusive: Flag = False
    # A scenario with `[programme] movable = "marked"` lets the engine move this session
    # (a blank cell: no, as for `pinned`).
    movable: BlankIsNo = False

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end, info):
        if "start" in info.data and end <= info.data["start"]:
            raise ValueError("end is not after start")
        return end

    @property
    def window(self) -> Window:
        return Window(self.day, self.start, self.end)


class Coalition(Record):
    dc_id: Identifier
    name: str
    category: Annotated[Literal["output", "capacity"], BeforeValidator(_lower)]
    themes: Names = ()
    open_membership: Flag
    open_mailing_list: Flag
    open_archives: Flag
    last_annual_report: OptionalYear = None
    # The kind of that report (optional column): `full` (blank) or `light`, the shorter report
    # a new DC owes (SPEC §4); only a DC founded in or after the report year may give it.
    annual_report_kind: Annotated[Literal["full", "light"],
                                  BeforeValidator(lambda v: _lower(v) or "full")] = "full"
    session_report: Annotated[Literal["yes", "no", "n/a"], BeforeValidator(_lower)]
    coordination_meetings: int = Field(ge=0, le=1000)
    founded: OptionalYear = None
    outputs: int = Field(ge=0, le=1000)
    members: Names = ()


class Request(Record):
    request_id: Identifier
    dc_ids: Names = Field(min_length=1)
    title: str = ""
    format: str = ""
    duration: int = Field(gt=0, le=24 * 60)
    expected_attendance: int = Field(ge=0, le=MAX_PEOPLE)
    themes: Names = ()
    speakers: Names = ()
    needs: Annotated[tuple[Feature, ...], BeforeValidator(_split)] = ()
    preferred_days: Names = ()
    unavailable: Annotated[tuple[Window, ...], BeforeValidator(_windows)] = ()
    # 1 the highest; the goal `placed` weighs a request by its distance from the lowest.
    priority: int = Field(default=3, ge=1, le=100)
    submitted: Annotated[dt.date | None, BeforeValidator(_iso_date),
                         BeforeValidator(_blank_to_none)] = None
    # What the DCs asked for (optional column): a `session` of their own, a `segment` in a
    # block, or `either` (blank). Mode mixed honours it over its category default.
    placement: Annotated[Literal["session", "segment", "either"],
                         BeforeValidator(lambda v: _lower(v) or "either")] = "either"

    @property
    def lead(self) -> str:
        return self.dc_ids[0]


class Pin(Record):
    """A placement that must stay: the request, and any of its day, start and room (blank: the
    solver chooses). For a request presenting in a block, the day and room are its block's."""

    request_id: Identifier
    day: OptionalText = None
    start: Annotated[int | None, BeforeValidator(lambda v: _clock(_blank_to_none(v)))] = None
    room: OptionalText = None

    def __str__(self) -> str:
        where = " ".join(part for part in (self.day, self.start is not None and
                                           format_hhmm(self.start), self.room) if part)
        return f"{self.request_id} pinned to {where or 'be placed'}"


class Person(Record):
    person_id: Identifier
    name: str
    stakeholder_group: str = ""
    region: str = ""
    gender: str = ""
    onsite: Flag = True
    # Before-validators run last-listed first: blank becomes None before the zone is checked.
    timezone: Annotated[str | None, BeforeValidator(lambda v: v if v is None else _timezone(v)),
                        BeforeValidator(_blank_to_none)] = None


class Theme(Record):
    """A theme's name for people (the optional themes.csv); the data names themes by id."""
    theme_id: Identifier
    name: str


def request_value(request: Request, dataset: "Dataset") -> int:
    """The worth of placing a request: priority 1 (the highest) gets the largest value."""
    lowest = max((r.priority for r in dataset.requests), default=1)
    return lowest + 1 - request.priority


def request_themes(request: Request, dataset: "Dataset") -> tuple[str, ...]:
    """The themes a request is judged by: its own, or where it names none its DCs' (lead DC
    first), so that the goals and a block's clusters see what its DCs work on rather than
    nothing. (`complete_request`, an eligibility rule, still asks for the request's own.)"""
    return request.themes or tuple(dict.fromkeys(
        theme for dc in request.dc_ids for theme in dataset.coalition_by_id[dc].themes))


def people_unavailable(dataset: "Dataset", people) -> tuple[Window, ...]:
    """The windows in which one of `people` may not attend: those of every DC request they speak
    in (a request's window is a key speaker's, unnamed, so each of its speakers is taken as
    unable to attend then)."""
    return tuple(sorted({w for r in dataset.requests if set(r.speakers) & set(people)
                         for w in r.unavailable}))


def by_key(records, key: str) -> dict:
    """The records by their identifier, in file order."""
    return {getattr(record, key): record for record in records}


@dataclass(frozen=True)
class Dataset:
    """A whole dataset folder, validated and cross-checked (see `load.load_dataset`)."""

    folder: str
    event: Event
    rooms: tuple[Room, ...]
    programme: tuple[ProgrammeSession, ...]
    coalitions: tuple[Coalition, ...]
    requests: tuple[Request, ...]
    people: tuple[Person, ...] = field(default=())
    themes: tuple[Theme, ...] = field(default=())
    # Values accepted but probably mistakes, found while loading (see `load.load_dataset`).
    warnings: tuple[InputWarning, ...] = field(default=(), compare=False, repr=False)

    room_by_id = cached_property(lambda self: by_key(self.rooms, "room_id"))
    coalition_by_id = cached_property(lambda self: by_key(self.coalitions, "dc_id"))
    request_by_id = cached_property(lambda self: by_key(self.requests, "request_id"))
    person_by_id = cached_property(lambda self: by_key(self.people, "person_id"))
    session_by_id = cached_property(lambda self: by_key(self.programme, "session_id"))
    day_by_label = cached_property(lambda self: by_key(self.event.days, "label"))
    theme_by_id = cached_property(lambda self: by_key(self.themes, "theme_id"))

    def theme_name(self, theme_id: str) -> str:
        """What people read for a theme: its name in themes.csv, else its id."""
        theme = self.theme_by_id.get(theme_id)
        return theme.name if theme else theme_id

    @cached_property
    def day_index(self) -> dict[str, int]:
        return {day.label: i for i, day in enumerate(self.event.days)}
