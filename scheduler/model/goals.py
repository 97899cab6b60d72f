"""Soft goals shared by every mode: one named, weighted term each, written once against the
formulation interface, reported separately after solving.

Each function is named after its weight in the scenario's [weights] table and its entry in
`catalogue.SOFT_GOALS`; `plan.build` calls only the goals whose weight is not 0. A request
presenting inside a block is a `Grant`: goals count it as they count an item. Goals of one mode
only live with the mode (`block/goals.py`, `dc_day.py`).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

from ..timegrid import inside_local_hours, overlap
from .formulation import Formulation
from .items import Slot
from .moving_programme import is_displaced


def placed(f: Formulation) -> None:
    """Reward each placed item and each grant by its value (higher for higher priority) for
    each of its DCs: a joint request of two DCs places two DCs."""
    f.add_term("placed", sum(item.value * len(item.dc_ids) * f.placed[i]
                             for i, item in f.items.items())
               + sum(g.request.value * len(g.request.dc_ids) * g.literal for g in f.grants))


def fairness(f: Formulation) -> None:
    """Reward the smallest share (percent) of requests placed in any DC category. A request
    that may present in several blocks is one request (it presents in one at most)."""
    by_category: dict[str, dict[str, list]] = {}
    for item_id, item in f.items.items():
        if item.category:
            by_category.setdefault(item.category, {})[item_id] = [f.placed[item_id]]
    for grant in f.grants:
        by_category.setdefault(grant.request.category, {}).setdefault(
            grant.request.item_id, []).append(grant.literal)
    if len(by_category) < 2:
        return
    share = f.cp.new_int_var(0, 100, "fairness[min share]")
    for requests in by_category.values():
        placed = sum(literal for literals in requests.values() for literal in literals)
        f.cp.add(100 * placed >= share * len(requests))
    f.add_term("fairness", share)


def _dc_pairs(f: Formulation):
    """Pairs of items other than plenaries with at least one DC item: a moved programme session
    counts beside a DC item, as a fixed one does, and two programme sessions are no goal's."""
    ids = [i for i, item in f.items.items() if item.kind != "plenary"]
    dc_positions = [n for n, i in enumerate(ids) if f.items[i].kind != "programme"]
    pairs = []
    # In the order of combinations(ids, 2), without going through the millions of pairs of
    # two programme sessions a whole programme at 10x has.
    for n, a in enumerate(ids):
        later = ids[n + 1:] if f.items[a].kind != "programme" else \
            [ids[m] for m in dc_positions[bisect_right(dc_positions, n):]]
        pairs += [(a, b) for b in later]
    return pairs


def _dc_items(f: Formulation):
    """The DC items (not the programme sessions the scenario lets move)."""
    return [(i, item) for i, item in f.items.items() if item.kind != "programme"]


def host_shows(f: Formulation, host_id: str, at_that_time: list, themes, name: str):
    """A boolean forced to 1 when the host (a block) runs at one of `at_that_time` and one of
    its presenters has one of `themes` (None when it cannot)."""
    shown = [var for theme, var in sorted(f.variable_themes[host_id].items()) if theme in themes]
    if not at_that_time or not shown:
        return None
    both = f.cp.new_bool_var(name)
    for theme_shown in shown:
        f.cp.add(both >= sum(at_that_time) + theme_shown - 1)
    return both


