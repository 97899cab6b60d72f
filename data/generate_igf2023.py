#!/usr/bin/env python3
"""Generate the IGF 2023 Kyoto sample dataset in data/igf2023/ (stdlib only, deterministic).

Real facts (days, hours, ceremonies, rooms, DC names, themes) are literal tables in
igf2023_tables.py; the bulk programme, the people and the DCs' compliance data are invented
here with a fixed seed, then checked by self_check() before anything is written.
Run: python3 data/generate_igf2023.py   (rewrites event.toml and the five CSV files)
"""

import csv
import os
import random
import tomllib
from datetime import date

from igf2023_tables import (BPF_TITLES, DAYS, DCS, MAIN_HALL, MEETING_DAYS, NEUTRAL_NAMES, QUALIFIERS,
                            REGIONS, ROOMS, THEMES, TOPICS)

SEED = 2023
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "igf2023")

TYPES = {"workshop": ("WS #", "WS", 600, [60, 90, 90], (3, 5)),
         "open_forum": ("Open Forum #", "OF", 200, [60, 60, 60, 30, 90], (2, 4)),
         "town_hall": ("Town Hall #", "TH", 120, [30, 60], (2, 3)),
         "lightning": ("Lightning Talk #", "LT", 150, [20, 30], (1, 2)),
         "launch": ("Launch / Award Event #", "LA", 100, [20, 30, 45, 60], (1, 3)),
         "networking": ("Networking Session #", "NS", 100, [60], (0, 2)),
         "nri": ("NRIs Collaborative Session: ", "NRI", 40, [60, 90], (3, 5)),
         "bpf": ("", "BPF", 20, [90], (3, 4)),
         "high_level": ("High-Level Dialogue: ", "HLD", 40, [60, 90], (4, 5)),
         "day0": ("Day 0 Event #", "D0-", 60, [60, 75, 90, 90, 120], (2, 4))}
ANNEX_TYPES = {"workshop": 30, "open_forum": 25, "high_level": 10, "launch": 10, "nri": 15, "bpf": 10}
WS_TYPES = {"workshop": 42, "open_forum": 22, "town_hall": 7, "lightning": 10, "launch": 7,
            "networking": 5, "nri": 5, "bpf": 2}
FIRST_GAPS = [0, 0, 15, 30, 60, 90]
# Room time the Secretariat holds back for DC activities. Real: in 2023 the DC sessions clustered
# in WS 10 (Room I) and WS 11 (Room J). Invented: the exact windows, chosen so that a three-hour
# DC block (the DCCG's proposal) has a few places to go.
HELD_FOR_DCS = {("Day 1", "WS10"): ("13:00", "16:30"), ("Day 2", "WS11"): ("09:00", "12:30"),
                ("Day 3", "WS10"): ("14:00", "17:30"), ("Day 4", "WS11"): ("13:00", "16:30")}
GAPS = [15, 15, 15, 30, 30, 45, 60, 90, 120]
ONLINE_ONLY = 4

JOINT = {"DC-DH": "DC-DDHT", "DC-Blockchain": "DC-BAS", "IRPC": "DCPR"}  # lead -> co-organiser
# one DC per rule, each failing exactly that rule (the rest pass everything)
FAILS = {"DC-G4P": "open_archives", "DC-Interplanetary": "annual_report", "DCNN": "session_report",
         "DC-DigitalEconomy": "coordination_meetings", "DC-IoT": "deadline",
         "DC-CUC": "stakeholder_groups"}
DEADLINE = "2023-05-05"
BIG_AUDIENCE = {"DC-Children": 180, "YCIG": 200}
NEEDS = {"DCAD": "captioning;step_free", "DC-SIDS": "hybrid", "DC-Interplanetary": "hybrid",
         "YCIG": "hybrid", "DC-Gender": "hybrid"}
FAR_ONLINE = [("America/Los_Angeles", "WEOG"), ("America/Sao_Paulo", "GRULAC"),
              ("Europe/London", "WEOG"), ("America/Los_Angeles", "WEOG"),
              ("America/Sao_Paulo", "GRULAC"), ("Europe/London", "WEOG")]

GROUPS = {"civil_society": 35, "technical_community": 20, "government": 18, "private_sector": 17,
          "intergovernmental": 10}
PROGRAMME_POOL = 220


