"""A what-if scenario: the mode, the rules, the capacities, the weights and the solver settings.

Read from TOML; any key can be overridden with a dotted `KEY=VALUE` (values are TOML literals,
plain words are strings). An unknown key is an error, never silently ignored.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from .domain import Clock, Dataset, Request
from .errors import InputError
from .load import did_you_mean, first_problem, read_toml

Mode = Literal["individual", "block", "dc_day", "mixed"]

# The bounds of every number a scenario holds (exit 2 beyond them, naming the key and range).
MINUTES_A_DAY = 24 * 60
MAX_SECONDS = 7 * 24 * 3600       # a week of solving
MAX_COUNT = 100                   # people, groups, meetings a rule can ask for
MAX_ITEMS = 10_000                # DC sessions a quota can allow
MAX_BLOCKS = 20
MAX_SEED = 2**31 - 1
MAX_WORKERS = 64
# A weight of a soft goal: with a million per unit, the objective of the largest instance the
# tool is meant for stays far inside CP-SAT's 64-bit integers (plan.check_objective_fits).
MAX_WEIGHT = 1_000_000


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Eligibility(Table):
    """Each rule left out (None) is not applied."""

    open_principles: bool | None = None
    annual_report_year: int | None = Field(default=None, ge=1900, le=2200)
    session_report: bool | None = None
    min_coordination_meetings: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    deadline: dt.date | None = None
    complete_request: bool | None = None
    min_stakeholder_groups: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    min_genders: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    min_regions: int | None = Field(default=None, ge=0, le=MAX_COUNT)


class Capacity(Table):
    max_dc_sessions: int | None = Field(default=None, ge=0, le=MAX_ITEMS)
    rooms: tuple[str, ...] = ()
    days: tuple[str, ...] = ()


class Block(Table):
    # Each block is a set of variables per possible slot: a few blocks are a programme's worth.
    count: int = Field(default=1, ge=0, le=MAX_BLOCKS)
    duration: int = Field(default=180, gt=0, le=MINUTES_A_DAY)
    overhead: int = Field(default=15, ge=0, le=MINUTES_A_DAY)
    min_segment: int = Field(default=8, gt=0, le=MINUTES_A_DAY)
    max_segment: int = Field(default=20, gt=0, le=MINUTES_A_DAY)
    days: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    # "segment": a presenter's speakers are needed (free, available, in local hours) during its
    # own segment only; "whole_block": they stay for the whole block to hear the others.
    presence: Literal["segment", "whole_block"] = "segment"

    @model_validator(mode="after")
    def _segments_fit(self):
        if self.min_segment > self.max_segment:
            raise ValueError("min_segment is larger than max_segment")
        if self.overhead + self.min_segment > self.duration:
            raise ValueError("the overhead leaves no room for a single segment")
        return self

    @property
    def opening(self) -> int:
        """Minutes from the block's start to its first segment: half the overhead, rounded up."""
        return self.overhead - self.overhead // 2

    @property
    def wrap_up(self) -> int:
        """Minutes from the end of the last possible segment to the block's end."""
        return self.overhead // 2

    @property
    def stay(self) -> str:
        """What a presenter is asked to be there for, in words (show, the exports)."""
        if self.presence == "whole_block":
            return "presenters stay for the whole block to hear the other clusters"
        return "presenters are needed for their own segment; they are welcome to stay"

    @property
    def speaking_minutes(self) -> int:
        """The block's time for segments: its duration less the opening and the wrap-up."""
        return self.duration - self.overhead


