"""Shared helpers of phase 2: table specs and loaders, the data contract, snapshots, pipelines."""