def to_min(hhmm):
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def to_hhmm(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def round_up(minutes, grid=15):
    return -(-minutes // grid) * grid


def overlaps(a_start, a_end, b_start, b_end):
    return a_start < b_end and b_start < a_end


def weighted(rng, table):
    return rng.choices(list(table), weights=list(table.values()))[0]


def room_open(room, day):
    return not room[7] or day in room[7].split(";")


def day_hours(label):
    day = next(d for d in DAYS if d[0] == label)
    breaks = [tuple(to_min(t) for t in b.split("-")) for b in day[4]]
    return to_min(day[2]), to_min(day[3]), breaks


def blocked_windows(label):
    """Breaks and exclusive ceremonies: nothing may run across them."""
    _, _, breaks = day_hours(label)
    exclusive = [(to_min(m[3]), to_min(m[4])) for m in MAIN_HALL if m[2] == label and m[7] == "yes"]
    return sorted(breaks + exclusive)


def free_segments(label):
    """The day's hours cut at breaks and exclusive sessions."""
    open_, close, _ = day_hours(label)
    segments, start = [], open_
    for b_start, b_end in blocked_windows(label):
        if b_start > start:
            segments.append((start, b_start))
        start = max(start, b_end)
    if close > start:
        segments.append((start, close))
    return segments


# ---------------------------------------------------------------- programme
class Numbers:
    """Draws unique, random-looking session numbers per type (WS #123)."""

    def __init__(self, rng):
        self.pools = {t: rng.sample(range(1, spec[2] + 1), spec[2]) for t, spec in TYPES.items()}
        self.bpf_titles = list(BPF_TITLES)

    def next(self, stype):
        return self.pools[stype].pop()


def make_session(rng, numbers, stype, label, start, duration, room):
    prefix, id_prefix = TYPES[stype][0], TYPES[stype][1]
    number = numbers.next(stype)
    if stype == "bpf":
        title, themes = numbers.bpf_titles.pop(0)
        themes = [themes]
    else:
        themes = rng.sample(sorted(THEMES), rng.choice([1, 1, 2]))
        topic = rng.choice(TOPICS[themes[0]])
        qualifier = rng.choice(QUALIFIERS) if rng.random() < 0.4 else ""
        if stype in ("nri", "high_level"):
            title = f"{prefix}{topic}{qualifier}"
        else:
            title = f"{prefix}{number} {topic}{qualifier}"
    session_id = f"{id_prefix}{number:02d}" if stype == "day0" else f"{id_prefix}{number}"
    return {"session_id": session_id, "type": stype, "title": title, "day": label,
            "start": start, "end": start + duration, "room": room, "themes": themes,
            "people": [], "exclusive": "no", "n_people": TYPES[stype][4]}


def pick_type_and_duration(rng, numbers, label, room_id, room_left):
    """A session type for this room and a duration that fits in room_left minutes, or None."""
    for _ in range(4):
        if label == "Day 0":
            stype = "day0"
        else:
            stype = weighted(rng, ANNEX_TYPES if room_id.startswith("ANNEX") else WS_TYPES)
        if stype == "bpf" and not numbers.bpf_titles:
            stype = "workshop"
        durations = TYPES[stype][3]
        duration = rng.choice(durations)
        if duration > room_left:
            fitting = [d for d in durations if d <= room_left]
            duration = max(fitting) if fitting else None
        if duration:
            return stype, duration
    return None


def room_segments(label, room_id):
    """The day's free segments for one room, cut around any window held for DC activities."""
    held = HELD_FOR_DCS.get((label, room_id))
    if held is None:
        return free_segments(label)
    held_start, held_end = to_min(held[0]), to_min(held[1])
    pieces = []
    for start, end in free_segments(label):
        pieces += [(s, e) for s, e in ((start, min(end, held_start)), (max(start, held_end), end))
                   if e - s > 0]
    return pieces


def fill_room(rng, numbers, label, room_id, sessions):
    """Lay sessions with gaps along each free segment of one room's day."""
    for seg_start, seg_end in room_segments(label, room_id):
        start = round_up(seg_start + rng.choice(FIRST_GAPS))
        while seg_end - start >= 20:
            choice = pick_type_and_duration(rng, numbers, label, room_id, seg_end - start)
            if choice is None:
                break
            stype, duration = choice
            sessions.append(make_session(rng, numbers, stype, label, start, duration, room_id))
            start = round_up(start + duration + rng.choice(GAPS))


def main_hall_sessions():
    sessions = []
    for sid, stype, label, start, end, themes, n_people, exclusive, title in MAIN_HALL:
        sessions.append({"session_id": sid, "type": stype, "title": title, "day": label,
                         "start": to_min(start), "end": to_min(end), "room": "MAIN",
                         "themes": themes.split(";"), "people": [], "exclusive": exclusive,
                         "n_people": (int(n_people), int(n_people))})
    return sessions


def online_only_sessions(rng, numbers):
    sessions = []
    for stype in ["open_forum", "lightning", "workshop", "town_hall"][:ONLINE_ONLY]:
        label = rng.choice(MEETING_DAYS)
        duration = TYPES[stype][3][0]
        segment = rng.choice([s for s in free_segments(label) if s[1] - s[0] >= duration])
        start = round_up(rng.randrange(segment[0], segment[1] - duration + 1))
        if start + duration > segment[1]:
            start -= 15
        sessions.append(make_session(rng, numbers, stype, label, start, duration, ""))
    return sessions


def generate_programme(rng):
    numbers = Numbers(rng)
    sessions = main_hall_sessions()
    for label, *_ in DAYS:
        for room in ROOMS[1:]:
            if room_open(room, label):
                fill_room(rng, numbers, label, room[0], sessions)
    sessions += online_only_sessions(rng, numbers)
    order = [d[0] for d in DAYS]
    sessions.sort(key=lambda s: (order.index(s["day"]), s["start"], s["room"]))
    return sessions


# ---------------------------------------------------------------- people
class People:
    def __init__(self, rng):
        self.rng, self.rows, self.names = rng, [], set()

    def new(self, group=None):
        rng = self.rng
        region = weighted(rng, {r: spec[0] for r, spec in REGIONS.items()})
        _, zones, female, male, surnames = REGIONS[region]
        gender = weighted(rng, {"female": 45, "male": 53, "non-binary": 2})
        firsts = {"female": female.split(), "male": male.split(), "non-binary": NEUTRAL_NAMES}[gender]
        name = f"{rng.choice(firsts)} {rng.choice(surnames.split())}"
        while name in self.names:
            name = f"{rng.choice(firsts)} {chr(rng.randrange(65, 91))}. {rng.choice(surnames.split())}"
        self.names.add(name)
        person = {"person_id": f"P{len(self.rows) + 1:03d}", "name": name,
                  "stakeholder_group": group or weighted(rng, GROUPS), "region": region,
                  "gender": gender, "onsite": "yes" if rng.random() < 0.8 else "no",
                  "timezone": rng.choice(zones)}
        self.rows.append(person)
        return person["person_id"]

    def get(self, person_id):
        return self.rows[int(person_id[1:]) - 1]


def assign_programme_people(rng, sessions, pool):
    busy = {p: [] for p in pool}
    for s in sessions:
        low, high = s.pop("n_people")
        wanted = rng.randint(low, high)
        for person in rng.sample(pool, len(pool)):
            if len(s["people"]) == wanted:
                break
            if not any(d == s["day"] and overlaps(a, b, s["start"], s["end"]) for d, a, b in busy[person]):
                s["people"].append(person)
                busy[person].append((s["day"], s["start"], s["end"]))


# ---------------------------------------------------------------- coalitions and requests
def make_coalitions(rng, people, programme):
    """DC rows with members; returns rows and {dc_id: ids of people who must speak for it}."""
    in_programme = sorted({p for s in programme for p in s["people"]})
    bridges = rng.sample(in_programme, 20)
    group_names = sorted(GROUPS)
    coalitions, must_speak = [], {}
    for dc_id, name, category, themes, founded, _ in DCS:
        size = rng.randint(3, 6)
        groups = rng.sample(group_names, 3) + [weighted(rng, GROUPS) for _ in range(size - 3)]
        members = [people.new(g) for g in groups]
        must_speak[dc_id] = []
        if dc_id != "DC-CUC" and bridges:
            bridge = bridges.pop()
            members.append(bridge)
            must_speak[dc_id].append(bridge)
        new_dc = founded == 2023
        coalitions.append({
            "dc_id": dc_id, "name": name, "category": category, "themes": themes,
            "open_membership": "yes", "open_mailing_list": "yes",
            "open_archives": "no" if FAILS.get(dc_id) == "open_archives" else "yes",
            # A DC founded in 2023 gives the light report a new DC owes (SPEC §4).
            "last_annual_report": "2021" if FAILS.get(dc_id) == "annual_report"
            else "2023" if new_dc else rng.choice(["2022", "2022", "2023"]),
            "annual_report_kind": "light" if new_dc else "full",
            "session_report": "no" if FAILS.get(dc_id) == "session_report"
            else "n/a" if new_dc or rng.random() < 0.15 else "yes",
            "coordination_meetings": 1 if FAILS.get(dc_id) == "coordination_meetings" else rng.randint(3, 8),
            "founded": founded, "outputs": rng.randint(0, 2) if new_dc else rng.randint(1, 5),
            "members": members})
    # people who belong to two related coalitions (and speak for both)
    pairs = [("DC-Children", "DC-Gender"), ("DCPR", "DC-DT"), ("DC3", "DC-CUC"), ("DC-SIG", "YCIG"),
             ("IS3C", "DC-DNSI"), ("DC-DH", "DC-DFI"), ("DCE", "DC-SIDS"), ("DC-CIV", "IRPC")]
    by_id = {c["dc_id"]: c for c in coalitions}
    for first, second in pairs:
        shared = by_id[first]["members"][0]
        if second == "DC-CUC":  # DC-CUC speakers stay one group: share a civil-society member
            shared = people.new("civil_society")
            by_id[first]["members"].append(shared)
        by_id[second]["members"].append(shared)
        must_speak[first].append(shared)
        must_speak[second].append(shared)
    return coalitions, must_speak


def choose_speakers(rng, people, members, forced, single_group):
    count = rng.randint(3, 6)
    if single_group:
        pool = [m for m in members if people.get(m)["stakeholder_group"] == "civil_society"]
        while len(pool) < 3:
            pool.append(people.new("civil_society"))
        return rng.sample(pool, min(len(pool), count))
    speakers = list(dict.fromkeys(forced))
    others = [m for m in members if m not in speakers]
    speakers += rng.sample(others, max(0, min(len(others), count - len(speakers))))
    groups = {people.get(p)["stakeholder_group"] for p in speakers}
    if len(groups) < 2:  # widen the panel with a member from another stakeholder group
        speakers.append(next(m for m in others if people.get(m)["stakeholder_group"] not in groups))
    if len(speakers) < 6 and rng.random() < 0.2:  # an invited guest who is not a member
        speakers.append(people.new())
    return speakers


def make_requests(rng, people, coalitions, must_speak):
    by_id = {c["dc_id"]: c for c in coalitions}
    requests = []
    for dc_id, _, _, themes, _, title in DCS:
        if dc_id in JOINT.values():
            continue
        dc_ids = [dc_id] + ([JOINT[dc_id]] if dc_id in JOINT else [])
        members = [m for d in dc_ids for m in by_id[d]["members"]]
        forced = [p for d in dc_ids for p in must_speak[d]]
        all_themes = list(dict.fromkeys(t for d in dc_ids for t in by_id[d]["themes"].split(";")))
        speakers = choose_speakers(rng, people, members, forced, FAILS.get(dc_id) == "stakeholder_groups")
        for person in speakers:  # members who speak but joined as guests
            if not any(person in by_id[d]["members"] for d in dc_ids):
                by_id[dc_id]["members"].append(person)
        prefs = rng.sample(MEETING_DAYS, rng.choice([1, 2])) if rng.random() < 0.5 else []
        submitted = date(2023, 4, 1).toordinal() + rng.randint(0, 34)
        requests.append({
            "request_id": f"R-{dc_id}", "dc_ids": dc_ids, "title": title,
            "format": rng.choice(["round table", "round table", "debate", "theater",
                                  "birds of a feather", "other"]),
            "duration": rng.choice([90, 90, 90, 60]),
            "expected_attendance": BIG_AUDIENCE.get(dc_id, rng.randrange(30, 151, 5)),
            "themes": all_themes, "speakers": speakers, "needs": NEEDS.get(dc_id, ""),
            "preferred_days": sorted(prefs), "unavailable": "",
            "priority": weighted(rng, {1: 2, 2: 5, 3: 5, 4: 2, 5: 1}),
            "submitted": "2023-05-20" if FAILS.get(dc_id) == "deadline"
            else date.fromordinal(submitted).isoformat()})
    windows = ["Day 1 09:00-12:30", "Day 2 13:00-18:30", "Day 3 09:00-11:00;Day 3 16:00-18:30",
               "Day 4 09:00-12:30", "Day 1 15:00-18:30;Day 2 09:00-10:30", "Day 2 09:00-12:00"]
    for request, window in zip(rng.sample(requests, len(windows)), windows):
        request["unavailable"] = window
    keep_onsite = {p for ids in must_speak.values() for p in ids}
    far = [p for r in requests for p in r["speakers"] if p not in keep_onsite]
    for person_id, (zone, region) in zip(rng.sample(far, len(FAR_ONLINE)), FAR_ONLINE):
        people.get(person_id).update(onsite="no", timezone=zone, region=region)
    return requests


# ---------------------------------------------------------------- self-check
def utilisation(programme):
    result = {}
    for label, *_ in DAYS:
        open_, close, breaks = day_hours(label)
        available = (close - open_ - sum(e - s for s, e in breaks)) * sum(room_open(r, label) for r in ROOMS)
        used = sum(s["end"] - s["start"] for s in programme if s["day"] == label and s["room"])
        result[label] = used / available
    return result


def longest_free_gap(programme, label, room_id):
    """Longest stretch (minutes, from a grid start) in which the room is free on that day."""
    busy = sorted((s["start"], s["end"]) for s in programme if s["day"] == label and s["room"] == room_id)
    best = 0
    for seg_start, seg_end in free_segments(label):
        cursor = seg_start
        for start, end in busy:
            if seg_start <= start < seg_end:
                best = max(best, start - round_up(cursor))
                cursor = max(cursor, end)
        best = max(best, seg_end - round_up(cursor))
    return best


def self_check(programme, rooms, coalitions, requests, people):
    room_ids, people_ids = {r[0]: r for r in rooms}, {p["person_id"] for p in people}
    labels, dcs = [d[0] for d in DAYS], {c["dc_id"]: c for c in coalitions}
    ids = [s["session_id"] for s in programme]
    assert len(ids) == len(set(ids)), "duplicate session ids"
    assert 280 <= len(programme) <= 320, len(programme)
    assert 3 <= sum(1 for s in programme if not s["room"]) <= 6
    for s in programme:
        open_, close, _ = day_hours(s["day"])
        assert open_ <= s["start"] < s["end"] <= close and s["start"] % 15 == 0, s
        assert not any(overlaps(s["start"], s["end"], a, b) for a, b in blocked_windows(s["day"])
                       if s["exclusive"] == "no"), f"{s['session_id']} crosses a break or exclusive item"
        assert not s["room"] or room_open(room_ids[s["room"]], s["day"]), s
        held = HELD_FOR_DCS.get((s["day"], s["room"]))
        assert not held or not overlaps(s["start"], s["end"], to_min(held[0]), to_min(held[1])), s
        assert 1 <= len(s["themes"]) <= 2 and set(s["themes"]) <= set(THEMES)
        assert len(s["people"]) <= 5 and set(s["people"]) <= people_ids
    for i, a in enumerate(programme):
        for b in programme[i + 1:]:
            if a["day"] != b["day"] or not overlaps(a["start"], a["end"], b["start"], b["end"]):
                continue
            assert a["exclusive"] == b["exclusive"] == "no", (a["session_id"], b["session_id"])
            assert not (a["room"] and a["room"] == b["room"]), (a["session_id"], b["session_id"])
            assert not set(a["people"]) & set(b["people"]), (a["session_id"], b["session_id"])
    for room in rooms:
        assert not room[7] or set(room[7].split(";")) <= set(labels)
    for label, share in utilisation(programme).items():
        assert 0.45 <= share <= 0.65, (label, share)
    step_free_captioned = [r[0] for r in rooms if r[4] == "yes" and r[5] == "yes" and r[0] != "MAIN"]
    for label in MEETING_DAYS:
        roomy = [r for r in step_free_captioned if longest_free_gap(programme, label, r) >= 90]
        assert len(roomy) >= 2, (label, roomy)
    group_of = {p["person_id"]: p["stakeholder_group"] for p in people}
    failures = {}
    for c in coalitions:
        assert set(c["members"]) <= people_ids and set(c["themes"].split(";")) <= set(THEMES)
        assert 3 <= len(c["members"]) <= 10, (c["dc_id"], len(c["members"]))
        rules = []
        if "no" in (c["open_membership"], c["open_mailing_list"], c["open_archives"]):
            rules.append("open_archives")
        if c["founded"] < 2023 and (not c["last_annual_report"] or int(c["last_annual_report"]) < 2022
                                    or c["annual_report_kind"] == "light"):
            rules.append("annual_report")
        if c["founded"] >= 2023 and int(c["last_annual_report"] or 0) < c["founded"]:
            rules.append("annual_report")
        if c["session_report"] == "no":
            rules.append("session_report")
        if c["coordination_meetings"] < 3:
            rules.append("coordination_meetings")
        failures[c["dc_id"]] = rules
    covered = set()
    for r in requests:
        assert set(r["dc_ids"]) <= set(dcs) and not covered & set(r["dc_ids"])
        covered |= set(r["dc_ids"])
        assert set(r["speakers"]) <= people_ids and 3 <= len(r["speakers"]) <= 6, r["request_id"]
        assert set(r["preferred_days"]) <= set(labels) and set(r["themes"]) <= set(THEMES)
        for window in filter(None, r["unavailable"].split(";")):
            assert window.rsplit(" ", 1)[0] in labels, window
        if r["submitted"] > DEADLINE:
            failures[r["dc_ids"][0]].append("deadline")
        if len({group_of[p] for p in r["speakers"]}) < 2:
            failures[r["dc_ids"][0]].append("stakeholder_groups")
    assert covered == set(dcs), set(dcs) - covered
    assert {d: f for d, f in failures.items() if f} == {d: [f] for d, f in FAILS.items()}, failures
    in_programme = {p for s in programme for p in s["people"]}
    bridge = {p for r in requests for p in r["speakers"]} & in_programme
    assert 15 <= len(bridge) <= 25, len(bridge)
    assert 250 <= len(people) <= 400, len(people)
    return bridge


# ---------------------------------------------------------------- output
COLUMNS = {name: columns.split() for name, columns in {
    "rooms.csv": "room_id name capacity hybrid captioning step_free interpretation days",
    "programme.csv": "session_id type title day start end room themes people exclusive",
    "coalitions.csv": "dc_id name category themes open_membership open_mailing_list open_archives "
                      "last_annual_report annual_report_kind session_report coordination_meetings "
                      "founded outputs members",
    "requests.csv": "request_id dc_ids title format duration expected_attendance themes speakers needs "
                    "preferred_days unavailable priority submitted",
    "people.csv": "person_id name stakeholder_group region gender onsite timezone",
    "themes.csv": "theme_id name"}.items()}


def cell(value):
    return ";".join(value) if isinstance(value, list) else value


def write_csv(name, rows):
    with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS[name])
        for row in rows:
            writer.writerow([cell(row[c]) for c in COLUMNS[name]])


def write_event():
    # transition: the 10 minutes the IGF keeps between sessions (a room changing over, a speaker
    # changing rooms; facts/IGF.md, accessibility).
    lines = ['name = "IGF 2023 Kyoto"', 'timezone = "Asia/Tokyo"', "granularity = 15",
             "transition = 10"]
    for label, day, open_, close, breaks in DAYS:
        quoted = ", ".join(f'"{b}"' for b in breaks)
        lines += ["", "[[days]]", f'label = "{label}"', f'date = "{day}"', f'open = "{open_}"',
                  f'close = "{close}"', f"breaks = [{quoted}]"]
    path = os.path.join(OUT, "event.toml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    with open(path, "rb") as handle:
        assert len(tomllib.load(handle)["days"]) == len(DAYS)


def main():
    rng = random.Random(SEED)
    os.makedirs(OUT, exist_ok=True)
    programme = generate_programme(rng)
    people = People(rng)
    pool = [people.new() for _ in range(PROGRAMME_POOL)]
    assign_programme_people(rng, programme, pool)
    coalitions, must_speak = make_coalitions(rng, people, programme)
    requests = make_requests(rng, people, coalitions, must_speak)
    bridge = self_check(programme, ROOMS, coalitions, requests, people.rows)
    shares = utilisation(programme)

    write_event()
    write_csv("rooms.csv", [dict(zip(COLUMNS["rooms.csv"], r)) for r in ROOMS])
    for s in programme:
        s["start"], s["end"] = to_hhmm(s["start"]), to_hhmm(s["end"])
    write_csv("programme.csv", programme)
    write_csv("coalitions.csv", coalitions)
    write_csv("requests.csv", requests)
    write_csv("people.csv", people.rows)
    write_csv("themes.csv", [{"theme_id": t, "name": n} for t, n in THEMES.items()])

    print(f"{len(programme)} sessions, {len(ROOMS)} rooms, {len(coalitions)} DCs, "
          f"{len(requests)} requests, {len(people.rows)} people, {len(bridge)} DC speakers in programme")
    for label, *_ in DAYS:
        day_sessions = [s for s in programme if s["day"] == label]
        print(f"  {label}: {len(day_sessions)} sessions, rooms used {shares[label]:.0%}")
    types = {}
    for s in programme:
        types[s["type"]] = types.get(s["type"], 0) + 1
    print("  types:", ", ".join(f"{t} {n}" for t, n in sorted(types.items())))


if __name__ == "__main__":
    main()