class DcDay(Table):
    """Mode `dc_day`: every eligible request on one `day` (Day 0 or a day of the meeting).

    `rooms`: the rooms open to the DC Day (narrowed by [capacity] rooms when both are set);
    empty = every room open that day, around the programme's sessions. `opening` / `closing`:
    minutes of a plenary before every DC session / after all of them, alone (no DC session in
    parallel), in the largest room free at that time; 0 = none. `reserve`: "none" packs the DC
    Day around that day's programme; "rooms" reserves its rooms for the whole day and "day" the
    whole day, displacing the programme sessions there (never an exclusive one), each placed
    again on another day where one fits (`scheduler/reserve.py`).
    """

    day: str = "Day 0"
    rooms: tuple[str, ...] = ()
    reserve: Literal["none", "rooms", "day"] = "none"
    opening: int = Field(default=0, ge=0, le=MINUTES_A_DAY)
    closing: int = Field(default=0, ge=0, le=MINUTES_A_DAY)


class Mixed(Table):
    """The mode of each DC category; a request that states its `placement` (a session of its own
    or a block segment) gets that instead."""

    output: Literal["individual", "block"] = "block"
    capacity: Literal["individual", "block"] = "individual"

    def mode_of(self, request: Request, dataset: Dataset) -> str:
        """`individual` or `block`: the request's own placement, else its lead DC category's."""
        if request.placement != "either":
            return {"session": "individual", "segment": "block"}[request.placement]
        return getattr(self, dataset.coalition_by_id[request.lead].category)


class Online(Table):
    """The local hours in which an online speaker can reasonably be asked to speak."""

    earliest: Annotated[Clock, Field(ge=0, le=MINUTES_A_DAY)] = 8 * 60
    latest: Annotated[Clock, Field(ge=0, le=MINUTES_A_DAY)] = 22 * 60


class Programme(Table):
    """Whether the engine places programme sessions too (the whole programme, with the DC
    items): `movable` "none" (the programme is fixed), "all" (every session with a room that is
    not exclusive) or "marked" (those whose `movable` column in programme.csv says yes).
    A moved session keeps its length, people and themes and needs a room that seats as many and
    has every feature of its own room; with `keep_day` it stays on its own day. Exclusive
    sessions (the ceremonies) never move. The search starts from `first_pass`."""

    movable: Literal["none", "all", "marked"] = "none"
    keep_day: bool = True
    # Before the whole programme, place the DC items around the programme as it stands (this
    # formulation, for at most `first_pass_time_limit` seconds), and start the whole search
    # from that schedule: the whole model on its own barely improves on a first guess
    # (bench/RESULTS.md). A programme as given that breaks a rule moved sessions keep (a
    # transition) is first placed alone (interval formulation, the same limit). "none": no
    # first pass; "auto": the formulation `[solver] formulation = "auto"` would take for it
    # (model/choice.py: the time-indexed one unless it would be too large).
    first_pass: Literal["none", "auto", "time_indexed", "interval"] = "auto"
    first_pass_time_limit: float = Field(default=10, gt=0, le=MAX_SECONDS)


Presence = Annotated[float, Field(ge=0, le=1)]


class Attendance(Table):
    """The attendance estimate (see `scheduler/attendance.py` for the formula).

    `presence`: share of the participants on site that day, per day label (e.g. `{"Day 0" =
    0.6}`); a day not named has `default_presence`. A session running in parallel with a DC item
    takes a share of its audience: one on a shared theme counts `same_theme`, any other counts
    `other_theme` (weighted by the share of the DC item's time they overlap).
    """

    presence: dict[str, Presence] = Field(default_factory=dict)
    default_presence: Presence = 1.0
    same_theme: float = Field(default=1.0, ge=0, le=10)
    other_theme: float = Field(default=0.1, ge=0, le=10)


