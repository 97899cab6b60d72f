"""The fixed programme as the model sees it: who and what is busy when, and what runs in parallel."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ..domain import Dataset, ProgrammeSession
from ..timegrid import overlap


class ProgrammeIndex:
    """Busy windows of rooms and people, and the exclusive items, of the fixed programme."""

    def __init__(self, dataset: Dataset):
        self.sessions_by_day: dict[str, list[ProgrammeSession]] = defaultdict(list)
        self.room_busy: dict[tuple[str, str], list[ProgrammeSession]] = defaultdict(list)
        self.person_busy: dict[tuple[str, str], list[ProgrammeSession]] = defaultdict(list)
        self.exclusive: dict[str, list[ProgrammeSession]] = defaultdict(list)
        for session in sorted(dataset.programme, key=lambda s: (s.day, s.start, s.session_id)):
            self.sessions_by_day[session.day].append(session)
            if session.room:
                self.room_busy[(session.room, session.day)].append(session)
            for person in session.people:
                self.person_busy[(person, session.day)].append(session)
            if session.exclusive:
                self.exclusive[session.day].append(session)

    @staticmethod
    def _first_overlap(sessions, start: int, end: int) -> ProgrammeSession | None:
        return next((s for s in sessions if overlap(s.start, s.end, start, end)), None)

    def room_clash(self, room: str, day: str, start: int, end: int):
        return self._first_overlap(self.room_busy.get((room, day), ()), start, end)

    def person_clash(self, person: str, day: str, start: int, end: int):
        return self._first_overlap(self.person_busy.get((person, day), ()), start, end)

    def exclusive_clash(self, day: str, start: int, end: int):
        return self._first_overlap(self.exclusive.get(day, ()), start, end)

    @lru_cache(maxsize=None)
    def parallel(self, day: str, start: int, end: int) -> tuple[ProgrammeSession, ...]:
        """Programme sessions running at some time during [start, end)."""
        return tuple(s for s in self.sessions_by_day.get(day, ())
                     if overlap(s.start, s.end, start, end))

    def theme_clashes(self, themes: frozenset[str], day: str, start: int, end: int) -> int:
        """Programme sessions during [start, end) that share a theme with `themes`."""
        return sum(1 for s in self.parallel(day, start, end) if themes.intersection(s.themes))
