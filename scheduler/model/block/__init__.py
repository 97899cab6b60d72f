"""Mode `block`: the consolidated DC block, in which DCs present their outputs by theme.

The model decides, jointly with everything else the shared engine places:
- where each block runs (day, start, room): a block is an `Item` of kind "block", placed by the
  engine like any session, so the room, break, day-hour and exclusive-item rules apply
  to it unchanged (`slots.py`, `rules.py`) and the engine's `parallel_sessions` goal counts it;
- which eligible requests present in it: one segment per request (a joint request is one
  segment of all its DCs); when they do not all fit, the `placed` goal (priority),
  `outputs_presented` and `fairness` choose, and each request left out gets its reason;
- each segment's cluster (one of its request's themes), length and start. Segments are intervals
  in the block's speaking time; each cluster is an interval that holds its segments; clusters do
  not overlap (so the DCs of a cluster sit next to each other, in the order the model chooses),
  and the segments pack from the end of the opening without gaps.

Design choices, and why:
- Presence (`[block] presence`). By default ("segment") a presenting request's speakers are
  needed during their own segment only: free of the programme (and the event's transition
  around it), of their unavailable windows, in `mixed` of every other DC item, and in reasonable
  local hours if online. Each segment is also an interval on the formulation's timeline (the
  block's start plus its start inside the block), and NoOverlap with the presenter's busy windows
  places it exactly, whatever the segment order. With "whole_block" presenters stay for the whole
  block to hear the other clusters: one condition per (request, block slot).
- Goals count a segment in its own minutes where they read time (`online_hours`); the block's
  `theme_clash` and `parallel_sessions` count the block as one item with its presenters' themes
  (exact per-segment terms left the sample block far from proven optimal), while the figures
  (`metrics`) count each segment in its own minutes with its own themes.
- Capacity: the room must seat the LARGEST expected audience among the presenting requests, not
  their sum. Each figure is the audience of a session of the DC's own; a block's audience comes
  and goes between segments and largely overlaps (the sum, about 2,000 on the sample data, would
  exceed every room). The largest single audience is the peak the room must hold.
- Features: the room has every feature that any presenting request needs (hybrid when one of
  its speakers is online).
- Overhead: half opens the block (rounded up), half wraps it up (`scenario.Block.opening`).
- The segments fill the speaking time, unless each already has `max_segment` minutes: a block is
  booked whole, and time left over would be dead air.
- Days and rooms: `[block] days/rooms` narrowed by `[capacity] days/rooms` (empty = any).
- Several blocks (`[block] count`) run one after another (never in parallel: each gathers the
  same DC community); a request presents in at most one.

Soft goals this mode adds, each a named weighted term: `theme_coherence`, `segment_proportion`,
`outputs_presented`, `outputs_first`. The shared goals count the requests that actually present
(each a `Grant`, its themes through `variable_themes`): the block item itself has no themes,
people or preferences.

The parts: `variables.py` (presenters, segments, clusters), `rules.py` (hard rules), `goals.py`
(soft goals), `mode.py` (items in, placements out). Why a request got no segment:
`scheduler/reasons.py`.
"""
