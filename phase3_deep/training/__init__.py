"""A reusable training loop: schedules, init, regularisation, bf16, checkpoints, DDP, MLflow."""
