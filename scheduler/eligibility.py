"""Eligibility: one function per rule, each giving pass/fail and a reason a DC can read.

Coalition rules judge the DC itself; request rules judge each session request it is part of.
A request is eligible when it passes the request rules and every one of its DCs passes the
coalition rules; an ineligible request is never placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from .domain import Coalition, Dataset, Request
from .scenario import Eligibility


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    reason: str


# --- coalition rules -------------------------------------------------------------------------

def open_principles(dc: Coalition, required: bool, dataset: Dataset) -> RuleResult:
    """Open membership, open mailing list and open archives: the three DC principles."""
    closed = [label for label, is_open in (("membership", dc.open_membership),
                                           ("mailing list", dc.open_mailing_list),
                                           ("archives", dc.open_archives)) if not is_open]
    if required and closed:
        return RuleResult("open_principles", False, f"not open: {', '.join(closed)}")
    return RuleResult("open_principles", True, "membership, mailing list and archives open")


def annual_report(dc: Coalition, year: int, dataset: Dataset) -> RuleResult:
    """A full activity report for `year` or later; a new DC (founded in `year` or later) owes a
    light one (or a full one) for its founding year or later, and passes on nothing less."""
    report, kind = dc.last_annual_report, dc.annual_report_kind
    if dc.founded is not None and dc.founded >= year:
        if report is None or report < dc.founded:
            return RuleResult("annual_report_year", False,
                              f"new DC (founded {dc.founded}): no light report for "
                              f"{dc.founded} or later")
        return RuleResult("annual_report_year", True,
                          f"new DC (founded {dc.founded}): {kind} report {report}")
    if report is None:
        return RuleResult("annual_report_year", False, f"no annual report (needs {year})")
    if report < year:
        return RuleResult("annual_report_year", False,
                          f"last annual report {report}, needs {year}")
    if kind == "light":
        since = f"founded {dc.founded}" if dc.founded is not None else "founding year unknown"
        return RuleResult("annual_report_year", False,
                          f"annual report {report} is a light report: only a DC founded in "
                          f"{year} or later may give one ({since})")
    return RuleResult("annual_report_year", True, f"annual report {report}")


def session_report(dc: Coalition, required: bool, dataset: Dataset) -> RuleResult:
    """The report of the DC's session at the previous IGF, if it held one."""
    if required and dc.session_report == "no":
        return RuleResult("session_report", False, "report of its last IGF session missing")
    return RuleResult("session_report", True,
                      "no previous session" if dc.session_report == "n/a" else "delivered")


def coordination_meetings(dc: Coalition, minimum: int, dataset: Dataset) -> RuleResult:
    """Regular participation in the DCCG coordination meetings."""
    passed = dc.coordination_meetings >= minimum
    return RuleResult("min_coordination_meetings", passed,
                      f"attended {dc.coordination_meetings} of the required {minimum} meetings"
                      if not passed else f"attended {dc.coordination_meetings} meetings")


# --- request rules ---------------------------------------------------------------------------

def deadline(request: Request, last_day, dataset: Dataset) -> RuleResult:
    """Submitted on or before the deadline."""
    if request.submitted is None:
        return RuleResult("deadline", False, f"{request.request_id}: no submission date")
    if request.submitted > last_day:
        return RuleResult("deadline", False, f"{request.request_id} submitted "
                          f"{request.submitted}, after the deadline {last_day}")
    return RuleResult("deadline", True, f"submitted {request.submitted}")


def complete_request(request: Request, required: bool, dataset: Dataset) -> RuleResult:
    """A complete session description: title, format, duration, themes and speakers."""
    missing = [name for name in ("title", "format", "themes", "speakers")
               if not getattr(request, name)]
    if required and missing:
        return RuleResult("complete_request", False,
                          f"{request.request_id} lacks {', '.join(missing)}")
    return RuleResult("complete_request", True, "complete")


def _speaker_diversity(rule: str, attribute: str, label: str):
    def check(request: Request, minimum: int, dataset: Dataset) -> RuleResult:
        values = sorted({getattr(dataset.person_by_id[p], attribute) for p in request.speakers}
                        - {""})
        passed = len(values) >= minimum
        reason = f"{len(values)} {label} among speakers ({', '.join(values) or 'none'})"
        if not passed:
            reason = f"{request.request_id}: only {reason}, needs {minimum}"
        return RuleResult(rule, passed, reason)

    check.__name__ = rule
    check.__doc__ = f"Speakers from at least N different {label}."
    return check


