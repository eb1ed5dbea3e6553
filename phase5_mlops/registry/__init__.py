"""MLflow model registry over the phase 2 tabular model: aliases, their history, rollback."""
