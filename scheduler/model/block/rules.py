"""Hard rules of the block mode: of one block (`BLOCK_RULES`) and between blocks
(`BETWEEN_BLOCKS`), written against the formulation interface."""

from __future__ import annotations

from ..formulation import Formulation
from ..items import Item
from .variables import BlockVars, presenter_busy

# --- hard rules of one block ------------------------------------------------------------------


def present_only_in_good_slots(f: Formulation, bv: BlockVars) -> None:
    """A request presents only if the block takes a slot without a conflict for it (at most one
    slot is chosen, so `present <= sum of good slots`)."""
    for presenter in bv.presenters:
        rid = presenter.request_id
        good = [var for slot, var in f.slot_literals(bv.block_id)
                if bv.conflicts[rid][slot] is None]
        f.cp.add(bv.present[rid] <= sum(good))


def presenters_free_for_whole_block(f: Formulation, bv: BlockVars) -> None:
    """(presence "whole_block") A request presents only if the block sits in a slot where all
    its speakers are free of the programme and available for the whole block, and whose room
    seats its audience and has the features it needs."""
    if bv.settings.presence == "whole_block":
        present_only_in_good_slots(f, bv)


def merged(windows) -> list[tuple[int, int]]:
    """The union of (start, end, ...) windows sorted by start, as disjoint (start, end) runs (a
    NoOverlap must not hold two windows that overlap each other)."""
    runs: list[tuple[int, int]] = []
    for start, end, *_ in windows:
        if runs and start < runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs


def presenters_free_for_own_segment(f: Formulation, bv: BlockVars) -> None:
    """(presence "segment") A request presents only if the block's room seats and equips it and
    its speakers are free of the programme and available during its own segment: the segment,
    on the timeline, overlaps none of their busy windows on the block's possible days."""
    if bv.settings.presence != "segment":
        return
    present_only_in_good_slots(f, bv)
    days = sorted({slot.day for slot, _ in f.slot_literals(bv.block_id)})
    for presenter in bv.presenters:
        rid = presenter.request_id
        busy = [f.cp.new_fixed_size_interval_var(f.timeline(day, start), end - start,
                                                 f"busy[{rid},{day},{start}]")
                for day in days for start, end in merged(presenter_busy(presenter.item, day,
                                                                        f.ctx))]
        if busy:
            f.cp.add_no_overlap([bv.on_timeline[rid], *busy])


def block_held_only_for_presenters(f: Formulation, bv: BlockVars) -> None:
    """No empty block: the block is placed only if at least one request presents in it."""
    f.cp.add(f.placed[bv.block_id] <= sum(bv.present.values()))


def segment_lengths(f: Formulation, bv: BlockVars) -> None:
    """A presenting request's segment lasts min_segment..max_segment minutes; others 0."""
    s = bv.settings
    for rid, present in bv.present.items():
        f.cp.add(bv.length[rid] >= s.min_segment * present)
        f.cp.add(bv.length[rid] <= s.max_segment * present)


def one_cluster_per_segment(f: Formulation, bv: BlockVars) -> None:
    """A presenting request joins exactly one cluster, named by one of its themes; a cluster is
    in use exactly when some segment joins it."""
    for presenter in bv.presenters:
        rid = presenter.request_id
        f.cp.add(sum(bv.cluster[(rid, t)] for t in presenter.clusters) == bv.present[rid])
    for theme, used in bv.used.items():
        members = [var for (_, t), var in bv.cluster.items() if t == theme]
        for member in members:
            f.cp.add(used >= member)
        f.cp.add(used <= sum(members))


def segments_do_not_overlap(f: Formulation, bv: BlockVars) -> None:
    """Two segments of a block never overlap (they lie between the opening and the wrap-up by
    the domains of their start and end)."""
    f.cp.add_no_overlap(list(bv.segment.values()))


def clusters_contiguous(f: Formulation, bv: BlockVars) -> None:
    """The segments of one cluster sit next to each other: each cluster's span holds its
    segments, and no two cluster spans overlap, so no other segment can come between them."""
    for (rid, theme), member in bv.cluster.items():
        f.cp.add(bv.cluster_start[theme] <= bv.start[rid]).only_enforce_if(member)
        f.cp.add(bv.end[rid] <= bv.cluster_end[theme]).only_enforce_if(member)
    f.cp.add_no_overlap(list(bv.cluster_span.values()))


