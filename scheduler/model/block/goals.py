"""Soft goals of the block mode, one named weighted term each (the shared goals of
`model/goals.py` count the block's presenters through their grants)."""

from __future__ import annotations

from ...domain import OUTPUT_FED_TYPES
from ..formulation import Formulation
from ..goals import host_shows
from ..moving_programme import KIND as PROGRAMME
from .variables import BlockVars


def theme_coherence(f: Formulation, bv: BlockVars) -> None:
    """Reward each pair of adjacent segments in the same thematic cluster: segments presenting
    minus clusters used (a cluster of n segments has n - 1 such pairs; a lone DC costs nothing)."""
    f.add_term("theme_coherence", sum(bv.present.values()) - sum(bv.used.values()))


def segment_proportion(f: Formulation, bv: BlockVars) -> None:
    """Penalise each minute a segment is off a length proportional to its DCs' outputs.

    The block chooses one rate (tenths of a minute per output); a presenting segment's target is
    rate x outputs; the term is the sum over segments of |length - target|, rounded up.
    """
    s, cp = bv.settings, f.cp
    most_outputs = max((p.outputs for p in bv.presenters), default=0)
    rate = cp.new_int_var(0, 10 * s.max_segment, f"rate[{bv.block_id}]")
    deviations = []
    for presenter in bv.presenters:
        rid = presenter.request_id
        deviation = cp.new_int_var(0, max(s.max_segment, s.max_segment * most_outputs),
                                   f"off_proportion[{rid}@{bv.block_id}]")
        target = rate * presenter.outputs
        cp.add(10 * deviation >= 10 * bv.length[rid] - target).only_enforce_if(bv.present[rid])
        cp.add(10 * deviation >= target - 10 * bv.length[rid]).only_enforce_if(bv.present[rid])
        deviations.append(deviation)
    f.add_term("segment_proportion", sum(deviations))


def outputs_presented(f: Formulation, bv: BlockVars) -> None:
    """Reward the tangible outputs presented: among requests of equal priority, those with
    more to present go first when the block is full."""
    f.add_term("outputs_presented",
               sum(p.outputs * bv.present[p.request_id] for p in bv.presenters))


def runs_before_block_ends(session_day: int, session_start: int, slot_day: int,
                           slot_end: int) -> bool:
    """A programme session that starts before the block ends cannot build on its outputs."""
    return session_day < slot_day or (session_day == slot_day and session_start < slot_end)


def outputs_first(f: Formulation, bv: BlockVars) -> None:
    """Penalise each workshop or main session on a theme of a presenting request that starts
    before the block ends (it cannot build on the outputs presented); fewer is better. The
    programme counts where the schedule puts it: a fixed session where it is, a moved one
    where it goes."""
    day_index = f.ctx.dataset.day_index
    slots = f.slot_literals(bv.block_id)
    early = []
    for session in f.ctx.dataset.programme:
        if session.type not in OUTPUT_FED_TYPES:
            continue
        before = [var for slot, var in slots if runs_before_block_ends(
            day_index[session.day], session.start, day_index[slot.day],
            slot.start + bv.settings.duration)]
        early.append(host_shows(f, bv.block_id, before, session.themes,
                                f"before_block[{bv.block_id},{session.session_id}]"))
    shown = f.variable_themes[bv.block_id].keys()
    for item_id, item in f.items.items():
        if item.kind == PROGRAMME and item.session_type in OUTPUT_FED_TYPES \
                and item.themes & shown:
            before = moved_starts_before_block_ends(f, bv, item_id)
            early.append(host_shows(f, bv.block_id, [before], item.themes,
                                    f"before_block[{bv.block_id},{item_id}]"))
    f.add_term("outputs_first", sum(e for e in early if e is not None))


def moved_starts_before_block_ends(f: Formulation, bv: BlockVars, item_id: str):
    """A boolean forced to 1 when the moved session `item_id` is placed and starts before the
    block ends (a lower bound: `outputs_first` only penalises it)."""
    before = f.cp.new_bool_var(f"starts_before[{item_id},{bv.block_id}]")
    f.cp.add(f.start_time(item_id) >= f.on_timeline(bv.block_id).end_expr()).only_enforce_if(
        [~before, f.placed[item_id], f.placed[bv.block_id]])
    return before


BLOCK_GOALS = (theme_coherence, segment_proportion, outputs_presented, outputs_first)
