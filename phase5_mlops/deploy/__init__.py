"""Blue-green and canary delivery of the phase 2 tabular API, decided by live metrics."""
