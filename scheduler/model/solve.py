"""Run CP-SAT on a built model and read back the chosen slots and every term's value."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Callable

from ortools.sat.python import cp_model

from ..errors import InputError
from ..scenario import Solver as SolverSettings
from .items import Slot
from .formulation import Formulation

STATUS = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
          cp_model.INFEASIBLE: "infeasible", cp_model.UNKNOWN: "unknown",
          cp_model.MODEL_INVALID: "model_invalid"}


@dataclass
class Solution:
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    chosen: dict[str, Slot] = field(default_factory=dict)
    terms: dict[str, int] = field(default_factory=dict)
    term_better: dict[str, str] = field(default_factory=dict)   # "higher" or "lower"
    solver: cp_model.CpSolver | None = field(default=None, repr=False)
    why: str = ""          # without a schedule: why, in a planner's words
    first_seconds: float | None = None      # when the first schedule was found
    first_guess: bool = False               # the greedy first guess, taken as it is
    exact: "Scored | None" = field(default=None, repr=False)   # reasons.base_score

    @property
    def has_schedule(self) -> bool:
        return self.status in ("optimal", "feasible")

    def figures(self) -> dict:
        """What the solver says, as plain data for metrics.json."""
        return {"status": self.status, "objective": self.objective, "bound": self.bound,
                "gap": None if self.gap is None else round(self.gap, 6),
                "solve_seconds": round(self.seconds, 3), "terms": dict(self.terms),
                "term_better": dict(self.term_better),
                **({"why_no_schedule": self.why} if self.why else {}),
                **({"first_guess": True} if self.first_guess else {})}

    def value(self, expr) -> int:
        """The value of any variable or linear expression of the model in this solution."""
        return int(self.solver.value(expr))


class _Progress(cp_model.CpSolverSolutionCallback):
    """Notes when the first schedule came (`Solution.first_seconds`) and, given `report`, tells a
    planner what each better schedule gives, in words: at most one line per `every` seconds
    after the first, so that a long search does not flood the terminal; the last schedule that
    had to wait is told when the search ends (`finish`), with the final bound."""

    def __init__(self, f: Formulation, report: Callable[[str], None] | None, every: float = 2.0):
        super().__init__()
        self._f, self._report, self._every = f, report, every
        self.first_seconds: float | None = None
        self._last_report = float("-inf")
        self._waiting: tuple[str, float, float] | None = None    # (what, objective, seconds)

    def on_solution_callback(self) -> None:
        now = self.wall_time
        if self.first_seconds is None:
            self.first_seconds = now
        if self._report is None:
            return
        self._waiting = (schedule_words(self._f, self.value), self.objective_value, now)
        if now - self._last_report >= self._every:
            self._last_report = now
            self.finish(self.best_objective_bound)

    def finish(self, bound: float) -> None:
        if self._waiting is not None:
            what, objective, seconds = self._waiting
            self._report(progress_words(what, objective, bound, seconds))
            self._waiting = None


def progress_words(what: str, objective: float, bound: float, seconds: float) -> str:
    """"schedule found: 23 of 24 DCs placed, 12 theme clashes; still improving, at most 3%
    better possible (4.1s)": what a planner reads while the solver works (the figures
    themselves go to metrics.json)."""
    gap = abs(bound - objective) / max(1.0, abs(objective))
    state = "proven best" if gap < 1e-9 else \
        f"still improving, at most {gap_percent(gap)} better possible"
    return f"  schedule found: {what}; {state} ({seconds:.1f}s)"


def schedule_words(f: Formulation, value: Callable) -> str:
    """What a schedule gives, in words: DCs (and programme sessions) placed, theme clashes."""
    parts = [placed_words(f, value)]
    terms = {t.name: t for t in f.terms}
    if "theme_clash" in terms:
        clashes = int(value(terms["theme_clash"].expr))
        parts.append(f"{clashes} theme clash{'' if clashes == 1 else 'es'}")
    return ", ".join(parts)


def placed_words(f: Formulation, value: Callable) -> str:
    """"23 of 24 DCs placed" (the DCs of the requests the model may place; a DC counts once
    one of its requests is placed, in a session of its own or in a block), and "300 of 308
    programme sessions placed" when the programme moves too."""
    possible: set[str] = set()
    placed: set[str] = set()
    sessions = moved = 0
    for item_id, item in f.items.items():
        if item.kind == "programme":
            sessions += 1
            moved += value(f.placed[item_id])
        elif item.kind == "session":
            possible.update(item.dc_ids)
            if value(f.placed[item_id]):
                placed.update(item.dc_ids)
    for grant in f.grants:
        possible.update(grant.request.dc_ids)
        if value(grant.literal):
            placed.update(grant.request.dc_ids)
    words = [f"{len(placed)} of {len(possible)} DCs placed"] if possible else []
    if sessions:
        words.append(f"{moved} of {sessions} programme sessions placed")
    return ", ".join(words) or "nothing to place"


def gap_percent(gap: float) -> str:
    value = 100 * gap
    return f"{value:.1f}%" if value >= 0.1 else f"{value:.2g}%"


def parameters(settings: SolverSettings) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = settings.time_limit
    if settings.work_limit is not None:
        params.max_deterministic_time = settings.work_limit
    params.random_seed = settings.seed
    params.num_workers = settings.workers
    params.linearization_level = settings.linearization_level
    params.cp_model_presolve = settings.presolve
    if settings.workers > 1:
        # Below 8 workers the default portfolio has no worker whose LP sees the at-most-one rows.
        params.extra_subsolvers.extend(settings.extra_subsolvers)
        # Parallel CP-SAT is only reproducible when its workers interleave in fixed batches.
        params.interleave_search = settings.deterministic
    return solver