def segments_packed_from_opening(f: Formulation, bv: BlockVars) -> None:
    """Segments follow each other without gaps from the end of the opening: every segment ends
    by opening + the sum of all lengths, and the segments do not overlap, so they tile that span;
    the sum of lengths fits in the speaking time."""
    s = bv.settings
    total = bv.total_length()
    f.cp.add(total <= s.speaking_minutes)
    for rid, present in bv.present.items():
        f.cp.add(bv.end[rid] <= s.opening + total).only_enforce_if(present)


def segments_fill_speaking_time(f: Formulation, bv: BlockVars) -> None:
    """The segments fill the block's speaking time, unless every segment already has
    max_segment minutes (then the block ends with open discussion before the wrap-up)."""
    s = bv.settings
    fills = f.cp.new_bool_var(f"fills[{bv.block_id}]")
    f.cp.add(bv.total_length() == s.speaking_minutes).only_enforce_if(fills)
    for rid, present in bv.present.items():
        f.cp.add(bv.length[rid] >= s.max_segment * present).only_enforce_if(~fills)


def sharing(presenter: Item, other: Item) -> list[str]:
    """The speakers and DCs that a presenter and another DC item have in common."""
    return sorted(presenter.people & other.people) + sorted(set(presenter.dc_ids)
                                                            & set(other.dc_ids))


def presenters_free_of_other_dc_items(f: Formulation, bv: BlockVars) -> None:
    """(mode `mixed`) A request that presents keeps its speakers and DCs for its segment
    (presence "segment") or for the whole block ("whole_block"): no other DC item sharing one of
    them runs then, or within the event's transition of it (on the timeline)."""
    for other_id, other in f.items.items():
        if other.kind == "block":
            continue
        for presenter in bv.presenters:
            if not sharing(presenter.item, other):
                continue
            rid = presenter.request_id
            held = bv.on_timeline[rid] if bv.settings.presence == "segment" else \
                f.on_timeline(bv.block_id, presence=bv.present[rid])
            f.cp.add_no_overlap([held, f.on_timeline(other_id, margin=f.transition)])


BLOCK_RULES = (presenters_free_for_whole_block, presenters_free_for_own_segment,
               block_held_only_for_presenters, segment_lengths,
               one_cluster_per_segment, segments_do_not_overlap, clusters_contiguous,
               segments_packed_from_opening, segments_fill_speaking_time,
               presenters_free_of_other_dc_items)


# --- hard rules between blocks ----------------------------------------------------------------

def each_request_in_one_block(f: Formulation, blocks: list[BlockVars]) -> None:
    """A request presents in at most one block."""
    for rid in blocks[0].present if blocks else ():
        f.cp.add(sum(bv.present[rid] for bv in blocks) <= 1)


def blocks_in_sequence(f: Formulation, blocks: list[BlockVars]) -> None:
    """Blocks are used in order (BLOCK-2 only if BLOCK-1) and run one after another, never in
    parallel: each gathers the same DC community, and the order removes symmetric solutions."""
    day_index = f.ctx.dataset.day_index

    def begins(bv: BlockVars):
        return sum(var * (day_index[slot.day] * 24 * 60 + slot.start)
                   for slot, var in f.slot_literals(bv.block_id))

    for earlier, later in zip(blocks, blocks[1:]):
        f.cp.add(f.placed[later.block_id] <= f.placed[earlier.block_id])
        f.cp.add(begins(earlier) + earlier.settings.duration <= begins(later)) \
            .only_enforce_if(f.placed[later.block_id])


def pinned_presenters_present(f: Formulation, blocks: list[BlockVars]) -> None:
    """A pinned request presents in a block, on its pinned day and in its pinned room."""
    for presenter in (blocks[0].presenters if blocks else ()):
        pin = presenter.item.pin
        if pin is None:
            continue
        f.cp.add(sum(bv.present[presenter.request_id] for bv in blocks) == 1)
        for bv in blocks:
            where = [var for slot, var in f.slot_literals(bv.block_id)
                     if (pin.day is None or slot.day == pin.day)
                     and (pin.room is None or slot.room == pin.room)]
            f.cp.add(bv.present[presenter.request_id] <= sum(where))


BETWEEN_BLOCKS = (each_request_in_one_block, blocks_in_sequence, pinned_presenters_present)
