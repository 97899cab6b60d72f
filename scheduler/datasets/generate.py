"""Seeded generator of IGF-shaped datasets, the guard against tuning the engine to one sample.

`generate(Settings(...))` draws a whole dataset (event, rooms, fixed programme, coalitions,
requests, people) from realistic vocabularies: IGF host cities and time zones, the theme sets of
2023-2025, session types with their usual lengths, real and plausible Dynamic Coalition topics,
stakeholder groups, UN regions and their time zones. Every draw comes from a `random.Random`
seeded by the settings, one stream per part (the programme does not change when only the number
of requests does), and nothing iterates a set, so the same settings give byte-identical files.

`write_dataset` writes the folder in the data contract (SPEC §3) whole or not at all, after
`load.load_dataset` has accepted it; `write_scenarios` writes one scenario per mode for it.

The shape, in numbers (each drawn per dataset): 8-20 rooms (one plenary with interpretation,
large halls, medium and small workshop rooms; about half closed on Day 0, a few closed on one
meeting day); 4 or 5 meeting days plus a lighter Day 0; a lunch break on meeting days; an
exclusive opening (Day 1) and closing (last day); per day a share of room-time filled by the
programme around `density`, with 2-4 long stretches of room time held back for DC activities;
a few online-only sessions; people who speak in several sessions but never in two at once;
10-20% joint requests; about a fifth of the DCs failing one eligibility rule each (named in the
dataset's README).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..export.folders import write_folder
from ..timegrid import format_hhmm, overlap
from . import writer
from .vocabulary import (DAY0_MENUS, DC_TOPICS, DOMAINS, FORMATS, GENDERS, NEUTRAL_NAMES,
                         ONLINE_MENU, QUALIFIERS, REGIONS, REQUEST_ANGLES, ROOM_KINDS, ROOM_MENUS,
                         ROOM_NAMES, SESSION_TYPES, STAKEHOLDER_GROUPS, SUBJECTS, THEME_SETS,
                         VENUES)
from .writer import COLUMNS, csv_text, event_toml, toml_string

GRID = 15
FILES = ("event.toml", "rooms.csv", "programme.csv", "coalitions.csv", "requests.csv",
         "people.csv", "README.md")

# The eligibility rules the failing DCs are built around (one rule each), and the scenario
# settings that match them (see `eligibility_settings`).
FAILURE_RULES = ("open_principles", "annual_report_year", "session_report",
                 "min_coordination_meetings", "deadline", "min_stakeholder_groups")
MIN_COORDINATION_MEETINGS = 3


def deadline_for(first_date: dt.date) -> dt.date:
    """The request deadline of a generated event: about five months before Day 0 (2023: 5 May
    for a meeting on 8 October)."""
    return first_date - dt.timedelta(days=156)


def eligibility_settings(first_date: dt.date) -> dict:
    """The `[eligibility]` table that the generated coalitions and requests are designed for."""
    return {"open_principles": True, "annual_report_year": first_date.year - 1,
            "session_report": True, "min_coordination_meetings": MIN_COORDINATION_MEETINGS,
            "deadline": deadline_for(first_date), "complete_request": True,
            "min_stakeholder_groups": 2}


# The bounds of `generate`'s numbers: beyond them a run takes minutes or all the memory
# (--requests 1000 takes about 3 s, --scale 20 about 5 s, --rooms 200 --days 7 about 3 s).
MAX_SEED = 2**63 - 1
MAX_REQUESTS = 2000
MAX_ROOMS = 300
MAX_SCALE = 30


@dataclass(frozen=True)
class Settings:
    """What `igf-sched generate` is asked for. `rooms` and `days` None: drawn from the seed."""

    seed: int = 0
    requests: int = 30
    density: float = 0.6
    rooms: int | None = None
    days: int | None = None
    scale: int = 1
    # "standards": the shape of a standards meeting's request set (IETF-like) instead of the
    # IGF's: no fixed programme but the plenaries, requests of 60-120 minutes, every one
    # eligible, and a pool of participants who each sit in several requests (`SHAPES`).
    shape: str = "igf"
    # A dataset folder whose event, rooms, programme and people are kept: only coalitions,
    # requests and their new people are drawn (`run_on_programme`).
    programme: str | None = None

    def __post_init__(self):
        if self.shape not in SHAPES:
            raise InputError("--shape", f"'{self.shape}' is not a shape (use "
                             f"{', '.join(SHAPES)})")
        if not 0 <= self.seed <= MAX_SEED:
            raise InputError("--seed", f"{self.seed} is out of range: use 0 to {MAX_SEED}")
        if not 1 <= self.requests <= MAX_REQUESTS:
            raise InputError("--requests", f"{self.requests} requests is out of range: use 1 "
                             f"to {MAX_REQUESTS}")
        if not 0 <= self.density <= 1:
            raise InputError("--density", f"{self.density} is not a share between 0 and 1")
        if self.rooms is not None and not 3 <= self.rooms <= MAX_ROOMS:
            raise InputError("--rooms", f"{self.rooms} rooms is out of range: use 3 to "
                             f"{MAX_ROOMS} (at least a plenary, a hall and a workshop room)")
        if self.days is not None and not 1 <= self.days <= 7:
            raise InputError("--days", f"{self.days} meeting days: use 1 to 7 (the IGF has 4)")
        if not 1 <= self.scale <= MAX_SCALE:
            raise InputError("--scale", f"{self.scale} is out of range: use 1 to {MAX_SCALE}")
        if self.programme is not None and (self.rooms, self.days, self.scale) != (None, None, 1):
            raise InputError("--programme", "the programme's own rooms and days are kept: "
                             "--rooms, --days and --scale do not apply")

    def command(self) -> str:
        """The command line that reproduces these settings."""
        if self.programme is not None:
            return (f"igf-sched generate --seed {self.seed} --requests {self.requests} "
                    f"--programme {self.programme} --out DIR")
        parts = [f"igf-sched generate --seed {self.seed} --requests {self.requests}",
                 f"--density {self.density!r}"]
        if self.rooms is not None:
            parts.append(f"--rooms {self.rooms}")
        if self.days is not None:
            parts.append(f"--days {self.days}")
        if self.scale != 1:
            parts.append(f"--scale {self.scale}")
        if self.shape != "igf":
            parts.append(f"--shape {self.shape}")
        return " ".join(parts) + " --out DIR"


SHAPES = ("igf", "standards")
# A standards meeting's working-group sessions: their lengths, and how many participants of
# the shared pool (as many people as requests) sit in each besides its chairs: every person in
# about five requests, each request conflicting with some 25 others (IETF 106: 126 sessions,
# 1,745 conflicts).
STANDARDS_DURATIONS = {60: 40, 90: 25, 120: 35}
STANDARDS_PARTICIPANTS = (3, 8)


@dataclass
class Generated:
    """A generated dataset as rows (column -> text), ready to write, plus what its README says."""

    settings: Settings
    event: dict
    rooms: list[dict]
    programme: list[dict]
    coalitions: list[dict]
    requests: list[dict]
    people: list[dict]
    notes: dict = field(default_factory=dict)
    # Files taken as they are from the programme's folder (`Settings.programme`).
    kept: dict[str, str] = field(default_factory=dict)

    def files(self) -> dict[str, str]:
        """File name -> exact text of each file of the dataset folder."""
        return {**self._drawn_files(), **self.kept}

    def _drawn_files(self) -> dict[str, str]:
        return {"event.toml": event_toml(self.event),
                "rooms.csv": csv_text(COLUMNS["rooms"], self.rooms),
                "programme.csv": csv_text(COLUMNS["programme"], self.programme),
                "coalitions.csv": csv_text(COLUMNS["coalitions"], self.coalitions),
                "requests.csv": csv_text(COLUMNS["requests"], self.requests),
                "people.csv": csv_text(COLUMNS["people"], self.people),
                "README.md": readme(self)}


# --- small helpers ---------------------------------------------------------------------------

def weighted(rng: random.Random, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]


def round_up(minutes: int) -> int:
    return -(-minutes // GRID) * GRID


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def parse_clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass
class DayPlan:
    label: str
    date: dt.date
    open: int
    close: int
    breaks: list[tuple[int, int]]

    @property
    def meeting(self) -> bool:
        return self.label != "Day 0"


@dataclass
class RoomPlan:
    room_id: str
    name: str
    kind: str
    capacity: int
    features: tuple[bool, bool, bool, bool]
    days: list[str]  # the labels it is open on; every day when it equals all labels


@dataclass
class Session:
    type: str
    day: str
    start: int
    end: int
    room: str  # "" = online-only
    themes: list[str]
    people: list[str] = field(default_factory=list)
    title: str = ""
    exclusive: bool = False
    session_id: str = ""


# --- the generator ---------------------------------------------------------------------------

class Generator:
    """Draws one dataset. Each part has its own random stream (see the module docstring)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.seed = settings.seed

    def rng(self, part: str) -> random.Random:
        return random.Random(f"igf-sched:{self.seed}:{part}")

    def run(self) -> Generated:
        if self.settings.programme is not None:
            return self.run_on_programme(Path(self.settings.programme))
        rng = self.rng("event")
        self.venue = rng.choice(VENUES)
        self.theme_year = rng.choice(sorted(THEME_SETS))
        self.theme_names, self.theme_of = THEME_SETS[self.theme_year]
        self.year = rng.randint(2026, 2030)
        meeting_days = self.settings.days or rng.choice((4, 4, 5))
        self.days = self.make_days(rng, meeting_days)
        base_rooms = self.settings.rooms or self.rng("room-count").randint(8, 20)
        self.rooms = self.make_rooms(base_rooms * self.settings.scale)
        self.people: list[dict] = []
        self.dc_people: list[str] = []  # DC members not in the programme, for shared members
        self.notes: dict = {}
        programme = self.make_programme()
        coalitions, requests = self.make_coalitions_and_requests()
        first = self.days[0]
        event = {"name": f"IGF {self.year} {self.venue[0]}", "timezone": self.venue[1],
                 "granularity": GRID, "days": [{
                     "label": d.label, "date": d.date.isoformat(),
                     "open": format_hhmm(d.open), "close": format_hhmm(d.close),
                     "breaks": [f"{format_hhmm(a)}-{format_hhmm(b)}" for a, b in d.breaks]}
                     for d in self.days]}
        self.notes["eligibility"] = eligibility_settings(first.date)
        self.notes["theme_year"] = self.theme_year
        self.notes["themes"] = self.theme_names
        return Generated(self.settings, event, [self.room_row(r) for r in self.rooms],
                         [self.session_row(s) for s in programme], coalitions, requests,
                         self.people, self.notes)

    def run_on_programme(self, folder: Path) -> Generated:
        """Coalitions and requests drawn for an existing programme (an imported one, say): its
        event, rooms and programme are kept byte for byte, its people are kept and new ones
        added. DC members and speakers come partly from the programme's people, as in `run`."""
        from ..load import load_dataset, read_text

        dataset = load_dataset(folder)
        rng = self.rng("event")
        venue = rng.choice(VENUES)
        self.venue = (dataset.event.name, dataset.event.timezone, venue[2], venue[3])
        self.theme_year = rng.choice(sorted(THEME_SETS))
        self.theme_names, self.theme_of = THEME_SETS[self.theme_year]
        self.days = [DayPlan(d.label, d.date, d.open, d.close, list(d.breaks))
                     for d in dataset.event.days]
        self.year = self.days[0].date.year
        self.people = [{column: person_cell(person, column) for column in COLUMNS["people"]}
                       for person in dataset.people]
        self.programme_people = list(dict.fromkeys(
            p for session in dataset.programme for p in session.people))
        self.dc_people = []
        self.notes = {"held_for_dcs": []}
        coalitions, requests = self.make_coalitions_and_requests()
        self.notes["eligibility"] = eligibility_settings(self.days[0].date)
        self.notes["theme_year"] = self.theme_year
        self.notes["themes"] = self.theme_names
        kept = {name: read_text(folder / name)
                for name in ("event.toml", "rooms.csv", "programme.csv")}
        event = {"name": dataset.event.name, "timezone": dataset.event.timezone,
                 "granularity": dataset.event.granularity, "days": [{
                     "label": d.label, "date": d.date.isoformat(),
                     "open": format_hhmm(d.open), "close": format_hhmm(d.close),
                     "breaks": [f"{format_hhmm(a)}-{format_hhmm(b)}" for a, b in d.breaks]}
                     for d in dataset.event.days]}
        rooms = [{"room_id": r.room_id, "days": ";".join(r.days)} for r in dataset.rooms]
        programme = [{"day": s.day, "start": format_hhmm(s.start), "end": format_hhmm(s.end),
                      "room": s.room or ""} for s in dataset.programme]
        return Generated(self.settings, event, rooms, programme, coalitions, requests,
                         self.people, self.notes, kept)

    # --- event and rooms ---------------------------------------------------------------------

    def make_days(self, rng: random.Random, meeting_days: int) -> list[DayPlan]:
        # Day 0 is a Sunday, as in Kyoto 2023; the meeting days follow it.
        first = dt.date(self.year, self.venue[3], rng.randint(1, 20))
        first += dt.timedelta(days=(6 - first.weekday()) % 7)
        opens = parse_clock(rng.choice(("09:00", "09:00", "09:30")))
        closes = parse_clock(rng.choice(("18:00", "18:30", "18:30")))
        lunch = tuple(map(parse_clock, rng.choice(
            (("12:30", "13:30"), ("13:00", "14:00"), ("12:30", "13:00"), ("13:00", "13:30")))))
        day0_break = [lunch] if rng.random() < 0.5 else []
        days = [DayPlan("Day 0", first, parse_clock("09:00"), parse_clock("18:00"), day0_break)]
        for k in range(1, meeting_days + 1):
            days.append(DayPlan(f"Day {k}", first + dt.timedelta(days=k), opens, closes, [lunch]))
        return days

    def make_rooms(self, count: int) -> list[RoomPlan]:
        rng = self.rng("rooms")
        style = ROOM_NAMES[rng.choice(sorted(ROOM_NAMES))]
        plenaries = max(1, round(count / 20))
        large = max(1, round(count * 0.15))
        medium = max(1, round(count * 0.3))
        small = max(0, count - plenaries - large - medium)
        kinds = ["plenary"] * plenaries + ["large"] * large + ["medium"] * medium + ["small"] * small
        kinds = kinds[:count]
        labels = [d.label for d in self.days]
        rooms, numbers = [], {"plenary": 0, "large": 0, "ws": 0}
        for kind in kinds:
            low, high, step = ROOM_KINDS[kind][0]
            capacity = rng.randrange(low, high + 1, step)
            features = tuple(rng.random() < p for p in ROOM_KINDS[kind][1])
            if kind == "plenary":
                numbers["plenary"] += 1
                n = numbers["plenary"]
                room_id, name = (f"PLENARY{n}" if plenaries > 1 else "PLENARY",
                                 style[0] + (f" {n}" if plenaries > 1 else ""))
            elif kind == "large":
                numbers["large"] += 1
                room_id = f"HALL{numbers['large']}"
                name = style[1].format(n=numbers["large"])
            else:
                numbers["ws"] += 1
                room_id = f"WS{numbers['ws']:02d}"
                name = style[2].format(n=numbers["ws"])
            days = list(labels)
            # About half the venue is still being set up on Day 0; the plenary always opens.
            if kind != "plenary" and rng.random() < 0.5:
                days.remove("Day 0")
            if kind == "small" and len(labels) > 2 and rng.random() < 0.12:
                days.remove(rng.choice(labels[1:]))
            rooms.append(RoomPlan(room_id, name, kind, capacity, features, days))
        # Some rooms lack captioning or step-free access (a known pain): at least one each.
        for feature in (1, 2):
            if len(rooms) > 2 and all(r.features[feature] for r in rooms):
                last = rooms[-1]
                last.features = tuple(f and k != feature for k, f in enumerate(last.features))
        # Day 0 has fewer rooms than the meeting days, but at least two beside the plenary.
        others = [r for r in rooms if r.kind != "plenary"]
        closed = [r for r in others if "Day 0" not in r.days]
        for room in closed[:max(0, 2 - (len(others) - len(closed)))]:
            room.days.insert(0, "Day 0")
        if len(others) >= 3 and all("Day 0" in r.days for r in others):
            others[-1].days.remove("Day 0")
        return rooms

    def room_row(self, room: RoomPlan) -> dict:
        all_days = len(room.days) == len(self.days)
        return {"room_id": room.room_id, "name": room.name, "capacity": room.capacity,
                **{name: yes_no(flag) for name, flag in
                   zip(("hybrid", "captioning", "step_free", "interpretation"), room.features)},
                "days": "" if all_days else ";".join(room.days)}

    # --- the fixed programme -----------------------------------------------------------------

    def day_densities(self, rng: random.Random) -> dict[str, float]:
        """Each meeting day's target share of room-time; their mean is `density`. Day 0 is
        lighter (60-80% of it): fewer rooms, side events."""
        target = 0.0 if self.settings.shape == "standards" else self.settings.density
        meeting = [d.label for d in self.days if d.meeting]
        factors = [rng.uniform(0.8, 1.2) for _ in meeting]
        mean = sum(factors) / len(factors)
        densities = {label: min(1.0, target * f / mean) for label, f in zip(meeting, factors)}
        densities["Day 0"] = target * rng.uniform(0.6, 0.8)
        return densities

    def make_programme(self) -> list[Session]:
        rng = self.rng("programme")
        self.main_length = rng.choice((90, 75))
        plenary = self.rooms[0].room_id
        densities = self.day_densities(rng)
        sessions: list[Session] = []
        exclusive: dict[str, list[tuple[int, int]]] = {d.label: [] for d in self.days}
        reserved: dict[tuple[str, str], list[tuple[int, int]]] = {}
        day1, last = self.days[1], self.days[-1]
        # Opening ceremony on Day 1 after a first morning slot; closing at the last day's end,
        # right after the "Taking Stock / Open Mic" session in the plenary. Both exclusive.
        start = day1.open + rng.choice((60, 90))
        opening = Session("opening", day1.label, start, start + rng.choice((30, 45, 60)), plenary,
                          [], exclusive=True)
        length = rng.choice((45, 60))
        closing = Session("closing", last.label, last.close - length, last.close, plenary, [],
                          exclusive=True)
        stock = Session("taking_stock", last.label, closing.start - rng.choice((60, 75)),
                        closing.start, plenary, [])
        for s in (opening, closing):
            exclusive[s.day].append((s.start, s.end))
        reserved[(last.label, plenary)] = [(stock.start, stock.end)]
        sessions += [opening, closing, stock]
        # Room time the Secretariat holds back for DC activities (in 2023 the DC sessions
        # clustered in two workshop rooms): the longest free stretch of a few meeting-day rooms
        # stays empty, so that a three-hour DC block has somewhere to go. Its share of the
        # day's target carries over to the other rooms.
        candidates = [(day.label, room.room_id) for day in self.days if day.meeting
                      for room in self.rooms if room.kind in ("large", "medium")
                      and day.label in room.days]
        held = rng.sample(candidates, min(len(candidates), rng.randint(2, 4) * self.settings.scale))
        held_windows = []
        for day in self.days:
            carry = 0.0
            open_rooms = [r for r in self.rooms if day.label in r.days]
            jitter = [rng.uniform(0.75, 1.25) for _ in open_rooms]
            mean = sum(jitter) / len(jitter)
            for room, factor in zip(open_rooms, jitter):
                fill = min(1.0, densities[day.label] * factor / mean)
                menu = self.menu(room, day)
                segments = self.free_segments(
                    day, exclusive[day.label] + reserved.get((day.label, room.room_id), []))
                kept = max(segments, key=lambda seg: seg[1] - seg[0]) \
                    if (day.label, room.room_id) in held else None
                for seg_start, seg_end in segments:
                    target = fill * (seg_end - seg_start) + carry
                    if (seg_start, seg_end) == kept:
                        held_windows.append(f"{room.room_id} {day.label} "
                                            f"{format_hhmm(seg_start)}-{format_hhmm(seg_end)}")
                        carry = target
                        continue
                    placed = self.fill_segment(rng, day, room.room_id, seg_start, seg_end,
                                               target, menu)
                    carry = target - sum(s.end - s.start for s in placed)
                    sessions += placed
        self.notes["held_for_dcs"] = held_windows
        sessions += self.online_only_sessions(rng, exclusive)
        for s in sessions:
            if not s.themes:
                s.themes = self.draw_themes(rng)
        self.assign_programme_people(rng, sessions)
        self.name_sessions(rng, sessions)
        return sessions

    def menu(self, room: RoomPlan, day: DayPlan) -> dict[str, int]:
        if not day.meeting:
            return DAY0_MENUS["plenary" if room.kind == "plenary" else "other"]
        return ROOM_MENUS[room.kind]

    def durations(self, session_type: str) -> tuple[int, ...]:
        return (self.main_length,) if session_type == "main" else SESSION_TYPES[session_type][2]

    def free_segments(self, day: DayPlan, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The day's hours cut at its breaks and at the blocked windows: no session crosses
        a cut."""
        cuts = sorted(day.breaks + blocked)
        segments, cursor = [], day.open
        for start, end in cuts:
            if start > cursor:
                segments.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < day.close:
            segments.append((cursor, day.close))
        return segments

    def fill_segment(self, rng, day, room_id, start, end, target, menu) -> list[Session]:
        """Sessions of the menu's types in [start, end), filling about `target` minutes, with
        gaps on the 15-minute grid."""
        length, used, chosen = end - start, 0, []
        while used < target - GRID / 2:
            fitting = {t: w for t, w in menu.items()
                       if any(used + round_up(d) <= min(length, target + GRID)
                              for d in self.durations(t))}
            if not fitting:
                break
            session_type = weighted(rng, fitting)
            options = [d for d in self.durations(session_type)
                       if used + round_up(d) <= min(length, target + GRID)]
            duration = rng.choice(options)
            chosen.append((session_type, duration))
            used += round_up(duration)
        # Free time as a real programme leaves it: mostly a 15-minute changeover between
        # sessions, the rest in one or two free stretches (where a DC session can go).
        gaps, free_units = [0] * (len(chosen) + 1), (length - used) // GRID
        for i in range(1, len(chosen)):
            if free_units and rng.random() < 0.6:
                gaps[i] += GRID
                free_units -= 1
        stretches = rng.sample(range(len(gaps)), min(len(gaps), rng.choice((1, 1, 2))))
        for unit in range(free_units):
            gaps[stretches[unit % len(stretches)]] += GRID
        sessions, cursor = [], start
        for (session_type, duration), gap in zip(chosen, gaps):
            cursor += gap
            sessions.append(Session(session_type, day.label, cursor, cursor + duration, room_id,
                                    []))
            cursor += round_up(duration)
        return sessions

    def online_only_sessions(self, rng, exclusive) -> list[Session]:
        """A few sessions with no room (online-only), on meeting days, off breaks and
        ceremonies."""
        meeting = [d for d in self.days if d.meeting] or self.days
        sessions = []
        for _ in range(rng.randint(2, 5) * self.settings.scale):
            day = rng.choice(meeting)
            session_type = weighted(rng, ONLINE_MENU)
            duration = rng.choice(self.durations(session_type))
            segments = [(a, b) for a, b in self.free_segments(day, exclusive[day.label])
                        if b - a >= duration]
            if not segments:
                continue
            seg_start, seg_end = rng.choice(segments)
            start = seg_start + GRID * rng.randint(0, (seg_end - seg_start - duration) // GRID)
            sessions.append(Session(session_type, day.label, start, start + duration, "", []))
        return sessions

    def draw_themes(self, rng) -> list[str]:
        domains = rng.sample(DOMAINS, rng.choice((1, 1, 2)))
        return unique(self.theme_of[d] for d in domains)

    def assign_programme_people(self, rng, sessions: list[Session]) -> None:
        """People for every session from a pool in which some speak often (a few prominent
        voices, many occasional ones); nobody is put in two sessions at once."""
        needs = [rng.randint(*SESSION_TYPES[s.type][3]) for s in sessions]
        pool = [self.new_person(rng, online_share=0.1) for _ in
                range(max(30, round(sum(needs) / 2.8)))]
        cumulative, total = [], 0.0
        for rank in range(len(pool)):
            total += 1 / (rank + 8)  # Zipf-like: the first people speak most often
            cumulative.append(total)
        busy: dict[str, list[tuple[str, int, int]]] = {}
        order = sorted(range(len(sessions)), key=lambda i: (not sessions[i].exclusive, i))
        for index in order:
            session = sessions[index]
            for _ in range(needs[index] * 8):
                if len(session.people) >= needs[index]:
                    break
                person = rng.choices(pool, cum_weights=cumulative)[0]["person_id"]
                if person in session.people or any(
                        day == session.day and overlap(a, b, session.start, session.end)
                        for day, a, b in busy.get(person, ())):
                    continue
                session.people.append(person)
                busy.setdefault(person, []).append((session.day, session.start, session.end))
        self.programme_people = [p["person_id"] for p in pool if p["person_id"] in busy]

    def name_sessions(self, rng, sessions: list[Session]) -> None:
        """Ids numbered per type in programme order (e.g. WS001), and titles."""
        day_index = {d.label: i for i, d in enumerate(self.days)}
        room_index = {r.room_id: i for i, r in enumerate(self.rooms)}
        sessions.sort(key=lambda s: (day_index[s.day], s.start, room_index.get(s.room, 10**6),
                                     s.type))
        counts: dict[str, int] = {}
        for s in sessions:
            counts[s.type] = counts.get(s.type, 0) + 1
        width = {t: max(2 if t in ("main", "high_level", "nri", "bpf") else 3, len(str(n)))
                 for t, n in counts.items()}
        numbers: dict[str, int] = {}
        for s in sessions:
            prefix, title, _, _ = SESSION_TYPES[s.type]
            if counts[s.type] == 1 and s.type in ("opening", "closing", "taking_stock"):
                s.session_id, s.title = prefix, title
                continue
            numbers[s.type] = numbers.get(s.type, 0) + 1
            n = numbers[s.type]
            s.session_id = f"{prefix}{n:0{width[s.type]}d}"
            domain = next((d for d in DOMAINS if self.theme_of[d] in s.themes), "GDG")
            subject = rng.choice(SUBJECTS[domain]) + rng.choice(QUALIFIERS)
            s.title = title.format(n=n) + subject
            if not s.room:
                s.title += " (online)"

    def session_row(self, s: Session) -> dict:
        # "Taking Stock / Open Mic" is a plenary session of the main kind in the data contract.
        return {"session_id": s.session_id, "type": s.type if s.type != "taking_stock" else "main",
                "title": s.title, "day": s.day, "start": format_hhmm(s.start),
                "end": format_hhmm(s.end), "room": s.room, "themes": ";".join(s.themes),
                "people": ";".join(s.people), "exclusive": yes_no(s.exclusive)}

    # --- people ------------------------------------------------------------------------------

    def new_person(self, rng, online_share: float, group: str | None = None) -> dict:
        host_region = self.venue[2]
        weights = {r: v[0] * (3 if r == host_region else 1) for r, v in REGIONS.items()}
        region = weighted(rng, weights)
        _, zones, female, male, surnames = REGIONS[region]
        gender = weighted(rng, GENDERS)
        first = rng.choice(female if gender == "female" else male if gender == "male"
                           else NEUTRAL_NAMES)
        onsite = rng.random() >= online_share
        # Half the host region's people are locals; everyone else lives somewhere in their region.
        zone = self.venue[1] if region == host_region and rng.random() < 0.5 \
            else rng.choice(zones)
        number = len(self.people) + 1
        taken = {p["person_id"] for p in self.people}
        while f"P{number:05d}" in taken:
            number += 1
        person = {"person_id": f"P{number:05d}",
                  "name": f"{first} {rng.choice(surnames)}",
                  "stakeholder_group": group or weighted(rng, STAKEHOLDER_GROUPS),
                  "region": region, "gender": gender, "onsite": yes_no(onsite),
                  "timezone": zone}
        self.people.append(person)
        return person

    # --- coalitions and requests -------------------------------------------------------------

    def make_coalitions_and_requests(self) -> tuple[list[dict], list[dict]]:
        rng = self.rng("coalitions")
        count = self.settings.requests
        joint_count = 0 if count < 5 else max(1, round(count * rng.uniform(0.10, 0.20)))
        # Co-organisers: half are DCs without a request of their own, half lead one too.
        partner_only = sum(rng.random() < 0.5 for _ in range(joint_count))
        silent = rng.randint(0, 2)  # DCs that asked for nothing this year
        topics = self.draw_topics(rng, count + partner_only + silent)
        leads, partners, silents = (topics[:count], topics[count:count + partner_only],
                                    topics[count + partner_only:])
        joint = sorted(rng.sample(range(count), joint_count))
        # A fifth or so of the leads of single-DC requests fail exactly one rule each; from
        # twelve requests on, every rule has at least one.
        singles = [i for i in range(count) if i not in joint]
        failing_count = round(count * rng.uniform(0.15, 0.25))
        if count >= 12:
            failing_count = max(failing_count, len(FAILURE_RULES))
        failing_count = min(failing_count, len(singles), max(0, count - 2))
        if self.settings.shape == "standards":
            failing_count = 0                  # a working group's session is never refused
        rules = list(FAILURE_RULES)
        rng.shuffle(rules)
        fails = {i: rules[k % len(rules)]
                 for k, i in enumerate(sorted(rng.sample(singles, failing_count)))}
        coalition_rows: dict[str, dict] = {}
        for index, topic in enumerate(leads + partners + silents):
            rule = fails.get(index) if index < count else None
            coalition_rows[topic[0]] = self.coalition_row(rng, topic, rule)
        lead_ids = [t[0] for t in leads]
        co_organisers: dict[int, list[str]] = {}
        spare_partners = [t[0] for t in partners]
        for i in joint:
            n = 2 if rng.random() < 0.2 else 1
            chosen = []
            for _ in range(n):
                if spare_partners and (rng.random() < 0.5 or not chosen):
                    chosen.append(spare_partners.pop(0))
                else:
                    others = [d for d in lead_ids if d != lead_ids[i] and d not in chosen
                              and lead_ids.index(d) not in fails]
                    if others:
                        chosen.append(rng.choice(others))
            co_organisers[i] = chosen
        for dc_id in spare_partners:  # left over: co-organise the first joint request
            co_organisers[joint[0]].append(dc_id)
        request_rows = []
        for i, dc_id in enumerate(lead_ids):
            request_rows.append(self.request_row(rng, dc_id, co_organisers.get(i, []),
                                                 coalition_rows, fails.get(i)))
        self.notes["failing"] = {lead_ids[i]: rule for i, rule in sorted(fails.items())}
        self.notes["joint"] = {lead_ids[i]: co_organisers[i] for i in joint}
        self.notes["silent"] = [t[0] for t in silents]
        return list(coalition_rows.values()), request_rows

    def draw_topics(self, rng, count: int) -> list[tuple[str, str, str, str]]:
        """`count` distinct DC topics; past the vocabulary, regional chapters of drawn ones."""
        topics = list(DC_TOPICS)
        rng.shuffle(topics)
        drawn = topics[:count]
        chapter = 2
        while len(drawn) < count:
            for acronym, topic, domains, category in topics[:count - len(drawn)]:
                drawn.append((f"{acronym}-{chapter}", f"{topic} (Chapter {chapter})", domains,
                              category))
            chapter += 1
        return drawn

    def coalition_row(self, rng, topic, rule: str | None) -> dict:
        dc_id, subject, domains, category = topic
        year = self.year
        themes = unique(self.theme_of[d] for d in domains.split(";"))
        new = rule is None and rng.random() < 0.08
        founded = year if new else rng.randint(2006, year - 3)
        row = {"dc_id": dc_id, "name": f"Dynamic Coalition on {subject}", "category": category,
               "themes": ";".join(themes), "open_membership": "yes", "open_mailing_list": "yes",
               "open_archives": "yes",
               # A new DC gives the light report it owes for its founding year (SPEC §4).
               "last_annual_report": year if new else year - 1,
               "annual_report_kind": "light" if new else "full",
               "session_report": "n/a" if new or rng.random() < 0.1 else "yes",
               "coordination_meetings": rng.randint(MIN_COORDINATION_MEETINGS, 10),
               "founded": founded,
               "outputs": rng.randint(1, 6) if category == "output" else rng.randint(0, 3),
               "members": ""}
        if rule == "open_principles":
            row[rng.choice(("open_membership", "open_mailing_list", "open_archives"))] = "no"
        elif rule == "annual_report_year":
            row["last_annual_report"] = rng.choice(("", year - 2, year - 3))
        elif rule == "session_report":
            row["session_report"] = "no"
        elif rule == "min_coordination_meetings":
            row["coordination_meetings"] = rng.randint(0, MIN_COORDINATION_MEETINGS - 1)
        # Members: new people, people who also speak in the programme, and people who belong
        # to another DC too. A DC failing on diversity has members of one stakeholder group.
        single_group = weighted(rng, STAKEHOLDER_GROUPS) if rule == "min_stakeholder_groups" \
            else None
        members = []
        for _ in range(rng.randint(3, 8)):
            roll = rng.random()
            if single_group is None and roll < 0.25 and self.programme_people:
                candidate = rng.choice(self.programme_people)
            elif single_group is None and roll < 0.35 and self.dc_people:
                candidate = rng.choice(self.dc_people)
            else:
                candidate = self.new_person(rng, online_share=0.3, group=single_group)["person_id"]
            if candidate not in members:
                members.append(candidate)
        self.dc_people.extend(m for m in members if m not in self.programme_people)
        row["members"] = ";".join(members)
        return row

    def participants(self) -> list[str]:
        """The standards shape's pool of participants, drawn once: as many as requests."""
        if not hasattr(self, "_participants"):
            rng = self.rng("participants")
            self._participants = [self.new_person(rng, online_share=0.0)["person_id"]
                                  for _ in range(self.settings.requests)]
        return self._participants

    def request_row(self, rng, dc_id, co_organisers, coalitions, rule) -> dict:
        lead = coalitions[dc_id]
        pool = unique(p for d in [dc_id, *co_organisers] for p in coalitions[d]["members"].split(";"))
        speakers = rng.sample(pool, min(len(pool), rng.randint(2, 6)))
        standards = self.settings.shape == "standards"
        if standards:
            speakers = speakers[:2] + [p for p in rng.sample(
                self.participants(), rng.randint(*STANDARDS_PARTICIPANTS)) if p not in speakers]
        group_of = {p["person_id"]: p["stakeholder_group"] for p in self.people}
        if rule != "min_stakeholder_groups":
            if rng.random() < 0.3 and self.programme_people and len(speakers) < 6:
                guest = rng.choice(self.programme_people)  # also speaks in the programme
                if guest not in speakers:
                    speakers.append(guest)
            # Twice at most: an existing programme's people may have no group at all.
            for _ in range(2):
                groups = {group_of[p] for p in speakers} - {""}
                if len(groups) >= 2:
                    break
                other = next((p for p in pool if group_of[p] and group_of[p] not in groups),
                             None)
                if other is None:
                    group = next(g for g in STAKEHOLDER_GROUPS if g not in groups)
                    other = self.new_person(rng, 0.3, group)["person_id"]
                    group_of[other] = group
                    lead["members"] += f";{other}"
                if len(speakers) >= 6:
                    speakers[-1] = other
                else:
                    speakers.append(other)
        meeting = [d.label for d in self.days if d.meeting]
        themes = lead["themes"].split(";")
        if rng.random() < 0.2:
            themes = unique(themes + self.draw_themes(rng))
        needs = [need for need, p in (("hybrid", 0.35), ("captioning", 0.2), ("step_free", 0.12),
                                      ("interpretation", 0.03)) if rng.random() < p]
        preferred = sorted(rng.sample(meeting, min(len(meeting), rng.choice((1, 1, 2)))),
                           key=meeting.index) if rng.random() < 0.35 else []
        unavailable = []
        if rng.random() < 0.25:
            for label in sorted(rng.sample(meeting, min(len(meeting), rng.choice((1, 1, 2)))),
                                key=meeting.index):
                day = next(d for d in self.days if d.label == label)
                length = rng.choice((120, 180, 240))
                start = day.open + GRID * rng.randint(0, max(0, (day.close - day.open - length) // GRID))
                unavailable.append(f"{label} {format_hhmm(start)}-"
                                   f"{format_hhmm(min(day.close, start + length))}")
        deadline = deadline_for(self.days[0].date)
        submitted = deadline + dt.timedelta(days=rng.randint(1, 20)) if rule == "deadline" \
            else deadline - dt.timedelta(days=min(rng.randint(0, 50), rng.randint(0, 50)))
        attendance = round(min(400, max(20, rng.lognormvariate(math.log(75), 0.55))) / 5) * 5
        subject = lead["name"].removeprefix("Dynamic Coalition on ").removeprefix("the ")
        subject = subject[0].upper() + subject[1:]
        return {"request_id": f"R-{dc_id}", "dc_ids": ";".join([dc_id, *co_organisers]),
                "title": f"{subject}: {rng.choice(REQUEST_ANGLES)}",
                "format": weighted(rng, FORMATS),
                "duration": weighted(rng, STANDARDS_DURATIONS if standards
                                     else {60: 45, 90: 42, 30: 6, 120: 7}),
                "expected_attendance": attendance, "themes": ";".join(themes),
                "speakers": ";".join(speakers), "needs": ";".join(needs),
                "preferred_days": ";".join(preferred), "unavailable": ";".join(unavailable),
                "priority": weighted(rng, {1: 15, 2: 20, 3: 35, 4: 20, 5: 10}),
                "submitted": submitted.isoformat()}


def person_cell(person, column: str) -> str:
    value = getattr(person, column)
    if isinstance(value, bool):
        return yes_no(value)
    return "" if value is None else str(value)


def unique(values) -> list:
    """The values in first-seen order, without repeats (never a set: its order varies)."""
    seen: list = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def generate(settings: Settings) -> Generated:
    return Generator(settings).run()


# --- writing -----------------------------------------------------------------------------------

def programme_density(generated: Generated) -> dict[str, float]:
    """Per day: the minutes of room sessions over the rooms' open minutes (breaks excluded)."""
    shares = {}
    for day in generated.event["days"]:
        label = day["label"]
        breaks = sum(parse_clock(b.split("-")[1]) - parse_clock(b.split("-")[0])
                     for b in day["breaks"])
        hours = parse_clock(day["close"]) - parse_clock(day["open"]) - breaks
        open_rooms = [r for r in generated.rooms if not r["days"] or label in r["days"].split(";")]
        used = sum(parse_clock(s["end"]) - parse_clock(s["start"]) for s in generated.programme
                   if s["day"] == label and s["room"])
        shares[label] = used / (hours * len(open_rooms)) if open_rooms else 0.0
    return shares


def readme(generated: Generated) -> str:
    settings, notes = generated.settings, generated.notes
    days = generated.event["days"]
    density = programme_density(generated)
    meeting = [d["label"] for d in days if d["label"] != "Day 0"]
    online_only = sum(1 for s in generated.programme if not s["room"])
    joint = notes["joint"]
    rules = notes["eligibility"]
    origin = [
        "Invented, IGF-shaped data written by `scheduler/datasets/generate.py` (format: SPEC §3).",
        "Every value is drawn from the generator's vocabularies with a fixed seed; nothing here",
        "is a record of a real event. The same command writes byte-identical files:",
    ] if settings.programme is None else [
        f"The event, rooms and programme of `{settings.programme}`, kept as they are, and its",
        "people; the coalitions, requests and the people added for them are invented by",
        "`scheduler/datasets/generate.py` with a fixed seed. The same command writes",
        "byte-identical files:",
    ]
    day_summary = (f"Day 0 + {len(meeting)} meeting days" if settings.programme is None
                   else f"{len(days)} days")
    lines = [
        f"# {generated.event['name']}: a generated dataset",
        "",
        *origin,
        "",
        "```sh",
        settings.command(),
        "```",
        "",
        f"Arguments: seed {settings.seed}, requests {settings.requests}, density "
        f"{settings.density!r}, rooms {settings.rooms if settings.rooms is not None else 'drawn'}"
        f", days {settings.days if settings.days is not None else 'drawn'}, scale {settings.scale}."
        if settings.programme is None else
        f"Arguments: seed {settings.seed}, requests {settings.requests}, programme "
        f"`{settings.programme}`.",
        "",
        "| file | rows |",
        "|---|---|",
        f"| `event.toml` | {day_summary}, {days[0]['date']} to "
        f"{days[-1]['date']}, `{generated.event['timezone']}`, "
        f"{generated.event['granularity']}-minute grid |",
        f"| `rooms.csv` | {len(generated.rooms)} rooms |",
        f"| `programme.csv` | {len(generated.programme)} fixed sessions ({online_only} "
        "online-only) |",
        f"| `coalitions.csv` | {len(generated.coalitions)} Dynamic Coalitions |",
        f"| `requests.csv` | {len(generated.requests)} session requests ({len(joint)} joint) |",
        f"| `people.csv` | {len(generated.people)} people |",
        "",
        "Share of the open rooms' time (breaks excluded) filled by the programme, per day:",
        "",
        "| day | " + " | ".join(density) + " |",
        "|---|" + "---|" * len(density),
        "| share | " + " | ".join(f"{v:.2f}" for v in density.values()) + " |",
        "",
        f"Themes ({notes['theme_year']} set): "
        + "; ".join(f"`{k}` {v}" for k, v in notes["themes"].items()) + ".",
        "",
        "## Eligibility",
        "",
        "The coalitions and requests are built for these `[eligibility]` settings "
        "(`generate.write_scenarios` writes them into its scenarios):",
        "",
        "```toml",
        *(f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in rules.items()),
        "```",
        "",
        "Under them these DCs fail, each exactly one rule (every other DC with a request passes):",
        "",
        "| DC | rule |",
        "|---|---|",
        *(f"| {dc} | {rule} |" for dc, rule in notes["failing"].items()),
        "",
        "Room time held back for DC activities (no programme session): "
        + (", ".join(notes["held_for_dcs"]) or "none") + ".",
        "",
        "Joint requests (lead: co-organisers): "
        + ("; ".join(f"{lead}: {', '.join(co)}" for lead, co in joint.items()) or "none") + ".",
        "DCs with no request this year: " + (", ".join(notes["silent"]) or "none") + ".",
        "",
    ]
    return "\n".join(lines)


SCENARIOS = "scenarios"     # the kind of folder `write_scenarios` writes (`export.folders`)


def write_dataset(generated: Generated, out: str | Path, force: bool = False) -> Path:
    """Write a generated dataset whole or not at all (`writer.write_dataset`)."""
    writer.write_dataset(generated.files(), out, force)
    return Path(out)


SCENARIO_MODES = ("individual", "block", "mixed", "dc-day-0")
# Modes whose models CP-SAT's presolve speeds up; the others' presolve takes longer than the
# search it shortens (bench/RESULTS.md, measured on 20 generated instances).
PRESOLVED = ("block", "mixed")
NO_PRESOLVE = "presolve = false                   # faster in this mode (bench/RESULTS.md)"


def write_scenarios(dataset_dir: str | Path, out_dir: str | Path, *, time_limit: float = 30,
                    max_dc_sessions: int = 20) -> list[Path]:
    """One scenario file per mode (individual, block, mixed, and dc-day-0 if the dataset has a
    Day 0) for a generated dataset, with the eligibility settings it was built for, the meeting
    days open to DC items, and `max_dc_sessions` individual slots (the sample's figure).
    Returns the files written."""
    from ..load import load_dataset

    dataset_dir, out_dir = Path(dataset_dir).resolve(), Path(out_dir)
    dataset = load_dataset(dataset_dir)
    first = dataset.event.days[0]
    meeting = [d.label for d in dataset.event.days if d.label != "Day 0"]
    rules = eligibility_settings(first.date)
    relative = Path(os.path.relpath(dataset_dir, out_dir.resolve())).as_posix()
    eligibility = ["[eligibility]"] + [f"{k} = {str(v).lower() if isinstance(v, bool) else v}"
                                       for k, v in rules.items()]
    days = "[" + ", ".join(toml_string(d) for d in meeting) + "]"
    solver = ["[solver]", f"time_limit = {time_limit:g}", "seed = 0", "workers = 1"]
    block = ["[block]", "count = 1", "duration = 180", "overhead = 15", "min_segment = 8",
             "max_segment = 20"]
    bodies = {
        "individual": (["[capacity]", f"max_dc_sessions = {max_dc_sessions}", f"days = {days}"],
                       "Each eligible DC gets its own session, up to "
                       f"{max_dc_sessions} slots, on the meeting days."),
        "block": (["[capacity]", f"days = {days}", "", *block],
                  "One three-hour DC block on a meeting day; no individual DC sessions."),
        "mixed": (["[capacity]", f"max_dc_sessions = {max_dc_sessions}", f"days = {days}", "",
                   *block, "", "[mixed]", 'output = "block"', 'capacity = "individual"'],
                  "Output DCs in one block, capacity-building DCs in their own sessions."),
        "dc-day-0": (["[dc_day]", 'day = "Day 0"', "opening = 30", "closing = 30", "",
                      "[attendance]", 'presence = { "Day 0" = 0.6 }'],
                     "Every eligible DC request on Day 0, in the rooms open that day."),
    }
    files = {}
    # A programme without a Day 0 (an imported one) has no Day-0 DC Day scenario.
    for key in (k for k in SCENARIO_MODES if k != "dc-day-0" or "Day 0" in dataset.day_by_label):
        body, description = bodies[key]
        mode = "dc_day" if key == "dc-day-0" else key
        text = "\n".join([f"name = {toml_string(f'{dataset_dir.name}-{key}')}",
                          f"description = {toml_string(description)}",
                          f"dataset = {toml_string(relative)}", f'mode = "{mode}"', "",
                          *eligibility, "", *body, "", *solver,
                          *([] if mode in PRESOLVED else [NO_PRESOLVE])]) + "\n"
        files[f"{key}.toml"] = text.encode("utf-8")
    return write_folder(out_dir, SCENARIOS, files)
