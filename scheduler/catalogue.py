"""The catalogue: every hard rule and soft goal of the engine, with where it is built and how it
is checked. The model, the checker, the explanations, the metrics and compare take their names,
meanings, units and directions from here.

Adding a rule: an entry here, its builder (the function named in `builder`), its check (a
checker function emitting the `check` tag), and a test. Adding a goal: an entry here, its
builder (named after its weight in `[weights]`), its recount from the schedule rows
(`metrics.RECOUNTS`), and a test. `tests/test_catalogue.py` holds them together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HardRule:
    name: str
    meaning: str
    builder: str                # "module:function" under scheduler/
    check: tuple[str, ...]      # the checker's tags (`check.Violation.rule`) that judge it


@dataclass(frozen=True)
class SoftGoal:
    name: str                   # = its weight key in [weights] = its builder's name
    meaning: str
    unit: str
    better: str                 # "higher" (a reward) or "lower" (a penalty)
    builder: str                # "module:function" under scheduler/

    @property
    def sign(self) -> int:
        return +1 if self.better == "higher" else -1


def _rule(name: str, meaning: str, module: str, *check: str) -> HardRule:
    return HardRule(name, meaning, f"{module}:{name}", check)


HARD_RULES: tuple[HardRule, ...] = (
    _rule("eligible_only", "only requests that pass every eligibility rule are placed",
          "plan", "eligibility"),
    HardRule("items_of_the_mode", "each mode places its own kinds of item (in mixed, where "
             "[mixed] sends the lead DC's category)", "plan:MODES", ("mode",)),
    HardRule("moved_sessions_as_they_were", "a programme session moves only where [programme] "
             "movable lets it (never a ceremony) or a DC Day displaces it (then to another day, "
             "outside its people's unavailable windows), keeping its length, people, themes "
             "(and day, with keep_day) and needing a room like its own",
             "model.moving_programme:programme_items", ("programme", "unavailable")),
    # One item against the fixed data: filters of its candidate slots (model/slots.py).
    _rule("room_allowed", "only the rooms and days the scenario opens to DC items",
          "model.slots", "scope", "dc_day"),
    _rule("room_open", "the room is available that day", "model.slots", "room_open"),
    _rule("room_capacity", "the room seats the expected attendance", "model.slots", "capacity"),
    _rule("room_features", "the room has every feature the request needs (hybrid for online "
          "speakers)", "model.slots", "features"),
    _rule("off_breaks", "inside the day's hours, on the time grid, off the breaks",
          "model.slots", "hours", "breaks"),
    _rule("off_exclusive_items", "nothing runs beside an exclusive programme item",
          "model.slots", "exclusive"),
    _rule("speakers_available", "outside every window a key speaker cannot attend",
          "model.slots", "unavailable"),
    _rule("people_free_of_programme", "no speaker is in a programme session at the time",
          "model.slots", "person"),
    _rule("room_free_of_programme", "the room holds no programme session at the time",
          "model.slots", "room"),
    _rule("pinned_room", "a pinned request stays on its pinned day and in its pinned room",
          "model.slots", "pin"),
    _rule("pinned_start", "a pinned request keeps its pinned start", "model.slots", "pin"),
    # Between DC items (model/rules.py).
    _rule("each_item_at_most_once", "a request is placed at most once, as asked (its DCs, "
          "its length, its day's date); a required item exactly once", "model.rules",
          "placed_once", "request", "date"),
    _rule("one_item_per_room_at_a_time", "one session per room at a time", "model.rules",
          "room"),
    _rule("no_person_in_two_places", "no person in two DC items at once", "model.rules",
          "person"),
    _rule("coalitions_in_one_place", "a DC is in one DC item at a time", "model.rules",
          "coalition"),
    _rule("nothing_beside_exclusive_items", "no item beside an exclusive DC item (a DC Day "
          "plenary); the transition only where a room, person or DC is shared",
          "model.rules", "plenary"),
    _rule("session_quota", "at most capacity.max_dc_sessions individual sessions",
          "model.rules", "quota"),
    _rule("transition_time", "a room, a person and a DC have the event's transition minutes "
          "between two sessions, DC items and programme alike (event.toml `transition`)",
          "model.formulation", "transition"),
    # Mode block (model/block/rules.py).
    _rule("presenters_free_for_whole_block", "(block.presence whole_block) a presenter's "
          "speakers are free and available for the whole block, whose room seats and equips "
          "them", "model.block.rules", "unavailable", "person", "capacity", "features"),
    _rule("presenters_free_for_own_segment", "(block.presence segment, the default) a "
          "presenter's speakers are free and available during its own segment; the block's "
          "room seats and equips them", "model.block.rules", "unavailable", "person",
          "capacity", "features"),
    _rule("block_held_only_for_presenters", "no block without a segment", "model.block.rules",
          "block"),
    _rule("segment_lengths", "a segment lasts block.min_segment..block.max_segment minutes",
          "model.block.rules", "segment"),
    _rule("one_cluster_per_segment", "a segment joins one thematic cluster, named by one of "
          "its request's themes", "model.block.rules", "cluster"),
    _rule("segments_do_not_overlap", "two segments of a block never overlap",
          "model.block.rules", "segment"),
    _rule("clusters_contiguous", "the segments of a cluster sit next to each other",
          "model.block.rules", "cluster"),
    _rule("segments_packed_from_opening", "segments follow each other without gaps from the "
          "end of the opening", "model.block.rules", "segment"),
    _rule("segments_fill_speaking_time", "segments fill the speaking time, unless each has "
          "block.max_segment minutes", "model.block.rules", "segment"),
    _rule("presenters_free_of_other_dc_items", "a presenter's speakers and DCs are in no other "
          "DC item during its segment (during the block with block.presence whole_block)",
          "model.block.rules", "person", "coalition"),
    _rule("each_request_in_one_block", "a request presents in at most one block",
          "model.block.rules", "placed_once"),
    _rule("blocks_in_sequence", "at most block.count blocks of block.duration minutes, one "
          "after another", "model.block.rules", "block"),
    _rule("pinned_presenters_present", "a pinned request presents in a block on its pinned day "
          "and in its pinned room", "model.block.rules", "pin"),
    # Mode dc_day (model/dc_day.py).
    _rule("plenary_in_largest_free_room", "a DC Day plenary is in the largest DC Day room free "
          "then", "model.dc_day", "plenary"),
    _rule("opening_before_sessions", "the opening plenary ends before any DC session starts",
          "model.dc_day", "plenary"),
    _rule("closing_after_sessions", "the closing plenary starts after every DC session ends",
          "model.dc_day", "plenary"),
)


def _goal(name: str, meaning: str, unit: str, better: str, module: str) -> SoftGoal:
    return SoftGoal(name, meaning, unit, better, f"{module}:{name}")


SOFT_GOALS: tuple[SoftGoal, ...] = (
    _goal("placed", "place as many DCs as capacity allows, by priority (a joint request places "
          "each of its DCs)", "priority-weighted DCs placed", "higher", "model.goals"),
    _goal("fairness", "place requests fairly across DC categories",
          "lowest percent of a category's requests placed", "higher", "model.goals"),
    _goal("theme_clash", "no DC item beside another session on the same theme",
          "same-theme session pairs in parallel (a block counted once, with its presenters' "
          "themes)", "lower", "model.goals"),
    _goal("parallel_sessions", "few sessions in parallel with DC items (attendance)",
          "sessions in parallel with DC items, counted from each DC item (a block as one)",
          "lower",
          "model.goals"),
    _goal("preferred_day", "honour the requests' preferred days",
          "requests off their preferred days", "lower", "model.goals"),
    _goal("online_hours", "online speakers speak inside reasonable local hours (a presenter "
          "in its own segment; in the whole block with block.presence whole_block)",
          "online speakers outside local hours", "lower", "model.goals"),
    _goal("theme_coherence", "a block's segments grouped by theme",
          "adjacent segments in the same thematic cluster", "higher", "model.block.goals"),
    _goal("segment_proportion", "segment lengths proportional to the DCs' outputs",
          "minutes segments are off proportional to outputs", "lower", "model.block.goals"),
    _goal("outputs_presented", "as many tangible outputs presented as the block holds",
          "tangible outputs presented in blocks", "higher", "model.block.goals"),
    _goal("outputs_first", "DC outputs presented before the workshops and main sessions they "
          "can feed", "related workshops and main sessions not after the block", "lower",
          "model.block.goals"),
    _goal("moved", "with a baseline (an earlier schedule), move as few of its requests as "
          "possible", "baseline requests moved or dropped", "lower", "model.goals"),
    _goal("tracks", "a DC Day's sessions on a theme in few rooms (thematic tracks)",
          "rooms used per theme, summed over themes", "lower", "model.dc_day"),
    _goal("dc_parallel", "few DC sessions at the same time on a DC Day",
          "most DC sessions running at the same time", "lower", "model.dc_day"),
    _goal("displaced_placed", "the programme sessions a DC Day's reservation displaces placed "
          "again on another day", "displaced sessions placed again", "higher", "model.dc_day"),
)

GOAL_BY_NAME = {goal.name: goal for goal in SOFT_GOALS}