min_stakeholder_groups = _speaker_diversity("min_stakeholder_groups", "stakeholder_group",
                                            "stakeholder groups")
min_genders = _speaker_diversity("min_genders", "gender", "genders")
min_regions = _speaker_diversity("min_regions", "region", "regions")

COALITION_RULES = {
    "open_principles": open_principles,
    "annual_report_year": annual_report,
    "session_report": session_report,
    "min_coordination_meetings": coordination_meetings,
}
REQUEST_RULES = {
    "deadline": deadline,
    "complete_request": complete_request,
    "min_stakeholder_groups": min_stakeholder_groups,
    "min_genders": min_genders,
    "min_regions": min_regions,
}


@dataclass(frozen=True)
class EligibilityReport:
    dataset: Dataset
    rules: Eligibility

    def _applied(self, table: dict) -> list[tuple[str, object]]:
        return [(name, check) for name, check in table.items()
                if getattr(self.rules, name) is not None]

    def _judge(self, table: dict, records, key: str) -> dict[str, list[RuleResult]]:
        """Each record's results under the applied rules of `table`, by its `key`."""
        rules = self._applied(table)
        return {getattr(record, key): [check(record, getattr(self.rules, name), self.dataset)
                                       for name, check in rules]
                for record in records}

    @cached_property
    def coalition_results(self) -> dict[str, list[RuleResult]]:
        return self._judge(COALITION_RULES, self.dataset.coalitions, "dc_id")

    @cached_property
    def request_results(self) -> dict[str, list[RuleResult]]:
        return self._judge(REQUEST_RULES, self.dataset.requests, "request_id")

    def request_failure(self, request: Request) -> str | None:
        """Why this request may not be placed, or None when it may."""
        reasons = [f"ineligible: {r.rule}: {r.reason}"
                   for r in self.request_results[request.request_id] if not r.passed]
        for dc_id in request.dc_ids:
            for result in self.coalition_results[dc_id]:
                if not result.passed:
                    reasons.append(f"ineligible: {dc_id} fails {result.rule}: {result.reason}")
        return "; ".join(reasons) or None

    def requests_of(self, dc_id: str) -> list[Request]:
        return [r for r in self.dataset.requests if dc_id in r.dc_ids]

    def dc_results(self, dc_id: str) -> list[RuleResult]:
        """The coalition rules, then each request rule over the requests the DC is part of.

        A DC with a request that passes every request rule is judged on such requests only: a
        late joint request must not disqualify a co-organiser's own, timely one (which is
        placed). Otherwise each request rule fails if any of its requests fails it.
        """
        results = list(self.coalition_results[dc_id])
        requests = self.requests_of(dc_id)
        passing = [req for req in requests
                   if all(r.passed for r in self.request_results[req.request_id])]
        for name, _ in self._applied(REQUEST_RULES):
            per_request = [r for req in passing or requests
                           for r in self.request_results[req.request_id] if r.rule == name]
            failed = [r for r in per_request if not r.passed]
            if not requests:
                results.append(RuleResult(name, False, "no session request"))
            elif failed:
                results.append(RuleResult(name, False, "; ".join(r.reason for r in failed)))
            else:
                results.append(RuleResult(name, True, per_request[0].reason))
        return results

    def is_eligible(self, dc_id: str) -> bool:
        return bool(self.requests_of(dc_id)) and all(r.passed for r in self.dc_results(dc_id))

    @cached_property
    def eligible_dcs(self) -> tuple[str, ...]:
        return tuple(dc.dc_id for dc in self.dataset.coalitions if self.is_eligible(dc.dc_id))

    def to_frame(self) -> pd.DataFrame:
        """One row per DC: eligible, each applied rule's pass/fail, and the failure reasons."""
        rows = []
        for dc in self.dataset.coalitions:
            results = self.dc_results(dc.dc_id)
            row = {"dc_id": dc.dc_id, "category": dc.category,
                   "eligible": "yes" if self.is_eligible(dc.dc_id) else "no"}
            row.update({r.rule: "pass" if r.passed else "FAIL" for r in results})
            failures = [f"{r.rule}: {r.reason}" for r in results if not r.passed]
            if not self.requests_of(dc.dc_id):
                failures.insert(0, "no session request")
            row["reason"] = "; ".join(dict.fromkeys(failures))
            rows.append(row)
        return pd.DataFrame(rows)
