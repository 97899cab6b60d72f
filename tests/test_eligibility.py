"""Eligibility: each rule passes and fails with a reason; rules left out are not applied;
ineligible DCs are never placed and their requests say which rule (and which DC) failed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from click.testing import CliRunner

from factory import write_dataset, write_scenario
from scheduler.check import Checker
from scheduler.cli import main
from scheduler.eligibility import EligibilityReport
from scheduler.plan import plan

EVERY_RULE = {"open_principles": True, "annual_report_year": 2023, "session_report": True,
              "min_coordination_meetings": 3, "deadline": dt.date(2024, 5, 5),
              "complete_request": True, "min_stakeholder_groups": 2, "min_genders": 1,
              "min_regions": 1}


def judge(build, tables, dc_id="D1", **rules):
    """(passed, reason) of the single applied rule for `dc_id` (a DC with one request)."""
    dataset, scenario = build(tables, eligibility=rules)
    results = EligibilityReport(dataset, scenario.eligibility).dc_results(dc_id)
    assert [r.rule for r in results] == list(rules)
    return results[0].passed, results[0].reason


def dc(tables, dc_id):
    return next(row for row in tables["coalitions"] if row["dc_id"] == dc_id)


def req(tables, request_id):
    return next(row for row in tables["requests"] if row["request_id"] == request_id)


def speaker(tables, person_id):
    return next(row for row in tables["people"] if row["person_id"] == person_id)


# --- each rule, pass and fail ----------------------------------------------------------------

@pytest.mark.parametrize(("flag", "words"), [("open_membership", "not open: membership"),
                                             ("open_mailing_list", "not open: mailing list"),
                                             ("open_archives", "not open: archives")])
def test_open_principles_fail_names_what_is_closed(build, tables, flag, words):
    dc(tables, "D1")[flag] = "no"
    assert judge(build, tables, open_principles=True) == (False, words)


def test_open_principles_pass_when_all_three_are_open(build, tables):
    passed, _ = judge(build, tables, open_principles=True)
    assert passed


def test_open_principles_not_required_when_false(build, tables):
    dc(tables, "D1")["open_archives"] = "no"
    passed, _ = judge(build, tables, open_principles=False)
    assert passed


@pytest.mark.parametrize(("report", "kind", "founded", "passed", "words"), [
    ("2023", "", "2015", True, "annual report 2023"),
    ("2024", "full", "2015", True, "annual report 2024"),
    ("2022", "", "2015", False, "last annual report 2022, needs 2023"),
    ("", "", "2015", False, "no annual report (needs 2023)"),
    ("2023", "light", "2015", False, "annual report 2023 is a light report: only a DC founded "
                                     "in 2023 or later may give one (founded 2015)"),
    ("2023", "light", "", False, "annual report 2023 is a light report: only a DC founded in "
                                 "2023 or later may give one (founding year unknown)"),
    ("2023", "light", "2023", True, "new DC (founded 2023): light report 2023"),
    ("2023", "", "2023", True, "new DC (founded 2023): full report 2023"),
    ("", "", "2023", False, "new DC (founded 2023): no light report for 2023 or later"),
    ("2024", "light", "2024", True, "new DC (founded 2024): light report 2024"),
    ("", "", "2024", False, "new DC (founded 2024): no light report for 2024 or later"),
    ("2023", "light", "2024", False, "new DC (founded 2024): no light report for 2024 or later"),
], ids=["same-year", "later-year", "older-report", "no-report", "light-from-an-old-dc",
        "light-founding-unknown", "founded-that-year-light", "founded-that-year-full",
        "founded-that-year-owes-it", "founded-after-light", "founded-after-owes-it-too",
        "a-report-before-it-existed"])
def test_annual_report_year(build, tables, report, kind, founded, passed, words):
    """A full report for the report year; a new DC (founded in it or later) a light one for its
    founding year or later: no DC passes with no report at all (SPEC §4)."""
    dc(tables, "D1").update(last_annual_report=report, annual_report_kind=kind, founded=founded)
    assert judge(build, tables, annual_report_year=2023) == (passed, words)


def test_the_light_report_and_its_reason_show_in_the_eligibility_table(build, tables):
    dc(tables, "D1").update(last_annual_report="2023", annual_report_kind="Light",
                            founded="2023")
    dc(tables, "D2").update(last_annual_report="", founded="2024")
    dataset, scenario = build(tables, eligibility={"annual_report_year": 2023})
    frame = EligibilityReport(dataset, scenario.eligibility).to_frame().set_index("dc_id")
    assert frame.at["D1", "annual_report_year"] == "pass"
    assert frame.at["D2", "eligible"] == "no"
    assert frame.at["D2", "reason"] == ("annual_report_year: new DC (founded 2024): no light "
                                        "report for 2024 or later")


def test_a_report_kind_other_than_full_or_light_is_bad_input(build, tables, tmp_path):
    dc(tables, "D1")["annual_report_kind"] = "short"
    path = write_dataset(tmp_path / "bad", tables)
    result = CliRunner().invoke(main, ["eligibility", str(write_scenario(tmp_path / "s.toml",
                                                                          path))])
    assert result.exit_code == 2
    assert "coalitions.csv" in result.output and "annual_report_kind" in result.output


@pytest.mark.parametrize(("value", "passed", "words"), [
    ("yes", True, "delivered"), ("n/a", True, "no previous session"),
    ("no", False, "report of its last IGF session missing")])
def test_session_report(build, tables, value, passed, words):
    dc(tables, "D1")["session_report"] = value
    assert judge(build, tables, session_report=True) == (passed, words)


@pytest.mark.parametrize(("attended", "passed", "words"), [
    ("3", True, "attended 3 meetings"), ("5", True, "attended 5 meetings"),
    ("2", False, "attended 2 of the required 3 meetings"),
    ("0", False, "attended 0 of the required 3 meetings")])
def test_min_coordination_meetings(build, tables, attended, passed, words):
    dc(tables, "D1")["coordination_meetings"] = attended
    assert judge(build, tables, min_coordination_meetings=3) == (passed, words)


@pytest.mark.parametrize(("submitted", "passed", "words"), [
    ("2024-05-05", True, "submitted 2024-05-05"),
    ("2024-05-06", False, "R1 submitted 2024-05-06, after the deadline 2024-05-05"),
    ("", False, "R1: no submission date")], ids=["on-the-day", "a-day-late", "undated"])
def test_deadline(build, tables, submitted, passed, words):
    req(tables, "R1")["submitted"] = submitted
    assert judge(build, tables, deadline=dt.date(2024, 5, 5)) == (passed, words)


@pytest.mark.parametrize(("blank", "words"), [
    (("title",), "R1 lacks title"), (("format",), "R1 lacks format"),
    (("themes",), "R1 lacks themes"), (("speakers",), "R1 lacks speakers"),
    (("format", "speakers"), "R1 lacks format, speakers")])
def test_complete_request_fails_naming_what_is_missing(build, tables, blank, words):
    req(tables, "R1").update({column: "" for column in blank})
    assert judge(build, tables, complete_request=True) == (False, words)


def test_complete_request_passes(build, tables):
    assert judge(build, tables, complete_request=True) == (True, "complete")


def test_min_stakeholder_groups(build, tables):
    # R1's speakers P1 (civil society) and P2 (government): two groups.
    assert judge(build, tables, min_stakeholder_groups=2)[0]
    passed, reason = judge(build, tables, min_stakeholder_groups=3)
    assert not passed
    assert reason == ("R1: only 2 stakeholder groups among speakers (civil_society, government),"
                      " needs 3")
    speaker(tables, "P2")["stakeholder_group"] = "civil_society"
    assert judge(build, tables, min_stakeholder_groups=2) == (
        False, "R1: only 1 stakeholder groups among speakers (civil_society), needs 2")


def test_min_genders(build, tables):
    assert judge(build, tables, min_genders=2) == (
        False, "R1: only 1 genders among speakers (female), needs 2")
    speaker(tables, "P2")["gender"] = "male"
    assert judge(build, tables, min_genders=2)[0]


def test_min_regions(build, tables):
    assert not judge(build, tables, min_regions=2)[0]
    speaker(tables, "P2")["region"] = "Africa"
    assert judge(build, tables, min_regions=2) == (
        True, "2 regions among speakers (Africa, Asia-Pacific)")


def test_blank_attributes_do_not_count_as_diversity(build, tables):
    speaker(tables, "P1")["gender"] = ""
    speaker(tables, "P2")["gender"] = ""
    assert judge(build, tables, min_genders=1) == (
        False, "R1: only 0 genders among speakers (none), needs 1")


# --- which rules apply -----------------------------------------------------------------------

def failing_everything(tables):
    """D1 fails every coalition rule and its request R1 fails every request rule."""
    dc(tables, "D1").update(open_membership="no", last_annual_report="2019",
                            session_report="no", coordination_meetings="0")
    req(tables, "R1").update(submitted="2024-12-01", format="", speakers="P1")
    speaker(tables, "P1").update(gender="", region="")
    return tables


def test_no_rule_in_the_scenario_means_every_dc_is_eligible(build, tables):
    dataset, scenario = build(failing_everything(tables))
    report = EligibilityReport(dataset, scenario.eligibility)
    assert report.eligible_dcs == ("D1", "D2", "D3", "D4")
    assert list(report.to_frame().columns) == ["dc_id", "category", "eligible", "reason"]
    assert "R1" in {row.item_id for row in plan(dataset, scenario).rows}


@pytest.mark.parametrize("rule", sorted(EVERY_RULE))
def test_only_the_rules_in_the_scenario_are_applied(build, tables, rule):
    dataset, scenario = build(failing_everything(tables), eligibility={rule: EVERY_RULE[rule]})
    report = EligibilityReport(dataset, scenario.eligibility)
    assert [r.rule for r in report.dc_results("D1")] == [rule]
    assert not report.is_eligible("D1")
    assert report.eligible_dcs == ("D2", "D3", "D4")


def test_every_rule_passes_for_a_compliant_dc(build, tables):
    for person_id, gender in (("P2", "male"), ("P4", "male"), ("P6", "male"), ("P7", "male")):
        speaker(tables, person_id)["gender"] = gender
    dataset, scenario = build(tables, eligibility=EVERY_RULE)
    report = EligibilityReport(dataset, scenario.eligibility)
    assert report.eligible_dcs == ("D1", "D2", "D3", "D4")
    assert all(r.passed for d in report.eligible_dcs for r in report.dc_results(d))


def test_dc_without_request_is_not_eligible(build, tables):
    tables["requests"] = [r for r in tables["requests"] if r["request_id"] != "R4"]
    dataset, scenario = build(tables)
    report = EligibilityReport(dataset, scenario.eligibility)
    assert "D4" not in report.eligible_dcs
    assert report.to_frame().set_index("dc_id").loc["D4", "reason"] == "no session request"


# --- ineligible DCs are never placed ---------------------------------------------------------

@pytest.mark.parametrize(("rule", "setting", "damage", "words"), [
    ("open_principles", True, ("coalition", "open_mailing_list", "no"),
     "ineligible: D3 fails open_principles: not open: mailing list"),
    ("annual_report_year", 2023, ("coalition", "last_annual_report", "2020"),
     "ineligible: D3 fails annual_report_year: last annual report 2020, needs 2023"),
    ("session_report", True, ("coalition", "session_report", "no"),
     "ineligible: D3 fails session_report"),
    ("min_coordination_meetings", 3, ("coalition", "coordination_meetings", "1"),
     "ineligible: D3 fails min_coordination_meetings: attended 1 of the required 3"),
    ("deadline", dt.date(2024, 5, 5), ("request", "submitted", "2024-06-30"),
     "ineligible: deadline: R3 submitted 2024-06-30, after the deadline 2024-05-05"),
    ("complete_request", True, ("request", "themes", ""),
     "ineligible: complete_request: R3 lacks themes"),
    ("min_stakeholder_groups", 2, ("request", "speakers", "P5"),
     "ineligible: min_stakeholder_groups: R3: only 1 stakeholder groups"),
], ids=lambda v: v if isinstance(v, str) and " " not in v else None)
def test_ineligible_dc_is_never_placed_and_says_which_rule(build, tables, rule, setting, damage,
                                                           words):
    table, column, value = damage
    (dc(tables, "D3") if table == "coalition" else req(tables, "R3"))[column] = value
    dataset, scenario = build(tables, eligibility={rule: setting})
    result = plan(dataset, scenario)
    assert result.solution.status == "optimal"
    assert "R3" not in {row.item_id for row in result.rows}
    assert {row.item_id for row in result.rows} == {"R1", "R2", "R4"}   # room for R3 was there
    reasons = {u.request_id: u.reason for u in result.unscheduled}
    assert reasons["R3"].startswith(words)
    assert Checker(dataset, scenario, result.rows).violations() == []


def test_joint_request_with_an_ineligible_co_organiser_is_not_placed(build, tables):
    req(tables, "R1")["dc_ids"] = "D1;D3"
    dc(tables, "D3")["coordination_meetings"] = "0"
    dataset, scenario = build(tables, eligibility={"min_coordination_meetings": 2})
    result = plan(dataset, scenario)
    placed = {row.item_id for row in result.rows}
    assert "R1" not in placed and "R3" not in placed
    reasons = {u.request_id: u.reason for u in result.unscheduled}
    assert reasons["R1"] == ("ineligible: D3 fails min_coordination_meetings: attended 0 of the "
                             "required 2 meetings")


def test_late_joint_request_does_not_disqualify_the_co_organisers_own_request(build, tables):
    """D2 co-organises the late R1 and leads its own, timely R2: R2 is placed and the
    eligibility table agrees that D2 is eligible (no placed DC is reported ineligible)."""
    req(tables, "R1").update(dc_ids="D1;D2", submitted="2024-06-01")
    dataset, scenario = build(tables, eligibility={"deadline": dt.date(2024, 5, 5)})
    result = plan(dataset, scenario)
    assert {row.item_id for row in result.rows} == {"R2", "R3", "R4"}
    placed_dcs = {d for row in result.rows for d in row.dc_ids}
    assert placed_dcs <= set(result.report.eligible_dcs)
    assert result.report.eligible_dcs == ("D2", "D3", "D4")
    assert result.metrics["placed_dcs"] <= result.metrics["eligible_dcs"]
    frame = result.report.to_frame().set_index("dc_id")
    assert frame.loc["D1", "eligible"] == "no"
    assert "R1 submitted 2024-06-01" in frame.loc["D1", "reason"]
    assert frame.loc["D2", "eligible"] == "yes"


# --- the eligibility command -----------------------------------------------------------------

def test_eligibility_command_prints_csv(tmp_path, tables):
    dc(tables, "D2")["open_archives"] = "no"
    req(tables, "R3")["submitted"] = "2024-07-01"
    folder = write_dataset(tmp_path / "data", tables)
    scenario = write_scenario(tmp_path / "s.toml", folder, eligibility={
        "open_principles": True, "deadline": dt.date(2024, 5, 5)})
    result = CliRunner().invoke(main, ["eligibility", str(scenario), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["dc_id", "category", "eligible", "open_principles", "deadline",
                             "reason"]
    assert [(r["dc_id"], r["eligible"], r["open_principles"], r["deadline"]) for r in rows] == [
        ("D1", "yes", "pass", "pass"), ("D2", "no", "FAIL", "pass"),
        ("D3", "no", "pass", "FAIL"), ("D4", "yes", "pass", "pass")]
    by_dc = {r["dc_id"]: r["reason"] for r in rows}
    assert by_dc["D2"] == "open_principles: not open: archives"
    assert by_dc["D3"] == "deadline: R3 submitted 2024-07-01, after the deadline 2024-05-05"
    assert by_dc["D1"] == ""


def test_eligibility_command_prints_a_table(tmp_path, tables):
    dc(tables, "D2")["open_archives"] = "no"
    folder = write_dataset(tmp_path / "data", tables)
    scenario = write_scenario(tmp_path / "s.toml", folder, eligibility={"open_principles": True})
    result = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["eligibility", str(scenario)])
    assert result.exit_code == 0, result.output
    assert "not open: archives" in result.stdout
    assert "3 of 4 DCs eligible" in result.stdout
