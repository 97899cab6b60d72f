"""Making datasets in the data contract (SPEC §3): `generate` (seeded IGF-shaped instances),
one reader per published-programme format for `igf-sched import`, and the one `writer` both use."""
