"""Words for people: the one table of what the site, the exports and the terminal call the
engine's keys (eligibility rules, kinds of item, categories, session types, stakeholder groups,
scenario settings, soft goals), and `for_people`, which puts these words in place of the
keys inside a reason or any other text meant for a person.

A key a person reads must be looked up here, never printed as it is: `capacity.max_dc_sessions`
is "the quota of DC sessions", `civil_society` is "civil society".
"""

from __future__ import annotations

import re
from functools import lru_cache

# Eligibility rules: the label on a page, and a short heading for a terminal's narrow column.
RULES: dict[str, tuple[str, str]] = {
    "open_principles": ("Open membership, mailing list and archives", "open"),
    "annual_report_year": ("Annual activity report", "annual report"),
    "session_report": ("Report of its last IGF session", "IGF report"),
    "min_coordination_meetings": ("DCCG coordination meetings", "meetings"),
    "deadline": ("Request submitted by the deadline", "on time"),
    "complete_request": ("Complete session description", "complete"),
    "min_stakeholder_groups": ("Speakers from several stakeholder groups", "groups"),
    "min_genders": ("Speakers of several genders", "genders"),
    "min_regions": ("Speakers from several regions", "regions"),
}

KINDS = {"session": "DC session", "block": "DC block", "segment": "DC block segment",
         "plenary": "DC Day plenary", "programme": "Programme session"}

CATEGORIES = {"output": "Output-driven (thematic) DC",
              "capacity": "Teaching and capacity-building DC"}

MODES = {"individual": "a session per DC", "block": "a consolidated DC block",
         "mixed": "a block and sessions, by DC category", "dc_day": "a DC Day"}

STATUSES = {"optimal": "proven best (optimal)",
            "feasible": "good, not proven best (feasible)",
            "infeasible": "no schedule: the hard rules conflict (infeasible)",
            "unknown": "no schedule found in time (unknown)"}

SESSION_TYPES = {"day0": "Day 0 event", "nri": "NRI session", "bpf": "BPF session",
                 "open_forum": "Open forum", "high_level": "High-level session",
                 "town_hall": "Town hall"}

STAKEHOLDER_GROUPS = {"civil_society": "civil society", "private_sector": "private sector",
                      "technical_community": "technical community",
                      "intergovernmental": "intergovernmental organisations",
                      "government": "government"}

ROOM_FEATURES = {"hybrid": "hybrid", "captioning": "captioning", "step_free": "step-free access",
                 "interpretation": "interpretation"}

# Scenario settings a reason may name.
SETTINGS = {
    "capacity.max_dc_sessions": "the scenario's quota of DC sessions",
    "capacity.rooms": "the rooms the scenario opens to DC items",
    "capacity.days": "the days the scenario opens to DC items",
    "block.duration": "the block's length",
    "block.count": "the number of blocks",
    "block.min_segment": "the shortest segment",
    "block.max_segment": "the longest segment",
    "block.presence": "when a presenter's speakers must be free",
    "dc_day.day": "the DC Day's day",
    "dc_day.rooms": "the DC Day's rooms",
    "weights.placed": "the value of placing a DC",
    "weights.moved": "the cost of moving a request",
    "solver.time_limit": "the solver's time limit",
    "solver.work_limit": "the solver's work limit",
}

# The soft goals (catalogue.SOFT_GOALS), as a planner reads them.
GOALS = {
    "placed": "DCs placed, by priority",
    "fairness": "fairness across DC categories",
    "theme_clash": "theme clashes",
    "parallel_sessions": "parallel sessions beside DC items",
    "preferred_day": "requests off their preferred day",
    "online_hours": "online speakers outside reasonable local hours",
    "theme_coherence": "block segments grouped by theme",
    "segment_proportion": "segment lengths in proportion to outputs",
    "outputs_presented": "tangible outputs presented",
    "outputs_first": "outputs presented before the sessions they feed",
    "moved": "requests moved from the earlier schedule",
    "tracks": "rooms per theme on the DC Day (thematic tracks)",
    "dc_parallel": "DC sessions at the same time on the DC Day",
    "displaced_placed": "sessions a DC Day displaces placed again on another day",
}

def rule(key: str) -> str:
    return RULES[key][0] if key in RULES else _words(key)


def rule_heading(key: str) -> str:
    return RULES[key][1] if key in RULES else _words(key)


def kind(key: str) -> str:
    return KINDS.get(key, f"DC {_words(key)}")


def category(key: str) -> str:
    return CATEGORIES.get(key, f"DC of category {_words(key)}")


def sort_name(name: str) -> str:
    """A DC's name as an A-to-Z list sorts it: by what it is about, not by the words every DC's
    name starts with ('Dynamic Coalition on Core Internet Values' under C)."""
    return re.sub(r"^(the\s+)?dynamic\s+coalition\s+((on|for|of)\s+(the\s+)?)?", "",
                  name.strip(), flags=re.I).casefold()


def status(key: str) -> str:
    return STATUSES.get(key, key)


def mode(key: str) -> str:
    return MODES.get(key, _words(key))


def session_type(key: str) -> str:
    return SESSION_TYPES.get(key, _words(key).capitalize())


def goal(key: str) -> str:
    return GOALS.get(key, _words(key))


def _words(key: str) -> str:
    return key.replace("_", " ")


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, str]]:
    words = {**{k: f"'{label}'" for k, (label, _) in RULES.items()}, **STAKEHOLDER_GROUPS,
             **SETTINGS, **ROOM_FEATURES}
    # Only keys no sentence would hold as they are ('deadline' is a rule and a plain word).
    keys = sorted((k for k in words if "_" in k or "." in k), key=len, reverse=True)
    # A key followed by '=' is something to type ('--set capacity.max_dc_sessions=5'): kept.
    return re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, keys)) + r")(?![\w=-])"), words


def for_people(text: str) -> str:
    """`text` with every key of the tables above put in words: "ineligible: DC4 fails
    min_coordination_meetings" -> "ineligible: DC4 fails 'DCCG coordination meetings'"."""
    pattern, words = _pattern()
    return pattern.sub(lambda m: words[m[1]], text)