class Weights(Table):
    placed: int = Field(default=100, ge=0, le=MAX_WEIGHT)
    fairness: int = Field(default=1, ge=0, le=MAX_WEIGHT)
    theme_clash: int = Field(default=10, ge=0, le=MAX_WEIGHT)
    parallel_sessions: int = Field(default=1, ge=0, le=MAX_WEIGHT)
    preferred_day: int = Field(default=3, ge=0, le=MAX_WEIGHT)
    online_hours: int = Field(default=2, ge=0, le=MAX_WEIGHT)
    outputs_first: int = Field(default=5, ge=0, le=MAX_WEIGHT)
    moved: int = Field(default=20, ge=0, le=MAX_WEIGHT)
    tracks: int = Field(default=2, ge=0, le=MAX_WEIGHT)     # dc_day: rooms used per theme
    dc_parallel: int = Field(default=5, ge=0, le=MAX_WEIGHT)    # dc_day: most DC sessions at once
    displaced_placed: int = Field(default=100, ge=0, le=MAX_WEIGHT)  # dc_day: placed again
    theme_coherence: int = Field(default=3, ge=0, le=MAX_WEIGHT)    # block: cluster adjacent
    segment_proportion: int = Field(default=1, ge=0, le=MAX_WEIGHT)  # block: minutes off share
    outputs_presented: int = Field(default=2, ge=0, le=MAX_WEIGHT)   # block: outputs presented


class Solver(Table):
    """CP-SAT settings. One worker is deterministic and, with linearization level 2, proves the
    sample scenarios optimal fastest (bench/RESULTS.md); `compare` uses the other cores by
    solving scenarios in parallel. Workers beyond the first run CP-SAT's portfolio plus
    `extra_subsolvers` (interleaved, reproducible, when `deterministic` is true) beside the
    one-worker search, on a copy of the model; the better schedule and the tighter bound of
    the two are kept (model/solve.py: `Beside`). `formulation`: the model, "time_indexed" (a
    boolean per item, day, start and room: a tight LP, the fastest proofs at DC scale) or
    "interval" (an optional interval per item and room, NoOverlap per room, person and
    coalition: compact at whole-programme scale; see model/intervals.py); "auto" takes the
    time-indexed one unless its rows of pairwise goals would be too large (model/choice.py)."""

    formulation: Literal["auto", "time_indexed", "interval"] = "auto"
    # With `deterministic`, counted in CP-SAT's units of work (as `work_limit`), and the clock
    # stops the search only at ten times it (model/solve.py: `work_budget`, `clock_limit`).
    time_limit: float = Field(default=30, gt=0, le=MAX_SECONDS)
    # CP-SAT's own measure of work (1.2-8 s each on this machine): a search that ends on
    # it ends at the same schedule every run, where one that ends on the clock may not.
    work_limit: float | None = Field(default=None, gt=0, le=MAX_SECONDS)
    seed: int = Field(default=0, ge=0, le=MAX_SEED)      # CP-SAT's seed is a 32-bit integer
    # Each worker holds a copy of the model: past a few per core they only cost memory.
    workers: int = Field(default=1, ge=1, le=MAX_WORKERS)
    # The same input, seed and worker count give the same schedule, whatever ends the search
    # before its proof (but an interrupt): limits by work, workers interleaved.
    deterministic: bool = True
    linearization_level: int = Field(default=2, ge=0, le=2)
    # How many cuts CP-SAT's LP may add (its `max_num_cuts`). None: model/choice.py's choice
    # by mode (100 for a mixed scenario, CP-SAT's own 10,000 otherwise).
    max_cuts: int | None = Field(default=None, ge=0, le=1_000_000)
    extra_subsolvers: tuple[str, ...] = ("max_lp",)
    # Start CP-SAT from a greedy schedule (model/greedy.py).
    hint: bool = True
    # CP-SAT's presolve (bench/RESULTS.md: on generated instances it can take longer than the
    # search it would shorten).
    presolve: bool = True
    # "one": one search of the whole objective. "placement_first": first the placement terms
    # alone (placed, displaced_placed), then the whole objective keeping their best, then the
    # whole problem as stated, within the same limits (model/stages.py: exact when placement
    # is a strict priority of the weights; the bound reported holds either way). Measured at
    # the same work it gave better schedules on some DC Days owning their rooms and worse on
    # others, and slower proofs elsewhere (bench/RESULTS.md): not the default.
    stages: Literal["one", "placement_first"] = "one"
    # Before the whole search of an individual or DC Day scenario whose first guess leaves a
    # request out, place as many requests as the rules allow on a model of placement alone
    # (no pairwise goals, so small and quick to prove), within at most half the limits, and
    # start the whole search from that schedule (plan.py: `placement_pass`). Where people sit
    # in several requests, the whole model's search left requests out that fit: the dense
    # request set 122 of 126 placed, with the pass all 126 and a better objective
    # (bench/RESULTS.md).
    placement_pass: bool = True
    # The share of the limits given to re-solving parts of the full search's best schedule
    # (a stretch of a day, a theme, two rooms, items at random) when the full search has not
    # proven it best within the rest (model/neighbourhoods.py); the bound reported is the full
    # search's. 0: the full search alone. Not set: 0.9 in the interval formulation (there the
    # full search is slow and hardly improves its first schedule), else 0.5 (model/solve.py).
    neighbourhood_share: float | None = Field(default=None, ge=0, lt=1)