def theme_clash(f: Formulation) -> None:
    """Penalise each pair of sessions on a shared theme that run at the same time: a DC item
    and a programme session, or two DC items. A block counts once per session beside it that
    shares a theme with any of its presenters."""
    programme = f.ctx.programme
    clashes = []
    for i, item in _dc_items(f):
        if i in f.variable_themes:
            continue
        clashes.append(f.cost_at_start("theme_clash", i, lambda day, start, item=item: (
            programme.theme_clashes(item.themes, day, start, start + item.duration))))
    clashes += [f.overlap(a, b) for a, b in _dc_pairs(f)
                if f.items[a].themes & f.items[b].themes]
    for theme in sorted({t for _, item in _dc_items(f) for t in item.themes}):
        f.overlaps_follow_load([i for i, item in _dc_items(f) if theme in item.themes
                                and item.kind != "plenary" and i not in f.variable_themes],
                               f"theme_clash[{theme}]")
    for host in sorted(f.variable_themes):
        duration = f.items[host].duration
        for session in f.ctx.dataset.programme:
            during = [lit for slot, lit in f.slot_literals(host) if slot.day == session.day
                      and overlap(slot.start, slot.start + duration, session.start, session.end)]
            clashes.append(host_shows(f, host, during, session.themes,
                                      f"theme_clash[{host},{session.session_id}]"))
        for other_id, other in f.items.items():
            if other_id != host and other_id not in f.variable_themes and other.themes:
                both = f.overlap(host, other_id)
                clashes.append(host_shows(f, host, [both] if both is not None else [],
                                          other.themes, f"theme_clash[{host},{other_id}]"))
    f.add_term("theme_clash", sum(c for c in clashes if c is not None))


def parallel_sessions(f: Formulation) -> None:
    """Penalise every other session running during a DC item, counted from each DC item:
    a programme session once, another DC item once from each side (so the term is the sum, over
    DC items, of the sessions in parallel with each: what `avg_parallel_sessions` averages)."""
    programme = f.ctx.programme
    with_programme = [f.cost_at_start("parallel_sessions", i, lambda day, start, item=item: len(
        programme.parallel(day, start, start + item.duration))) for i, item in _dc_items(f)]
    among_items = [(f.overlap(a, b), 1 if "programme" in (f.items[a].kind, f.items[b].kind)
                    else 2) for a, b in _dc_pairs(f)]
    f.overlaps_follow_load([i for i, item in _dc_items(f) if item.kind != "plenary"],
                           "parallel_sessions")
    f.add_term("parallel_sessions",
               sum(with_programme) + sum(times * v for v, times in among_items if v is not None))


def preferred_day(f: Formulation) -> None:
    """Penalise each request placed (or presenting) on a day its organisers did not prefer."""
    def off(preferred):
        return lambda day, start: int(day not in preferred)

    off_days = [f.cost_at_start("preferred_day", i, off(item.preferred_days))
                for i, item in f.items.items() if item.preferred_days]
    off_days += [f.cost_when("preferred_day", g.host_id, g.literal, off(g.request.preferred_days))
                 for g in f.grants if g.request.preferred_days]
    f.add_term("preferred_day", sum(off_days))


def online_hours(f: Formulation) -> None:
    """Penalise each online speaker asked to speak outside reasonable local hours (a presenter
    in a block: during its own segment, or the whole block with presence "whole_block"). The
    people of a session a DC Day displaces count too: it goes where they can attend."""
    def out_of_hours(people, duration):
        return lambda day, start: out_of_hours_speakers(f, people, day, start, start + duration)

    penalty = [f.cost_at_start("online_hours", i, out_of_hours(item.people, item.duration))
               for i, item in f.items.items() if item.kind != "programme" or is_displaced(item)]
    penalty += [f.cost_when("online_hours", g.host_id, g.literal,
                            out_of_hours(g.request.people, f.items[g.host_id].duration))
                for g in f.grants if g.stays]
    penalty += [out_of_hours_in_own_time(f, g) for g in f.grants if not g.stays]
    f.add_term("online_hours", sum(penalty))


