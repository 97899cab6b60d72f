"""Run CP-SAT on a built model and read back the chosen slots and every term's value."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from ortools.sat.python import cp_model

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

    @property
    def has_schedule(self) -> bool:
        return self.status in ("optimal", "feasible")

    def figures(self) -> dict:
        """What the solver says, as plain data for metrics.json."""
        return {"status": self.status, "objective": self.objective, "bound": self.bound,
                "gap": None if self.gap is None else round(self.gap, 6),
                "solve_seconds": round(self.seconds, 3), "terms": dict(self.terms),
                "term_better": dict(self.term_better),
                **({"why_no_schedule": self.why} if self.why else {})}

    def value(self, expr) -> int:
        """The value of any variable or linear expression of the model in this solution."""
        return int(self.solver.value(expr))


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[str], None]):
        super().__init__()
        self._report = report
        self._count = 0

    def on_solution_callback(self) -> None:
        self._count += 1
        self._report(f"  solution {self._count}: objective {self.objective_value:g}, "
                     f"bound {self.best_objective_bound:g}, {self.wall_time:.2f}s")


def parameters(settings: SolverSettings) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = settings.time_limit
    params.random_seed = settings.seed
    params.num_workers = settings.workers
    params.linearization_level = settings.linearization_level
    if settings.workers > 1:
        # Below 8 workers the default portfolio has no worker whose LP sees the at-most-one rows.
        params.extra_subsolvers.extend(settings.extra_subsolvers)
        # Parallel CP-SAT is only reproducible when its workers interleave in fixed batches.
        params.interleave_search = settings.deterministic
    return solver


def solve(f: Formulation, settings: SolverSettings,
          progress: Callable[[str], None] | None = None) -> Solution:
    """Solve either formulation and read back the chosen slots and every term's value."""
    f.warm_start(progress)
    f.set_objective()
    solver = parameters(settings)
    started = time.perf_counter()
    status = solver.solve(f.cp, _Progress(progress) if progress else None)
    seconds = time.perf_counter() - started
    name = STATUS.get(status, "unknown")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solution(name, None, None, None, seconds)
    objective, bound = solver.objective_value, solver.best_objective_bound
    return Solution(
        status=name, objective=objective, bound=bound,
        gap=abs(bound - objective) / max(1.0, abs(objective)),
        seconds=seconds, chosen=f.read_chosen(solver),
        terms={t.name: int(solver.value(t.expr)) for t in f.terms},
        term_better={t.name: "higher" if t.sign > 0 else "lower" for t in f.terms},
        solver=solver,
    )
