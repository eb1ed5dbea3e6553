"""Distributed data parallel: torch DDP on the gloo backend, N processes on one CPU machine.

`train_ddp` spawns `world_size` processes (torch.multiprocessing, MASTER_ADDR=127.0.0.1 and a
free port); each wraps the same seeded model in DistributedDataParallel and runs the ordinary
`Trainer`, which gives every rank its slice of the same global batch. Rank 0 reports the first
step's gradients, the final weights and the wall time, so tests can compare with one process.
"""

from __future__ import annotations

import os
import socket
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .config import TrainConfig
from .data import epoch_batches, shard
from .example_task import DigitsMLP, digits_splits
from .init_schemes import init_model
from .loop import Trainer


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def train_ddp(
    world_size: int, config: TrainConfig, hidden: int = 64, repeats: int = 1
) -> dict[str, Any]:
    """Train the digits MLP on `world_size` gloo processes; rank 0's grads, weights and time.

    `repeats` > 1 refits fresh models and reports the median fit time (weights: the first fit).
    """
    import torch.multiprocessing as mp

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rank0.pt"
        env = {"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(free_port())}
        args = (world_size, config, hidden, env, str(out), repeats)
        mp.spawn(_worker, args=args, nprocs=world_size)
        return torch.load(out, weights_only=True)


def train_single(config: TrainConfig, hidden: int = 64) -> dict[str, Any]:
    """The same run in this process, without torch.distributed: the reference for DDP."""
    return _run(config, hidden, rank=0, world_size=1)


def _worker(
    rank: int,
    world_size: int,
    config: TrainConfig,
    hidden: int,
    env: dict[str, str],
    out: str,
    repeats: int = 1,
) -> None:
    os.environ.update(env)
    torch.set_num_threads(1)  # one core per rank; oversubscription would hide the scaling
    torch.distributed.init_process_group("gloo", rank=rank, world_size=world_size)
    try:
        result = _run(config, hidden, rank, world_size)
        times = [result["seconds"]]
        times += [_run(config, hidden, rank, world_size)["seconds"] for _ in range(repeats - 1)]
        result["seconds"] = statistics.median(times)
        if rank == 0:
            torch.save(result, out)
    finally:
        torch.distributed.destroy_process_group()


def _run(config: TrainConfig, hidden: int, rank: int, world_size: int) -> dict[str, Any]:
    train, _, _ = digits_splits(config.seed)
    model: nn.Module = init_model(DigitsMLP(hidden, dropout=0.0), "kaiming_uniform", config.seed)
    if world_size > 1:
        model = nn.parallel.DistributedDataParallel(model)
    # gradients of one step on the first global batch (averaged over ranks by DDP)
    first = epoch_batches(len(train), config.batch_size, config.seed, 0)[0]
    x, y = train.get_batch(shard(first, rank, world_size))
    nn.functional.cross_entropy(model(x), y).backward()
    grads = {n.removeprefix("module."): p.grad.clone() for n, p in model.named_parameters()}
    model.zero_grad(set_to_none=True)
    start = time.perf_counter()
    result = Trainer(model, replace(config, drop_last=True)).fit(train)
    seconds = time.perf_counter() - start
    plain = model.module if world_size > 1 else model
    return {
        "grads": grads,
        "weights": {k: v.clone() for k, v in plain.state_dict().items()},
        "seconds": seconds,
        "steps": result.steps,
        "samples": result.steps * config.batch_size,
    }
