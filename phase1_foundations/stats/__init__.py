"""Bootstrap intervals, classical tests and a permutation test from scratch, equal to scipy."""
