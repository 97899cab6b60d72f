"""Which formulation a scenario gets when it leaves `[solver] formulation` at "auto", and how
many cuts CP-SAT's LP may add when it leaves `[solver] max_cuts` unset.

The time-indexed model proves DC-scale scenarios fastest, but the rows of its pairwise goals
(theme clashes and parallel sessions: a row per pair of items and grid unit both may cover,
over every slot covering it) grow with the items times their slots. A request set of 126
sessions with no fixed programme (the dense set) has about 36 million such terms: 63 s and
3.7 GB to build, and 13 % from its bound when the clock ended it, where the interval model
builds in a second and ends at 4.5 % (bench/RESULTS.md). The whole programme has 44 million;
the largest DC-scale scenario of the benchmark (a DC Day owning its rooms) about 2 million.
"""

from __future__ import annotations

from ..scenario import Scenario
from .items import Item
from .slots import Starts

# Above this many terms in the pair rows, "auto" takes the interval formulation.
MOST_PAIR_TERMS = 5_000_000


def pair_row_terms(items: list[Item], starts: dict[str, Starts], grid: int,
                   scenario: Scenario) -> int:
    """At most how many terms the time-indexed model's pair rows take: for each pair of items a
    goal reads (`goals._dc_pairs`: a DC item with any item but a plenary; every such pair for
    `parallel_sessions`, those sharing a theme for `theme_clash`), the slots of both, each
    counted once per grid unit it covers."""
    weights = scenario.weights
    if not weights.parallel_sessions and not weights.theme_clash:
        return 0

    def coverage(item: Item) -> int:
        return sum(map(len, starts[item.item_id].values())) * -(-item.duration // grid)

    dc = [coverage(i) for i in items if i.kind not in ("programme", "plenary")]
    programme = [coverage(i) for i in items if i.kind == "programme"]
    if weights.parallel_sessions:                    # every pair with a DC item
        return sum(dc) * (len(dc) - 1 + len(programme)) + sum(programme) * len(dc)
    themed = [(i, coverage(i)) for i in items if i.kind != "plenary" and i.themes]
    return sum(covers_a + covers_b
               for n, (a, covers_a) in enumerate(themed) if a.kind != "programme"
               for m, (b, covers_b) in enumerate(themed)
               if (m > n or b.kind == "programme") and a.themes & b.themes)


def formulation_for(scenario: Scenario, items: list[Item], starts: dict[str, Starts],
                    grid: int) -> str:
    """The formulation the scenario names, or for "auto" the time-indexed one unless its pair
    rows would pass `MOST_PAIR_TERMS`."""
    chosen = scenario.solver.formulation
    if chosen != "auto":
        return chosen
    large = pair_row_terms(items, starts, grid, scenario) > MOST_PAIR_TERMS
    return "interval" if large else "time_indexed"


# A mixed scenario's LP with CP-SAT's own cut limit (10,000) could spend a search re-solving at
# every node: on unseen data (`generate --seed 904 --requests 40 --density 0.65`) one worker
# found no schedule in 5 units of work (34 s of clock), where at most 100 cuts proved it
# optimal in 0.3 units (1.2 s); over the benchmark's 21 mixed instances 21 proven (before 20),
# proof median 1.45 s (before 1.68-1.85 s). The other modes gained nothing (individual 17
# proven against 18, a block instance slower, DC Day gaps better on 8 of 21 and worse on 10;
# in the interval model the dense set better, the whole programme worse): bench/RESULTS.md.
MIXED_MAX_CUTS = 100


def max_cuts_for(scenario: Scenario, formulation: str) -> int | None:
    """The scenario's `max_cuts`, or unset, `MIXED_MAX_CUTS` for a mixed scenario in the
    time-indexed formulation (the one measured) and CP-SAT's own limit (None) otherwise."""
    if scenario.solver.max_cuts is not None:
        return scenario.solver.max_cuts
    mixed = scenario.mode == "mixed" and formulation == "time_indexed"
    return MIXED_MAX_CUTS if mixed else None
