"""Words for people (`scheduler/labels.py`): every key a person can meet has its words, and a
reason's keys are put in words without touching the rest of its text."""

from __future__ import annotations

from scheduler import labels
from scheduler.catalogue import SOFT_GOALS
from scheduler.eligibility import COALITION_RULES, REQUEST_RULES


def test_every_eligibility_rule_and_soft_goal_has_words():
    assert set(COALITION_RULES) | set(REQUEST_RULES) <= set(labels.RULES)
    assert {goal.name for goal in SOFT_GOALS} <= set(labels.GOALS)


def test_a_reason_gets_words_for_its_keys_and_keeps_the_rest():
    said = labels.for_people(
        "ineligible: D4 fails min_stakeholder_groups: only 1 stakeholder groups among speakers "
        "(civil_society), needs 2; quota reached: all 20 DC session slots "
        "(capacity.max_dc_sessions); submitted after the deadline; needs step_free")
    assert said == (
        "ineligible: D4 fails 'Speakers from several stakeholder groups': only 1 stakeholder "
        "groups among speakers (civil society), needs 2; quota reached: all 20 DC session slots "
        "(the scenario's quota of DC sessions); submitted after the deadline; needs step-free "
        "access")


def test_a_setting_to_type_is_left_as_it_is_typed():
    assert labels.for_people("would be placed with: --set capacity.max_dc_sessions=5") == \
        "would be placed with: --set capacity.max_dc_sessions=5"


def test_a_key_inside_a_longer_name_is_left_alone():
    assert labels.for_people("R-session_report_2, my.capacity.max_dc_sessions_x") == \
        "R-session_report_2, my.capacity.max_dc_sessions_x"
