"""The attendance estimate: one figure per DC item that makes every mode and day comparable.

A DC Day on Day 0 has little competition from the programme but fewer participants; a DC Day
during the meeting has everyone there but many sessions in parallel. The estimate puts both
effects in one number, with a formula simple enough to check by hand:

    estimated(i) = expected_attendance(i) x presence(day(i)) / (1 + competition(i))

    competition(i) = sum over every other session j running during i of
                     overlap_minutes(i, j) / duration(i) x weight(i, j)

    weight(i, j) = attendance.same_theme   if i and j share a theme (default 1.0)
                   attendance.other_theme  otherwise                (default 0.1)

- `expected_attendance` is the request's own figure, read as the audience it would draw with
  every participant present and nothing else running.
- `presence(day)` is the share of the participants on site that day (`[attendance] presence`,
  per day label; `default_presence` for the others), e.g. 0.6 for a Day 0.
- `competition(i)` is the time-averaged number of sessions competing for i's audience: a
  session on a shared theme splits it (with the default weight, one such session for the whole
  of i halves it), one on other themes draws a little of it away (ten of them halve it). A
  session overlapping half of i counts half.
- The sessions j are the programme's (online-only ones too: they compete for the online
  audience) and the other DC rows. A block is represented by its segments, so `block` rows are
  neither estimated nor counted as competitors; segments of the same block never compete with
  each other or with their own block.

Rows estimated: every `session` and `segment` row that places a request (a plenary has no
request, hence no expected attendance). The figure for a whole schedule is the audience of a DC
presentation, averaged over them weighted by their minutes (`attendance_per_presentation`): an
8-minute segment is not a whole session, and a schedule does not score higher for cutting its
DCs' time into more, shorter presentations.
"""

from __future__ import annotations

from dataclasses import dataclass

from .domain import Dataset
from .scenario import Attendance
from .schedule import ScheduleRow
from .timegrid import Window

ESTIMATED_KINDS = ("session", "segment")


@dataclass(frozen=True)
class Competitor:
    """Anything running at a time that can draw audience away: its window and themes."""

    entry_id: str
    window: Window
    themes: frozenset[str]
    block_id: str = ""


@dataclass(frozen=True)
class ItemAttendance:
    item_id: str
    kind: str
    day: str
    minutes: int
    expected: int
    presence: float
    competition: float
    estimated: float

    def as_dict(self) -> dict:
        return {"item_id": self.item_id, "kind": self.kind, "day": self.day,
                "minutes": self.minutes, "expected": self.expected, "presence": self.presence,
                "competition": round(self.competition, 3),
                "estimated": round(self.estimated, 1)}


def presence(settings: Attendance, day: str) -> float:
    """Share of the participants on site on `day`."""
    return settings.presence.get(day, settings.default_presence)


def competition_weight(settings: Attendance, themes: frozenset[str],
                       other_themes: frozenset[str]) -> float:
    """How much of an audience one fully parallel session takes: more when it shares a theme."""
    return settings.same_theme if themes & other_themes else settings.other_theme


def overlap_minutes(a: Window, b: Window) -> int:
    if a.day != b.day:
        return 0
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def competition(window: Window, themes: frozenset[str], competitors: list[Competitor],
                settings: Attendance) -> float:
    """Time-averaged, theme-weighted number of sessions running during `window`."""
    duration = window.end - window.start
    if duration <= 0:               # a malformed row (the checker reports it): no competition
        return 0.0
    return sum(overlap_minutes(window, other.window) / duration
               * competition_weight(settings, themes, other.themes)
               for other in competitors)


def estimated_audience(expected: int, day_presence: float, item_competition: float) -> float:
    """The formula of the module docstring."""
    return expected * day_presence / (1 + item_competition)


def competitors_of(dataset: Dataset, rows: list[ScheduleRow]) -> list[Competitor]:
    """The programme's sessions and the DC rows that draw audience (blocks via their segments)."""
    programme = [Competitor(s.session_id, s.window, frozenset(s.themes))
                 for s in dataset.programme]
    dc_rows = [Competitor(r.item_id, r.window, frozenset(r.themes), r.block_id)
               for r in rows if r.kind != "block"]
    return programme + dc_rows


def estimate_attendance(dataset: Dataset, settings: Attendance,
                        rows: list[ScheduleRow]) -> list[ItemAttendance]:
    """The estimate for every session and segment row that places a request, in row order."""
    everyone = competitors_of(dataset, rows)
    estimates = []
    for row in rows:
        request = dataset.request_by_id.get(row.item_id)
        if row.kind not in ESTIMATED_KINDS or request is None:
            continue
        rivals = [c for c in everyone if c.entry_id != row.item_id
                  and not (row.block_id and c.block_id == row.block_id)]
        themes = frozenset(row.themes) or frozenset(request.themes)
        item_competition = competition(row.window, themes, rivals, settings)
        day_presence = presence(settings, row.day)
        estimates.append(ItemAttendance(
            row.item_id, row.kind, row.day, row.end - row.start, request.expected_attendance,
            day_presence,
            item_competition,
            estimated_audience(request.expected_attendance, day_presence, item_competition)))
    return estimates


def attendance_per_presentation(estimates: list[ItemAttendance]) -> float | None:
    """The estimated audience of a DC presentation, weighted by its minutes; None without one."""
    minutes = sum(e.minutes for e in estimates)
    return sum(e.estimated * e.minutes for e in estimates) / minutes if minutes else None
