"""Soft goals: one named, weighted term each, reported separately after solving.

Each function is named after its weight in the scenario's [weights] table; `plan.build` calls
only the goals whose weight is not 0, so a switched-off term costs nothing to build.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from itertools import combinations
from zoneinfo import ZoneInfo

from .items import Item, Slot
from .variables import PlacementModel


def placed(pm: PlacementModel) -> None:
    """Reward each placed item and each grant (a request served inside an item) by its value
    (higher for higher-priority requests)."""
    pm.add_term("placed", pm.scenario.weights.placed,
                sum(item.value * pm.placed[i] for i, item in pm.items.items())
                + sum(grant.value * grant.literal for grant in pm.grants), +1,
                "priority-weighted items placed")


def fairness(pm: PlacementModel) -> None:
    """Reward the smallest share (percent) of requests placed in any DC category (items and
    grants alike)."""
    by_category: dict[str, list] = {}
    for item_id, item in pm.items.items():
        if item.category and item.kind != "plenary":
            by_category.setdefault(item.category, []).append(pm.placed[item_id])
    for grant in pm.grants:
        by_category.setdefault(grant.category, []).append(grant.literal)
    if len(by_category) < 2:
        return
    share = pm.cp.new_int_var(0, 100, "fairness[min share]")
    for members in by_category.values():
        pm.cp.add(100 * sum(members) >= share * len(members))
    pm.add_term("fairness", pm.scenario.weights.fairness, share, +1,
                "lowest percent of a category's requests placed")


def _dc_pairs(pm: PlacementModel):
    ids = [i for i, item in pm.items.items() if item.kind != "plenary"]
    return combinations(ids, 2)


def theme_clash(pm: PlacementModel) -> None:
    """Penalise each pair of sessions on a shared theme that run at the same time.

    Pairs of a DC item with a programme session are counted per slot; pairs of DC items use
    overlap booleans.
    """
    with_programme = sum(
        var * pm.ctx.programme.theme_clashes(pm.items[i].themes, slot.day, *pm.window(i, slot))
        for i, slots in pm.slots.items() for slot, var in slots)
    among_dcs = [pm.overlap(a, b) for a, b in _dc_pairs(pm)
                 if pm.items[a].themes & pm.items[b].themes]
    pm.add_term("theme_clash", pm.scenario.weights.theme_clash,
                with_programme + sum(v for v in among_dcs if v is not None), -1,
                "same-theme session pairs in parallel")


def parallel_sessions(pm: PlacementModel) -> None:
    """Penalise every other session (programme or DC) running during a DC item."""
    with_programme = sum(
        var * len(pm.ctx.programme.parallel(slot.day, *pm.window(i, slot)))
        for i, slots in pm.slots.items() for slot, var in slots)
    among_dcs = [pm.overlap(a, b) for a, b in _dc_pairs(pm)]
    pm.add_term("parallel_sessions", pm.scenario.weights.parallel_sessions,
                with_programme + sum(v for v in among_dcs if v is not None), -1,
                "sessions in parallel with DC items")


def preferred_day(pm: PlacementModel) -> None:
    """Penalise an item placed on a day its organisers did not prefer."""
    off_days = [var for i, slots in pm.slots.items() for slot, var in slots
                if pm.items[i].preferred_days and slot.day not in pm.items[i].preferred_days]
    pm.add_term("preferred_day", pm.scenario.weights.preferred_day, sum(off_days), -1,
                "items off their preferred days")


def online_hours(pm: PlacementModel) -> None:
    """Penalise each online speaker asked to speak outside reasonable local hours."""
    penalty = sum(var * out_of_hours_speakers(pm, pm.items[i], slot)
                  for i, slots in pm.slots.items() for slot, var in slots)
    pm.add_term("online_hours", pm.scenario.weights.online_hours, penalty, -1,
                "online speakers outside local hours")


def out_of_hours_speakers(pm: PlacementModel, item: Item, slot: Slot) -> int:
    dataset = pm.ctx.dataset
    date = dataset.day_by_label[slot.day].date
    start, end = pm.window(item.item_id, slot)
    online = sorted(p for p in item.people
                    if not dataset.person_by_id[p].onsite and dataset.person_by_id[p].timezone)
    return sum(not inside_local_hours(dataset.event.timezone, dataset.person_by_id[p].timezone,
                                      date, start, end, pm.scenario.online.earliest,
                                      pm.scenario.online.latest)
               for p in online)


@lru_cache(maxsize=None)
def inside_local_hours(event_tz: str, person_tz: str, date: dt.date, start: int, end: int,
                       earliest: int, latest: int) -> bool:
    """True when [start, end) at the event falls within [earliest, latest] in person_tz."""
    midnight = dt.datetime.combine(date, dt.time(), tzinfo=ZoneInfo(event_tz))
    local_start = (midnight + dt.timedelta(minutes=start)).astimezone(ZoneInfo(person_tz))
    local_end = (midnight + dt.timedelta(minutes=end)).astimezone(ZoneInfo(person_tz))
    if local_start.date() != local_end.date() and local_end.time() != dt.time():
        return False
    start_minute = local_start.hour * 60 + local_start.minute
    end_minute = local_end.hour * 60 + local_end.minute or 24 * 60
    return earliest <= start_minute and end_minute <= latest


SOFT_GOALS = (placed, fairness, theme_clash, parallel_sessions, preferred_day, online_hours)