def local_hours_on_timeline(f: Formulation, timezone: str, day: str) -> list[tuple[int, int]]:
    """The event-time stretches of `day` in which a window lies inside [online] earliest..latest
    local hours in `timezone` (its offset from the event's time zone at midday), on the
    timeline; a window inside local hours lies wholly inside one of them."""
    event = f.ctx.dataset.event
    date = f.ctx.dataset.day_by_label[day].date
    noon = dt.datetime.combine(date, dt.time(12), tzinfo=ZoneInfo(event.timezone))
    offset = int((noon.astimezone(ZoneInfo(timezone)).utcoffset()
                  - noon.utcoffset()).total_seconds() // 60)
    online, whole_day = f.scenario.online, 24 * 60
    stretches = []
    for shift in (-whole_day, 0, whole_day):
        start, end = max(0, online.earliest - offset + shift), min(whole_day,
                                                                  online.latest - offset + shift)
        if start < end:
            stretches.append((f.timeline(day, start), f.timeline(day, end)))
    return stretches


def out_of_hours_in_own_time(f: Formulation, grant) -> cp_model.LinearExprT:
    """The online speakers of a grant judged by its own time (a segment): per speaker a penalty
    literal that must be 1 unless a copy of the grant's interval, present when the grant holds
    and the literal is 0, avoids every stretch of the host's days outside their local hours."""
    dataset = f.ctx.dataset
    days = sorted({slot.day for slot, _ in f.slot_literals(grant.host_id)},
                  key=dataset.day_index.get)
    penalties = []
    for person in (dataset.person_by_id[p] for p in sorted(grant.request.people)):
        if person.onsite or not person.timezone:
            continue
        name = f"{grant.request.item_id}@{grant.host_id},{person.person_id}"
        out, inside = f.cp.new_bool_var(f"out_of_hours[{name}]"), f.cp.new_bool_var(f"in[{name}]")
        f.cp.add(inside >= grant.literal - out)
        copy = f.cp.new_optional_interval_var(grant.own_time.start_expr(),
                                              grant.own_time.size_expr(),
                                              grant.own_time.end_expr(), inside,
                                              f"local_hours[{name}]")
        outside = []
        for day in days:
            edge = f.timeline(day, 0)
            for start, end in local_hours_on_timeline(f, person.timezone, day):
                if start > edge:
                    outside.append((edge, start))
                edge = end
            if edge < f.timeline(day, 24 * 60):
                outside.append((edge, f.timeline(day, 24 * 60)))
        f.cp.add_no_overlap([copy] + [f.cp.new_fixed_size_interval_var(
            start, end - start, f"outside_hours[{name},{start}]") for start, end in outside])
        penalties.append(out)
    return sum(penalties)


def out_of_hours_speakers(f: Formulation, people, day: str, start: int, end: int) -> int:
    dataset, online = f.ctx.dataset, f.scenario.online
    date = dataset.day_by_label[day].date
    return sum(not inside_local_hours(dataset.event.timezone, person.timezone, date, start, end,
                                      online.earliest, online.latest)
               for person in (dataset.person_by_id[p] for p in sorted(people))
               if not person.onsite and person.timezone)


def moved(f: Formulation) -> None:
    """With a baseline (an earlier schedule), penalise each of its requests that is not where
    it was: a session not in its slot, a segment not in its block at the block's slot, or
    either dropped. Re-solving after a late change then moves as little as it can."""
    if not f.baseline:
        return
    kept_now = []
    grants = {(g.request.item_id, g.host_id): g for g in f.grants}
    for request_id, before in sorted(f.baseline.items()):
        if before.kind == "session" and request_id in f.items:
            kept_now.append(f.at_slot(request_id, Slot(before.day, before.start, before.room)))
        elif before.kind == "segment" and (grant := grants.get((request_id, before.block_id))):
            block = f.baseline[before.block_id]
            in_place = f.at_slot(before.block_id, Slot(block.day, block.start, block.room))
            if in_place is not None:
                kept = f.cp.new_bool_var(f"kept[{request_id}]")
                f.cp.add_implication(kept, grant.literal)
                f.cp.add_implication(kept, in_place)
                kept_now.append(kept)
        elif before.kind not in ("session", "segment"):
            continue                                   # a block or plenary: not a request
        else:
            kept_now.append(None)                      # it cannot stay: counted as moved
    f.add_term("moved", sum(1 - kept if kept is not None else 1 for kept in kept_now))


SOFT_GOALS = (placed, fairness, theme_clash, parallel_sessions, preferred_day, online_hours,
              moved)
