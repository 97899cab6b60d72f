"""igf-sched: place the Dynamic Coalitions' sessions into the IGF programme with CP-SAT."""
