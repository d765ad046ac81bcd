// Retention benchmarks.
