"""Placements -> the rows of schedule.csv: the one place that makes them.

A session or segment row carries its request's DCs, title, themes and speakers; a block row the
union of its segments'; a plenary row its own title; a moved programme session (kind
`programme`) its title, themes and people.
"""

from __future__ import annotations

from .domain import Dataset, request_themes
from .model.items import Item, Placement
from .schedule import ScheduleRow


def schedule_rows(dataset: Dataset, items: dict[str, Item], placements: list[Placement],
                  pinned: frozenset[str] = frozenset()) -> list[ScheduleRow]:
    """`pinned`: the requests placed by a pin; their rows say so, so that the next re-solve
    against this schedule keeps them too."""
    rows = []
    for p in placements:
        common = dict(item_id=p.item_id, kind=p.kind, day=p.day,
                      date=dataset.day_by_label[p.day].date.isoformat(), start=p.start,
                      end=p.end, room=p.room, block_id=p.block_id, cluster=p.cluster)
        if p.item_id in dataset.request_by_id:
            request = dataset.request_by_id[p.item_id]
            rows.append(ScheduleRow(**common, dc_ids=request.dc_ids, title=request.title,
                                    themes=tuple(sorted(request_themes(request, dataset))),
                                    speakers=tuple(sorted(request.speakers)),
                                    pinned=p.item_id in pinned))
        elif p.kind == "block":
            segments = [s for s in placements if s.block_id == p.item_id]
            requests = [dataset.request_by_id[s.item_id] for s in segments]
            clusters = list(dict.fromkeys(s.cluster for s in segments))
            rows.append(ScheduleRow(
                **common, dc_ids=tuple(dict.fromkeys(dc for r in requests for dc in r.dc_ids)),
                title=f"{items[p.item_id].title}: {len(segments)} segments in "
                      f"{len(clusters)} thematic clusters ({', '.join(clusters)})",
                themes=tuple(sorted({t for r in requests for t in request_themes(r, dataset)})),
                speakers=tuple(sorted({s for r in requests for s in r.speakers}))))
        elif p.kind == "programme":
            item = items[p.item_id]
            rows.append(ScheduleRow(**common, title=item.title, themes=tuple(sorted(item.themes)),
                                    speakers=tuple(sorted(item.people))))
        else:
            rows.append(ScheduleRow(**common, title=items[p.item_id].title))
    return rows


def placements_of(rows) -> list[Placement]:
    """The rows of a schedule (an earlier one, a baseline) as placements."""
    return [Placement(r.item_id, r.kind, r.day, r.start, r.end, r.room, r.block_id, r.cluster)
            for r in rows]