def solve(f: Formulation, settings: SolverSettings,
          progress: Callable[[str], None] | None = None) -> Solution:
    """Solve either formulation and read back the chosen slots and every term's value. When the
    search ends without any schedule, the first guess (the greedy hint, which keeps every hard
    rule the modes share) is taken as it is, if the model accepts it: a checked schedule rather
    than none, said as such (`Solution.first_guess`)."""
    f.warm_start(progress)
    f.set_objective()
    check_objective_fits(f)
    solution = search(f, parameters(settings), progress)
    if solution.status == "unknown" and settings.hint:
        if progress:
            progress("  no schedule found in time: taking the first guess as it is")
        fixed = parameters(settings.model_copy(update={"time_limit": FIRST_GUESS_SECONDS,
                                                       "work_limit": None}))
        fixed.parameters.fix_variables_to_their_hinted_value = True
        guess = search(f, fixed, None)
        if guess.has_schedule:
            return dataclasses.replace(guess, status="feasible", bound=None, gap=None,
                                       seconds=solution.seconds + guess.seconds,
                                       first_seconds=solution.seconds + guess.seconds,
                                       first_guess=True)
    return solution


# The objective's largest magnitude: CP-SAT sums it in 64-bit integers and reports it as a
# double, exact up to 2**53.
LARGEST_OBJECTIVE = 2**53


def objective_magnitude(f: Formulation) -> int:
    """The largest |objective| any assignment of the model's variables can reach."""
    objective, variables = f.cp.proto.objective, f.cp.proto.variables
    return abs(objective.offset) + sum(
        abs(coefficient) * max(abs(bound) for bound in variables[index].domain)
        for index, coefficient in zip(objective.vars, objective.coeffs))


def check_objective_fits(f: Formulation) -> None:
    """Refuse weights whose objective could exceed what CP-SAT sums exactly (it would call the
    model invalid and place nothing), naming the weights that weigh most."""
    magnitude = objective_magnitude(f)
    if magnitude <= LARGEST_OBJECTIVE:
        return
    heaviest = sorted(f.terms, key=lambda t: -t.weight)[:3]
    raise InputError(f.scenario.source, f"key 'weights': the objective could reach "
                     f"{magnitude:.3g}, beyond the {LARGEST_OBJECTIVE:.3g} the solver counts "
                     f"exactly on this instance; lower the largest weights ("
                     + ", ".join(f"weights.{t.name} = {t.weight}" for t in heaviest) + ")")


# The first guess, taken as it is, needs only propagation: far less than a search.
FIRST_GUESS_SECONDS = 60.0


def search(f: Formulation, solver: cp_model.CpSolver,
           progress: Callable[[str], None] | None) -> Solution:
    """One CP-SAT run of the built model with `solver`'s parameters."""
    started = time.perf_counter()
    watch = _Progress(f, progress)
    status = solver.solve(f.cp, watch)
    seconds = time.perf_counter() - started
    watch.finish(solver.best_objective_bound)
    name = STATUS.get(status, "unknown")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solution(name, None, None, None, seconds)
    objective, bound = solver.objective_value, solver.best_objective_bound
    return Solution(
        status=name, objective=objective, bound=bound,
        gap=abs(bound - objective) / max(1.0, abs(objective)),
        seconds=seconds, first_seconds=watch.first_seconds, chosen=f.read_chosen(solver),
        terms={t.name: int(solver.value(t.expr)) for t in f.terms},
        term_better={t.name: "higher" if t.sign > 0 else "lower" for t in f.terms},
        solver=solver,
    )


@dataclass(frozen=True)
class Scored:
    """A schedule the solution's placements fix, scored by the model: its status (infeasible:
    a hard rule refuses it), objective and each term's value."""

    status: str
    objective: int | None = None
    terms: dict[str, int] = field(default_factory=dict)


# A fixed schedule needs propagation only; the limit guards a model that would need more.
SCORE_SECONDS = 5.0


def score_fixed(f: Formulation, solution: Solution, add: tuple[str, Slot] | None = None) -> Scored:
    """The solution's schedule, every item where the solution has it (or not placed), and with
    `add` (item id, slot) placed too, scored by the model with nothing left to search: the
    exact value of every term (where a search stopped early, the model's overlap variables may
    stand above what the rows hold), or infeasible when a hard rule refuses `add` there. A
    copy of the model is solved; the interval formulation's `at_slot` may add a literal to the
    model itself, a view of a start and a room that leaves its solutions as they were."""
    fixes = []
    for item_id in f.items:
        if add is not None and item_id == add[0]:
            fixes.append((f.at_slot(*add), 1))
        elif item_id in solution.chosen:
            fixes.append((f.at_slot(item_id, solution.chosen[item_id]), 1))
        else:
            fixes.append((f.placed[item_id], 0))
    fixes += [(grant.literal, solution.value(grant.literal)) for grant in f.grants]
    model = f.cp.clone()
    for literal, value in fixes:
        if literal is None:
            return Scored("infeasible")
        model.add(model.get_bool_var_from_proto_index(literal.index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = SCORE_SECONDS
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Scored(STATUS.get(status, "unknown"))
    return Scored("optimal" if status == cp_model.OPTIMAL else "feasible",
                  round(solver.objective_value),
                  {t.name: int(solver.value(t.expr)) for t in f.terms})
