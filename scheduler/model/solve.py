"""Run CP-SAT on a built model and read back the chosen slots and every term's value."""

from __future__ import annotations

import dataclasses
import signal
import threading
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
    ended_by: str = ""     # one of ENDINGS: what stopped the search
    work: float = 0.0      # CP-SAT's deterministic time: the work the search did
    # (seconds, work, objective, bound) when each better schedule was found
    improvements: list[tuple[float, float, float, float]] = field(default_factory=list)
    exact: "Scored | None" = field(default=None, repr=False)   # reasons.base_score

    def gap_by(self, work: float) -> float | None:
        """The gap of the best schedule found by `work` units of the search (with the bound
        known then; after the search, its final figures); None: no schedule by then."""
        return self._gap_when(work, self.work, 1)

    def gap_at(self, seconds: float) -> float | None:
        """The same by `seconds` of the search's clock."""
        return self._gap_when(seconds, self.seconds, 0)

    def _gap_when(self, limit: float, spent: float, index: int) -> float | None:
        if spent <= limit * 1.001 and self.has_schedule:      # CP-SAT stops just past a limit
            return self.gap
        found = [(improvement[2], improvement[3]) for improvement in self.improvements
                 if improvement[index] <= limit]
        if not found or found[-1][1] is None:
            return None
        objective, bound = found[-1]
        return abs(bound - objective) / max(1.0, abs(objective))

    @property
    def has_schedule(self) -> bool:
        return self.status in ("optimal", "feasible")

    def figures(self) -> dict:
        """What the solver says, as plain data for metrics.json."""
        return {"status": self.status, "objective": self.objective, "bound": self.bound,
                "gap": None if self.gap is None else round(self.gap, 6),
                "solve_seconds": round(self.seconds, 3), "terms": dict(self.terms),
                "term_better": dict(self.term_better),
                "search_ended_by": self.ended_by, "work": round(self.work, 3),
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
        self.improvements: list[tuple[float, float, float, float]] = []
        self._last_report = float("-inf")
        self._waiting: tuple[str, float, float] | None = None    # (what, objective, seconds)

    def on_solution_callback(self) -> None:
        now = self.wall_time
        if self.first_seconds is None:
            self.first_seconds = now
        self.improvements.append((now, self.deterministic_time, self.objective_value,
                                  self.best_objective_bound))
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
    gap = None if bound is None else abs(bound - objective) / max(1.0, abs(objective))
    state = "still improving" if gap is None else "proven best" if gap < 1e-9 else \
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


# What can end a search: a proof (optimal or infeasible), the work limit (CP-SAT's own count of
# its work, the same on every run), the time limit (the clock: it depends on the machine's
# load), an interrupt (Ctrl-C or SIGTERM), or none of these that the figures show.
# A staged solve (model/stages.py) can also end with its second stage proven, the bound of the
# whole objective still open ("stages").
ENDINGS = ("proof", "work limit", "time limit", "interrupt", "stages", "")

# With `deterministic`, the search is limited by work, not by the clock (a clock limit stops a
# search at another schedule on a busier machine); the clock only stops a search that takes
# this many times its time limit, so that a busy machine cannot make it run on unbounded. A
# unit of work takes 1.2-2.5 s of this machine's clock on most models, but up to 8 s on an
# idle one where CP-SAT re-solves its LP at every node (unseen mixed instances, interval
# models): at 3 times, such searches were all ended by the clock, not the same run to run.
CLOCK_MARGIN = 10.0


def work_budget(settings: SolverSettings) -> float | None:
    """The work limit of a search in CP-SAT's deterministic time (None: unlimited). With
    `deterministic`, `time_limit` counts as a work limit too (a unit of work took 1.2-8 s of
    the clock on this machine, bench/RESULTS.md), and the smaller one holds."""
    if not settings.deterministic:
        return settings.work_limit
    return min(settings.time_limit, settings.work_limit or settings.time_limit)


def clock_limit(settings: SolverSettings) -> float:
    return settings.time_limit * (CLOCK_MARGIN if settings.deterministic else 1.0)


# The neighbourhoods' share of the limits where `neighbourhood_share` is not set. In the
# interval model the full search's bound is its root LP's, which sees no pair of items overlap
# and comes early, and a unit of its work takes 3-7 s of the clock (whole programme, dense
# request set): with half the work the clock ended it before the neighbourhoods, which do the
# improving there, began (bench/RESULTS.md).
SHARE, SHARE_INTERVAL = 0.5, 0.9


def neighbourhood_share(settings: SolverSettings, f: Formulation) -> float:
    """The share set, else the default of the model built (`f.scenario` names the formulation
    "auto" took)."""
    if settings.neighbourhood_share is not None:
        return settings.neighbourhood_share
    return SHARE_INTERVAL if f.scenario.solver.formulation == "interval" else SHARE


def full_search_share(settings: SolverSettings) -> SolverSettings:
    """The limits of the full search when a share of them goes to re-solving neighbourhoods of
    its best schedule (`neighbourhood_share`): of the work, or without a work limit, of the
    clock."""
    keep = 1 - settings.neighbourhood_share
    if not keep < 1:
        return settings
    if (budget := work_budget(settings)) is None:
        return settings.model_copy(update={"time_limit": settings.time_limit * keep})
    return settings.model_copy(update={"work_limit": budget * keep})


def parameters(settings: SolverSettings) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = clock_limit(settings)
    if (budget := work_budget(settings)) is not None:
        params.max_deterministic_time = budget
    params.random_seed = settings.seed
    params.num_workers = settings.workers
    params.linearization_level = settings.linearization_level
    params.cp_model_presolve = settings.presolve
    if settings.max_cuts is not None:
        params.max_num_cuts = settings.max_cuts
    # Ctrl-C and SIGTERM are handled here (`solve_stoppably`), so that the summary can say the
    # search was interrupted.
    params.catch_sigint_signal = False
    if settings.workers > 1:
        # Below 8 workers the default portfolio has no worker whose LP sees the at-most-one rows.
        params.extra_subsolvers.extend(settings.extra_subsolvers)
        # Parallel CP-SAT is only reproducible when its workers interleave in fixed batches.
        params.interleave_search = settings.deterministic
    return solver


def solve(f: Formulation, settings: SolverSettings,
          progress: Callable[[str], None] | None = None) -> Solution:
    """Solve either formulation and read back the chosen slots and every term's value.

    The search starts from the first guess (the greedy hint, which keeps every hard rule the
    modes share) completed by the model: when the model accepts the guess, every variable is
    hinted with its value in it, so the search's first schedule is the guess and it never ends
    with a worse one (`first_guess`). When the search ends without any schedule (but not by an
    interrupt), or with one worse than the guess, the guess is taken as it is: a checked
    schedule, said as such (`Solution.first_guess`).

    Raises `Interrupted` (with the best schedule the search found, if any) on Ctrl-C or
    SIGTERM."""
    f.warm_start(progress)
    f.set_objective()
    check_objective_fits(f)
    from .stages import solve_in_stages, staged     # stages.py builds on this module
    if staged(f, settings):
        return solve_in_stages(f, settings, progress)
    return solve_once(f, settings, progress)


def solve_once(f: Formulation, settings: SolverSettings,
               progress: Callable[[str], None] | None) -> Solution:
    """One search of the model's objective as it is set, from the first guess completed by the
    model (the whole hint), with the guard against CP-SAT's abort, and the first guess taken as
    it is when the search finds nothing better.

    One worker runs the full search, then (unless it proved its schedule best) re-solves
    neighbourhoods of its best schedule (`neighbourhood_share` of the limits). Further workers
    (`workers` > 1) search the whole model beside it, on a copy, with the whole limits: the
    result is the better schedule of the two and the tighter bound, so more workers never give
    a worse schedule than one (bench/RESULTS.md: CP-SAT's interleaved portfolio alone gave worse
    schedules than one worker on DC Days)."""
    started = time.perf_counter()
    one = settings.model_copy(update={"workers": 1,
                                      "neighbourhood_share": neighbourhood_share(settings, f)})
    guess = first_guess(f, settings) if settings.hint else None
    first = None
    if guess is not None:
        hint_everything(f, guess)
    elif settings.hint:
        # Where the model refuses the first guess (a mode's rule the greedy does not know:
        # generated s4 in mode mixed, with its block), one worker without the LP finds a
        # first schedule in a fraction of the time the LP search takes to its first
        # (bench/RESULTS.md), and the search starts from it whole.
        # It also guards against CP-SAT 9.15's abort (`Check failed: heuristics.fixed_search
        # != nullptr`) when, in an interleaved search, a worker proves the model infeasible
        # while loading it and then follows the hint: the proof reaches the other workers only
        # at the batch's end, so the worker goes on to search with heuristics it never set up.
        # A model that has a schedule cannot be proven infeasible; a proof of the opposite is
        # the answer. Only when neither comes is the hint followed through CP-SAT's repair of
        # it, which checks the model it loads but is slow (bench/RESULTS.md).
        first = first_schedule(f, settings)
        if first.status == "infeasible":
            return first
        if first.has_schedule:
            hint_everything(f, first)
    beside = Beside(f, settings, repair_hint=first is not None and not first.has_schedule) \
        if settings.workers > 1 else None
    try:
        solution = search_then_improve(f, one, first or guess, started, progress)
    except Interrupted as stop:
        if beside is not None:
            raise Interrupted(best_of(stop.solution, beside.stop()))
        raise
    if beside is not None:
        solution = best_of(solution, beside.result())
    if guess is not None and not at_least_as_good(solution, guess):
        if progress:
            progress("  no better schedule found in time: taking the first guess as it is")
        return dataclasses.replace(guess, seconds=solution.seconds + guess.seconds,
                                   first_seconds=solution.seconds + guess.seconds,
                                   ended_by=solution.ended_by, work=solution.work)
    return solution


def search_then_improve(f: Formulation, settings: SolverSettings, first: Solution | None,
                        started: float, progress: Callable[[str], None] | None) -> Solution:
    """The full search from `first` (the first guess, or a first schedule found by a search
    whose work counts in the full search's share) within its share of the limits, then,
    unless it proved its schedule best, the neighbourhoods of its best schedule, or of `first`
    when it found none better, within the rest."""
    solver = parameters(full_search_share(settings))
    guessed = first is not None and first.first_guess
    if first is not None and not guessed and solver.parameters.max_deterministic_time < 1e300:
        solver.parameters.max_deterministic_time = max(
            1e-3, solver.parameters.max_deterministic_time - first.work)
    solution = search(f, solver, progress)
    if first is not None:
        if not guessed:
            solution = after(first, solution)
        if first.has_schedule and not at_least_as_good(solution, first):
            # The full search waits for its root LP before it takes the hint, which on the
            # largest models (DC Days, a programme moving in the time-indexed model) outlasted
            # its share: the first schedule stands, with the tighter bound of the two
            # searches (none for the first guess, all fixed), and the neighbourhoods start
            # from it.
            bounds = [b for b in (None if guessed else first.bound, solution.bound)
                      if b is not None]
            bound = min(bounds) if bounds else None
            solution = dataclasses.replace(
                first, status="feasible", bound=bound, gap=None if bound is None else
                abs(bound - first.objective) / max(1.0, abs(first.objective)),
                work=solution.work, seconds=solution.seconds, ended_by=solution.ended_by,
                improvements=[] if guessed else first.improvements)
    if settings.neighbourhood_share and solution.status == "feasible" \
            and solution.ended_by in ("work limit", "time limit"):
        from .neighbourhoods import improve           # neighbourhoods.py builds on this module
        budget = work_budget(settings)
        solution = improve(f, settings, solution,
                           float("inf") if budget is None else budget - solution.work,
                           started + clock_limit(settings), progress)
    return solution


class Beside:
    """The workers beyond the first: one CP-SAT search of the whole model (interleaved when
    `deterministic`, as several workers must be to give the same schedule every run), with
    the whole limits, on a copy of the model (the neighbourhoods change the model's
    assumptions and hints), in a thread of its own."""

    def __init__(self, f: Formulation, settings: SolverSettings, repair_hint: bool):
        self._f, self._model = f, f.cp.clone()
        self._solver = parameters(settings.model_copy(update={"workers": settings.workers - 1}))
        self._solver.parameters.repair_hint = repair_hint and \
            self._solver.parameters.interleave_search
        self._outcome: dict = {}
        self._thread = threading.Thread(target=self._run, name="cp-sat search beside")
        self._thread.start()

    def _run(self) -> None:
        try:
            self._outcome["solution"] = search(self._f, self._solver, None, self._model)
        except BaseException as error:        # handed to the thread that reads the result
            self._outcome["error"] = error

    def result(self) -> Solution:
        while self._thread.is_alive():          # a join with a timeout lets signals through
            self._thread.join(0.1)
        if "error" in self._outcome:
            raise self._outcome["error"]
        return self._outcome["solution"]

    def stop(self) -> Solution:
        self._solver.stop_search()
        return self.result()


def clock_stopped(*searches: Solution) -> bool:
    """The clock stopped one of these searches: a result made of them may follow the clock, and
    says the time limit ended it."""
    return any(search.ended_by == "time limit" for search in searches)


def best_of(mine: Solution, beside: Solution) -> Solution:
    """The one-worker search's result with the other workers' schedule where it is better (or
    where it has none), the tighter of the two bounds, and the work of both."""
    if beside.status == "infeasible":
        return dataclasses.replace(beside, work=mine.work + beside.work)
    best = beside if beside.has_schedule and (not mine.has_schedule or round(
        beside.objective) > round(mine.objective)) else mine
    if not best.has_schedule:
        return dataclasses.replace(mine, work=mine.work + beside.work)
    bound = min(b for b in (mine.bound, beside.bound) if b is not None)
    gap = abs(bound - best.objective) / max(1.0, abs(best.objective))
    proven = gap < 1e-9
    return dataclasses.replace(
        best, bound=bound, gap=gap, status="optimal" if proven else "feasible",
        ended_by="proof" if proven else "time limit" if clock_stopped(mine, beside) else
        mine.ended_by, work=mine.work + beside.work,
        seconds=max(mine.seconds, beside.seconds))


def after(first: Solution, solution: Solution) -> Solution:
    """`solution` counted from before `first`, a search that ran before it: its work, seconds
    and the times of its schedules."""
    first_seconds = first.first_seconds if first.has_schedule else None
    if first_seconds is None and solution.first_seconds is not None:
        first_seconds = first.seconds + solution.first_seconds
    return dataclasses.replace(
        solution, work=first.work + solution.work, seconds=first.seconds + solution.seconds,
        first_seconds=first_seconds,
        improvements=[(first.seconds + seconds, first.work + work, objective, bound)
                      for seconds, work, objective, bound in solution.improvements])


def at_least_as_good(solution: Solution, guess: Solution) -> bool:
    """The search found a schedule at least as good as the first guess (the objective is
    maximised): a proven optimum is; otherwise the objectives, integer sums that CP-SAT reports
    as doubles (799.9999999999999 for 800), are compared rounded."""
    return solution.status == "optimal" or (
        solution.has_schedule and round(solution.objective) >= round(guess.objective))


def hint_everything(f: Formulation, guess: Solution) -> None:
    """Hint every variable of the model with its value in `guess` (the greedy hint completed by
    the model): the formulations hint the slots, starts and rooms, not the goals' auxiliary
    variables (overlaps, theme clashes, a block's order), and CP-SAT's single-worker search
    does not complete a partial hint: it wanders off it (issue 19: 16 of 24 DCs placed by the
    search from a guess that places 23)."""
    values = guess.solver.response_proto.solution
    f.cp.clear_hints()
    hint = f.cp.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


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


def first_guess(f: Formulation, settings: SolverSettings) -> Solution | None:
    """The greedy hint with its values fixed, if the model accepts it: propagation only, on one
    worker (an interleaved search can abort on a model it proves infeasible while loading)."""
    if not f.cp.proto.solution_hint.vars:
        return None
    fixed = parameters(settings.model_copy(update={
        "time_limit": FIRST_GUESS_SECONDS, "work_limit": None, "workers": 1}))
    fixed.parameters.fix_variables_to_their_hinted_value = True
    try:
        guess = search(f, fixed, None)
    except Interrupted:
        # Stopped before the search: nothing found by the search to keep.
        raise Interrupted(Solution("unknown", None, None, None, 0.0, ended_by="interrupt"))
    if not guess.has_schedule:
        return None
    return dataclasses.replace(guess, status="feasible", bound=None, gap=None, first_guess=True)


def first_schedule(f: Formulation, settings: SolverSettings) -> Solution:
    """One worker's search without the LP until its first schedule (or its proof that there is
    none), within half the search's limits (it stops at its first schedule, which took 0.5-0.8
    units on the generated DC Days; the full search took longer to its first)."""
    probe = parameters(settings.model_copy(update={
        "workers": 1, "time_limit": settings.time_limit / 2, "linearization_level": 0,
        "work_limit": settings.work_limit and settings.work_limit / 2}))
    probe.parameters.stop_after_first_solution = True
    return search(f, probe, None)


class Interrupted(Exception):
    """Ctrl-C or SIGTERM stopped a search; `solution` is what it had found (maybe nothing)."""

    def __init__(self, solution: Solution):
        super().__init__("interrupted")
        self.solution = solution


def search(f: Formulation, solver: cp_model.CpSolver,
           progress: Callable[[str], None] | None,
           model: cp_model.CpModel | None = None) -> Solution:
    """One CP-SAT run of the built model (or `model`, a copy of it) with `solver`'s
    parameters. Raises `Interrupted` when Ctrl-C or SIGTERM stops it."""
    started = time.perf_counter()
    watch = _Progress(f, progress)
    status, signals = solve_stoppably(solver, f.cp if model is None else model, watch)
    seconds = time.perf_counter() - started
    watch.finish(solver.best_objective_bound)
    name = STATUS.get(status, "unknown")
    ended_by = ending(status, solver, bool(signals))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solution = Solution(name, None, None, None, seconds, ended_by=ended_by,
                            work=solver.deterministic_time)
    else:
        objective, bound = solver.objective_value, solver.best_objective_bound
        solution = Solution(
            status=name, objective=objective, bound=bound,
            gap=abs(bound - objective) / max(1.0, abs(objective)),
            seconds=seconds, first_seconds=watch.first_seconds,
            chosen=f.read_chosen(solver),
            terms={t.name: int(solver.value(t.expr)) for t in f.terms},
            term_better={t.name: "higher" if t.sign > 0 else "lower" for t in f.terms},
            solver=solver, ended_by=ended_by, work=solver.deterministic_time,
            improvements=watch.improvements,
        )
    if ended_by == "interrupt":
        raise Interrupted(solution)
    return solution


def ending(status, solver: cp_model.CpSolver, interrupted: bool) -> str:
    """What ended the search (one of ENDINGS), from what CP-SAT reports."""
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        return "proof"
    if interrupted:
        return "interrupt"
    params = solver.parameters
    if solver.deterministic_time >= params.max_deterministic_time * (1 - 1e-6):
        return "work limit"
    if solver.wall_time >= params.max_time_in_seconds * 0.99:
        return "time limit"
    return ""


def solve_stoppably(solver: cp_model.CpSolver, model: cp_model.CpModel,
                    watch: cp_model.CpSolverSolutionCallback) -> tuple[int, list[int]]:
    """CP-SAT's status, and the signals that stopped the search: Ctrl-C (SIGINT) and SIGTERM
    stop it, and CP-SAT keeps the best schedule found. Off the main thread (a thread cannot
    take signals) the search simply runs. On it, the search runs in a thread of its own, so
    that the main thread is free to take a signal at once (CP-SAT releases the interpreter
    while it works)."""
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model, watch), []
    received: list[int] = []

    def stop(signum, frame) -> None:
        received.append(signum)
        solver.stop_search()

    outcome: dict = {}

    def run() -> None:
        try:
            outcome["status"] = solver.solve(model, watch)
        except BaseException as error:        # handed to the main thread, raised there
            outcome["error"] = error

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker = threading.Thread(target=run, name="cp-sat search")
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"], received


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