class Scenario(Table):
    name: str
    description: str = ""
    dataset: str
    mode: Mode = "individual"
    eligibility: Eligibility = Eligibility()
    capacity: Capacity = Capacity()
    block: Block = Block()
    dc_day: DcDay = DcDay()
    mixed: Mixed = Mixed()
    online: Online = Online()
    attendance: Attendance = Attendance()
    programme: Programme = Programme()
    weights: Weights = Weights()
    solver: Solver = Solver()
    _source: Path = PrivateAttr(default=Path("scenario.toml"))

    @property
    def source(self) -> Path:
        return self._source

    @property
    def dc_day_rooms(self) -> tuple[str, ...]:
        """The rooms open to a DC Day: `[dc_day] rooms`, narrowed by `[capacity] rooms` when
        both are set (every DC item keeps to `capacity.rooms`); empty = every room."""
        own, scenario_wide = self.dc_day.rooms, self.capacity.rooms
        if own and scenario_wide:
            return tuple(room for room in own if room in scenario_wide)
        return own or scenario_wide

    @property
    def dataset_path(self) -> Path:
        """The dataset folder, relative to the scenario file."""
        return (self._source.parent / self.dataset).resolve()


def parse_value(text: str) -> Any:
    """A TOML literal (15, true, [1, 2], "x", 2024-05-05), else the plain text as a string."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def apply_override(raw: dict, assignment: str, model: type[BaseModel] = Scenario) -> None:
    """Set `a.b.c=value` in the raw scenario dict, refusing keys the scenario does not have."""
    key, sep, text = assignment.partition("=")
    key = key.strip()
    if not sep or not key:
        raise InputError("--set", f"'{assignment}' is not of the form KEY=VALUE")
    parts = key.split(".")
    target = raw
    for depth, part in enumerate(parts):
        field = model.model_fields.get(part) if model else None
        if field is None:
            raise InputError("--set", f"unknown scenario key '{key}'"
                             + did_you_mean(part, model.model_fields if model else ()))
        if depth == len(parts) - 1:
            target[part] = parse_value(text.strip())
            return
        annotation = field.annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            raise InputError("--set", f"'{'.'.join(parts[:depth + 1])}' has no sub-keys")
        if not isinstance(target.setdefault(part, {}), dict):
            raise InputError("--set", f"cannot set '{key}': '{'.'.join(parts[:depth + 1])}' "
                             "is not a table in the scenario file")
        target = target[part]
        model = annotation


def load_scenario(path: str | Path, overrides: tuple[str, ...] | list[str] = ()) -> Scenario:
    path = Path(path)
    raw = read_toml(path)
    for assignment in overrides:
        apply_override(raw, assignment)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        where, message = first_problem(exc, Scenario)
        overridden = {a.partition("=")[0].strip() for a in overrides}
        source = "--set" if any(where == k or where.startswith(f"{k}.") for k in overridden) \
            else path
        raise InputError(source, f"key '{where}': {message}") from None
    scenario._source = path.resolve()
    return scenario
